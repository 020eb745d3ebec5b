import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { liveClient, type LiveClient } from '../support/live-client';
import { outlookMessage, TRACK_EMAILS } from '../support/mail-fixtures';
import { ADMIN, ok, uniqueTag, userIds } from './gql-helpers';

// What a subscriber receives follows their access at the moment of delivery, exactly as a query would.

const FEED = `subscription($after: String) { myFeed(after: $after) {
  cursor change activityId kind activity { id subject visibleAs ... on Email { textBody htmlBody } } } }`;
const CREATE_TASK = `mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }`;

describe.each(DIALECTS)('live access and abuse on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  let users: Record<string, string>;
  let salesContact: { id: string; fullName: string; primaryEmail: string };
  const clients: LiveClient[] = [];
  const tag = uniqueTag('LiveAcc');

  const gql = (who: string, query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, tokens[who]);
  const now = async () => ok(await gql('admin', '{ liveCursor }')).liveCursor as string;
  const connect = (who: string) => {
    const c = liveClient(hub.url, tokens[who]);
    clients.push(c);
    return c;
  };
  const task = async (who: string, subject: string) =>
    ok(await gql(who, CREATE_TASK, { input: { subject: `${tag} ${subject}`, regardingId: salesContact.id } })).createTask.id as string;

  beforeAll(async () => {
    hub = await startHub({ dialect, env: { LIVE_SUBSCRIPTIONS_PER_CONNECTION: '5', LIVE_INIT_TIMEOUT_SECONDS: '1' } });
    for (const who of ['admin', 'sam.sales', 'sara.sales', 'maria.manager']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    users = await userIds(hub, tokens.admin);
    const contacts = ok(await gql('sam.sales', `{ contacts(first: 100) { edges { node { id fullName primaryEmail businessUnit { name } } } } }`)).contacts.edges.map((e: any) => e.node);
    salesContact = contacts.find((c: any) => c.businessUnit.name === 'Sales' && c.primaryEmail);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await hub?.close();
  });

  it('an email tracked from a SUBJECT_ONLY mailbox reaches its owner whole and a manager without its body', async () => {
    const mailboxes = ok(await gql('admin', '{ mailboxes { id address } }')).mailboxes as { id: string; address: string }[];
    const samMailbox = mailboxes.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    ok(await gql('admin', 'mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: ALL, privacyLevel: SUBJECT_ONLY }) { id } }', { id: samMailbox }));
    const after = await now();
    const sam = connect('sam.sales').subscribe(FEED, { after });
    const maria = connect('maria.manager').subscribe(FEED, { after });
    const subject = `${tag} private offer`;
    const message = outlookMessage({ from: { address: salesContact.primaryEmail, name: salesContact.fullName }, to: [{ address: 'sam.sales@demo.crm.test', name: 'Sam Sales' }], subject, text: 'The price is ZANZIBAR-PRICE.' });
    ok(await hub.gql(TRACK_EMAILS, { mailboxId: samMailbox, input: { items: [message] } }, hub.syncServiceKey));
    const [own] = await sam.waitFor(1);
    expect(own.data.myFeed).toMatchObject({ change: 'TRACKED', kind: 'EMAIL', activity: { subject, visibleAs: 'FULL' } });
    expect(own.data.myFeed.activity.textBody).toContain('ZANZIBAR-PRICE');
    const [seen] = await maria.waitFor(1);
    expect(seen.data.myFeed).toMatchObject({ change: 'TRACKED', activity: { subject, visibleAs: 'SUBJECT_ONLY', textBody: null, htmlBody: null } });
    expect(JSON.stringify(seen)).not.toContain('ZANZIBAR');
  });

  it('a role removed takes effect on the next event; given back, events flow again, and nothing in between leaked', async () => {
    const sara = connect('sara.sales').subscribe(FEED, { after: await now() });
    const before = await task('sam.sales', 'while sara may read');
    const [first] = await sara.waitFor(1);
    expect(first.data.myFeed.activityId).toBe(before);
    const roles = ok(await gql('admin', '{ securityRoles { id name } }')).securityRoles as { id: string; name: string }[];
    const salesperson = roles.find((r) => r.name === 'Salesperson')!;
    ok(await gql('admin', 'mutation($r: ID!, $u: ID!) { removeUserRole(roleId: $r, userId: $u) { id } }', { r: salesperson.id, u: users['sara.sales@demo.crm.test'] }));
    const hidden = await task('sam.sales', 'while sara may not read');
    ok(await gql('admin', 'mutation($r: ID!, $u: ID!) { addUserRole(roleId: $r, userId: $u) { id } }', { r: salesperson.id, u: users['sara.sales@demo.crm.test'] }));
    const after = await task('sam.sales', 'after sara got her role back');
    const [, second] = await sara.waitFor(2);
    // Events reach a subscription in commit order: the hidden one would have come before this one.
    expect(second.data.myFeed.activityId).toBe(after);
    expect(sara.received.map((m) => m.data.myFeed.activityId)).not.toContain(hidden);
  });

  it('disabling a user closes their socket with 4401', async () => {
    const token = await hub.login('sara.sales@demo.crm.test');
    const c = liveClient(hub.url, token);
    clients.push(c);
    const sub = c.subscribe(FEED, { after: await now() });
    await task('sam.sales', 'for sara before she is disabled');
    await sub.waitFor(1);
    ok(await gql('admin', 'mutation($u: ID!) { setUserDisabled(userId: $u, disabled: true) { id } }', { u: users['sara.sales@demo.crm.test'] }));
    try {
      expect((await c.closed()).code).toBe(4401);
    } finally {
      ok(await gql('admin', 'mutation($u: ID!) { setUserDisabled(userId: $u, disabled: false) { id } }', { u: users['sara.sales@demo.crm.test'] }));
    }
  });

  it('limits: subscriptions per connection, message size, connection_init timeout', async () => {
    const c = connect('sam.sales');
    const after = await now();
    const subs = Array.from({ length: 6 }, () => c.subscribe(FEED, { after }));
    await subs[5].waitForEnd();
    expect(JSON.stringify([subs[5].received, subs[5].error])).toContain('RATE_LIMITED');
    for (const s of subs.slice(0, 5)) expect(s.completed).toBe(false);

    // A subscribe message over 64 KB: the socket is closed with 1009 (message too big) before anything parses it.
    const big = await rawSocket(hub.url);
    big.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tokens['sam.sales']}` } }));
    big.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { myFeed { cursor } } #${'x'.repeat(70_000)}` } }));
    expect((await closeOf(big)).code).toBe(1009);

    // Silence after opening the socket: closed with 4408 once the init timeout (1 s here) passes.
    const silent = await rawSocket(hub.url);
    expect((await closeOf(silent)).code).toBe(4408);
  });

  it('a client that stops reading is cut off with 4499 (resume with the cursor) while another client keeps receiving', async () => {
    const slowHub = await startHub({ dialect, env: { LIVE_MAX_QUEUED_EVENTS: '3' } });
    try {
      const sam = await slowHub.login('sam.sales@demo.crm.test');
      const cursor = ok(await slowHub.gql('{ liveCursor }', {}, sam)).liveCursor;
      // Fifty aliases of a 20,000-character description: about a megabyte per event.
      const fat = Array.from({ length: 50 }, (_, i) => `d${i}: description`).join(' ');
      const slow = await rawSocket(slowHub.url);
      const closed = closeOf(slow);
      slow.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${sam}` } }));
      await new Promise<void>((resolve) => slow.once('message', () => resolve()));
      slow.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription($after: String) { myFeed(after: $after) { cursor activity { ${fat} } } }`, variables: { after: cursor } } }));
      // Stop reading: what the server sends piles up in the kernel's buffers, then in the server's queue.
      (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
      const steady = liveClient(slowHub.url, sam);
      clients.push(steady);
      const sub = steady.subscribe(`subscription($after: String) { myFeed(after: $after) { cursor } }`, { after: cursor });
      const contact = ok(await slowHub.gql(`{ contacts(first: 1) { edges { node { id } } } }`, {}, sam)).contacts.edges[0].node.id;
      const description = 'x'.repeat(20_000);
      for (let i = 0; i < 30; i++) ok(await slowHub.gql(CREATE_TASK, { input: { subject: `${tag} flood ${i}`, description, regardingId: contact } }, sam));
      await sub.waitFor(30, 30_000);
      (slow as unknown as { _socket: { resume(): void } })._socket.resume();
      expect((await closed).code).toBe(4499);
    } finally {
      await slowHub.close();
    }
  }, 60_000);

  it('a socket to any other path, or without the graphql-transport-ws protocol, is refused', async () => {
    await expect(rawSocket(hub.url, '/elsewhere')).rejects.toThrow(/404/);
    const noProtocol = await new Promise<{ code: number }>((resolve, reject) => {
      const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/graphql`);
      ws.once('close', (code) => resolve({ code }));
      ws.once('error', reject);
    });
    expect(noProtocol.code).toBe(4406);
  });
});

function rawSocket(httpUrl: string, path = '/graphql'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${httpUrl.replace('http', 'ws')}${path}`, 'graphql-transport-ws');
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
}
