import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailServerKind, MailAuthMethod, MailboxState } from '../../api/src/mail/mail-enums';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile } from '../support/mail-setup';
import { ADMIN, failed, ok, uniqueTag } from './gql-helpers';

// syncMailboxCalendar through the GraphQL API: appointments the sync engine reads from an Exchange Calendar become
// Appointments keyed by their UID, meetings with no CRM record in them stay out, and only the engine holding the
// mailbox's lease may write.

const CLAIM = 'mutation { claimMailboxes(engineId: "calendar-test", limit: 20) { mailboxId leaseId } }';
const SYNC = `mutation($m: ID!, $l: ID!, $e: [CalendarInput!]!, $c: String) {
  syncMailboxCalendar(mailboxId: $m, leaseId: $l, events: $e, cursor: $c) { uid outcome appointmentId note } }`;
const APPOINTMENT = 'query($id: ID!) { node(id: $id) { ... on Appointment { subject startAt endAt allDay location state parties { role address record { __typename } } } } }';

describe.each(DIALECTS)('appointments from an Exchange Calendar on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let samMailbox: string;
  let saraMailbox: string;
  let lease: string;
  let contact: { id: string; primaryEmail: string; fullName: string };
  const tag = uniqueTag('Cal');
  const engine = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, hub.syncServiceKey);
  const sync = (events: unknown[], variables: Record<string, unknown> = {}, token = hub.syncServiceKey) => hub.gql(SYNC, { m: samMailbox, l: lease, e: events, c: null, ...variables }, token);
  const meeting = (extra: Record<string, unknown> = {}) => ({
    method: 'PUBLISH', uid: `${tag}-review@corp.test`, sequence: 0, summary: 'Contract review', location: 'Room Åre',
    start: '2026-12-10T09:00:00.000Z', end: '2026-12-10T10:00:00.000Z', allDay: false,
    organizer: { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' },
    attendees: [{ address: contact.primaryEmail, name: contact.fullName, role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' }],
    status: 'CONFIRMED', ...extra,
  });

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    const all = ok(await engine('{ mailboxes { id address } }')).mailboxes as { id: string; address: string }[];
    samMailbox = all.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    saraMailbox = all.find((m) => m.address === 'sara.sales@demo.crm.test')!.id;
    const exchange = await insertProfile(hub, { kind: EmailServerKind.EXCHANGE_EWS, incomingHost: null, incomingPort: null, incomingTls: null, outgoingHost: null, outgoingPort: null, outgoingTls: null, ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx', authMethod: MailAuthMethod.PASSWORD });
    for (const other of all.filter((m) => m.id !== samMailbox && m.id !== saraMailbox)) await configureMailbox(hub, other.id, { profileId: exchange, state: MailboxState.DISABLED_BY_ADMIN });
    await configureMailbox(hub, samMailbox, { profileId: exchange, extra: { actMethod: 'SERVER_SIDE_SYNC' as never } });
    await configureMailbox(hub, saraMailbox, { profileId: await insertProfile(hub) });
    const claimed = ok(await engine(CLAIM)).claimMailboxes as { mailboxId: string; leaseId: string }[];
    lease = claimed.find((w) => w.mailboxId === samMailbox)!.leaseId;
    contact = ok(await hub.gql('{ contacts(first: 1) { edges { node { id primaryEmail fullName } } } }', {}, admin)).contacts.edges[0].node;
  });
  afterAll(() => hub?.close());

  it('a meeting with a contact becomes an Appointment on the contact, with its times, place and parties, and the cursor moves with it', async () => {
    const [result] = ok(await sync([meeting()], { c: '{"v":1,"folders":{}}' })).syncMailboxCalendar;
    expect(result).toMatchObject({ uid: `${tag}-review@corp.test`, outcome: 'CREATED', appointmentId: expect.any(String) });
    const appointment = ok(await hub.gql(APPOINTMENT, { id: result.appointmentId }, admin)).node;
    expect(appointment).toMatchObject({ subject: 'Contract review', startAt: '2026-12-10T09:00:00.000Z', endAt: '2026-12-10T10:00:00.000Z', allDay: false, location: 'Room Åre', state: 'OPEN' });
    expect(appointment.parties).toEqual(expect.arrayContaining([expect.objectContaining({ address: contact.primaryEmail, record: { __typename: 'Contact' } })]));
    const timeline = ok(await hub.gql('query($id: ID!) { timeline(recordId: $id, first: 50) { edges { node { id } } } }', { id: contact.id }, admin)).timeline.edges.map((e: any) => e.node.id);
    expect(timeline).toContain(result.appointmentId);
    const stored = await hub.database.dataSource.query('SELECT syncCursor FROM mailbox WHERE id = ?', [Buffer.from(samMailbox, 'base64url').toString('utf8').split(':')[1]]);
    expect(stored[0].syncCursor).toBe('{"v":1,"folders":{}}');
    // The same page again (a crash before the engine saw the answer): nothing changes.
    expect(ok(await sync([meeting()])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'UNCHANGED', appointmentId: result.appointmentId });
  });

  it('a meeting moved in Outlook moves in the CRM; cancelled, it is cancelled; an older sequence changes nothing', async () => {
    const moved = ok(await sync([meeting({ sequence: 1, start: '2026-12-10T13:00:00.000Z', end: '2026-12-10T14:30:00.000Z' })])).syncMailboxCalendar[0];
    expect(moved.outcome).toBe('UPDATED');
    expect(ok(await hub.gql(APPOINTMENT, { id: moved.appointmentId }, admin)).node).toMatchObject({ startAt: '2026-12-10T13:00:00.000Z', endAt: '2026-12-10T14:30:00.000Z', state: 'OPEN' });
    expect(ok(await sync([meeting({ sequence: 0 })])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'UNCHANGED', note: expect.stringContaining('older') });
    expect(ok(await sync([meeting({ sequence: 2, status: 'CANCELLED' })])).syncMailboxCalendar[0].outcome).toBe('UPDATED');
    expect(ok(await hub.gql(APPOINTMENT, { id: moved.appointmentId }, admin)).node.state).toBe('CANCELLED');
  });

  it('a meeting with no CRM record in it stays in Outlook, and a page mixes both', async () => {
    const private1 = meeting({ uid: `${tag}-lunch@corp.test`, summary: 'Lunch with a friend', attendees: [{ address: 'friend@elsewhere.test', name: null, role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' }] });
    const solo = meeting({ uid: `${tag}-focus@corp.test`, summary: 'Focus time', attendees: [] });
    const results = ok(await sync([private1, meeting({ uid: `${tag}-demo@corp.test`, summary: 'Demo' }), solo])).syncMailboxCalendar;
    expect(results.map((r: any) => [r.uid, r.outcome])).toEqual([[`${tag}-lunch@corp.test`, 'NOT_TRACKED'], [`${tag}-demo@corp.test`, 'CREATED'], [`${tag}-focus@corp.test`, 'NOT_TRACKED']]);
    const subjects = await hub.database.dataSource.query("SELECT subject FROM activity WHERE subject IN ('Lunch with a friend', 'Focus time')");
    expect(subjects).toEqual([]);
  });

  it('hands the engine the appointments made in the CRM to write to Exchange, once each, and a cancelled one to remove', async () => {
    const CLAIM_WRITES = 'mutation($m: ID!, $l: ID!, $n: Int!) { claimCalendarWrites(mailboxId: $m, leaseId: $l, first: $n) { appointmentId uid itemId subject startAt endAt allDay location cancelled attendees { address required } fingerprint } }';
    const REPORT_WRITES = 'mutation($m: ID!, $l: ID!, $w: [CalendarWriteInput!]!) { reportCalendarWrites(mailboxId: $m, leaseId: $l, writes: $w) }';
    const claim = async () => ok(await engine(CLAIM_WRITES, { m: samMailbox, l: lease, n: 50 })).claimCalendarWrites as any[];
    const sam = await hub.login('sam.sales@demo.crm.test');
    const made = ok(await hub.gql('mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }', { input: { subject: `${tag} Site visit`, startAt: '2027-02-03T08:00:00.000Z', endAt: '2027-02-03T11:00:00.000Z', location: 'Åre', requiredAttendeeIds: [contact.id] } }, sam)).createAppointment.id;
    const sara = await hub.login('sara.sales@demo.crm.test');
    ok(await hub.gql('mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }', { input: { subject: `${tag} Sara's own`, startAt: '2027-02-04T08:00:00.000Z', endAt: '2027-02-04T09:00:00.000Z' } }, sara));

    const first = await claim();
    // Only Sam's appointment made in the CRM: not Sara's, not the meetings that came from Exchange.
    expect(first.map((w) => w.subject)).toEqual([`${tag} Site visit`]);
    const write = first[0];
    expect(write).toMatchObject({ appointmentId: made, itemId: null, startAt: '2027-02-03T08:00:00.000Z', location: 'Åre', cancelled: false, attendees: [{ address: contact.primaryEmail, required: true }] });
    expect(write.uid).toMatch(/@crm-activity-hub$/);
    // Until reported, it is handed out again (the engine may have stopped); reported, it is not.
    expect((await claim()).map((w) => w.appointmentId)).toEqual([made]);
    ok(await engine(REPORT_WRITES, { m: samMailbox, l: lease, w: [{ appointmentId: made, itemId: 'AAMkEntry1=', fingerprint: write.fingerprint }] }));
    expect(await claim()).toEqual([]);

    // Its entry read back from Exchange is the same appointment (its UID), and changes nothing.
    const back = ok(await sync([meeting({ uid: write.uid, summary: `${tag} Site visit`, start: write.startAt, end: write.endAt, location: 'Åre', itemId: 'AAMkEntry1=' })])).syncMailboxCalendar[0];
    expect(back).toMatchObject({ appointmentId: made });
    expect(await claim()).toEqual([]);

    ok(await hub.gql('mutation($id: ID!) { setActivityState(activityId: $id, state: CANCELLED) { id } }', { id: made }, sam));
    // The entry read back once more before the engine removed it is an echo: it does not undo the cancellation.
    const stale = ok(await sync([meeting({ uid: write.uid, summary: `${tag} Site visit`, start: write.startAt, end: write.endAt, location: 'Åre', itemId: 'AAMkEntry1=' })])).syncMailboxCalendar[0];
    expect(stale).toMatchObject({ outcome: 'UNCHANGED', appointmentId: made });
    expect(ok(await hub.gql(APPOINTMENT, { id: made }, admin)).node.state).toBe('CANCELLED');
    expect(await claim()).toEqual([expect.objectContaining({ appointmentId: made, itemId: 'AAMkEntry1=', cancelled: true })]);

    // Abuse: another user's appointment cannot be linked, and the bounds name their field.
    const saras = (await hub.database.dataSource.query("SELECT id FROM activity WHERE subject = ?", [`${tag} Sara's own`]))[0].id;
    failed(await engine(REPORT_WRITES, { m: samMailbox, l: lease, w: [{ appointmentId: Buffer.from(`Appointment:${saras}`).toString('base64url'), itemId: 'x', fingerprint: 'f' }] }), 'NOT_FOUND', 'writes[0].appointmentId');
    failed(await engine(CLAIM_WRITES, { m: samMailbox, l: lease, n: 51 }), 'BAD_USER_INPUT', 'first');
    failed(await engine(CLAIM_WRITES, { m: samMailbox, l: 'not-the-lease', n: 5 }), 'CONFLICT', 'leaseId');
    failed(await hub.gql(CLAIM_WRITES, { m: samMailbox, l: lease, n: 5 }, sam), 'FORBIDDEN');
    failed(await engine(REPORT_WRITES, { m: samMailbox, l: lease, w: [{ appointmentId: made, itemId: 'x'.repeat(513), fingerprint: 'f' }] }), 'BAD_USER_INPUT');
  });

  it('only the engine holding the lease writes; a mailbox not syncing appointments with Exchange is refused; bad input names the field', async () => {
    for (const token of [admin, await hub.login('sam.sales@demo.crm.test')]) failed(await sync([meeting()], {}, token), 'FORBIDDEN');
    failed(await sync([meeting({ uid: `${tag}-stale@corp.test` })], { l: 'not-the-lease' }), 'CONFLICT', 'leaseId');
    failed(await hub.gql(SYNC, { m: saraMailbox, l: lease, e: [meeting()], c: null }, hub.syncServiceKey), 'CONFLICT', 'mailboxId');
    failed(await sync(Array.from({ length: 201 }, (_, i) => meeting({ uid: `${tag}-${i}` }))), 'BAD_USER_INPUT', 'events');
    // A field that is not what it should be is dropped and named, as for invitations in mail; without a start, no appointment.
    expect(ok(await sync([meeting({ uid: `${tag}-nostart@corp.test`, start: 'next tuesday' })])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'UNCHANGED', appointmentId: null, note: expect.stringContaining('is not a time') });
    failed(await sync([meeting()], { c: 'x'.repeat(70_000) }), 'BAD_USER_INPUT', 'cursor');
    failed(await hub.gql(SYNC, { m: Buffer.from('Mailbox:01900000-0000-7000-8000-000000000000').toString('base64url'), l: lease, e: [], c: null }, hub.syncServiceKey), 'NOT_FOUND', 'mailboxId');
    // Nothing of the refused calls was written.
    expect(await hub.database.dataSource.query("SELECT icalUid FROM appointment_detail WHERE icalUid LIKE ?", [`${tag}-stale%`])).toEqual([]);
  });
});
