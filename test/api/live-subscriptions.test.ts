import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { liveClient, type LiveClient } from '../support/live-client';
import { ok, uniqueTag } from './gql-helpers';

const EVENT = `cursor change activityId kind at activity { id subject state ... on Task { dueAt } }`;
const ACTIVITY_CHANGED = `subscription($recordId: ID!, $after: String, $includeRelated: Boolean! = false, $kinds: [ActivityKind!]) {
  activityChanged(recordId: $recordId, after: $after, includeRelated: $includeRelated, kinds: $kinds) { ${EVENT} } }`;
const MY_FEED = `subscription($after: String) { myFeed(after: $after) { ${EVENT} } }`;
const CREATE_TASK = `mutation($input: CreateTaskInput!) { createTask(input: $input) { id subject } }`;
const SET_STATE = `mutation($activityId: ID!, $state: ActivityState!) { setActivityState(activityId: $activityId, state: $state) { id state } }`;
const SET_REGARDING = `mutation($activityId: ID!, $regardingId: ID) { setActivityRegarding(activityId: $activityId, regardingId: $regardingId) { id } }`;

type Rec = { id: string; fullName?: string; name?: string; businessUnit: { name: string }; account?: { id: string } | null };

describe.each(DIALECTS)('subscriptions over a real WebSocket (graphql-ws client) on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  let contacts: Rec[];
  let serviceContact: Rec;
  const clients: LiveClient[] = [];
  const tag = uniqueTag('Live');

  const gql = (who: string, query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, tokens[who]);
  /** The cursor of "now": subscribing after it misses nothing that commits later, however long the subscribe takes. */
  const now = async (who = 'sam.sales') => ok(await gql(who, '{ liveCursor }')).liveCursor as string;
  const errorsOf = async (sub: { waitForEnd(): Promise<unknown>; received: { errors?: unknown[] }[]; error: unknown }) => {
    await sub.waitForEnd();
    return JSON.stringify(sub.received.flatMap((m) => m.errors ?? []).concat(sub.error ? [sub.error] : []));
  };
  const connect = (who: string | undefined, token = who ? tokens[who] : undefined) => {
    const c = liveClient(hub.url, token);
    clients.push(c);
    return c;
  };
  const task = async (who: string, regardingId: string, subject: string) =>
    ok(await gql(who, CREATE_TASK, { input: { subject: `${tag} ${subject}`, regardingId } })).createTask as { id: string; subject: string };

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['admin', 'sam.sales', 'sara.sales', 'sven.service']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    contacts = ok(await gql('sam.sales', `{ contacts(first: 100) { edges { node { id fullName businessUnit { name } account { id } } } } }`)).contacts.edges
      .map((e: { node: Rec }) => e.node)
      .filter((c: Rec) => c.businessUnit.name === 'Sales');
    serviceContact = ok(await gql('sven.service', `{ contacts(first: 100) { edges { node { id businessUnit { name } } } } }`)).contacts.edges
      .map((e: { node: Rec }) => e.node)
      .find((c: Rec) => c.businessUnit.name === 'Service');
    expect(contacts.length).toBeGreaterThan(1);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await hub?.close();
  });

  it('activityChanged delivers a task created on the contact, with its fields, then its state change, in order', async () => {
    const contact = contacts[0];
    const sub = connect('sam.sales').subscribe(ACTIVITY_CHANGED, { recordId: contact.id, after: await now() });
    const first = await task('sam.sales', contact.id, 'call back');
    const [created] = await sub.waitFor(1);
    expect(created.errors).toBeUndefined();
    expect(created.data.activityChanged).toMatchObject({ change: 'CREATED', activityId: first.id, kind: 'TASK', activity: { id: first.id, subject: first.subject, state: 'OPEN' } });
    ok(await gql('sam.sales', SET_STATE, { activityId: first.id, state: 'COMPLETED' }));
    const [, updated] = await sub.waitFor(2);
    expect(updated.data.activityChanged).toMatchObject({ change: 'UPDATED', activityId: first.id, activity: { state: 'COMPLETED' } });
    expect(updated.data.activityChanged.cursor > created.data.activityChanged.cursor || updated.data.activityChanged.cursor !== created.data.activityChanged.cursor).toBe(true);
    sub.dispose();
  });

  it('a regarding change away from the record arrives as REMOVED there and as CREATED-or-UPDATED on the new record', async () => {
    const [from, to] = contacts;
    const after = await now();
    const fromSub = connect('sam.sales').subscribe(ACTIVITY_CHANGED, { recordId: from.id, after });
    const toSub = connect('sam.sales').subscribe(ACTIVITY_CHANGED, { recordId: to.id, after });
    const moved = await task('sam.sales', from.id, 'to be moved');
    await fromSub.waitFor(1);
    ok(await gql('sam.sales', SET_REGARDING, { activityId: moved.id, regardingId: to.id }));
    const [, removed] = await fromSub.waitFor(2);
    expect(removed.data.activityChanged).toMatchObject({ change: 'REMOVED', activityId: moved.id, activity: null });
    const [arrived] = await toSub.waitFor(1);
    expect(arrived.data.activityChanged).toMatchObject({ change: 'UPDATED', activityId: moved.id, activity: { id: moved.id } });
    fromSub.dispose();
    toSub.dispose();
  });

  it('resumes after a disconnect from the last cursor: what was missed arrives once, in order, then live events', async () => {
    const contact = contacts[1];
    const live = connect('sam.sales');
    const sub = live.subscribe(ACTIVITY_CHANGED, { recordId: contact.id, after: await now() });
    await task('sam.sales', contact.id, 'before the disconnect');
    const [seen] = await sub.waitFor(1);
    const cursor = seen.data.activityChanged.cursor;
    await live.dispose();
    const missed = [];
    for (const n of [1, 2, 3]) missed.push(await task('sam.sales', contact.id, `missed ${n}`));
    const again = connect('sam.sales').subscribe(ACTIVITY_CHANGED, { recordId: contact.id, after: cursor });
    const replayed = await again.waitFor(3);
    expect(replayed.map((m) => m.data.activityChanged.activityId)).toEqual(missed.map((m) => m.id));
    const after = await task('sam.sales', contact.id, 'after the reconnect');
    const all = await again.waitFor(4);
    expect(all[3].data.activityChanged.activityId).toBe(after.id);
    const ids = all.map((m) => m.data.activityChanged.cursor);
    expect(new Set(ids).size).toBe(ids.length);
    again.dispose();
  });

  it('myFeed shows a user only what they may read: a Service user sees nothing of Sales work, and their own', async () => {
    const after = await now();
    const sven = connect('sven.service').subscribe(MY_FEED, { after });
    const sam = connect('sam.sales').subscribe(MY_FEED, { after });
    const hidden = await task('sam.sales', contacts[0].id, 'sales only');
    await sam.waitFor(1);
    const visible = await task('sven.service', serviceContact.id, 'service work');
    const [first] = await sven.waitFor(1);
    // Sven's first event is his own task: Sam's, committed before it, never reached him.
    expect(first.data.myFeed.activityId).toBe(visible.id);
    expect(sven.received.map((m) => m.data.myFeed.activityId)).not.toContain(hidden.id);
    sven.dispose();
    sam.dispose();
  });

  it('refuses a record the subscriber may not read, as a query would (NOT_FOUND naming recordId)', async () => {
    const sub = connect('sven.service').subscribe(ACTIVITY_CHANGED, { recordId: contacts[0].id });
    const errors = await errorsOf(sub);
    expect(errors).toContain('"code":"NOT_FOUND"');
    expect(errors).toContain('"field":"recordId"');
  });

  it('a cursor that was never given out names the argument; one too old says CURSOR_EXPIRED', async () => {
    const bad = connect('sam.sales').subscribe(MY_FEED, { after: 'not-a-cursor' });
    const badError = await errorsOf(bad);
    expect(badError).toContain('BAD_USER_INPUT');
    expect(badError).toContain('"field":"after"');
    // The events after this cursor are pruned: it can no longer be replayed.
    const before = await now();
    await task('sam.sales', contacts[0].id, 'to be pruned');
    await hub.services.liveEvents.prune(new Date(Date.now() + 60_000));
    await task('sam.sales', contacts[0].id, 'after pruning');
    const old = connect('sam.sales').subscribe(MY_FEED, { after: before });
    expect(await errorsOf(old)).toContain('CURSOR_EXPIRED');
    // With every event pruned, the cursor of "now" still resumes: it is never older than what was pruned.
    await hub.services.liveEvents.prune(new Date(Date.now() + 60_000));
    const fresh = connect('sam.sales').subscribe(MY_FEED, { after: await now() });
    const id = await task('sam.sales', contacts[0].id, 'after pruning everything');
    const [first] = await fresh.waitFor(1);
    expect(first.data.myFeed.activityId).toBe(id.id);
    fresh.dispose();
  });

  it('signing out closes the socket with 4401; a connection with a bad token is refused with 4403', async () => {
    const token = await hub.login('sara.sales@demo.crm.test');
    const c = connect(undefined, token);
    const sub = c.subscribe(MY_FEED, { after: await now() });
    await task('sara.sales', contacts[0].id, 'sara before sign-out');
    await sub.waitFor(1);
    ok(await hub.gql('mutation { logout }', {}, token));
    expect((await c.closed()).code).toBe(4401);
    const refused = connect(undefined, 'crm_ses_not-a-real-token');
    refused.subscribe(MY_FEED);
    expect((await refused.closed()).code).toBe(4403);
  });

  it('resolves an event once for many subscribers who see it alike: 20 subscribers cost the statements of one', async () => {
    const contact = contacts[0];
    const deliver = async (subscribers: number) => {
      const c = connect('sam.sales');
      const after = await now();
      const subs = Array.from({ length: subscribers }, () => c.subscribe(ACTIVITY_CHANGED, { recordId: contact.id, after }));
      // A first event, so every subscription is live and its replay done before counting.
      await task('sam.sales', contact.id, 'warm-up');
      await Promise.all(subs.map((s) => s.waitFor(1)));
      // Counted from before the change: its own statements are the same in both runs, the deliveries' follow it.
      const before = hub.database.queries.statements;
      const id = await task('sam.sales', contact.id, 'counted');
      await Promise.all(subs.map((s) => s.waitFor(2)));
      const statements = hub.database.queries.statements - before;
      expect(subs.every((s) => s.received[1].data.activityChanged.activityId === id.id)).toBe(true);
      await c.dispose();
      return statements;
    };
    const one = await deliver(1);
    const twenty = await deliver(20);
    expect(one).toBeGreaterThan(5);
    // The periodic read of the log may fall in either window: one statement of slack.
    expect(twenty).toBeLessThanOrEqual(one + 1);
  });

  it('includeRelated rolls a contact\'s activities up into its account, as timeline(includeRelated) does', async () => {
    const contact = contacts.find((c) => c.account)!;
    const accountId = contact.account!.id;
    const after = await now();
    const related = connect('sam.sales').subscribe(ACTIVITY_CHANGED, { recordId: accountId, includeRelated: true, after });
    const direct = connect('sam.sales').subscribe(ACTIVITY_CHANGED, { recordId: accountId, after });
    const onContact = await task('sam.sales', contact.id, 'on the contact');
    const onAccount = await task('sam.sales', accountId, 'on the account');
    const both = await related.waitFor(2);
    expect(both.map((m) => m.data.activityChanged.activityId)).toEqual([onContact.id, onAccount.id]);
    const [first] = await direct.waitFor(1);
    // The direct subscription's first event is the account's own task: the contact's never reached it.
    expect(first.data.activityChanged.activityId).toBe(onAccount.id);
    related.dispose();
    direct.dispose();
  });

  it('mailboxChanged: the owner sees their mailbox change live; another user gets NOT_FOUND for it and nothing of it in their list', async () => {
    const mailboxes = ok(await gql('admin', '{ mailboxes { id address } }')).mailboxes as { id: string; address: string }[];
    const sams = mailboxes.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    const saras = mailboxes.find((m) => m.address === 'sara.sales@demo.crm.test')!.id;
    const MAILBOX = `subscription($id: ID, $after: String) { mailboxChanged(mailboxId: $id, after: $after) { cursor change mailboxId mailbox { id privacyLevel state } } }`;
    const after = await now();
    const own = connect('sam.sales').subscribe(MAILBOX, { id: sams, after });
    const others = connect('sara.sales').subscribe(MAILBOX, { after });
    const update = (id: string, privacyLevel: string) =>
      gql('admin', 'mutation($id: ID!, $level: PrivacyLevel!) { updateMailbox(id: $id, input: { privacyLevel: $level }) { id } }', { id, level: privacyLevel });
    ok(await update(sams, 'METADATA_ONLY'));
    const [changed] = await own.waitFor(1);
    expect(changed.data.mailboxChanged).toMatchObject({ change: 'CONFIGURATION', mailboxId: sams, mailbox: { id: sams, privacyLevel: 'METADATA_ONLY' } });
    ok(await update(saras, 'SUBJECT_ONLY'));
    const [first] = await others.waitFor(1);
    expect(first.data.mailboxChanged.mailboxId).toBe(saras);
    const refused = connect('sara.sales').subscribe(MAILBOX, { id: sams });
    expect(await errorsOf(refused)).toContain('NOT_FOUND');
    ok(await update(sams, 'FULL'));
    ok(await update(saras, 'FULL'));
    own.dispose();
    others.dispose();
  });

  it('outgoingEmailChanged: the sender follows their own email from PENDING_SEND to CANCELLED; a colleague does not see it', async () => {
    const OUTGOING = `subscription($after: String) { outgoingEmailChanged(after: $after) { change activityId activity { id ... on Email { status } } } }`;
    const SEND = `mutation($input: SendEmailInput!) { sendEmail(input: $input) { id status } }`;
    const after = await now();
    const sam = connect('sam.sales').subscribe(OUTGOING, { after });
    const sara = connect('sara.sales').subscribe(OUTGOING, { after });
    const sent = ok(await gql('sam.sales', SEND, { input: { to: ['customer@example.com'], subject: `${tag} offer`, textBody: 'Hello' } })).sendEmail;
    // The event carries the email as it is when delivered: wait for the first before changing it again.
    await sam.waitFor(1);
    ok(await gql('sam.sales', 'mutation($id: ID!) { cancelEmail(emailId: $id) { id } }', { id: sent.id }));
    const [created, cancelled] = await sam.waitFor(2);
    expect(created.data.outgoingEmailChanged).toMatchObject({ change: 'CREATED', activityId: sent.id, activity: { status: 'PENDING_SEND' } });
    expect(cancelled.data.outgoingEmailChanged).toMatchObject({ change: 'UPDATED', activity: { status: 'CANCELLED' } });
    const hers = ok(await gql('sara.sales', SEND, { input: { to: ['customer@example.com'], subject: `${tag} hers`, textBody: 'Hi' } })).sendEmail;
    const [first] = await sara.waitFor(1);
    expect(first.data.outgoingEmailChanged.activityId).toBe(hers.id);
    sam.dispose();
    sara.dispose();
  });

  it('runs subscriptions only: a query over the socket is refused with a pointer to HTTP', async () => {
    const sub = connect('sam.sales').subscribe('{ viewer { id } }');
    expect(await errorsOf(sub)).toContain('HTTP POST /graphql');
  });
});
