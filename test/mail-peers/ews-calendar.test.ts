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
        status: 'CONFIRMED', itemId: meeting,
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

  it('writes an appointment with the CRM\'s UID and no invitations, writes a changed one again in its place, and removes a cancelled one', async () => {
    const user = 'writer@corp.test';
    ews.addUser(user, { password: 'pw' });
    const writer = await services.session({ ...account, address: user, connection: { ...account.connection, url: ews.url }, credentials: { method: 'PASSWORD', username: user, password: 'pw' } }, 'incoming');
    const write = { appointmentId: 'QXBwb2ludG1lbnQ6MQ', uid: 'a1@crm-activity-hub', itemId: null, subject: 'Demo', startAt: '2027-03-01T09:00:00.000Z', endAt: '2027-03-01T10:00:00.000Z', allDay: false, location: 'Room 2', cancelled: false, attendees: [{ address: 'ann@customer.test', name: 'Ann Buyer', required: true }, { address: 'bo@customer.test', name: null, required: false }], fingerprint: 'f1' };
    const [created] = await writeCalendar(writer, [write]);
    expect(created).toEqual({ appointmentId: write.appointmentId, itemId: expect.any(String), fingerprint: 'f1' });
    expect(ews.calendarItems(user)).toEqual([expect.objectContaining({ itemId: created.itemId, uid: 'a1@crm-activity-hub', subject: 'Demo', location: 'Room 2', sendMeetingInvitations: 'SendToNone', required: [{ name: 'Ann Buyer', address: 'ann@customer.test' }], optional: [{ name: 'bo@customer.test', address: 'bo@customer.test' }] })]);
    // Read back, it is the same UID: the hub recognizes its own appointment.
    expect((await readCalendarPage(writer, null, 512)).events.map((e) => [e.uid, e.itemId])).toEqual([['a1@crm-activity-hub', created.itemId]]);

    const [moved] = await writeCalendar(writer, [{ ...write, itemId: created.itemId, startAt: '2027-03-02T09:00:00.000Z', endAt: '2027-03-02T10:00:00.000Z', fingerprint: 'f2' }]);
    expect(ews.calendarItems(user).map((i) => [i.itemId, i.uid, i.start.toISOString()])).toEqual([[moved.itemId, 'a1@crm-activity-hub', '2027-03-02T09:00:00.000Z']]);
    const [removed] = await writeCalendar(writer, [{ ...write, itemId: moved.itemId, cancelled: true, fingerprint: 'f3' }]);
    expect(removed.itemId).toBeNull();
    expect(ews.calendarItems(user)).toEqual([]);
    // Removing what Outlook already deleted is no failure.
    expect(await writeCalendar(writer, [{ ...write, itemId: moved.itemId, cancelled: true, fingerprint: 'f3' }])).toEqual([removed]);
  });

  it('every calendar response the test server wrote follows Messages.xsd and Types.xsd', () => {
    expect(ews.documents.some((xml) => xml.includes('<t:CalendarItem>'))).toBe(true);
    expect(ews.documents.flatMap((xml) => checkEwsDocument(xml))).toEqual([]);
  });
});
