import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EwsCalendarSource, readCalendarPage, writeCalendar } from '../../sync-engine/src/mail/ews/ews-calendar.js';
import { EwsServices, type EwsAccount } from '../../sync-engine/src/mail/ews/ews-service.js';
import { EwsSource } from '../../sync-engine/src/mail/ews/ews-source.js';
import { checkEwsDocument } from '../support/ews/ews-schema';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server';

// The Exchange Calendar read by the engine's adapter (SyncFolderItems, then GetItem of the calendar properties),
// against the schema-faithful EWS test server, not Exchange.

const SAM = 'sam@corp.test';
let ews: StartedEwsServer;
let services: EwsServices;
const account: EwsAccount = { address: SAM, connection: { url: '', impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 4 }, credentials: { method: 'PASSWORD', username: SAM, password: 'pw' } };
const session = () => services.session({ ...account, connection: { ...account.connection, url: ews.url } }, 'incoming');

beforeAll(async () => {
  ews = await startEwsTestServer();
  ews.addUser(SAM, { password: 'pw' });
  services = new EwsServices({ timeoutMs: 10_000, maxBackOffMs: 2_000 });
});
afterAll(() => ews?.close());

describe('Exchange Calendar read against the schema-faithful EWS test server (not Exchange)', () => {
  it('lists meetings with their UID, times, organizer and attendees; a moved meeting comes again with its new sequence; private ones stay out', async () => {
    const meeting = ews.addCalendarItem(SAM, {
      uid: '040000008200E00074C5B7101A82E008-meeting-1', subject: 'Contract review', location: 'Room Åre',
      start: new Date('2026-12-10T09:00:00Z'), end: new Date('2026-12-10T10:00:00Z'),
      organizer: { name: 'Sam Sales', address: SAM }, required: [{ name: 'Ann Buyer', address: 'ann@customer.test' }], optional: [{ address: 'bo@customer.test' }], sequence: 0,
    });
    ews.addCalendarItem(SAM, { uid: 'private-1', subject: 'Dentist', start: new Date('2026-12-11T08:00:00Z'), end: new Date('2026-12-11T09:00:00Z'), organizer: { address: SAM }, sensitivity: 'Private' });
    ews.addCalendarItem(SAM, { uid: 'all-day-1', subject: 'Trade fair', allDay: true, start: new Date('2026-12-13T23:00:00Z'), end: new Date('2026-12-15T23:00:00Z'), organizer: { address: SAM }, required: [{ address: 'ann@customer.test' }] });

    const first = await readCalendarPage(await session(), null, 512);
    expect(first.skipped).toBe(1);
    expect(first.events).toEqual([
      {
        method: 'PUBLISH', uid: '040000008200E00074C5B7101A82E008-meeting-1', sequence: 0, summary: 'Contract review', location: 'Room Åre', description: null,
        start: '2026-12-10T09:00:00.000Z', end: '2026-12-10T10:00:00.000Z', allDay: false, organizer: { address: SAM, name: 'Sam Sales' },
        attendees: [
          { address: 'ann@customer.test', name: 'Ann Buyer', role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' },
          { address: 'bo@customer.test', name: null, role: 'OPT-PARTICIPANT', partstat: 'NEEDS-ACTION' },
        ],
        status: 'CONFIRMED', itemId: meeting, changeKey: expect.any(String), lastModifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
        mailboxOrganizes: true, invitationsSent: false,
      },
      // Local midnight (here UTC+1) is the day itself.
      expect.objectContaining({ uid: 'all-day-1', allDay: true, start: '2026-12-14T00:00:00.000Z', end: '2026-12-16T00:00:00.000Z' }),
    ]);

    // Nothing new: an empty page. Then the organizer moves the meeting, and later cancels it.
    expect((await readCalendarPage(await session(), first.syncState, 512)).events).toEqual([]);
    ews.updateCalendarItem(SAM, meeting, { start: new Date('2026-12-10T13:00:00Z'), end: new Date('2026-12-10T14:00:00Z'), sequence: 1 });
    const moved = await readCalendarPage(await session(), first.syncState, 512);
    expect(moved.events).toEqual([expect.objectContaining({ uid: '040000008200E00074C5B7101A82E008-meeting-1', sequence: 1, start: '2026-12-10T13:00:00.000Z', status: 'CONFIRMED' })]);
    ews.updateCalendarItem(SAM, meeting, { cancelled: true, sequence: 2 });
    expect((await readCalendarPage(await session(), moved.syncState, 512)).events).toEqual([expect.objectContaining({ sequence: 2, status: 'CANCELLED' })]);
  });

  it('pages through a large calendar', async () => {
    const user = 'busy@corp.test';
    ews.addUser(user, { password: 'pw' });
    for (let i = 0; i < 30; i++) ews.addCalendarItem(user, { uid: `busy-${i}`, subject: `Call ${i}`, start: new Date(Date.UTC(2026, 11, 1, 8 + (i % 8))), end: new Date(Date.UTC(2026, 11, 1, 9 + (i % 8))), organizer: { address: user }, required: [{ address: 'ann@customer.test' }] });
    const busy = await services.session({ ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, 'incoming');
    const uids: string[] = [];
    let state: string | null = null;
    for (let more = true; more; ) {
      const page = await readCalendarPage(busy, state, 12);
      uids.push(...page.events.map((e) => e.uid));
      state = page.syncState;
      more = page.moreChangesAvailable;
    }
    expect(uids).toEqual(Array.from({ length: 30 }, (_, i) => `busy-${i}`));
  });

  it('pull notifications wake the mailbox when a meeting is moved in its Calendar, when it synchronizes appointments', async () => {
    const user = 'push@corp.test';
    ews.addUser(user, { password: 'pw' });
    const meeting = ews.addCalendarItem(user, { uid: 'push-1', subject: 'Kickoff', start: new Date('2026-12-20T09:00:00Z'), end: new Date('2026-12-20T10:00:00Z'), organizer: { address: user }, required: [{ address: 'ann@customer.test' }] });
    const watching = new EwsSource({ services, account: { ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, folders: { sent: null, tracked: [] }, pullIntervalMs: 50, watchActFolders: true });
    await watching.open();
    // The first wait subscribes; nothing has changed yet.
    expect(await watching.waitForChange(300)).toBe('timeout');
    setTimeout(() => ews.updateCalendarItem(user, meeting, { start: new Date('2026-12-21T09:00:00Z'), end: new Date('2026-12-21T10:00:00Z'), sequence: 1 }), 100);
    expect(await watching.waitForChange(5_000)).toBe('changed');
    await watching.close();
  });

  it('writes text with XML\'s special characters as it is (ews-javascript-api writes values unescaped; Exchange refuses a bare "&"), created and updated', async () => {
    const user = 'esc-calendar@corp.test';
    ews.addUser(user, { password: 'pw' });
    const writer = await services.session({ ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, 'incoming');
    const tricky = `R&D <review> "quoted" 'x' &amp; ok`;
    const write = { appointmentId: 'QXBwb2ludG1lbnQ6Mg', uid: 'a2@crm-activity-hub', itemId: null, changeKey: null, subject: tricky, startAt: '2027-03-01T09:00:00.000Z', endAt: '2027-03-01T10:00:00.000Z', allDay: false, location: 'Room <4> & 5', cancelled: false, attendees: [{ address: 'ann@customer.test', name: 'Ann & Co <Buyer>', required: true }], fingerprint: 'f1', createIfMissing: true };
    const [created] = await writeCalendar(writer, [write]);
    expect(ews.calendarItems(user)[0]).toMatchObject({ subject: tricky, location: 'Room <4> & 5', required: [{ name: 'Ann & Co <Buyer>', address: 'ann@customer.test' }] });
    await writeCalendar(writer, [{ ...write, itemId: created.itemId, changeKey: created.changeKey, subject: `${tricky} (2)`, fingerprint: 'f2' }]);
    expect(ews.calendarItems(user)[0].subject).toBe(`${tricky} (2)`);
  });

  it('writes an appointment with the CRM\'s UID and no invitations, changes it in place over the version it last saw, and removes a cancelled one', async () => {
    const user = 'writer@corp.test';
    ews.addUser(user, { password: 'pw' });
    const writer = await services.session({ ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, 'incoming');
    const write = { appointmentId: 'QXBwb2ludG1lbnQ6MQ', uid: 'a1@crm-activity-hub', itemId: null, changeKey: null, subject: 'Demo', startAt: '2027-03-01T09:00:00.000Z', endAt: '2027-03-01T10:00:00.000Z', allDay: false, location: 'Room 2', cancelled: false, attendees: [{ address: 'ann@customer.test', name: 'Ann Buyer', required: true }, { address: 'bo@customer.test', name: null, required: false }], fingerprint: 'f1', createIfMissing: true };
    const [created] = await writeCalendar(writer, [write]);
    expect(created).toEqual({ appointmentId: write.appointmentId, itemId: expect.any(String), changeKey: expect.any(String), fingerprint: 'f1' });
    expect(ews.calendarItems(user)).toEqual([expect.objectContaining({ itemId: created.itemId, changeKey: created.changeKey, uid: 'a1@crm-activity-hub', subject: 'Demo', location: 'Room 2', sendMeetingInvitations: 'SendToNone', required: [{ name: 'Ann Buyer', address: 'ann@customer.test' }], optional: [{ name: 'bo@customer.test', address: 'bo@customer.test' }] })]);
    // Read back, it is the same UID (the hub recognizes its own appointment), with the version and when it last changed.
    const first = await readCalendarPage(writer, null, 512);
    expect(first.events).toEqual([expect.objectContaining({ uid: 'a1@crm-activity-hub', itemId: created.itemId, changeKey: created.changeKey, lastModifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })]);

    // Moved and renamed in the CRM: UpdateItem in place (same ItemId, a new ChangeKey), and nobody is told from here.
    const [moved] = await writeCalendar(writer, [{ ...write, itemId: created.itemId, changeKey: created.changeKey, subject: 'Demo, part 2', startAt: '2027-03-02T09:00:00.000Z', endAt: '2027-03-02T10:30:00.000Z', location: null, fingerprint: 'f2' }]);
    expect(moved).toEqual({ appointmentId: write.appointmentId, itemId: created.itemId, changeKey: expect.any(String), fingerprint: 'f2' });
    expect(moved.changeKey).not.toBe(created.changeKey);
    const [entry] = ews.calendarItems(user);
    expect(entry).toMatchObject({ itemId: created.itemId, uid: 'a1@crm-activity-hub', subject: 'Demo, part 2', location: null, updateSent: 'SendToNone' });
    expect([entry.start.toISOString(), entry.end.toISOString()]).toEqual(['2027-03-02T09:00:00.000Z', '2027-03-02T10:30:00.000Z']);
    expect(ews.requests().filter((r) => r.operation === 'CreateItem' && r.mailbox === user)).toHaveLength(1);
    // The next read sees the hub's own write as one change of the same entry.
    expect((await readCalendarPage(writer, first.syncState, 512)).events).toEqual([expect.objectContaining({ itemId: created.itemId, changeKey: moved.changeKey, summary: 'Demo, part 2' })]);

    // Changed in Outlook since the hub last saw it (a stale ChangeKey): the hub's write is held back, and Outlook's version stays.
    ews.updateCalendarItem(user, created.itemId!, { subject: 'Demo (moved by Sam)' });
    expect(await writeCalendar(writer, [{ ...write, itemId: created.itemId, changeKey: moved.changeKey, subject: 'Demo, part 3', fingerprint: 'f3' }])).toEqual([]);
    expect(ews.calendarItems(user)).toEqual([expect.objectContaining({ itemId: created.itemId, subject: 'Demo (moved by Sam)' })]);

    // Deleted in Outlook, then changed in the CRM: made again (a change wins over a deletion).
    const seen = ews.calendarItems(user)[0].changeKey;
    ews.moveToDeletedItems(user, created.itemId!);
    const [again] = await writeCalendar(writer, [{ ...write, itemId: created.itemId, changeKey: seen, subject: 'Demo, part 3', fingerprint: 'f3' }]);
    expect(again.itemId).not.toBe(created.itemId);
    expect(ews.calendarItems(user)).toEqual([expect.objectContaining({ itemId: again.itemId, uid: 'a1@crm-activity-hub', subject: 'Demo, part 3' })]);

    const [removed] = await writeCalendar(writer, [{ ...write, itemId: again.itemId, changeKey: again.changeKey, cancelled: true, fingerprint: 'f4' }]);
    expect(removed).toMatchObject({ itemId: null, changeKey: null });
    expect(ews.calendarItems(user)).toEqual([]);
    // Removing what Outlook already deleted is no failure.
    expect(await writeCalendar(writer, [{ ...write, itemId: again.itemId, cancelled: true, fingerprint: 'f4' }])).toEqual([removed]);
  });

  it('a meeting the mailbox organized and sent from Outlook: read as the mailbox\'s own; a change from the CRM goes to its attendees, a cancellation cancels it for them, and one deleted in Outlook is not made again', async () => {
    const user = 'organizer@corp.test';
    ews.addUser(user, { password: 'pw' });
    const organizer = await services.session({ ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, 'incoming');
    const sent = ews.addCalendarItem(user, { uid: 'outlook-sent-1', subject: 'Kickoff', start: new Date('2027-04-01T09:00:00Z'), end: new Date('2027-04-01T10:00:00Z'), organizer: { address: user }, required: [{ address: 'ann@customer.test' }], invitationsSent: true, sequence: 0 });
    const unsent = ews.addCalendarItem(user, { uid: 'outlook-unsent-1', subject: 'Draft plan', start: new Date('2027-04-02T09:00:00Z'), end: new Date('2027-04-02T10:00:00Z'), organizer: { address: user }, required: [{ address: 'ann@customer.test' }] });
    const theirs = ews.addCalendarItem(user, { uid: 'invited-1', subject: 'Their demo', start: new Date('2027-04-03T09:00:00Z'), end: new Date('2027-04-03T10:00:00Z'), organizer: { address: 'ann@customer.test' }, required: [{ address: user }], invitationsSent: true });
    const page = await readCalendarPage(organizer, null, 512);
    const byUid = new Map(page.events.map((e) => [e.uid, e]));
    expect(byUid.get('outlook-sent-1')).toMatchObject({ itemId: sent, mailboxOrganizes: true, invitationsSent: true });
    expect(byUid.get('outlook-unsent-1')).toMatchObject({ itemId: unsent, mailboxOrganizes: true, invitationsSent: false });
    expect(byUid.get('invited-1')).toMatchObject({ itemId: theirs, mailboxOrganizes: false, invitationsSent: true });

    const entry = (itemId: string) => ews.calendarItems(user).find((e) => e.itemId === itemId)!;
    const write = { appointmentId: 'QXBwb2ludG1lbnQ6NQ', uid: 'outlook-sent-1', itemId: sent, changeKey: entry(sent).changeKey, subject: 'Kickoff', startAt: '2027-04-01T13:00:00.000Z', endAt: '2027-04-01T14:00:00.000Z', allDay: false, location: null, cancelled: false, attendees: [], fingerprint: 'f1', createIfMissing: false };
    // Moved in the CRM: the sent meeting's attendees get the update (Exchange raises its sequence); the unsent one tells nobody.
    const [moved] = await writeCalendar(organizer, [write, { ...write, appointmentId: 'QXBwb2ludG1lbnQ6Ng', uid: 'outlook-unsent-1', itemId: unsent, changeKey: entry(unsent).changeKey, subject: 'Draft plan', startAt: '2027-04-02T13:00:00.000Z', endAt: '2027-04-02T14:00:00.000Z' }]);
    expect(entry(sent)).toMatchObject({ uid: 'outlook-sent-1', updateSent: 'SendToAllAndSaveCopy', sequence: 1 });
    expect(entry(sent).start.toISOString()).toBe('2027-04-01T13:00:00.000Z');
    expect(entry(unsent)).toMatchObject({ updateSent: 'SendToNone' });
    // Cancelled in the CRM: removed, and the attendees get the cancellation; the unsent one goes quietly.
    await writeCalendar(organizer, [{ ...write, changeKey: moved.changeKey, cancelled: true, fingerprint: 'f2' }, { ...write, uid: 'outlook-unsent-1', itemId: unsent, changeKey: null, cancelled: true, fingerprint: 'f2' }]);
    expect(ews.calendarDeletions(user)).toEqual([{ uid: 'outlook-sent-1', mode: 'SendToAllAndSaveCopy' }, { uid: 'outlook-unsent-1', mode: 'SendToNone' }]);
    // Deleted in Outlook by its organizer, then changed in the CRM: not made again, and reported as gone.
    ews.moveToDeletedItems(user, theirs);
    expect(await writeCalendar(organizer, [{ ...write, uid: 'invited-1', itemId: theirs, changeKey: null, fingerprint: 'f3' }])).toEqual([{ appointmentId: write.appointmentId, itemId: null, changeKey: null, fingerprint: 'f3' }]);
    expect(ews.requests().filter((r) => r.operation === 'CreateItem' && r.mailbox === user)).toHaveLength(0);
  });

  it('writes an all-day appointment from midnight to midnight in the mailbox\'s zone (StartTimeZone), also past UTC+12, and reads its days back; without a zone it stays in UTC', async () => {
    const writerIn = async (user: string) => {
      ews.addUser(user, { password: 'pw' });
      return services.session({ ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, 'incoming');
    };
    const write = { appointmentId: 'QXBwb2ludG1lbnQ6Mg', uid: 'fair@crm-activity-hub', itemId: null, changeKey: null, subject: 'Trade fair', startAt: '2027-01-10T00:00:00.000Z', endAt: '2027-01-12T00:00:00.000Z', allDay: true, location: null, cancelled: false, attendees: [], fingerprint: 'f1', createIfMissing: true };
    const cases = [
      { user: 'stockholm@corp.test', zone: 'Europe/Stockholm', windows: 'W. Europe Standard Time', start: '2027-01-09T23:00:00.000Z', end: '2027-01-11T23:00:00.000Z' },
      // New Zealand in summer is UTC+13: its midnight is 11:00 UTC the day before, beyond a 12-hour guess.
      { user: 'auckland@corp.test', zone: 'Pacific/Auckland', windows: 'New Zealand Standard Time', start: '2027-01-09T11:00:00.000Z', end: '2027-01-11T11:00:00.000Z' },
      { user: 'newyork@corp.test', zone: 'America/New_York', windows: 'Eastern Standard Time', start: '2027-01-10T05:00:00.000Z', end: '2027-01-12T05:00:00.000Z' },
      { user: 'nozone@corp.test', zone: null, windows: undefined, start: '2027-01-10T00:00:00.000Z', end: '2027-01-12T00:00:00.000Z' },
    ];
    for (const c of cases) {
      const writer = await writerIn(c.user);
      const [created] = await writeCalendar(writer, [write], undefined, c.zone);
      const [entry] = ews.calendarItems(c.user);
      expect({ allDay: entry.allDay, timeZone: entry.timeZone, start: entry.start.toISOString(), end: entry.end.toISOString() }, c.user).toEqual({ allDay: true, timeZone: c.windows, start: c.start, end: c.end });
      // Read back: the same whole UTC days the CRM wrote, so nothing differs and nothing is written again.
      const [read] = (await readCalendarPage(writer, null, 512, undefined, { timeZone: c.zone })).events;
      expect([read.itemId, read.start, read.end, read.allDay], c.user).toEqual([created.itemId, write.startAt, write.endAt, true]);
      // Moved in the CRM by a day: moved in place, still in the zone.
      await writeCalendar(writer, [{ ...write, itemId: created.itemId, changeKey: created.changeKey, startAt: '2027-01-11T00:00:00.000Z', endAt: '2027-01-13T00:00:00.000Z', fingerprint: 'f2' }], undefined, c.zone);
      const [moved] = ews.calendarItems(c.user);
      expect([moved.itemId, moved.start.getTime() - entry.start.getTime(), moved.timeZone], c.user).toEqual([created.itemId, 86_400_000, c.windows]);
    }
  });

  it('reads an all-day entry kept in its own zone (made while travelling, StartTimeZone Tonga at UTC+13) on its own days, whatever the mailbox\'s zone', async () => {
    const user = 'traveller@corp.test';
    ews.addUser(user, { password: 'pw' });
    const reader = await services.session({ ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, 'incoming');
    // 10–11 January in Nuku'alofa: from its midnight, 11:00 UTC on the 9th, to 11:00 UTC on the 11th.
    ews.addCalendarItem(user, { uid: 'tonga-fair', subject: 'Fair in Tonga', allDay: true, timeZone: 'Tonga Standard Time', start: new Date('2027-01-09T11:00:00Z'), end: new Date('2027-01-11T11:00:00Z'), organizer: { address: user } });
    for (const timeZone of ['Europe/Stockholm', null]) {
      const [read] = (await readCalendarPage(reader, null, 512, undefined, { timeZone })).events;
      expect([read.start, read.end, read.allDay], String(timeZone)).toEqual(['2027-01-10T00:00:00.000Z', '2027-01-12T00:00:00.000Z', true]);
    }
  });

  it('passes on the ids of entries deleted from the Calendar', async () => {
    const user = 'deleter@corp.test';
    ews.addUser(user, { password: 'pw' });
    const reader = await services.session({ ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, 'incoming');
    const entry = ews.addCalendarItem(user, { uid: 'gone-1', subject: 'Call', start: new Date('2027-03-05T09:00:00Z'), end: new Date('2027-03-05T10:00:00Z'), organizer: { address: user } });
    const first = await readCalendarPage(reader, null, 512);
    expect(first.deletedItemIds).toEqual([]);
    ews.moveToDeletedItems(user, entry);
    expect(await readCalendarPage(reader, first.syncState, 512)).toMatchObject({ events: [], deletedItemIds: [entry] });
  });

  describe('recurring series', () => {
    const login = async (user: string) => {
      ews.addUser(user, { password: 'pw' });
      return services.session({ ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, 'incoming');
    };
    const weekly = (user: string, uid: string) =>
      ews.addCalendarItem(user, {
        uid, subject: 'Pipeline review', location: 'Room 3', start: new Date('2027-03-01T08:00:00Z'), end: new Date('2027-03-01T09:00:00Z'), timeZone: 'W. Europe Standard Time',
        organizer: { name: 'Sam Sales', address: user }, required: [{ name: 'Ann Buyer', address: 'ann@customer.test' }],
        recurrence: { WeeklyRecurrence: { Interval: 1, DaysOfWeek: 'Monday Wednesday', FirstDayOfWeek: 'Monday' }, EndDateRecurrence: { StartDate: '2027-03-01', EndDate: '2027-03-31' } },
      });
    const now = new Date('2027-02-10T12:00:00Z');

    it('reads a weekly series as its rule and its occurrences, each an appointment with the attendees, at 09:00 Stockholm time on both sides of the DST change', async () => {
      const user = 'series@corp.test';
      const reader = await login(user);
      const master = weekly(user, 'series-1');
      const page = await readCalendarPage(reader, null, 512, undefined, { now });
      expect(page.events).toEqual([]);
      expect(page.skipped).toBe(0);
      expect(page.series).toHaveLength(1);
      const [series] = page.series;
      expect(series.master).toMatchObject({ uid: 'series-1', summary: 'Pipeline review', itemId: master, start: '2027-03-01T08:00:00.000Z', organizer: { address: user, name: 'Sam Sales' } });
      expect(series.recurrence).toEqual({ pattern: 'WEEKLY', interval: 1, daysOfWeek: ['MONDAY', 'WEDNESDAY'], dayOfMonth: null, weekIndex: null, month: null, rangeStart: '2027-03-01', rangeEnd: '2027-03-31', count: null, timeZone: 'W. Europe Standard Time' });
      // The default window: three months back, twelve ahead, from the start of the day.
      expect(series.window).toEqual({ from: '2026-11-10T00:00:00.000Z', to: '2028-02-10T00:00:00.000Z' });
      expect(series.occurrences.map((o) => o.start)).toEqual([
        '2027-03-01T08:00:00.000Z', '2027-03-03T08:00:00.000Z', '2027-03-08T08:00:00.000Z', '2027-03-10T08:00:00.000Z', '2027-03-15T08:00:00.000Z',
        '2027-03-17T08:00:00.000Z', '2027-03-22T08:00:00.000Z', '2027-03-24T08:00:00.000Z',
        // Summer time from 28 March: 09:00 in Stockholm is 07:00 UTC.
        '2027-03-29T07:00:00.000Z', '2027-03-31T07:00:00.000Z',
      ]);
      expect(series.occurrences[0]).toEqual({
        method: 'PUBLISH', uid: 'series-1', sequence: 0, summary: 'Pipeline review', location: 'Room 3', description: null, start: '2027-03-01T08:00:00.000Z', end: '2027-03-01T09:00:00.000Z',
        allDay: false, organizer: { address: user, name: 'Sam Sales' }, attendees: [{ address: 'ann@customer.test', name: 'Ann Buyer', role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' }],
        status: 'CONFIRMED', itemId: ews.occurrenceId(user, master, new Date('2027-03-01T08:00:00Z')), changeKey: expect.any(String), lastModifiedAt: expect.any(String), mailboxOrganizes: true, invitationsSent: false,
        instanceType: 'OCCURRENCE', originalStart: '2027-03-01T08:00:00.000Z',
      });
      expect(new Set(series.occurrences.map((o) => o.itemId)).size).toBe(10);
    });

    it('an occurrence moved and another deleted in Outlook change the master: the next page has the series again with the exception and without the deleted one', async () => {
      const user = 'series-change@corp.test';
      const reader = await login(user);
      const master = weekly(user, 'series-2');
      const first = await readCalendarPage(reader, null, 512, undefined, { now });
      const changeKey = first.series[0].master!.changeKey;
      ews.updateOccurrence(user, master, new Date('2027-03-10T08:00:00Z'), { start: new Date('2027-03-11T13:00:00Z'), end: new Date('2027-03-11T14:00:00Z'), subject: 'Pipeline review (moved)' });
      ews.deleteOccurrence(user, master, new Date('2027-03-15T08:00:00Z'));
      const next = await readCalendarPage(reader, first.syncState, 512, undefined, { now });
      expect(next.series).toHaveLength(1);
      expect(next.series[0].master!.changeKey).not.toBe(changeKey);
      const occurrences = next.series[0].occurrences;
      expect(occurrences).toHaveLength(9);
      expect(occurrences.map((o) => o.originalStart)).not.toContain('2027-03-15T08:00:00.000Z');
      expect(occurrences.find((o) => o.originalStart === '2027-03-10T08:00:00.000Z')).toMatchObject({ instanceType: 'EXCEPTION', start: '2027-03-11T13:00:00.000Z', end: '2027-03-11T14:00:00.000Z', summary: 'Pipeline review (moved)' });
      expect(occurrences.filter((o) => o.instanceType === 'EXCEPTION')).toHaveLength(1);
    });

    it('UpdateItem and DeleteItem on an occurrence\'s own ItemId make an exception and a deleted occurrence, as Exchange does', async () => {
      const user = 'series-writes@corp.test';
      const writer = await login(user);
      const master = weekly(user, 'series-3');
      const first = await readCalendarPage(writer, null, 512, undefined, { now });
      const occurrence = first.series[0].occurrences[2];
      // The occurrence's ChangeKey is its master's: writing over it is writing over the version read.
      const [written] = await writeCalendar(writer, [{ appointmentId: 'QXBwb2ludG1lbnQ6OQ', uid: 'series-3', itemId: occurrence.itemId!, changeKey: occurrence.changeKey!, subject: 'Pipeline review, longer', startAt: '2027-03-08T08:00:00.000Z', endAt: '2027-03-08T10:00:00.000Z', allDay: false, location: 'Room 3', cancelled: false, attendees: [], fingerprint: 'f1', createIfMissing: true }]);
      expect(written.itemId).toBe(occurrence.itemId);
      expect(ews.calendarItems(user)).toHaveLength(1);
      expect(ews.calendarItems(user)[0].exceptions).toEqual([{ originalStart: new Date('2027-03-08T08:00:00Z'), start: new Date('2027-03-08T08:00:00Z'), end: new Date('2027-03-08T10:00:00Z'), subject: 'Pipeline review, longer', location: 'Room 3' }]);
      await writeCalendar(writer, [{ appointmentId: 'QXBwb2ludG1lbnQ6OQ', uid: 'series-3', itemId: first.series[0].occurrences[3].itemId!, changeKey: null, subject: '', startAt: '', endAt: '', allDay: false, location: null, cancelled: true, attendees: [], fingerprint: 'f2', createIfMissing: false }]);
      expect(ews.calendarItems(user)[0].deletedOccurrences).toEqual([new Date('2027-03-10T08:00:00Z')]);
      const next = await readCalendarPage(writer, first.syncState, 512, undefined, { now });
      expect(next.series.map((s) => [s.master!.itemId, s.occurrences.length])).toEqual([[master, 9]]);
    });

    it('a series whose invitations were sent: a CRM change to one occurrence or to the series goes to the attendees, a cancelled occurrence is cancelled for them, and the series keeps its own time zone', async () => {
      const user = 'series-sent@corp.test';
      const writer = await login(user);
      const master = weekly(user, 'series-sent');
      ews.updateCalendarItem(user, master, { invitationsSent: true });
      const first = await readCalendarPage(writer, null, 512, undefined, { now });
      const [series] = first.series;
      expect(series.master).toMatchObject({ mailboxOrganizes: true, invitationsSent: true });
      expect(series.occurrences[1]).toMatchObject({ mailboxOrganizes: true, invitationsSent: true });
      const base = { appointmentId: 'QXBwb2ludG1lbnQ6MTA', uid: 'series-sent', allDay: false, cancelled: false, attendees: [], createIfMissing: false };
      const [moved] = await writeCalendar(writer, [{ ...base, itemId: series.occurrences[1].itemId!, changeKey: series.occurrences[1].changeKey!, subject: 'Pipeline review', startAt: '2027-03-04T12:00:00.000Z', endAt: '2027-03-04T13:00:00.000Z', location: 'Room 3', fingerprint: 'f1' }], undefined, 'Asia/Tokyo');
      expect(moved.itemId).toBe(series.occurrences[1].itemId);
      expect(ews.occurrenceUpdates(user)).toEqual([{ uid: 'series-sent', originalStart: new Date('2027-03-03T08:00:00Z'), mode: 'SendToAllAndSaveCopy' }]);
      await writeCalendar(writer, [{ ...base, itemId: series.occurrences[2].itemId!, changeKey: null, subject: '', startAt: '', endAt: '', location: null, cancelled: true, fingerprint: 'f2' }]);
      expect(ews.calendarDeletions(user)).toEqual([{ uid: 'series-sent', mode: 'SendToAllAndSaveCopy', originalStart: new Date('2027-03-08T08:00:00Z') }]);
      // Renamed as a series: the master changes, the attendees are told, and the series stays in its own zone (not the mailbox's).
      const [entry] = ews.calendarItems(user);
      await writeCalendar(writer, [{ ...base, itemId: master, changeKey: entry.changeKey, subject: 'Pipeline review (Q1)', startAt: '2027-03-01T08:00:00.000Z', endAt: '2027-03-01T09:00:00.000Z', location: 'Room 3', fingerprint: 'f3' }], undefined, 'Asia/Tokyo');
      expect(ews.calendarItems(user)[0]).toMatchObject({ subject: 'Pipeline review (Q1)', timeZone: 'W. Europe Standard Time', updateSent: 'SendToAllAndSaveCopy' });
      const next = await readCalendarPage(writer, first.syncState, 512, undefined, { now });
      expect(next.series[0].occurrences.map((o) => o.summary)).toEqual(expect.arrayContaining(['Pipeline review (Q1)']));
    });

    it('reads monthly and yearly patterns and numbered ranges; a private series stays out', async () => {
      const user = 'series-patterns@corp.test';
      const reader = await login(user);
      const base = { subject: 'Board', organizer: { address: user }, timeZone: 'W. Europe Standard Time' };
      ews.addCalendarItem(user, { ...base, uid: 'monthly-rel', start: new Date('2027-03-02T09:00:00Z'), end: new Date('2027-03-02T10:00:00Z'), recurrence: { RelativeMonthlyRecurrence: { Interval: 1, DaysOfWeek: 'Tuesday', DayOfWeekIndex: 'First' }, NumberedRecurrence: { StartDate: '2027-03-01', NumberOfOccurrences: 3 } } });
      ews.addCalendarItem(user, { ...base, uid: 'monthly-abs', start: new Date('2027-01-31T09:00:00Z'), end: new Date('2027-01-31T10:00:00Z'), recurrence: { AbsoluteMonthlyRecurrence: { Interval: 1, DayOfMonth: 31 }, NumberedRecurrence: { StartDate: '2027-01-31', NumberOfOccurrences: 3 } } });
      ews.addCalendarItem(user, { ...base, uid: 'daily', start: new Date('2027-03-01T09:00:00Z'), end: new Date('2027-03-01T10:00:00Z'), recurrence: { DailyRecurrence: { Interval: 2 }, NumberedRecurrence: { StartDate: '2027-03-01', NumberOfOccurrences: 3 } } });
      ews.addCalendarItem(user, { ...base, uid: 'yearly', start: new Date('2027-06-01T09:00:00Z'), end: new Date('2027-06-01T10:00:00Z'), recurrence: { AbsoluteYearlyRecurrence: { DayOfMonth: 1, Month: 'June' }, NoEndRecurrence: { StartDate: '2027-06-01' } } });
      ews.addCalendarItem(user, { ...base, uid: 'private-series', sensitivity: 'Private', start: new Date('2027-03-01T09:00:00Z'), end: new Date('2027-03-01T10:00:00Z'), recurrence: { DailyRecurrence: { Interval: 1 }, NoEndRecurrence: { StartDate: '2027-03-01' } } });
      const page = await readCalendarPage(reader, null, 512, undefined, { now });
      expect(page.skipped).toBe(1);
      const byUid = Object.fromEntries(page.series.map((s) => [s.uid, s]));
      expect(Object.keys(byUid).sort()).toEqual(['daily', 'monthly-abs', 'monthly-rel', 'yearly']);
      expect(byUid['monthly-rel'].recurrence).toMatchObject({ pattern: 'RELATIVE_MONTHLY', daysOfWeek: ['TUESDAY'], weekIndex: 'FIRST', count: 3, rangeEnd: null });
      expect(byUid['monthly-rel'].occurrences.map((o) => o.start)).toEqual(['2027-03-02T09:00:00.000Z', '2027-04-06T08:00:00.000Z', '2027-05-04T08:00:00.000Z']);
      // The 31st in a shorter month is its last day.
      expect(byUid['monthly-abs'].occurrences.map((o) => o.start.slice(0, 10))).toEqual(['2027-01-31', '2027-02-28', '2027-03-31']);
      expect(byUid.daily.recurrence).toMatchObject({ pattern: 'DAILY', interval: 2 });
      expect(byUid.daily.occurrences.map((o) => o.start.slice(0, 10))).toEqual(['2027-03-01', '2027-03-03', '2027-03-05']);
      expect(byUid.yearly.recurrence).toMatchObject({ pattern: 'ABSOLUTE_YEARLY', dayOfMonth: 1, month: 6, rangeEnd: null, count: null });
      // No end: as far as the window reaches (to February 2028).
      expect(byUid.yearly.occurrences.map((o) => o.start)).toEqual(['2027-06-01T09:00:00.000Z']);
    });

    it('a window with more entries than one CalendarView answers is read in halves, so no occurrence is missed (and taken for deleted)', async () => {
      const user = 'series-busy@corp.test';
      const reader = await login(user);
      ews.addCalendarItem(user, { uid: 'daily-30', subject: 'Daily check-in', start: new Date('2027-03-01T08:00:00Z'), end: new Date('2027-03-01T08:15:00Z'), organizer: { address: user }, recurrence: { DailyRecurrence: { Interval: 1 }, NumberedRecurrence: { StartDate: '2027-03-01', NumberOfOccurrences: 30 } } });
      const views = () => ews.requests().filter((r) => r.operation === 'FindItem' && r.mailbox === user).length;
      const page = await readCalendarPage(reader, null, 512, undefined, { now, viewMax: 7 });
      expect(page.series[0].occurrences.map((o) => o.originalStart)).toEqual(Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2027, 2, 1 + i, 8)).toISOString()));
      expect(views()).toBeGreaterThan(4);
    });

    it('occurrences that enter the window on a later day arrive without a change to their series (the cursor keeps how far it expanded)', async () => {
      const user = 'series-slide@corp.test';
      await login(user);
      ews.addCalendarItem(user, {
        uid: 'standup', subject: 'Stand-up', start: new Date('2027-02-01T08:00:00Z'), end: new Date('2027-02-01T08:15:00Z'), timeZone: 'W. Europe Standard Time', organizer: { address: user },
        recurrence: { WeeklyRecurrence: { Interval: 1, DaysOfWeek: 'Monday' }, NoEndRecurrence: { StartDate: '2027-02-01' } },
      });
      const source = (day: string) => new EwsCalendarSource(services, { ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, { now: new Date(day), window: { pastMonths: 0, futureMonths: 1 } });
      const read = async (day: string, cursor: string | null) => {
        const batches = [];
        for await (const batch of source(day).read(cursor)) batches.push(batch);
        return batches;
      };
      const first = await read('2027-02-03T10:00:00Z', null);
      expect(first.flatMap((b) => b.series).flatMap((s) => s.occurrences.map((o) => o.start.slice(0, 10)))).toEqual(['2027-02-08', '2027-02-15', '2027-02-22', '2027-03-01']);
      const cursor = first.at(-1)!.cursor;
      expect(JSON.parse(cursor).calendar.expandedUntil).toBe('2027-03-03T00:00:00.000Z');
      // The same day again: nothing.
      expect((await read('2027-02-03T18:00:00Z', cursor)).flatMap((b) => b.series)).toEqual([]);
      // Ten days later the window reaches 13 March: the Monday 8 March arrives, without its master.
      const later = await read('2027-02-13T10:00:00Z', cursor);
      expect(later.flatMap((b) => b.series)).toEqual([{ master: null, uid: 'standup', recurrence: null, occurrences: [expect.objectContaining({ start: '2027-03-08T08:00:00.000Z', instanceType: 'OCCURRENCE' })], window: { from: '2027-03-03T00:00:00.000Z', to: '2027-03-13T00:00:00.000Z' } }]);
      expect(JSON.parse(later.at(-1)!.cursor).calendar.expandedUntil).toBe('2027-03-13T00:00:00.000Z');
    });
  });

  it('every calendar response the test server wrote follows Messages.xsd and Types.xsd', () => {
    expect(ews.documents.some((xml) => xml.includes('<t:CalendarItem>'))).toBe(true);
    for (const shape of ['<t:Recurrence>', '<t:ModifiedOccurrences>', '<t:DeletedOccurrences>', '<t:FirstOccurrence>', '<t:LastOccurrence>', '<t:StartTimeZone', '<t:OriginalStart>', 'IncludesLastItemInRange="true"><t:Items><t:CalendarItem>']) {
      expect(ews.documents.some((xml) => xml.includes(shape)), shape).toBe(true);
    }
    expect(ews.documents.flatMap((xml) => checkEwsDocument(xml))).toEqual([]);
  });
});
