import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGlobalId } from '../../api/src/common/global-id';
import { EmailServerKind, MailAuthMethod, MailboxState } from '../../api/src/mail/mail-enums';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile } from '../support/mail-setup';
import { ADMIN, failed, ok, uniqueTag } from './gql-helpers';

// syncMailboxCalendar through the GraphQL API: appointments the sync engine reads from an Exchange Calendar become
// Appointments keyed by their UID, meetings with no CRM record in them stay out, and only the engine holding the
// mailbox's lease may write.

const CLAIM = 'mutation { claimMailboxes(engineId: "calendar-test", limit: 20) { mailboxId leaseId } }';
const SYNC = `mutation($m: ID!, $l: ID!, $e: [CalendarInput!]!, $d: [String!], $c: String) {
  syncMailboxCalendar(mailboxId: $m, leaseId: $l, events: $e, deletedItemIds: $d, cursor: $c) { uid outcome appointmentId note } }`;
const CLAIM_WRITES = 'mutation($m: ID!, $l: ID!, $n: Int!) { claimCalendarWrites(mailboxId: $m, leaseId: $l, first: $n) { appointmentId uid itemId changeKey subject startAt endAt allDay location cancelled attendees { address required } fingerprint } }';
const REPORT_WRITES = 'mutation($m: ID!, $l: ID!, $w: [CalendarWriteInput!]!) { reportCalendarWrites(mailboxId: $m, leaseId: $l, writes: $w) }';
const CREATE = 'mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }';
const UPDATE = 'mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }';
const CONFLICTS = `query($id: ID!) { node(id: $id) { ... on Appointment { subject startAt endAt location state
  syncConflicts { rule winner crmModifiedAt exchangeModifiedAt losingVersion { subject startAt endAt allDay location cancelled } } } } }`;
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
    // From Exchange: it follows its organizer (a CRM change stays in the CRM), unlike one made in the CRM below.
    expect(ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Appointment { followsOrganizer } } }', { id: result.appointmentId }, admin)).node).toEqual({ followsOrganizer: true });
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
    const claim = async () => ok(await engine(CLAIM_WRITES, { m: samMailbox, l: lease, n: 50 })).claimCalendarWrites as any[];
    const sam = await hub.login('sam.sales@demo.crm.test');
    const made = ok(await hub.gql('mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }', { input: { subject: `${tag} Site visit`, startAt: '2027-02-03T08:00:00.000Z', endAt: '2027-02-03T11:00:00.000Z', location: 'Åre', requiredAttendeeIds: [contact.id] } }, sam)).createAppointment.id;
    const sara = await hub.login('sara.sales@demo.crm.test');
    ok(await hub.gql('mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }', { input: { subject: `${tag} Sara's own`, startAt: '2027-02-04T08:00:00.000Z', endAt: '2027-02-04T09:00:00.000Z' } }, sara));

    expect(ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Appointment { followsOrganizer } } }', { id: made }, sam)).node).toEqual({ followsOrganizer: false });
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

  describe('an appointment made in the CRM and changed in Outlook too', () => {
    const claimOf = async (id: string) => (ok(await engine(CLAIM_WRITES, { m: samMailbox, l: lease, n: 50 })).claimCalendarWrites as any[]).filter((w) => w.appointmentId === id);
    const node = async (id: string, token: string) => ok(await hub.gql(CONFLICTS, { id }, token)).node;
    const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
    const hour = 3_600_000;
    /** Makes an appointment as Sam and writes it to "Exchange" as the engine would: claimed, then reported with an entry. */
    const written = async (subject: string, itemId: string) => {
      const sam = await hub.login('sam.sales@demo.crm.test');
      const id = ok(await hub.gql(CREATE, { input: { subject, startAt: '2027-03-10T09:00:00.000Z', endAt: '2027-03-10T10:00:00.000Z', location: 'Room 1', requiredAttendeeIds: [contact.id] } }, sam)).createAppointment.id as string;
      const [write] = await claimOf(id);
      expect(write).toMatchObject({ itemId: null, changeKey: null });
      ok(await engine(REPORT_WRITES, { m: samMailbox, l: lease, w: [{ appointmentId: id, itemId, changeKey: 'CK1', fingerprint: write.fingerprint }] }));
      expect(await claimOf(id)).toEqual([]);
      return { id, write, sam };
    };

    it('the later change wins and the loser is kept, shown only to who may change the appointment; a tie goes to the CRM', async () => {
      const { id, write, sam } = await written(`${tag} Board meeting`, 'AAMkBoth=');
      const entry = (extra: Record<string, unknown>) => meeting({ uid: write.uid, summary: `${tag} Board meeting`, start: write.startAt, end: write.endAt, location: 'Room 1', itemId: 'AAMkBoth=', ...extra });

      // Sam moves it in the CRM; then, later by Outlook's clock, he renames it in Outlook: Outlook's version wins.
      ok(await hub.gql(UPDATE, { id, input: { startAt: '2027-03-11T09:00:00.000Z', endAt: '2027-03-11T10:00:00.000Z' } }, sam));
      // Until the engine has read the Calendar, the move is to be written over the version the hub last saw.
      expect(await claimOf(id)).toEqual([expect.objectContaining({ itemId: 'AAMkBoth=', changeKey: 'CK1', startAt: '2027-03-11T09:00:00.000Z' })]);
      const outlookWins = ok(await sync([entry({ summary: `${tag} Board meeting (Teams)`, changeKey: 'CK2', lastModifiedAt: new Date(Date.now() + hour).toISOString() })])).syncMailboxCalendar[0];
      expect(outlookWins).toMatchObject({ outcome: 'UPDATED', appointmentId: id });
      const afterOutlook = await node(id, sam);
      expect(afterOutlook).toMatchObject({ subject: `${tag} Board meeting (Teams)`, startAt: '2027-03-10T09:00:00.000Z', location: 'Room 1', state: 'OPEN' });
      expect(afterOutlook.syncConflicts).toEqual([
        expect.objectContaining({ rule: 'LATER_CHANGE_WINS', winner: 'EXCHANGE', losingVersion: { subject: `${tag} Board meeting`, startAt: '2027-03-11T09:00:00.000Z', endAt: '2027-03-11T10:00:00.000Z', allDay: false, location: 'Room 1', cancelled: false } }),
      ]);
      expect(await claimOf(id)).toEqual([]);

      // Now the CRM's change is the later one (Outlook's edit is an hour old): the CRM keeps its version and writes it
      // over the version it has now seen.
      ok(await hub.gql(UPDATE, { id, input: { location: 'Room 2' } }, sam));
      const seen: string[] = [];
      const stopListening = hub.services.events.subscribe((e) => void (e.type === 'ACTIVITY_UPDATED' && seen.push(e.activityId)));
      const crmWins = ok(await sync([entry({ summary: `${tag} Board meeting (Room 3)`, location: 'Room 3', changeKey: 'CK3', lastModifiedAt: new Date(Date.now() - hour).toISOString() })])).syncMailboxCalendar[0];
      expect(crmWins).toMatchObject({ outcome: 'CRM_VERSION_KEPT', appointmentId: id });
      // No field changed, but the new conflict reaches open timelines as an update.
      for (let i = 0; i < 100 && !seen.includes(parseGlobalId(id)!.id); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      stopListening();
      expect(seen).toContain(parseGlobalId(id)!.id);
      const afterCrm = await node(id, sam);
      expect(afterCrm).toMatchObject({ subject: `${tag} Board meeting (Teams)`, location: 'Room 2' });
      expect(afterCrm.syncConflicts[0]).toMatchObject({ rule: 'LATER_CHANGE_WINS', winner: 'CRM', losingVersion: { subject: `${tag} Board meeting (Room 3)`, location: 'Room 3', startAt: '2027-03-10T09:00:00.000Z' } });
      expect(await claimOf(id)).toEqual([expect.objectContaining({ itemId: 'AAMkBoth=', changeKey: 'CK3', subject: `${tag} Board meeting (Teams)`, location: 'Room 2' })]);

      // The same second on both sides: the CRM wins (TIE_CRM_WINS).
      const crmAt = (await hub.database.dataSource.query('SELECT updatedAt FROM activity WHERE id = ?', [rawId(id)]))[0].updatedAt;
      const sameSecond = new Date(typeof crmAt === 'string' ? `${crmAt.replace(' ', 'T')}Z` : crmAt).toISOString().replace(/\.\d+Z$/, '.000Z');
      expect(ok(await sync([entry({ summary: `${tag} Tied`, changeKey: 'CK4', lastModifiedAt: sameSecond })])).syncMailboxCalendar[0].outcome).toBe('CRM_VERSION_KEPT');
      const conflicts = (await node(id, sam)).syncConflicts;
      expect(conflicts.map((c: any) => [c.rule, c.winner])).toEqual([['TIE_CRM_WINS', 'CRM'], ['LATER_CHANGE_WINS', 'CRM'], ['LATER_CHANGE_WINS', 'EXCHANGE']]);
      expect(conflicts[0].exchangeModifiedAt).toBe(sameSecond);

      // Sara reads Sam's appointments but may not change them: she learns nothing of the losing versions. Their manager may, and does.
      const asSara = await node(id, await hub.login('sara.sales@demo.crm.test'));
      expect(asSara).toMatchObject({ subject: `${tag} Board meeting (Teams)`, syncConflicts: [] });
      expect((await node(id, await hub.login('maria.manager@demo.crm.test'))).syncConflicts).toHaveLength(3);

      // The engine writes the CRM's version out; read back, it changes nothing and nothing more is written.
      const [out] = await claimOf(id);
      ok(await engine(REPORT_WRITES, { m: samMailbox, l: lease, w: [{ appointmentId: id, itemId: 'AAMkBoth=', changeKey: 'CK5', fingerprint: out.fingerprint }] }));
      expect(ok(await sync([entry({ summary: `${tag} Board meeting (Teams)`, location: 'Room 2', changeKey: 'CK5', lastModifiedAt: new Date().toISOString() })])).syncMailboxCalendar[0].outcome).toBe('UNCHANGED');
      expect(await claimOf(id)).toEqual([]);
      expect((await node(id, sam)).syncConflicts).toHaveLength(3);
    });

    it('cancelled in the CRM while Outlook moved it later: Outlook\'s version wins and the appointment is open again; an earlier move leaves it cancelled and removed', async () => {
      const later = await written(`${tag} Cancelled here`, 'AAMkCancel1=');
      ok(await hub.gql('mutation($id: ID!) { setActivityState(activityId: $id, state: CANCELLED) { id } }', { id: later.id }, later.sam));
      const moved = meeting({ uid: later.write.uid, summary: `${tag} Cancelled here`, start: '2027-03-12T09:00:00.000Z', end: '2027-03-12T10:00:00.000Z', location: 'Room 1', itemId: 'AAMkCancel1=', changeKey: 'CK2', lastModifiedAt: new Date(Date.now() + hour).toISOString() });
      expect(ok(await sync([moved])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'UPDATED', appointmentId: later.id });
      expect(await node(later.id, later.sam)).toMatchObject({ state: 'OPEN', startAt: '2027-03-12T09:00:00.000Z', syncConflicts: [expect.objectContaining({ winner: 'EXCHANGE', losingVersion: expect.objectContaining({ cancelled: true, startAt: '2027-03-10T09:00:00.000Z' }) })] });
      // Reopened by the sync, not by Sam: the change is the Sync Service's.
      const [{ email }] = await hub.database.dataSource.query('SELECT u.email AS email FROM activity a JOIN app_user u ON u.id = a.modifiedById WHERE a.id = ?', [Buffer.from(later.id, 'base64url').toString('utf8').split(':')[1]]);
      expect(email).not.toBe('sam.sales@demo.crm.test');
      expect(await claimOf(later.id)).toEqual([]);

      const earlier = await written(`${tag} Cancelled later`, 'AAMkCancel2=');
      ok(await hub.gql('mutation($id: ID!) { setActivityState(activityId: $id, state: CANCELLED) { id } }', { id: earlier.id }, earlier.sam));
      const old = meeting({ uid: earlier.write.uid, summary: `${tag} Cancelled later`, start: '2027-03-12T09:00:00.000Z', end: '2027-03-12T10:00:00.000Z', location: 'Room 1', itemId: 'AAMkCancel2=', changeKey: 'CK2', lastModifiedAt: new Date(Date.now() - hour).toISOString() });
      expect(ok(await sync([old])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'CRM_VERSION_KEPT' });
      expect(await node(earlier.id, earlier.sam)).toMatchObject({ state: 'CANCELLED', startAt: '2027-03-10T09:00:00.000Z' });
      expect(await claimOf(earlier.id)).toEqual([expect.objectContaining({ itemId: 'AAMkCancel2=', changeKey: 'CK2', cancelled: true })]);
    });

    it('deleted in Outlook: the CRM keeps it; changed in the CRM meanwhile, the change wins and it is written again', async () => {
      const kept = await written(`${tag} Kept when deleted`, 'AAMkDelA=');
      const changed = await written(`${tag} Changed, then deleted`, 'AAMkDelB=');
      ok(await hub.gql(UPDATE, { id: changed.id, input: { subject: `${tag} Changed in the CRM` } }, changed.sam));
      expect(ok(await sync([], { d: ['AAMkDelA=', 'AAMkDelB=', 'AAMkNeverSeen='] })).syncMailboxCalendar).toEqual([]);
      expect(await node(kept.id, kept.sam)).toMatchObject({ state: 'OPEN', syncConflicts: [] });
      expect((await node(changed.id, changed.sam)).syncConflicts).toEqual([expect.objectContaining({ rule: 'CHANGE_BEATS_DELETE', winner: 'CRM', losingVersion: null })]);
      // The changed one is made anew in the Calendar; the other stays out of it until it changes in the CRM.
      expect(await claimOf(changed.id)).toEqual([expect.objectContaining({ itemId: null, changeKey: null, subject: `${tag} Changed in the CRM` })]);
      expect(await claimOf(kept.id)).toEqual([]);
      ok(await hub.gql(UPDATE, { id: kept.id, input: { location: 'Room 9' } }, kept.sam));
      expect(await claimOf(kept.id)).toEqual([expect.objectContaining({ itemId: null, location: 'Room 9' })]);
      expect((await node(kept.id, kept.sam)).syncConflicts).toEqual([]);
    });

    it('a meeting Sam organized in Outlook is his, as one made in the CRM: his changes in the CRM are written to it under the same conflict rule; someone else\'s is not; deleted in Outlook, it is never made again', async () => {
      const hour = 3_600_000;
      const sam = await hub.login('sam.sales@demo.crm.test');
      const claimFull = async (id: string) => (ok(await engine(CLAIM_WRITES.replace('fingerprint }', 'fingerprint createIfMissing }'), { m: samMailbox, l: lease, n: 50 })).claimCalendarWrites as any[]).filter((w) => w.appointmentId === id);
      const flags = async (id: string, token = sam) => ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Appointment { followsOrganizer changesReachAttendees } } }', { id }, token)).node;
      const own = (extra: Record<string, unknown>) => meeting({ uid: `${tag}-own@corp.test`, summary: `${tag} Kickoff`, start: '2027-04-01T09:00:00.000Z', end: '2027-04-01T10:00:00.000Z', location: 'Room 1', itemId: 'AAMkOwn=', mailboxOrganizes: true, invitationsSent: true, ...extra });
      const created = ok(await sync([own({ changeKey: 'CK1', lastModifiedAt: new Date(Date.now() - 2 * hour).toISOString() })])).syncMailboxCalendar[0];
      expect(created).toMatchObject({ outcome: 'CREATED' });
      const id = created.appointmentId as string;
      expect(await flags(id)).toEqual({ followsOrganizer: false, changesReachAttendees: true });
      expect(await claimFull(id)).toEqual([]);

      // Moved in the CRM: handed out to write over the entry Sam organized, under its own UID; never to be made anew.
      ok(await hub.gql(UPDATE, { id, input: { startAt: '2027-04-01T13:00:00.000Z', endAt: '2027-04-01T14:00:00.000Z' } }, sam));
      const [write] = await claimFull(id);
      expect(write).toMatchObject({ uid: `${tag}-own@corp.test`, itemId: 'AAMkOwn=', changeKey: 'CK1', startAt: '2027-04-01T13:00:00.000Z', createIfMissing: false });
      ok(await engine(REPORT_WRITES, { m: samMailbox, l: lease, w: [{ appointmentId: id, itemId: 'AAMkOwn=', changeKey: 'CK2', fingerprint: write.fingerprint }] }));
      expect(await claimFull(id)).toEqual([]);
      // Read back (Exchange raised the sequence when it sent the update): an echo, nothing changes.
      expect(ok(await sync([own({ sequence: 1, start: write.startAt, end: write.endAt, changeKey: 'CK2', lastModifiedAt: new Date().toISOString() })])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'UNCHANGED', appointmentId: id });
      expect(await flags(id)).toEqual({ followsOrganizer: false, changesReachAttendees: true });

      // Changed on both sides: the later change wins and the loser is kept, as for one made in the CRM.
      ok(await hub.gql(UPDATE, { id, input: { location: 'Room 2' } }, sam));
      const outlookLater = own({ sequence: 2, summary: `${tag} Kickoff (Teams)`, start: write.startAt, end: write.endAt, changeKey: 'CK3', lastModifiedAt: new Date(Date.now() + hour).toISOString() });
      expect(ok(await sync([outlookLater])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'UPDATED', appointmentId: id });
      expect(await node(id, sam)).toMatchObject({ subject: `${tag} Kickoff (Teams)`, location: 'Room 1', syncConflicts: [expect.objectContaining({ winner: 'EXCHANGE', losingVersion: expect.objectContaining({ location: 'Room 2' }) })] });
      ok(await hub.gql(UPDATE, { id, input: { location: 'Room 3' } }, sam));
      const outlookEarlier = own({ sequence: 2, summary: `${tag} Kickoff (moved)`, start: write.startAt, end: write.endAt, changeKey: 'CK4', lastModifiedAt: new Date(Date.now() - hour).toISOString() });
      expect(ok(await sync([outlookEarlier])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'CRM_VERSION_KEPT', appointmentId: id });
      expect(await claimFull(id)).toEqual([expect.objectContaining({ itemId: 'AAMkOwn=', changeKey: 'CK4', subject: `${tag} Kickoff (Teams)`, location: 'Room 3' })]);

      // A meeting the customer organized (Sam is invited) follows its organizer: nothing is written, whatever Sam changes.
      const theirs = ok(await sync([meeting({ uid: `${tag}-theirs@customer.test`, organizer: { address: contact.primaryEmail }, attendees: [{ address: 'sam.sales@demo.crm.test', role: 'REQ-PARTICIPANT', partstat: 'ACCEPTED' }], start: '2027-04-02T09:00:00.000Z', end: '2027-04-02T10:00:00.000Z', itemId: 'AAMkTheirs=', changeKey: 'CK1', mailboxOrganizes: false, invitationsSent: true })])).syncMailboxCalendar[0].appointmentId as string;
      ok(await hub.gql(UPDATE, { id: theirs, input: { location: 'Our office' } }, sam));
      expect(await claimFull(theirs)).toEqual([]);
      expect(await flags(theirs)).toEqual({ followsOrganizer: true, changesReachAttendees: false });

      // Sam deletes his meeting in Outlook: the CRM keeps it, nothing is written to the Calendar again, and it follows
      // its organizer's word from then on.
      expect(ok(await sync([], { d: ['AAMkOwn='] })).syncMailboxCalendar).toEqual([]);
      ok(await hub.gql(UPDATE, { id, input: { location: 'Room 4' } }, sam));
      expect(await claimFull(id)).toEqual([]);
      expect(await flags(id)).toEqual({ followsOrganizer: true, changesReachAttendees: false });
      expect(await node(id, sam)).toMatchObject({ state: 'OPEN', location: 'Room 4' });
    });

    it('abuse: oversized deleted ids and ChangeKeys are refused by name, a malformed modification time is refused, an oversized ChangeKey read is ignored', async () => {
      failed(await sync([], { d: Array.from({ length: 201 }, (_, i) => `AAMk${i}=`) }), 'BAD_USER_INPUT', 'deletedItemIds');
      failed(await sync([], { d: ['y'.repeat(513)] }), 'BAD_USER_INPUT', 'deletedItemIds');
      failed(await sync([meeting({ uid: `${tag}-when@corp.test`, lastModifiedAt: 'yesterday' })]), 'BAD_USER_INPUT');
      const { id, write } = await written(`${tag} Long keys`, 'AAMkLong=');
      failed(await engine(REPORT_WRITES, { m: samMailbox, l: lease, w: [{ appointmentId: id, itemId: 'AAMkLong=', changeKey: 'k'.repeat(513), fingerprint: write.fingerprint }] }), 'BAD_USER_INPUT');
      // A ChangeKey longer than the column read from "Exchange" is not stored: the next write goes over no version in particular.
      const entry = meeting({ uid: write.uid, summary: `${tag} Long keys (renamed)`, start: write.startAt, end: write.endAt, location: 'Room 1', itemId: 'AAMkLong=', changeKey: 'k'.repeat(600), lastModifiedAt: new Date().toISOString() });
      expect(ok(await sync([entry])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'UPDATED', appointmentId: id });
      const sam = await hub.login('sam.sales@demo.crm.test');
      ok(await hub.gql(UPDATE, { id, input: { location: 'Room 4' } }, sam));
      expect(await claimOf(id)).toEqual([expect.objectContaining({ itemId: 'AAMkLong=', changeKey: null })]);
      // Deleted ids of entries the hub never linked in this mailbox change nothing.
      expect(ok(await sync([], { d: ['AAMkBoth=X', 'AAMkEntry0='] })).syncMailboxCalendar).toEqual([]);
    });
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
