import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCalendarPage, writeCalendar } from '../../sync-engine/src/mail/ews/ews-calendar.js';
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
    const write = { appointmentId: 'QXBwb2ludG1lbnQ6Mg', uid: 'a2@crm-activity-hub', itemId: null, changeKey: null, subject: tricky, startAt: '2027-03-01T09:00:00.000Z', endAt: '2027-03-01T10:00:00.000Z', allDay: false, location: 'Room <4> & 5', cancelled: false, attendees: [{ address: 'ann@customer.test', name: 'Ann & Co <Buyer>', required: true }], fingerprint: 'f1' };
    const [created] = await writeCalendar(writer, [write]);
    expect(ews.calendarItems(user)[0]).toMatchObject({ subject: tricky, location: 'Room <4> & 5', required: [{ name: 'Ann & Co <Buyer>', address: 'ann@customer.test' }] });
    await writeCalendar(writer, [{ ...write, itemId: created.itemId, changeKey: created.changeKey, subject: `${tricky} (2)`, fingerprint: 'f2' }]);
    expect(ews.calendarItems(user)[0].subject).toBe(`${tricky} (2)`);
  });

  it('writes an appointment with the CRM\'s UID and no invitations, changes it in place over the version it last saw, and removes a cancelled one', async () => {
    const user = 'writer@corp.test';
    ews.addUser(user, { password: 'pw' });
    const writer = await services.session({ ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, 'incoming');
    const write = { appointmentId: 'QXBwb2ludG1lbnQ6MQ', uid: 'a1@crm-activity-hub', itemId: null, changeKey: null, subject: 'Demo', startAt: '2027-03-01T09:00:00.000Z', endAt: '2027-03-01T10:00:00.000Z', allDay: false, location: 'Room 2', cancelled: false, attendees: [{ address: 'ann@customer.test', name: 'Ann Buyer', required: true }, { address: 'bo@customer.test', name: null, required: false }], fingerprint: 'f1' };
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

  it('every calendar response the test server wrote follows Messages.xsd and Types.xsd', () => {
    expect(ews.documents.some((xml) => xml.includes('<t:CalendarItem>'))).toBe(true);
    expect(ews.documents.flatMap((xml) => checkEwsDocument(xml))).toEqual([]);
  });
});
