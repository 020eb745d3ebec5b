import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphqlHubApi, HubApiError, UnreadableClaimError } from './api-client.js';

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
    incoming: endpoint, outgoing: null, ews: null, credentialsStatus, credentials,
    incomingEnabled: true, outgoingEnabled: false, actEnabled: false, isForwardMailbox: false, deleteForwardedCopies: false, forwardSources: [],
    cursor: null, processEmailFrom: null, resyncFrom: null, sentFolder: null, trackedFolders: [], trackedFolderIds: [], pollIntervalSeconds: 60, maxBodyKb: 512, pastExpansionWindowMonths: 3, futureExpansionWindowMonths: 12, timeZone: null,
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

  it('refuses credentials that disagree with their status as INVALID_RESPONSE, naming the path', async () => {
    const { url } = await serve(200, { data: { claimOutgoingEmails: [claimedEmail({ transport: { ...transport, credentialsStatus: 'PRESENT', credentials: null } })] } });
    const error = await errorOf(new GraphqlHubApi({ url, apiKey: 'k' }).claimOutgoingEmails(1, 60));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain('claimOutgoingEmails[0].transport.credentials: do not match credentialsStatus "PRESENT"');
  });
});

const SECRET = 'pw-do-not-log-3141';
const transport = {
  kind: 'IMAP_SMTP', smtp: { host: 'smtp.example.com', port: 587, tls: 'STARTTLS', allowInvalidCertificates: false }, imap: null, ews: null, sentFolder: null,
  credentialsStatus: 'PRESENT', credentials: { method: 'PASSWORD', username: 'sam', secret: SECRET },
};
const claimedEmail = (fields: Record<string, unknown> = {}) => ({
  emailId: 'e-1', leaseId: 'l-1', leaseUntil: '2026-12-04T10:02:00.000Z', mailboxId: 'm-1',
  from: { address: 'sam@example.com', name: 'Sam' }, to: [{ address: 'kim@contoso.example', name: null }], cc: [], bcc: [],
  subject: 'Quote', messageId: 'crm-1@example.com', inReplyTo: null, references: [], textBody: 'Hello', htmlBody: null,
  attachments: [{ fileName: 'quote.pdf', contentType: 'application/pdf', size: 10, sha256: 'b'.repeat(64) }], attempt: 1, transport,
  ...fields,
});

describe('GraphqlHubApi.claimOutgoingEmails: every selected field checked on entry', () => {
  it('returns a well-formed claim with its credentials joined into one value', async () => {
    const { url } = await serve(200, { data: { claimOutgoingEmails: [claimedEmail()] } });
    const [email] = await new GraphqlHubApi({ url, apiKey: 'k' }).claimOutgoingEmails(1, 60);
    const { credentialsStatus: _s, ...wireTransport } = transport;
    expect(email).toEqual({ ...claimedEmail(), transport: { ...wireTransport, credentials: { status: 'PRESENT', method: 'PASSWORD', username: 'sam', secret: SECRET } } });
  });

  it.each([
    [{ transport: { ...transport, smtp: { ...transport.smtp, port: '587' } } }, 'claimOutgoingEmails[0].transport.smtp.port: expected an integer'],
    [{ transport: { ...transport, smtp: { ...transport.smtp, tls: 'SSL' } } }, 'claimOutgoingEmails[0].transport.smtp.tls: "SSL" is not one of NONE, STARTTLS, IMPLICIT'],
    [{ transport: { ...transport, credentials: { method: 'KERBEROS', username: 'sam', secret: SECRET } } }, 'claimOutgoingEmails[0].transport.credentials: do not match credentialsStatus "PRESENT"'],
    [{ bcc: [{ address: null, name: null }] }, 'claimOutgoingEmails[0].bcc[0].address: expected a string'],
    [{ attachments: [{ fileName: 'quote.pdf', contentType: 'application/pdf', size: 10, sha256: '..%2Fsecrets' }] }, 'claimOutgoingEmails[0].attachments[0].sha256: expected a SHA-256 in hex'],
  ])('answers INVALID_RESPONSE naming the path, never the secret (%#)', async (fields, path) => {
    const { url } = await serve(200, { data: { claimOutgoingEmails: [claimedEmail(), claimedEmail({ emailId: 'e-2', leaseId: 'l-2' }), claimedEmail({ emailId: 'e-3', leaseId: 'l-3', ...fields })] } });
    const error = await errorOf(new GraphqlHubApi({ url, apiKey: 'k' }).claimOutgoingEmails(3, 60));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain(path.replace('[0]', '[2]'));
    expect(error.message).not.toContain(SECRET);
    expect(error).toBeInstanceOf(UnreadableClaimError);
    expect((error as UnreadableClaimError).leases).toEqual([{ emailId: 'e-1', leaseId: 'l-1' }, { emailId: 'e-2', leaseId: 'l-2' }, { emailId: 'e-3', leaseId: 'l-3' }]);
  });

  it('answers INVALID_RESPONSE without leases when the claim is not a list', async () => {
    const { url } = await serve(200, { data: { claimOutgoingEmails: claimedEmail() } });
    const error = await errorOf(new GraphqlHubApi({ url, apiKey: 'k' }).claimOutgoingEmails(1, 60));
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain('claimOutgoingEmails');
  });
});

describe('GraphqlHubApi: the other answers checked on entry', () => {
  it.each([
    ['renewMailboxLease', { renewMailboxLease: 'later' }, 'renewMailboxLease: expected a date', (api: GraphqlHubApi) => api.renewMailboxLease('m-1', 'l-1', 60)],
    ['undecidedMessages', { undecidedMessages: ['INBOX:1:1', 2] }, 'undecidedMessages: expected a list of strings', (api: GraphqlHubApi) => api.undecidedMessages('m-1', 'l-1', [])],
    ['whoAmI', { viewer: { ...viewer, roles: [{ name: null }] } }, 'viewer.roles[0].name: expected a string', (api: GraphqlHubApi) => api.whoAmI()],
    ['trackEmails', { trackEmails: {} }, 'trackEmails.items: expected a list', (api: GraphqlHubApi) => api.trackEmails('m-1', { items: [], cursor: null, leaseId: null, quarantine: [] })],
  ] as const)('%s: a malformed answer is INVALID_RESPONSE naming the path', async (_, data, path, call) => {
    const { url } = await serve(200, { data });
    const error = await errorOf(call(new GraphqlHubApi({ url, apiKey: 'k' })));
    expect({ code: error.code, message: error.message }).toEqual({ code: 'INVALID_RESPONSE', message: `the hub answered an unexpected shape: ${path}` });
  });

  it('returns well-formed renewMailboxLease and undecidedMessages answers', async () => {
    const { url } = await serve(200, { data: { renewMailboxLease: '2026-12-04T10:05:00.000Z', undecidedMessages: ['INBOX:1:1'] } });
    const api = new GraphqlHubApi({ url, apiKey: 'k' });
    expect(await api.renewMailboxLease('m-1', 'l-1', 60)).toEqual(new Date('2026-12-04T10:05:00.000Z'));
    expect(await api.undecidedMessages('m-1', 'l-1', [{ sourceRef: 'INBOX:1:1', messageId: null }])).toEqual(['INBOX:1:1']);
  });
});
