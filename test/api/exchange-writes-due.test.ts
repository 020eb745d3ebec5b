import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailServerKind, MailAuthMethod, MailboxState } from '../../api/src/mail/mail-enums';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile } from '../support/mail-setup';
import { sseClient, type SseClient } from '../support/sse-client';
import { ADMIN, ok, uniqueTag } from './gql-helpers';

// exchangeWritesDue: the sync engine's wake-up (over Server-Sent Events) when an appointment or task changes whose
// owner has Exchange mailboxes synchronizing appointments, contacts and tasks. Ids only, and for the engine only.

const WRITES_DUE = 'subscription($after: String) { exchangeWritesDue(after: $after) { cursor change kind mailboxIds } }';
const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const UPDATE_TASK = 'mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(activityId: $id, input: $input) { id } }';
const CREATE_APPOINTMENT = 'mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }';
const LOG_CALL = 'mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id } }';

describe.each(DIALECTS)('exchangeWritesDue on %s', (dialect) => {
  let hub: StartedHub;
  let sam: string;
  let sara: string;
  let admin: string;
  let samMailbox: string;
  const clients: SseClient[] = [];
  const tag = uniqueTag('Due');
  const cursorNow = async () => ok(await hub.gql('{ liveCursor }', {}, hub.syncServiceKey)).liveCursor as string;
  const listen = async (token: string) => {
    const client = sseClient(hub.url, token);
    clients.push(client);
    return client.subscribe(WRITES_DUE, { after: await cursorNow() });
  };

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    sam = await hub.login('sam.sales@demo.crm.test');
    sara = await hub.login('sara.sales@demo.crm.test');
    const all = ok(await hub.gql('{ mailboxes { id address } }', {}, hub.syncServiceKey)).mailboxes as { id: string; address: string }[];
    samMailbox = all.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    const exchange = await insertProfile(hub, { kind: EmailServerKind.EXCHANGE_EWS, incomingHost: null, incomingPort: null, incomingTls: null, outgoingHost: null, outgoingPort: null, outgoingTls: null, ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx', authMethod: MailAuthMethod.PASSWORD });
    await configureMailbox(hub, samMailbox, { profileId: exchange, extra: { actMethod: 'SERVER_SIDE_SYNC' as never } });
    // Sara's mailbox is on Exchange too, but does not synchronize appointments, contacts and tasks.
    const saraMailbox = all.find((m) => m.address === 'sara.sales@demo.crm.test')!.id;
    await configureMailbox(hub, saraMailbox, { profileId: exchange, state: MailboxState.ENABLED });
  });
  afterAll(async () => {
    for (const client of clients) client.dispose();
    await hub?.close();
  });

  it('names the owner\'s synchronizing mailbox when their task or appointment is made or changed, and nothing for other kinds or other owners', async () => {
    const sub = await listen(hub.syncServiceKey);
    const task = ok(await hub.gql(CREATE_TASK, { input: { subject: `${tag} send the offer` } }, sam)).createTask.id;
    const [created] = await sub.waitFor(1);
    expect(created.errors).toBeUndefined();
    expect(created.data.exchangeWritesDue).toMatchObject({ change: 'CREATED', kind: 'TASK', mailboxIds: [samMailbox] });
    // Sara's task (no synchronizing mailbox) and Sam's phone call (never written to Exchange) wake nobody; Sam's
    // appointment and his task's change come next, in order.
    ok(await hub.gql(CREATE_TASK, { input: { subject: `${tag} Sara's own` } }, sara));
    ok(await hub.gql(LOG_CALL, { input: { subject: `${tag} a call` } }, sam));
    ok(await hub.gql(CREATE_APPOINTMENT, { input: { subject: `${tag} demo`, startAt: '2026-12-20T10:00:00.000Z', endAt: '2026-12-20T11:00:00.000Z' } }, sam));
    ok(await hub.gql(UPDATE_TASK, { id: task, input: { priority: 'HIGH' } }, sam));
    const all = await sub.waitFor(3);
    expect(all.slice(1).map((m) => [m.data.exchangeWritesDue.change, m.data.exchangeWritesDue.kind, m.data.exchangeWritesDue.mailboxIds])).toEqual([
      ['CREATED', 'APPOINTMENT', [samMailbox]],
      ['UPDATED', 'TASK', [samMailbox]],
    ]);
    // Resuming from a cursor replays what followed it, as every subscription does.
    const again = sseClient(hub.url, hub.syncServiceKey);
    clients.push(again);
    const replay = again.subscribe(WRITES_DUE, { after: created.data.exchangeWritesDue.cursor });
    expect((await replay.waitFor(2)).map((m) => m.data.exchangeWritesDue.kind)).toEqual(['APPOINTMENT', 'TASK']);
  });

  it('is refused to people, administrators included: it is the sync engine\'s, and says nothing of whose activities changed', async () => {
    for (const token of [sam, admin]) {
      const sub = await listen(token);
      ok(await hub.gql(CREATE_TASK, { input: { subject: `${tag} seen by nobody` } }, sam));
      await sub.waitForEnd();
      expect(JSON.stringify(sub.received.flatMap((m) => m.errors ?? []))).toContain('"code":"FORBIDDEN"');
      expect(sub.received.every((m) => !m.data?.exchangeWritesDue)).toBe(true);
    }
  });

  it('names the field of a malformed cursor', async () => {
    const client = sseClient(hub.url, hub.syncServiceKey);
    clients.push(client);
    const sub = client.subscribe(WRITES_DUE, { after: 'not-a-cursor' });
    await sub.waitForEnd();
    expect(JSON.stringify(sub.received.flatMap((m) => m.errors ?? []).concat(sub.error ? [String(sub.error)] : []) )).toMatch(/after/);
  });
});
