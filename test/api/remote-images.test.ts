import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { outlookMessage, TRACK_EMAILS, type TrackItem } from '../support/mail-fixtures';
import { ADMIN, ok, uniqueTag } from './gql-helpers';

// A PNG's first bytes and then some: what the image server answers for an image.
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(600, 7)]);

/** The sender's image server, on loopback: it records what each request carried. */
function startImageServer(): Promise<{ url: string; requests: http.IncomingHttpHeaders[]; close(): Promise<void> }> {
  const requests: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.headers);
    if (req.url === '/logo.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    if (req.url === '/moved.png') return void res.writeHead(302, { location: '/logo.png' }).end();
    if (req.url === '/big.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.concat([PNG, Buffer.alloc(4096)]));
    if (req.url === '/page.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<script>alert(1)</script>');
    if (req.url === '/vector.svg') return void res.writeHead(200, { 'content-type': 'image/svg+xml' }).end('<svg onload="alert(1)"/>');
    res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

describe.each(DIALECTS)('remote images through the hub\'s image proxy on %s', (dialect) => {
  let hub: StartedHub;
  let images: Awaited<ReturnType<typeof startImageServer>>;
  let admin: string;
  let sam: string;
  let samMailbox: string;

  const track = async (item: TrackItem): Promise<string> => {
    const result = ok(await hub.gql(TRACK_EMAILS, { mailboxId: samMailbox, input: { items: [item] } }, hub.syncServiceKey)).trackEmails;
    expect(result.items[0].outcome).toBe('TRACKED');
    return result.items[0].activityId;
  };
  const withImages = (html: string): TrackItem => ({
    ...outlookMessage({ from: { address: 'supplier@supplier.example', name: 'Supplier' }, to: [{ address: 'sam.sales@demo.crm.test', name: 'Sam Sales' }], subject: `Catalogue ${uniqueTag()}` }),
    htmlBody: `<p>Our catalogue</p>${html}`,
  });
  const proxied = (emailId: string, source: string, token?: string) =>
    fetch(`${hub.url}/emails/${encodeURIComponent(emailId)}/remote-image?url=${encodeURIComponent(source)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

  beforeAll(async () => {
    images = await startImageServer();
    // The image server is on loopback, which the proxy refuses by default (see the last test).
    hub = await startHub({ dialect, env: { REMOTE_IMAGE_ALLOW_PRIVATE_ADDRESSES: 'true', REMOTE_IMAGE_MAX_KB: '1' } });
    admin = await hub.login(ADMIN);
    sam = await hub.login('sam.sales@demo.crm.test');
    const mailboxes = ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[];
    samMailbox = mailboxes.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: ALL }) { id } }', { id: samMailbox }, admin));
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    await images?.close();
  });

  it('fetches an image the email shows, for a reader who asks, without the reader\'s credentials, cookies or referrer', async () => {
    const id = await track(withImages(`<img src="${images.url}/logo.png" alt="Logo"><img src="${images.url}/moved.png">`));
    const body = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Email { htmlBody blockedRemoteImages } } }', { id }, admin)).node;
    expect(body.blockedRemoteImages).toBe(2);
    expect(body.htmlBody).toContain(`data-remote-src="${images.url}/logo.png"`);
    expect(images.requests).toEqual([]);

    const response = await proxied(id, `${images.url}/logo.png`, admin);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG);
    const seen = images.requests.at(-1)!;
    expect(seen.authorization).toBeUndefined();
    expect(seen.cookie).toBeUndefined();
    expect(seen.referer).toBeUndefined();
    expect(seen['user-agent']).toBe('CRM-Activity-Hub-ImageProxy');

    // A redirect on the image server is followed.
    const moved = await proxied(id, `${images.url}/moved.png`, sam);
    expect(moved.status).toBe(200);
    expect(Buffer.from(await moved.arrayBuffer())).toEqual(PNG);
  });

  it('is not an open proxy: only sources of that email, only for someone who reads it whole', async () => {
    const id = await track(withImages(`<img src="${images.url}/logo.png">`));
    const before = images.requests.length;
    // No token, a bad token.
    expect((await proxied(id, `${images.url}/logo.png`)).status).toBe(401);
    expect((await proxied(id, `${images.url}/logo.png`, 'crm_session_not-a-real-token')).status).toBe(401);
    // A URL the email does not show, the same host included; a record id instead of an email's; an id that is no id.
    for (const [emailId, source] of [
      [id, `${images.url}/page.html`],
      [id, `${images.url}/logo.png?x=1`],
      [id, 'http://169.254.169.254/latest/meta-data/'],
      [ok(await hub.gql('{ contacts(first: 1) { edges { node { id } } } }', {}, admin)).contacts.edges[0].node.id, `${images.url}/logo.png`],
      ['not-an-id', `${images.url}/logo.png`],
    ]) {
      const response = await proxied(emailId, source, admin);
      expect(response.status, source).toBe(404);
      expect(await errorOf(response)).toBe('NOT_FOUND');
    }
    // Privacy: with Sam's mailbox at SUBJECT_ONLY, another reader sees the subject, not the body or its images; Sam does.
    ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { privacyLevel: SUBJECT_ONLY }) { id } }', { id: samMailbox }, admin));
    const hidden = await track(withImages(`<img src="${images.url}/logo.png">`));
    const refused = await proxied(hidden, `${images.url}/logo.png`, admin);
    expect(refused.status).toBe(404);
    expect(await errorOf(refused)).toBe('NOT_FOUND');
    expect(images.requests.length).toBe(before);
    expect((await proxied(hidden, `${images.url}/logo.png`, sam)).status).toBe(200);
    ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { privacyLevel: FULL }) { id } }', { id: samMailbox }, admin));
  });

  it('answers only raster images within the size limit', async () => {
    const id = await track(withImages(`<img src="${images.url}/page.html"><img src="${images.url}/vector.svg"><img src="${images.url}/big.png">`));
    for (const [path, code] of [
      ['/page.html', 'NOT_AN_IMAGE'],
      ['/vector.svg', 'NOT_AN_IMAGE'],
      ['/big.png', 'TOO_LARGE'],
    ]) {
      const response = await proxied(id, `${images.url}${path}`, admin);
      expect(response.status, path).toBe(502);
      expect(await errorOf(response), path).toBe(code);
    }
  });
});

describe('the image proxy by default', () => {
  let hub: StartedHub;
  let images: Awaited<ReturnType<typeof startImageServer>>;
  beforeAll(async () => {
    images = await startImageServer();
    hub = await startHub({ dialect: 'sqlite' });
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    await images?.close();
  });

  it('refuses an address that is not on the public internet, by name or by number, and contacts nothing', async () => {
    const admin = await hub.login(ADMIN);
    const mailboxes = ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[];
    const mailboxId = mailboxes.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: ALL }) { id } }', { id: mailboxId }, admin));
    const port = new URL(images.url).port;
    const sources = [`${images.url}/logo.png`, `http://localhost:${port}/logo.png`, `http://[::ffff:127.0.0.1]:${port}/logo.png`, `http://2130706433:${port}/logo.png`];
    const item = {
      ...outlookMessage({ from: { address: 'supplier@supplier.example', name: 'Supplier' }, to: [{ address: 'sam.sales@demo.crm.test', name: 'Sam Sales' }], subject: `Catalogue ${uniqueTag()}` }),
      htmlBody: sources.map((s) => `<img src="${s}">`).join(''),
    };
    const id = ok(await hub.gql(TRACK_EMAILS, { mailboxId, input: { items: [item] } }, hub.syncServiceKey)).trackEmails.items[0].activityId;
    for (const source of sources) {
      const response = await fetch(`${hub.url}/emails/${encodeURIComponent(id)}/remote-image?url=${encodeURIComponent(source)}`, { headers: { authorization: `Bearer ${admin}` } });
      expect(response.status, source).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code, source).toBe('NOT_ALLOWED');
    }
    expect(images.requests).toEqual([]);
  });
});

describe('the image proxy\'s budget per person', () => {
  let hub: StartedHub;
  let images: Awaited<ReturnType<typeof startImageServer>>;

  beforeAll(async () => {
    images = await startImageServer();
    hub = await startHub({ dialect: 'sqlite', env: { REMOTE_IMAGE_ALLOW_PRIVATE_ADDRESSES: 'true', REMOTE_IMAGE_PER_MINUTE: '3' } });
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    await images?.close();
  });

  it('refuses a person who asks for more images a minute than allowed, with when to try again, and leaves others their own', async () => {
    const admin = await hub.login(ADMIN);
    const sam = await hub.login('sam.sales@demo.crm.test');
    const mailboxes = ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[];
    const samMailbox = mailboxes.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: ALL }) { id } }', { id: samMailbox }, admin));
    const item = {
      ...outlookMessage({ from: { address: 'supplier@supplier.example', name: 'Supplier' }, to: [{ address: 'sam.sales@demo.crm.test', name: 'Sam Sales' }], subject: `Catalogue ${uniqueTag()}` }),
      htmlBody: `<p>Our catalogue</p><img src="${images.url}/logo.png">`,
    };
    const id = ok(await hub.gql(TRACK_EMAILS, { mailboxId: samMailbox, input: { items: [item] } }, hub.syncServiceKey)).trackEmails.items[0].activityId;
    const proxied = (token: string) =>
      fetch(`${hub.url}/emails/${encodeURIComponent(id)}/remote-image?url=${encodeURIComponent(`${images.url}/logo.png`)}`, { headers: { authorization: `Bearer ${token}` } });

    for (let i = 0; i < 3; i++) expect((await proxied(sam)).status).toBe(200);
    const before = images.requests.length;
    const refused = await proxied(sam);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Refused before anything was fetched; the administrator's budget is theirs.
    expect(images.requests.length).toBe(before);
    expect((await proxied(admin)).status).toBe(200);
  });
});
