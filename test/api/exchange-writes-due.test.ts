import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailServerKind, MailAuthMethod, MailboxState } from '../../api/src/mail/mail-enums';
import { ExchangeContactLink } from '../../api/src/tracking/exchange-contacts/exchange-contact-link.entity';
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

  it('names the owner\'s synchronizing mailbox when their contact is made, changed, reassigned or deleted, and the mailboxes it is paired in; nothing for other owners\' unpaired contacts or other records', async () => {
    const sub = await listen(hub.syncServiceKey);
    const contact = ok(await hub.gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { firstName: 'Wera', lastName: `Waking ${tag}` } }, sam)).createContact.id as string;
    ok(await hub.gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { firstName: 'Sara', lastName: `Own ${tag}` } }, sara));
    ok(await hub.gql('mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }', { input: { name: `Account ${tag}` } }, sam));
    ok(await hub.gql('mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id } }', { id: contact, input: { jobTitle: 'Buyer' } }, sam));
    const events = (await sub.waitFor(2)).map((m) => m.data.exchangeWritesDue);
    expect(events.map((e) => [e.change, e.kind, e.mailboxIds])).toEqual([['CREATED', null, [samMailbox]], ['UPDATED', null, [samMailbox]]]);

    // Paired in Sara's Contacts folder (her mailbox now synchronizing too): a change wakes both mailboxes.
    const all = ok(await hub.gql('{ mailboxes { id address } }', {}, hub.syncServiceKey)).mailboxes as { id: string; address: string }[];
    const saraMailbox = all.find((m) => m.address === 'sara.sales@demo.crm.test')!.id;
    const raw = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
    await hub.database.dataSource.getRepository(ExchangeContactLink).insert({ mailboxId: raw(saraMailbox), contactId: raw(contact), itemId: 'AAMkPaired=', fingerprint: 'f', changeKey: null, company: null, writtenForOwner: false, updatedAt: new Date() });
    ok(await hub.gql('mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id } }', { id: contact, input: { jobTitle: 'Head buyer' } }, sam));
    const paired = (await sub.waitFor(3))[2].data.exchangeWritesDue;
    expect(paired.mailboxIds.sort()).toEqual([samMailbox, saraMailbox].sort());
    await hub.database.dataSource.query('DELETE FROM exchange_contact_link WHERE contactId = ?', [raw(contact)]);

    // Given to Sara: Sam's mailbox lets it go (Sara's does not synchronize, so her own event wakes nobody); deleted, it wakes nobody.
    const saraUser = (await hub.database.dataSource.query('SELECT id FROM app_user WHERE email = ?', ['sara.sales@demo.crm.test']))[0].id;
    ok(await hub.gql('mutation($id: ID!, $ownerId: ID!) { assignRecord(id: $id, ownerId: $ownerId) { __typename } }', { id: contact, ownerId: Buffer.from(`User:${saraUser}`).toString('base64url') }, admin));
    const reassigned = (await sub.waitFor(4))[3].data.exchangeWritesDue;
    expect([reassigned.change, reassigned.mailboxIds]).toEqual(['UPDATED', [samMailbox]]);
    ok(await hub.gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: contact }, admin));
    ok(await hub.gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { firstName: 'Next', lastName: `One ${tag}` } }, sam));
    const next = (await sub.waitFor(5))[4].data.exchangeWritesDue;
    expect([next.change, next.mailboxIds]).toEqual(['CREATED', [samMailbox]]);
    // Sam's own contact deleted: his Outlook lets it go.
    ok(await hub.gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: (await hub.database.dataSource.query('SELECT id FROM contact WHERE lastName = ?', [`One ${tag}`])).map((r: { id: string }) => Buffer.from(`Contact:${r.id}`).toString('base64url'))[0] }, admin));
    expect((await sub.waitFor(6))[5].data.exchangeWritesDue).toMatchObject({ change: 'REMOVED', kind: null, mailboxIds: [samMailbox] });
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
