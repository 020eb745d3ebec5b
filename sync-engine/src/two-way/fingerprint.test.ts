import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.js';
import type { AppointmentFields, ContactFields, SyncedItem, TaskFields } from './model.js';

const meeting: AppointmentFields = {
  subject: 'Quarterly review',
  body: 'Line one\nLine two',
  location: 'Room Vega',
  start: '2026-03-02T08:00:00.000Z',
  end: '2026-03-02T09:00:00.000Z',
  timeZone: 'Europe/Stockholm',
  allDay: false,
  organizer: { email: 'anna@example.se', name: 'Anna Berg' },
  requiredAttendees: [
    { email: 'bjorn@customer.example', name: 'Björn Ek' },
    { email: 'carl@customer.example', name: null },
  ],
  optionalAttendees: [],
  recurrence: null,
  cancelled: false,
  icalUid: null,
};
const appointment = (fields: Partial<AppointmentFields>): SyncedItem => ({ kind: 'APPOINTMENT', fields: { ...meeting, ...fields } });
const base = fingerprint(appointment({}));

describe('fingerprint', () => {
  it('is a SHA-256 in hex and stable', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint(appointment({}))).toBe(base);
  });

  it.each<[string, Partial<AppointmentFields>]>([
    ['attendees in another order', { requiredAttendees: [...meeting.requiredAttendees].reverse() }],
    ['addresses in capitals', { organizer: { email: 'Anna@Example.SE', name: 'Anna Berg' } }],
    ['display names from another directory', { requiredAttendees: [{ email: 'bjorn@customer.example', name: 'Ek, Björn' }, { email: 'carl@customer.example', name: 'Carl' }] }],
    ['CRLF line ends and trailing blanks', { body: 'Line one  \r\nLine two\r\n' }],
    ['an offset instead of Z', { start: '2026-03-02T09:00:00+01:00' }],
    ['milliseconds (EWS keeps seconds)', { end: '2026-03-02T09:00:00.456Z' }],
    ['a zone that means the same for a single timed meeting', { timeZone: 'Europe/Berlin' }],
    ['the iCalendar UID learnt from Exchange', { icalUid: '040000008200E00074C5B7101A82E008' }],
  ])('ignores %s', (_name, change) => {
    expect(fingerprint(appointment(change))).toBe(base);
  });

  it('reads decomposed letters (NFD) as composed ones', () => {
    expect(fingerprint(appointment({ subject: 'Mo\u0308te i Go\u0308teborg' }))).toBe(fingerprint(appointment({ subject: 'Möte i Göteborg' })));
  });

  it('treats an empty or blank text as none', () => {
    expect(fingerprint(appointment({ location: '   ' }))).toBe(fingerprint(appointment({ location: null })));
  });

  it.each<[string, Partial<AppointmentFields>]>([
    ['the subject', { subject: 'Quarterly review (moved)' }],
    ['the start', { start: '2026-03-02T08:30:00.000Z' }],
    ['an attendee', { optionalAttendees: [{ email: 'dora@customer.example', name: null }] }],
    ['a required attendee made optional', { requiredAttendees: [meeting.requiredAttendees[0]], optionalAttendees: [meeting.requiredAttendees[1]] }],
    ['cancellation', { cancelled: true }],
    ['a recurrence', { recurrence: { rrule: 'FREQ=WEEKLY', exdates: [], overrides: [] } }],
  ])('changes with %s', (_name, change) => {
    expect(fingerprint(appointment(change))).not.toBe(base);
  });

  it('compares rules, deleted and changed occurrences in canonical form', () => {
    const one = appointment({
      recurrence: {
        rrule: 'FREQ=MONTHLY;BYDAY=2TU',
        exdates: ['2026-05-12T07:00:00.000Z', '2026-04-14T07:00:00Z'],
        overrides: [
          { originalStart: '2026-06-09T07:00:00Z', start: '2026-06-10T07:00:00Z', end: '2026-06-10T08:00:00Z', subject: null, location: null },
          { originalStart: '2026-03-10T08:00:00Z', start: '2026-03-10T09:00:00Z', end: '2026-03-10T10:00:00Z', subject: null, location: 'Room Orion' },
        ],
      },
    });
    const other = appointment({
      recurrence: {
        rrule: 'FREQ=MONTHLY;INTERVAL=1;BYSETPOS=2;BYDAY=TU',
        exdates: ['2026-04-14T07:00:00.000Z', '2026-05-12T07:00:00.000Z'],
        overrides: [
          { originalStart: '2026-03-10T08:00:00.000Z', start: '2026-03-10T09:00:00.000Z', end: '2026-03-10T10:00:00.000Z', subject: '', location: 'Room Orion' },
          { originalStart: '2026-06-09T07:00:00.000Z', start: '2026-06-10T07:00:00.000Z', end: '2026-06-10T08:00:00.000Z', subject: null, location: null },
        ],
      },
    });
    expect(fingerprint(one)).toBe(fingerprint(other));
    // With a series the zone decides the local times, so it counts.
    expect(fingerprint(appointment({ timeZone: 'Europe/Berlin', recurrence: (one.fields as AppointmentFields).recurrence }))).not.toBe(fingerprint(one));
  });

  it('compares all-day events by their local dates', () => {
    const stockholm = appointment({ allDay: true, start: '2026-12-23T23:00:00.000Z', end: '2026-12-24T23:00:00.000Z' });
    const sameDaysOtherSpelling = appointment({ allDay: true, start: '2026-12-24T00:30:00+01:00', end: '2026-12-25T00:00:00+01:00' });
    expect(fingerprint(sameDaysOtherSpelling)).toBe(fingerprint(stockholm));
    expect(fingerprint(appointment({ allDay: true, start: '2026-12-24T23:00:00.000Z', end: '2026-12-25T23:00:00.000Z' }))).not.toBe(fingerprint(stockholm));
  });

  it('normalizes tasks and contacts the same way', () => {
    const task: TaskFields = { subject: 'Call back', body: null, due: '2026-04-10', start: null, status: 'NOT_STARTED', priority: 'NORMAL', percentComplete: 0 };
    expect(fingerprint({ kind: 'TASK', fields: { ...task, subject: ' Call back ' } })).toBe(fingerprint({ kind: 'TASK', fields: task }));
    expect(fingerprint({ kind: 'TASK', fields: { ...task, percentComplete: 50 } })).not.toBe(fingerprint({ kind: 'TASK', fields: task }));
    const contact: ContactFields = { firstName: 'Björn', lastName: 'Ek', emails: ['bjorn@customer.example', 'b@home.example'], businessPhone: '+46 8 123 45 67', mobilePhone: null, company: null, jobTitle: null, businessAddress: null };
    const respelled: ContactFields = { ...contact, emails: ['Bjorn@Customer.example', 'b@home.example'], businessPhone: '+46  8 123 45 67', businessAddress: { street: null, city: '', state: null, postalCode: null, country: null } };
    expect(fingerprint({ kind: 'CONTACT', fields: respelled })).toBe(fingerprint({ kind: 'CONTACT', fields: contact }));
    // The primary address is the first: swapping them is a change.
    expect(fingerprint({ kind: 'CONTACT', fields: { ...contact, emails: [...contact.emails].reverse() } })).not.toBe(fingerprint({ kind: 'CONTACT', fields: contact }));
  });

  it('tells kinds apart', () => {
    const task: TaskFields = { subject: 'Quarterly review', body: null, due: null, start: null, status: 'NOT_STARTED', priority: 'NORMAL', percentComplete: 0 };
    expect(fingerprint({ kind: 'TASK', fields: task })).not.toBe(base);
  });
});
