import { NetworkError } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { sseClient, type SseClient } from '../support/sse-client';
import { ok, uniqueTag } from './gql-helpers';

const EVENT = `cursor change activityId kind at activity { id subject state }`;
const ACTIVITY_CHANGED = `subscription($recordId: ID!, $after: String) { activityChanged(recordId: $recordId, after: $after) { ${EVENT} } }`;
const MY_FEED = `subscription($after: String) { myFeed(after: $after) { ${EVENT} } }`;
const CREATE_TASK = `mutation($input: CreateTaskInput!) { createTask(input: $input) { id subject } }`;

type Rec = { id: string; businessUnit: { name: string } };

/** Reads an event stream's text until `done` says enough arrived (the stream itself never ends on its own). */
async function readUntil(response: Response, done: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const timer = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    while (!done(text)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
  return text;
}

describe.each(DIALECTS)('subscriptions over Server-Sent Events (graphql-sse client) on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  let contacts: Rec[];
  const clients: SseClient[] = [];
  const tag = uniqueTag('Sse');

  const gql = (who: string, query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, tokens[who]);
  /** The cursor of "now": subscribing after it misses nothing that commits later, however long the subscribe takes. */
  const now = async (who = 'sam.sales') => ok(await gql(who, '{ liveCursor }')).liveCursor as string;
  const connect = (token: string | undefined) => {
    const c = sseClient(hub.url, token);
    clients.push(c);
    return c;
  };
  const task = async (who: string, regardingId: string, subject: string) =>
    ok(await gql(who, CREATE_TASK, { input: { subject: `${tag} ${subject}`, regardingId } })).createTask as { id: string; subject: string };
  /** An SSE request as any HTTP client would send it (curl -N -H 'Accept: text/event-stream' …). */
  const rawStream = (body: unknown, token: string | undefined, signal?: AbortSignal) =>
    fetch(hub.graphqlUrl, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal,
    });

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['sam.sales', 'sven.service', 'admin']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    contacts = ok(await gql('sam.sales', `{ contacts(first: 100) { edges { node { id businessUnit { name } } } } }`)).contacts.edges
      .map((e: { node: Rec }) => e.node)
      .filter((c: Rec) => c.businessUnit.name === 'Sales');
    expect(contacts.length).toBeGreaterThan(1);
  });
  afterAll(async () => {
    for (const c of clients) c.dispose();
    await hub?.close();
  });

  it('activityChanged delivers a task created on the contact, with its fields', async () => {
    const contact = contacts[0];
    const sub = connect(tokens['sam.sales']).subscribe(ACTIVITY_CHANGED, { recordId: contact.id, after: await now() });
    const created = await task('sam.sales', contact.id, 'call back');
    const [message] = await sub.waitFor(1);
    expect(message.errors).toBeUndefined();
    expect(message.data.activityChanged).toMatchObject({ change: 'CREATED', activityId: created.id, kind: 'TASK', activity: { id: created.id, subject: created.subject, state: 'OPEN' } });
    sub.dispose();
  });

  it('resumes after a disconnect from the last cursor: what was missed arrives once, in order, then live events', async () => {
    const contact = contacts[1];
    const sub = connect(tokens['sam.sales']).subscribe(ACTIVITY_CHANGED, { recordId: contact.id, after: await now() });
    await task('sam.sales', contact.id, 'before the disconnect');
    const [seen] = await sub.waitFor(1);
    const cursor = seen.data.activityChanged.cursor;
    sub.dispose();
    const missed = [];
    for (const n of [1, 2, 3]) missed.push(await task('sam.sales', contact.id, `missed ${n}`));
    const again = connect(tokens['sam.sales']).subscribe(ACTIVITY_CHANGED, { recordId: contact.id, after: cursor });
    const replayed = await again.waitFor(3);
    expect(replayed.map((m) => m.data.activityChanged.activityId)).toEqual(missed.map((m) => m.id));
    const live = await task('sam.sales', contact.id, 'after the reconnect');
    const all = await again.waitFor(4);
    expect(all[3].data.activityChanged.activityId).toBe(live.id);
    const cursors = all.map((m) => m.data.activityChanged.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
    again.dispose();
  });

  it('a user without access gets nothing: a Service user subscribing to a Sales contact is refused NOT_FOUND', async () => {
    const sub = connect(tokens['sven.service']).subscribe(ACTIVITY_CHANGED, { recordId: contacts[0].id, after: await now() });
    await sub.waitForEnd();
    const errors = JSON.stringify(sub.received.flatMap((m) => m.errors ?? []));
    expect(errors).toContain('"code":"NOT_FOUND"');
    expect(sub.received.every((m) => !m.data?.activityChanged)).toBe(true);
  });

  it('refuses a missing or invalid token with 401 UNAUTHENTICATED before any stream opens', async () => {
    for (const token of [undefined, 'crm_ses_not-a-real-token']) {
      const response = await rawStream({ query: MY_FEED }, token);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect((await response.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const sub = connect(token).subscribe(MY_FEED);
      const error = await sub.waitForEnd();
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).response?.status).toBe(401);
    }
  });

  it('runs subscriptions only: a query is refused with 400 and a pointer to plain POST', async () => {
    const response = await rawStream({ query: '{ viewer { id } }' }, tokens['sam.sales']);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0].message).toContain('HTTP POST /graphql');
    const sub = connect(tokens['sam.sales']).subscribe('{ viewer { id } }');
    expect(((await sub.waitForEnd()) as NetworkError).response?.status).toBe(400);
    // The same request without Accept: text/event-stream is an ordinary query, answered by Apollo.
    expect(ok(await gql('sam.sales', '{ viewer { id } }')).viewer.id).toBeTruthy();
  });

  it('has the limits of HTTP: a body over 2 MB is 413, a query past the shape limits 400 QUERY_TOO_COMPLEX, invalid 400', async () => {
    const large = await rawStream({ query: MY_FEED, variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }, tokens['sam.sales']);
    expect(large.status).toBe(413);
    expect((await large.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const deep = `subscription { myFeed { ${'activity { regarding { ... on Contact { account { '.repeat(4)}id${' } } } }'.repeat(4)} } }`;
    const tooDeep = await rawStream({ query: deep }, tokens['sam.sales']);
    expect(tooDeep.status).toBe(400);
    expect((await tooDeep.json()).errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const invalid = await rawStream({ query: 'subscription { myFeed { noSuchField } }' }, tokens['sam.sales']);
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const noQuery = await rawStream({ variables: {} }, tokens['sam.sales']);
    expect(noQuery.status).toBe(400);
    expect((await noQuery.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('signing out ends the stream: the subscription completes with UNAUTHENTICATED', async () => {
    const token = await hub.login('sara.sales@demo.crm.test');
    const sub = connect(token).subscribe(MY_FEED, { after: await now() });
    await task('sam.sales', contacts[0].id, 'before sara signs out');
    await sub.waitFor(1);
    ok(await hub.gql('mutation { logout }', {}, token));
    await sub.waitForEnd();
    expect(sub.error).toBeUndefined();
    expect(sub.received.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('speaks the documented event-stream format to any HTTP client (POST and GET)', async () => {
    const contact = contacts[0];
    const after = await now();
    const response = await rawStream({ query: ACTIVITY_CHANGED, variables: { recordId: contact.id, after } }, tokens['sam.sales']);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const created = await task('sam.sales', contact.id, 'seen raw');
    const text = await readUntil(response, (t) => /event: next\ndata: .*\n\n/.test(t));
    const [, data] = /event: next\ndata: (.*)\n\n/.exec(text)!;
    expect(JSON.parse(data)).toMatchObject({ data: { activityChanged: { change: 'CREATED', activityId: created.id } } });

    const query = new URLSearchParams({ query: ACTIVITY_CHANGED, variables: JSON.stringify({ recordId: contact.id, after }) });
    const viaGet = await fetch(`${hub.graphqlUrl}?${query}`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${tokens['sam.sales']}` } });
    expect(viaGet.status).toBe(200);
    const replayed = await readUntil(viaGet, (t) => t.includes(created.id));
    expect(replayed).toMatch(/event: next\ndata: \{"data":\{"activityChanged":/);
  });

  it('caps the open streams of one user (the WebSocket limit, 50) with 429 RATE_LIMITED', async () => {
    const control = new AbortController();
    const open = await Promise.all(Array.from({ length: 50 }, () => rawStream({ query: MY_FEED }, tokens.admin, control.signal)));
    expect(open.every((r) => r.status === 200)).toBe(true);
    const refused = await rawStream({ query: MY_FEED }, tokens.admin);
    expect(refused.status).toBe(429);
    expect((await refused.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
    // Another user is not affected.
    const other = new AbortController();
    expect((await rawStream({ query: MY_FEED }, tokens['sam.sales'], other.signal)).status).toBe(200);
    other.abort();
    control.abort();
  });
});
