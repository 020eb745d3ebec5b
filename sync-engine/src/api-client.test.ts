import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphqlHubApi, HubApiError } from './api-client.js';

// A real HTTP peer answering with a fixed status and body, recording what it received.
interface Received {
  headers: IncomingHttpHeaders;
  body: { query?: string };
}
let server: Server | undefined;

async function serve(status: number, body: unknown): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, received };
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function errorOf(promise: Promise<unknown>): Promise<HubApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof HubApiError)) throw new Error(`expected a HubApiError, got ${String(error)}`);
  return error;
}

const viewer = { id: 'u-1', fullName: 'Sync Service', roles: [{ name: 'Sync Service' }] };

describe('GraphqlHubApi.whoAmI', () => {
  it('posts the viewer query with the bearer key and returns the viewer', async () => {
    const { url, received } = await serve(200, { data: { viewer } });
    expect(await new GraphqlHubApi({ url, apiKey: 'secret' }).whoAmI()).toEqual(viewer);
    expect(received[0].headers).toMatchObject({ authorization: 'Bearer secret', 'content-type': 'application/json' });
    expect(received[0].body.query).toMatch(/viewer\s*{\s*id\s+fullName\s+roles\s*{\s*name\s*}\s*}/);
  });

  it.each([
    [200, 'UNAUTHENTICATED', 'AUTH_FAILED'],
    [401, 'AUTH_FAILED', 'AUTH_FAILED'],
    [200, 'FORBIDDEN', 'AUTH_FAILED'],
    [400, 'GRAPHQL_VALIDATION_FAILED', 'INVALID_REQUEST'],
    [200, 'TEMPORARY', 'TEMPORARY'],
    [500, 'INTERNAL_SERVER_ERROR', 'INTERNAL'],
    [200, 'SOMETHING_NEW', 'INTERNAL'],
    [413, 'PAYLOAD_TOO_LARGE', 'TOO_LARGE'],
  ])('HTTP %i with extensions.code %s throws %s', async (status, serverCode, code) => {
    const { url } = await serve(status, { errors: [{ message: 'no', extensions: { code: serverCode } }], data: null });
    const error = await errorOf(new GraphqlHubApi({ url, apiKey: 'k' }).whoAmI());
    expect({ code: error.code, serverCode: error.serverCode }).toEqual({ code, serverCode });
  });

  it.each([
    [503, 'starting', 'TEMPORARY'],
    [502, '<html>bad gateway</html>', 'TEMPORARY'],
    [401, '', 'AUTH_FAILED'],
    [413, '<html>request entity too large</html>', 'TOO_LARGE'],
    [200, '<html>not graphql</html>', 'INVALID_RESPONSE'],
    [200, { data: { viewer: { id: 1 } } }, 'INVALID_RESPONSE'],
    [200, { data: { viewer: null } }, 'AUTH_FAILED'],
  ])('HTTP %i with body %j throws %s', async (status, body, code) => {
    const { url } = await serve(status, body);
    expect((await errorOf(new GraphqlHubApi({ url, apiKey: 'k' }).whoAmI())).code).toBe(code);
  });

  it('turns a refused connection into TEMPORARY', async () => {
    const { url } = await serve(200, {});
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const error = await errorOf(new GraphqlHubApi({ url, apiKey: 'k' }).whoAmI());
    expect(error.code).toBe('TEMPORARY');
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('rejects with the abort reason, not a HubApiError, when the caller aborts', async () => {
    const { url } = await serve(200, { data: { viewer } });
    const stop = new AbortController();
    stop.abort(new Error('shutdown'));
    await expect(new GraphqlHubApi({ url, apiKey: 'k' }).whoAmI(stop.signal)).rejects.toThrow('shutdown');
  });
});

describe('GraphqlHubApi claims: credentials checked on entry', () => {
  const endpoint = { host: 'imap.example.com', port: 993, tls: 'IMPLICIT', allowInvalidCertificates: false };
  const claimed = (credentialsStatus: string, credentials: unknown) => ({
    mailboxId: 'm-1', leaseId: 'l-1', leaseUntil: '2026-12-04T10:00:00.000Z', job: 'SYNC', address: 'sam@example.com', kind: 'IMAP_SMTP',
    incoming: endpoint, outgoing: null, credentialsStatus, credentials,
    incomingEnabled: true, outgoingEnabled: false, isForwardMailbox: false, deleteForwardedCopies: false, forwardSources: [],
    cursor: null, processEmailFrom: null, resyncFrom: null, sentFolder: null, trackedFolders: [], pollIntervalSeconds: 60, maxBodyKb: 512,
  });

  it('joins credentialsStatus and credentials into one tagged value', async () => {
    const { url } = await serve(200, {
      data: { claimMailboxes: [claimed('UNREADABLE', null), claimed('PRESENT', { method: 'PASSWORD', username: 'sam', secret: 'pw' })] },
    });
    const work = await new GraphqlHubApi({ url, apiKey: 'k' }).claimMailboxes('engine', 2, 60);
    expect(work.map((w) => w.credentials)).toEqual([{ status: 'UNREADABLE' }, { status: 'PRESENT', method: 'PASSWORD', username: 'sam', secret: 'pw' }]);
    expect(work[0]).not.toHaveProperty('credentialsStatus');
  });

  it('refuses a claim of another shape as INVALID_RESPONSE naming the field, not as undefined later', async () => {
    const { url } = await serve(200, { data: { claimMailboxes: [{ ...claimed('NONE', null), job: 'EXPORT' }] } });
    const error = await errorOf(new GraphqlHubApi({ url, apiKey: 'k' }).claimMailboxes('engine', 1, 60));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain('claimMailboxes[0].job: "EXPORT" is not one of SYNC, TEST');
  });

  it('refuses a trackEmails decision of another shape as INVALID_RESPONSE naming the item', async () => {
    const { url } = await serve(200, { data: { trackEmails: { items: [{ index: 0, messageId: null, outcome: 'IGNORED', activityId: null, errorCode: null, errorMessage: null }] } } });
    const error = await errorOf(new GraphqlHubApi({ url, apiKey: 'k' }).trackEmails('m-1', { items: [], cursor: null } as never));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain('trackEmails.items[0].outcome');
  });

  it('refuses credentials that disagree with their status as INVALID_RESPONSE', async () => {
    const { url } = await serve(200, { data: { claimOutgoingEmails: [{ emailId: 'e-1', transport: { credentialsStatus: 'PRESENT', credentials: null } }] } });
    const error = await errorOf(new GraphqlHubApi({ url, apiKey: 'k' }).claimOutgoingEmails(1, 60));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toMatch(/claimOutgoingEmails.*PRESENT/);
  });
});
