import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailServerKind, MailAuthMethod, MailboxState } from '../../api/src/mail/mail-enums';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile } from '../support/mail-setup';
import { ADMIN, failed, ok, uniqueTag } from './gql-helpers';

// Recurring series through syncMailboxCalendar, as Dynamics 365 keeps them: the series is an Appointment holding the
// series' UID and its rule, each occurrence in the expansion window an Appointment of its own linked to it, keyed by
// series and original start. Replays change nothing; occurrences deleted in Exchange are cancelled; nothing of a
// series is handed to the engine to write to Exchange as a new appointment.

const CLAIM = 'mutation { claimMailboxes(engineId: "series-test", limit: 20) { mailboxId leaseId } }';
const SYNC = `mutation($m: ID!, $l: ID!, $e: [CalendarInput!]!, $s: [CalendarSeriesInput!], $c: String) {
  syncMailboxCalendar(mailboxId: $m, leaseId: $l, events: $e, series: $s, cursor: $c) { uid outcome appointmentId note } }`;
const CLAIM_WRITES = 'mutation($m: ID!, $l: ID!, $n: Int!) { claimCalendarWrites(mailboxId: $m, leaseId: $l, first: $n) { appointmentId subject } }';
const APPOINTMENT = `query($id: ID!) { node(id: $id) { ... on Appointment { subject startAt endAt state icalUid instanceType originalStart
  series { id subject } recurrence { pattern interval daysOfWeek dayOfMonth weekIndex month rangeStart rangeEnd count timeZone }
  parties { role address record { __typename } } } } }`;

describe.each(DIALECTS)('recurring series from an Exchange Calendar on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let samMailbox: string;
  let lease: string;
  let contact: { id: string; primaryEmail: string; fullName: string };
  const tag = uniqueTag('Series');
  const sync = (series: unknown[], token = hub.syncServiceKey) => hub.gql(SYNC, { m: samMailbox, l: lease, e: [], s: series, c: null }, token);
  const recurrence = { pattern: 'WEEKLY', interval: 1, daysOfWeek: ['MONDAY', 'WEDNESDAY'], rangeStart: '2027-03-01', rangeEnd: '2027-03-31', timeZone: 'W. Europe Standard Time' };
  const event = (uid: string, start: string, extra: Record<string, unknown> = {}) => ({
    method: 'PUBLISH', uid, sequence: 0, summary: 'Pipeline review', location: 'Room 3', start, end: new Date(Date.parse(start) + 3_600_000).toISOString(), allDay: false,
    organizer: { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' },
    attendees: [{ address: contact.primaryEmail, name: contact.fullName, role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' }],
    status: 'CONFIRMED', ...extra,
  });
  const occurrence = (uid: string, originalStart: string, extra: Record<string, unknown> = {}) => ({ ...event(uid, originalStart), instanceType: 'OCCURRENCE', originalStart, ...extra });
  const STARTS = ['2027-03-01T08:00:00.000Z', '2027-03-03T08:00:00.000Z', '2027-03-08T08:00:00.000Z', '2027-03-29T07:00:00.000Z'];
  const series = (uid: string, extra: Record<string, unknown> = {}) => ({
    uid, master: event(uid, STARTS[0]), recurrence, occurrences: STARTS.map((s) => occurrence(uid, s)), windowFrom: '2026-12-01T00:00:00.000Z', windowTo: '2028-03-01T00:00:00.000Z', ...extra,
  });
  const occurrencesOf = async (seriesGlobalId: string) =>
    hub.database.dataSource.query('SELECT d.activityId AS id, d.originalStartAt AS originalStartAt, d.instanceType AS instanceType, a.state AS state FROM appointment_detail d JOIN activity a ON a.id = d.activityId WHERE d.seriesId = ? ORDER BY d.originalStartAt', [Buffer.from(seriesGlobalId, 'base64url').toString('utf8').split(':')[1]]) as Promise<{ id: string; instanceType: string; state: string }[]>;
  const globalId = (raw: string) => Buffer.from(`Appointment:${raw}`).toString('base64url');

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    const all = ok(await hub.gql('{ mailboxes { id address } }', {}, hub.syncServiceKey)).mailboxes as { id: string; address: string }[];
    samMailbox = all.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    const exchange = await insertProfile(hub, { kind: EmailServerKind.EXCHANGE_EWS, incomingHost: null, incomingPort: null, incomingTls: null, outgoingHost: null, outgoingPort: null, outgoingTls: null, ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx', authMethod: MailAuthMethod.PASSWORD });
    for (const other of all.filter((m) => m.id !== samMailbox)) await configureMailbox(hub, other.id, { profileId: exchange, state: MailboxState.DISABLED_BY_ADMIN });
    await configureMailbox(hub, samMailbox, { profileId: exchange, extra: { actMethod: 'SERVER_SIDE_SYNC' as never } });
    const claimed = ok(await hub.gql(CLAIM, {}, hub.syncServiceKey)).claimMailboxes as { mailboxId: string; leaseId: string }[];
    lease = claimed.find((w) => w.mailboxId === samMailbox)!.leaseId;
    contact = ok(await hub.gql('{ contacts(first: 1) { edges { node { id primaryEmail fullName } } } }', {}, admin)).contacts.edges[0].node;
  });
  afterAll(() => hub?.close());

  it('a weekly series becomes the series appointment with its rule and one appointment per occurrence, each linked to it with its parties; a replay changes nothing', async () => {
    const uid = `${tag}-weekly@corp.test`;
    const [result] = ok(await sync([series(uid)])).syncMailboxCalendar;
    expect(result).toMatchObject({ uid, outcome: 'CREATED', appointmentId: expect.any(String) });
    const master = ok(await hub.gql(APPOINTMENT, { id: result.appointmentId }, admin)).node;
    expect(master).toMatchObject({ subject: 'Pipeline review', icalUid: uid, series: null, instanceType: null, recurrence: { ...recurrence, dayOfMonth: null, weekIndex: null, month: null, count: null } });
    const rows = await occurrencesOf(result.appointmentId);
    expect(rows).toHaveLength(4);
    const first = ok(await hub.gql(APPOINTMENT, { id: globalId(rows[0].id) }, admin)).node;
    expect(first).toMatchObject({ subject: 'Pipeline review', startAt: STARTS[0], state: 'OPEN', icalUid: null, instanceType: 'OCCURRENCE', originalStart: STARTS[0], recurrence: null, series: { id: result.appointmentId, subject: 'Pipeline review' } });
    expect(first.parties).toEqual(expect.arrayContaining([expect.objectContaining({ address: contact.primaryEmail, record: { __typename: 'Contact' } })]));
    // After the DST change the occurrence keeps its own instant, as Exchange expanded it.
    expect(ok(await hub.gql(APPOINTMENT, { id: globalId(rows[3].id) }, admin)).node.startAt).toBe('2027-03-29T07:00:00.000Z');

    // The same page again, and two engines replaying it at once: no new appointment.
    expect(ok(await sync([series(uid)])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'UNCHANGED', appointmentId: result.appointmentId });
    const both = await Promise.all([sync([series(uid)]), sync([series(uid)])]);
    for (const answer of both) expect(ok(answer).syncMailboxCalendar[0].appointmentId).toBe(result.appointmentId);
    expect(await occurrencesOf(result.appointmentId)).toHaveLength(4);

    // Nothing of the series is handed out to be written to Exchange as a new appointment (it would stand twice in Outlook).
    const writes = ok(await hub.gql(CLAIM_WRITES, { m: samMailbox, l: lease, n: 50 }, hub.syncServiceKey)).claimCalendarWrites as { appointmentId: string }[];
    const ours = new Set([result.appointmentId, ...rows.map((r) => globalId(r.id))]);
    expect(writes.filter((w) => ours.has(w.appointmentId))).toEqual([]);
  });

  it('two engines creating one new series at once make it once', async () => {
    const uid = `${tag}-race@corp.test`;
    const answers = await Promise.all([sync([series(uid)]), sync([series(uid)])]);
    const ids = answers.map((a) => ok(a).syncMailboxCalendar[0].appointmentId);
    expect(ids[0]).toBe(ids[1]);
    expect(await occurrencesOf(ids[0])).toHaveLength(4);
  });

  it('an occurrence moved in Outlook moves (an exception); one deleted, or cut off by a shorter series, is cancelled; a cancelled series cancels them all', async () => {
    const uid = `${tag}-changes@corp.test`;
    const id = ok(await sync([series(uid)])).syncMailboxCalendar[0].appointmentId;
    const moved = occurrence(uid, STARTS[1], { instanceType: 'EXCEPTION', start: '2027-03-04T13:00:00.000Z', end: '2027-03-04T14:00:00.000Z', summary: 'Pipeline review (moved)' });
    // The second occurrence moved, the third deleted in Outlook.
    const changed = series(uid, { occurrences: [occurrence(uid, STARTS[0]), moved, occurrence(uid, STARTS[3])] });
    expect(ok(await sync([changed])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'UPDATED', appointmentId: id });
    const rows = await occurrencesOf(id);
    expect(rows.map((r) => [r.instanceType, r.state])).toEqual([['OCCURRENCE', 'OPEN'], ['EXCEPTION', 'OPEN'], ['OCCURRENCE', 'CANCELLED'], ['OCCURRENCE', 'OPEN']]);
    expect(ok(await hub.gql(APPOINTMENT, { id: globalId(rows[1].id) }, admin)).node).toMatchObject({ subject: 'Pipeline review (moved)', startAt: '2027-03-04T13:00:00.000Z', originalStart: STARTS[1] });
    // Occurrences outside the window the engine read are left as they are.
    ok(await sync([series(uid, { occurrences: [occurrence(uid, STARTS[3])], windowFrom: '2027-03-20T00:00:00.000Z' })]));
    expect((await occurrencesOf(id)).map((r) => r.state)).toEqual(['OPEN', 'OPEN', 'CANCELLED', 'OPEN']);

    const cancelled = series(uid, { master: event(uid, STARTS[0], { status: 'CANCELLED', sequence: 1 }), occurrences: [] });
    expect(ok(await sync([cancelled])).syncMailboxCalendar[0].outcome).toBe('UPDATED');
    expect((await occurrencesOf(id)).map((r) => r.state)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(ok(await hub.gql(APPOINTMENT, { id }, admin)).node.state).toBe('CANCELLED');
  });

  it('occurrences entering the window later join their series without its master; a series the CRM does not hold, or one with no CRM record in it, stays out', async () => {
    const uid = `${tag}-slide@corp.test`;
    const id = ok(await sync([series(uid)])).syncMailboxCalendar[0].appointmentId;
    const later = { uid, master: null, recurrence: null, occurrences: [occurrence(uid, '2027-04-05T07:00:00.000Z')], windowFrom: '2028-03-01T00:00:00.000Z', windowTo: '2028-03-11T00:00:00.000Z' };
    // (Its window is where the engine read; the occurrence's own time is what Exchange gave.)
    expect(ok(await sync([later])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'UPDATED', appointmentId: id });
    expect(await occurrencesOf(id)).toHaveLength(5);
    expect(ok(await sync([{ ...later, uid: `${tag}-unknown@corp.test` }])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'NOT_TRACKED', appointmentId: null });
    const lunch = `${tag}-lunch@corp.test`;
    const privateSeries = series(lunch, { master: event(lunch, STARTS[0], { attendees: [{ address: 'friend@elsewhere.test', role: 'REQ-PARTICIPANT' }] }) });
    expect(ok(await sync([privateSeries])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'NOT_TRACKED', appointmentId: null });
    expect(await hub.database.dataSource.query('SELECT activityId FROM appointment_detail WHERE icalUid = ?', [lunch])).toEqual([]);
  });

  it('shows a series and its occurrences only to who may read them; an occurrence whose series the reader may not read does not say which it is', async () => {
    const uid = `${tag}-hidden@corp.test`;
    const id = ok(await sync([series(uid)])).syncMailboxCalendar[0].appointmentId;
    const occurrence = globalId((await occurrencesOf(id))[0].id);
    const sam = await hub.login('sam.sales@demo.crm.test');
    // Sven works in another business unit: neither the series nor its occurrences exist for him.
    const sven = await hub.login('sven.service@demo.crm.test');
    expect(ok(await hub.gql(APPOINTMENT, { id }, sven)).node).toBeNull();
    expect(ok(await hub.gql(APPOINTMENT, { id: occurrence }, sven)).node).toBeNull();
    // The series handed to Sven (another unit): Sam still reads his occurrence, but not the series through it.
    const [owner] = await hub.database.dataSource.query('SELECT id, businessUnitId FROM app_user WHERE email = ?', ['sven.service@demo.crm.test']);
    const seriesId = Buffer.from(id, 'base64url').toString('utf8').split(':')[1];
    await hub.database.dataSource.query('UPDATE activity SET ownerId = ?, businessUnitId = ? WHERE id = ?', [owner.id, owner.businessUnitId, seriesId]);
    // With its timeline entries' copies, as docs/deployment.md asks of changes made in SQL.
    await hub.database.dataSource.query('UPDATE timeline_entry SET ownerId = ?, businessUnitId = ? WHERE activityId = ?', [owner.id, owner.businessUnitId, seriesId]);
    const seen = ok(await hub.gql(APPOINTMENT, { id: occurrence }, sam)).node;
    expect(seen).toMatchObject({ subject: 'Pipeline review', instanceType: 'OCCURRENCE', series: null });
    expect(ok(await hub.gql(APPOINTMENT, { id }, sam)).node).toBeNull();
    expect(ok(await hub.gql(APPOINTMENT, { id: occurrence }, admin)).node.series).toEqual({ id, subject: 'Pipeline review' });
  });

  it('a series Sam organized in Outlook: his CRM changes to one occurrence, or to the series, are handed out to write to their entries; read back they change nothing; changed on both sides the later wins; someone else\'s series is not written', async () => {
    const sam = await hub.login('sam.sales@demo.crm.test');
    const uid = `${tag}-own@corp.test`;
    const HOUR = 3_600_000;
    const FULL_WRITES = 'mutation($m: ID!, $l: ID!, $n: Int!) { claimCalendarWrites(mailboxId: $m, leaseId: $l, first: $n) { appointmentId uid itemId changeKey subject startAt endAt location cancelled fingerprint createIfMissing } }';
    const REPORT = 'mutation($m: ID!, $l: ID!, $w: [CalendarWriteInput!]!) { reportCalendarWrites(mailboxId: $m, leaseId: $l, writes: $w) }';
    const claim = async () => ok(await hub.gql(FULL_WRITES, { m: samMailbox, l: lease, n: 50 }, hub.syncServiceKey)).claimCalendarWrites as any[];
    const own = { mailboxOrganizes: true, invitationsSent: true };
    /** The series as Exchange lists it, each entry with its ItemId and the ChangeKey `ck`; `changes` by original start. */
    const listed = (ck: string, changes: Record<string, Record<string, unknown>> = {}, master: Record<string, unknown> = {}) =>
      series(uid, {
        master: event(uid, STARTS[0], { ...own, itemId: `${tag}-master`, changeKey: ck, ...master }),
        occurrences: STARTS.map((s, i) => occurrence(uid, s, { ...own, itemId: `${tag}-occ-${i}`, changeKey: ck, ...(master.summary ? { summary: master.summary } : {}), ...changes[s] })),
      });
    const [created] = ok(await sync([listed('CK1')])).syncMailboxCalendar;
    expect(created).toMatchObject({ outcome: 'CREATED' });
    const occurrences = await occurrencesOf(created.appointmentId);
    const second = globalId(occurrences[1].id);
    // Read, nothing differs: nothing to write (no echo), and Sam's edits will reach Outlook.
    expect(await claim()).toEqual([]);
    const flags = async (id: string) => ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Appointment { followsOrganizer changesReachAttendees } } }', { id }, sam)).node;
    expect(await flags(second)).toEqual({ followsOrganizer: false, changesReachAttendees: true });
    expect(await flags(created.appointmentId)).toEqual({ followsOrganizer: false, changesReachAttendees: true });

    // Sam moves the second occurrence in the CRM: handed out to change that occurrence's entry, under the series' UID, never made anew.
    ok(await hub.gql('mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }', { id: second, input: { startAt: '2027-03-04T12:00:00.000Z', endAt: '2027-03-04T13:00:00.000Z' } }, sam));
    const [write] = await claim();
    expect(write).toMatchObject({ appointmentId: second, uid, itemId: `${tag}-occ-1`, changeKey: 'CK1', startAt: '2027-03-04T12:00:00.000Z', createIfMissing: false });
    ok(await hub.gql(REPORT, { m: samMailbox, l: lease, w: [{ appointmentId: second, itemId: `${tag}-occ-1`, changeKey: 'CK2', fingerprint: write.fingerprint }] }, hub.syncServiceKey));
    // Exchange lists the series again, the occurrence now an exception: nothing changes and nothing is written back.
    const moved = { [STARTS[1]]: { instanceType: 'EXCEPTION', start: '2027-03-04T12:00:00.000Z', end: '2027-03-04T13:00:00.000Z' } };
    expect(ok(await sync([listed('CK2', moved)])).syncMailboxCalendar[0]).toMatchObject({ outcome: 'UPDATED' });
    expect(await claim()).toEqual([]);
    expect((await occurrencesOf(created.appointmentId)).map((o) => [o.instanceType, o.state])).toEqual([['OCCURRENCE', 'OPEN'], ['EXCEPTION', 'OPEN'], ['OCCURRENCE', 'OPEN'], ['OCCURRENCE', 'OPEN']]);
    expect(ok(await hub.gql(APPOINTMENT, { id: second }, admin)).node.startAt).toBe('2027-03-04T12:00:00.000Z');

    // Sam renames the series in the CRM: handed out to change the master.
    ok(await hub.gql('mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }', { id: created.appointmentId, input: { subject: 'Pipeline review (Q1)' } }, sam));
    expect(await claim()).toEqual([expect.objectContaining({ appointmentId: created.appointmentId, itemId: `${tag}-master`, subject: 'Pipeline review (Q1)', createIfMissing: false })]);

    // Meanwhile he also moved the third occurrence in the CRM; Outlook moved it later: Outlook's wins, the CRM's is kept as the loser.
    const third = globalId(occurrences[2].id);
    ok(await hub.gql('mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }', { id: third, input: { location: 'Room 9' } }, sam));
    const later = new Date(Date.now() + HOUR).toISOString();
    const outlookMoved = { ...moved, [STARTS[2]]: { instanceType: 'EXCEPTION', start: '2027-03-09T08:00:00.000Z', end: '2027-03-09T09:00:00.000Z', lastModifiedAt: later } };
    ok(await sync([listed('CK3', outlookMoved, { lastModifiedAt: new Date(Date.now() - HOUR).toISOString() })]));
    const thirdNow = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Appointment { startAt location syncConflicts { winner losingVersion { location } } } } }', { id: third }, sam)).node;
    expect(thirdNow).toEqual({ startAt: '2027-03-09T08:00:00.000Z', location: 'Room 3', syncConflicts: [{ winner: 'EXCHANGE', losingVersion: { location: 'Room 9' } }] });
    // The master's rename in the CRM was later than Outlook's last change of the master: still to be written.
    expect((await claim()).map((w) => w.appointmentId)).toEqual([created.appointmentId]);

    // A series the customer organizes (Sam is invited) follows its organizer: Sam's changes are not handed out.
    const theirsUid = `${tag}-theirs@customer.test`;
    const theirs = ok(await sync([series(theirsUid, {
      master: event(theirsUid, STARTS[0], { organizer: { address: contact.primaryEmail }, itemId: `${tag}-t-master`, changeKey: 'CK1', invitationsSent: true, mailboxOrganizes: false }),
      occurrences: STARTS.map((s, i) => occurrence(theirsUid, s, { organizer: { address: contact.primaryEmail }, itemId: `${tag}-t-${i}`, changeKey: 'CK1', mailboxOrganizes: false })),
    })])).syncMailboxCalendar[0].appointmentId;
    const theirOccurrence = globalId((await occurrencesOf(theirs))[0].id);
    ok(await hub.gql('mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }', { id: theirOccurrence, input: { location: 'Our office' } }, sam));
    expect((await claim()).map((w) => w.appointmentId)).toEqual([created.appointmentId]);
    expect(await flags(theirOccurrence)).toEqual({ followsOrganizer: true, changesReachAttendees: false });
  });

  it('refuses what is not the engine\'s or does not fit, naming the field', async () => {
    const uid = `${tag}-abuse@corp.test`;
    const sam = await hub.login('sam.sales@demo.crm.test');
    failed(await sync([series(uid)], sam), 'FORBIDDEN');
    failed(await hub.gql(SYNC, { m: samMailbox, l: 'not-the-lease', e: [], s: [series(uid)] }, hub.syncServiceKey), 'CONFLICT', 'leaseId');
    const tooMany = Array.from({ length: 501 }, (_, i) => occurrence(uid, new Date(Date.UTC(2027, 0, 1) + i * 86_400_000).toISOString()));
    failed(await sync([series(uid, { occurrences: tooMany })]), 'BAD_USER_INPUT', 'series[0].occurrences');
    failed(await sync(Array.from({ length: 21 }, (_, i) => series(`${uid}-${i}`, { occurrences: [] }))), 'BAD_USER_INPUT', 'series');
    failed(await sync([series(uid, { windowTo: '2026-01-01T00:00:00.000Z' })]), 'BAD_USER_INPUT', 'series[0].windowTo');
    failed(await sync([series(uid, { recurrence: { ...recurrence, interval: 0 } })]), 'BAD_USER_INPUT', 'series[0].recurrence.interval');
    failed(await sync([series(uid, { recurrence: { ...recurrence, rangeEnd: 'March' } })]), 'BAD_USER_INPUT', 'series[0].recurrence.rangeEnd');
    expect(await hub.database.dataSource.query('SELECT activityId FROM appointment_detail WHERE icalUid = ?', [uid])).toEqual([]);
  });
});
