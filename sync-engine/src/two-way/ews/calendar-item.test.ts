import { describe, expect, it } from 'vitest';
import { fingerprint } from '../fingerprint.js';
import { InvalidSyncItemError } from '../limits.js';
import type { AppointmentFields } from '../model.js';
import { fromLocal } from '../../time/zoned-time.js';
import { appointmentFromEws, appointmentToEws } from './calendar-item.js';
import { InvalidEwsItemError } from './ews-item.js';
import type { EwsCalendarItem } from './ews-types.js';

const at = (local: string) => {
  const [date, time] = local.split('T');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return fromLocal({ year, month, day, hour, minute, second: 0 }, 'Europe/Stockholm');
};

/**
 * A weekly project meeting on Mondays and Wednesdays at 09:00 Stockholm time from 12 January to 29 June 2026: its
 * occurrence of Monday 6 April (summer time, 07:00 UTC) is deleted, and Wednesday 14 January's (winter, 08:00 UTC)
 * moved to 10:00 in another room.
 */
const series: EwsCalendarItem = {
  ItemId: { Id: 'AAMkAD-master', ChangeKey: 'DwAAABYAAA1' },
  LastModifiedTime: '2026-01-10T12:00:00Z',
  Categories: ['Tracked to CRM', 'Blue category'],
  Subject: 'Project Falcon weekly',
  Body: { BodyType: 'Text', Value: 'Agenda in the shared folder.' },
  UID: '040000008200E00074C5B7101A82E008',
  Start: '2026-01-12T08:00:00Z',
  End: '2026-01-12T09:00:00Z',
  IsAllDayEvent: false,
  Location: 'Room Vega',
  IsCancelled: false,
  CalendarItemType: 'RecurringMaster',
  Organizer: { Mailbox: { Name: 'Anna Berg', EmailAddress: 'anna@example.se' } },
  RequiredAttendees: [{ Mailbox: { Name: 'Björn Ek', EmailAddress: 'bjorn@customer.example' } }],
  OptionalAttendees: [{ Mailbox: { EmailAddress: 'carl@customer.example' } }],
  Recurrence: {
    WeeklyRecurrence: { Interval: 1, DaysOfWeek: 'Monday Wednesday' },
    EndDateRecurrence: { StartDate: '2026-01-12', EndDate: '2026-06-29' },
  },
  ModifiedOccurrences: [
    { ItemId: { Id: 'AAMkAD-exception', ChangeKey: 'DwAAABYAAA2' }, Start: '2026-01-14T09:00:00Z', End: '2026-01-14T10:00:00Z', OriginalStart: '2026-01-14T08:00:00Z' },
  ],
  DeletedOccurrences: [{ Start: '2026-04-06T07:00:00Z' }],
  StartTimeZone: { Id: 'W. Europe Standard Time' },
  EndTimeZone: { Id: 'W. Europe Standard Time' },
};
const exception: EwsCalendarItem = { ...series, ItemId: { Id: 'AAMkAD-exception', ChangeKey: 'DwAAABYAAA2' }, CalendarItemType: 'Exception', Location: 'Room Orion', Recurrence: null };

describe('CalendarItem ↔ neutral appointment', () => {
  const read = appointmentFromEws(series, { preferredTimeZone: 'Europe/Stockholm', exceptions: [exception] });
  const fields = read.item.fields as AppointmentFields;

  it('reads the series with its rule, exception and deleted occurrence', () => {
    expect(read.ref).toEqual({ provider: 'EWS', externalId: 'AAMkAD-master', changeKey: 'DwAAABYAAA1', lastModified: '2026-01-10T12:00:00.000Z' });
    expect(read.markedForSync).toBe(true);
    expect(read.warnings).toEqual([]);
    expect(fields).toEqual<AppointmentFields>({
      subject: 'Project Falcon weekly',
      body: 'Agenda in the shared folder.',
      location: 'Room Vega',
      start: at('2026-01-12T09:00'),
      end: at('2026-01-12T10:00'),
      timeZone: 'Europe/Stockholm',
      allDay: false,
      organizer: { email: 'anna@example.se', name: 'Anna Berg' },
      requiredAttendees: [{ email: 'bjorn@customer.example', name: 'Björn Ek' }],
      optionalAttendees: [{ email: 'carl@customer.example', name: null }],
      recurrence: {
        rrule: 'FREQ=WEEKLY;UNTIL=20260629T215959Z;BYDAY=MO,WE',
        exdates: [at('2026-04-06T09:00')],
        overrides: [{ originalStart: at('2026-01-14T09:00'), start: at('2026-01-14T10:00'), end: at('2026-01-14T11:00'), subject: null, location: 'Room Orion' }],
      },
      cancelled: false,
      icalUid: '040000008200E00074C5B7101A82E008',
    });
  });

  it('keeps the local time across DST: 09:00 is 08:00 UTC in winter and 07:00 UTC in summer', () => {
    expect(fields.start).toBe('2026-01-12T08:00:00.000Z');
    expect(fields.recurrence!.exdates[0]).toBe('2026-04-06T07:00:00.000Z');
  });

  it('writes back what it read', () => {
    const { ItemId: _id, LastModifiedTime: _time, Categories: _categories, CalendarItemType: _type, ...content } = series;
    const written = appointmentToEws(fields);
    expect(written).toEqual({
      ...content,
      ModifiedOccurrences: [{ Start: '2026-01-14T09:00:00.000Z', End: '2026-01-14T10:00:00.000Z', OriginalStart: '2026-01-14T08:00:00.000Z', Location: 'Room Orion' }],
      DeletedOccurrences: [{ Start: '2026-04-06T07:00:00.000Z' }],
      Start: '2026-01-12T08:00:00.000Z',
      End: '2026-01-12T09:00:00.000Z',
    });
    // Exchange answers with the occurrence's ItemId; the adapter fetches the exception by it.
    const stored = { ...written, ItemId: series.ItemId, LastModifiedTime: series.LastModifiedTime, ModifiedOccurrences: written.ModifiedOccurrences!.map(({ Location: _l, ...o }) => ({ ...o, ItemId: exception.ItemId })) };
    const again = appointmentFromEws(stored, { preferredTimeZone: 'Europe/Stockholm', exceptions: [exception] });
    expect(fingerprint(again.item)).toBe(fingerprint(read.item));
  });

  it('falls back to CLDR’s default zone without a preference, which changes the fingerprint of a series', () => {
    const berlin = appointmentFromEws(series, { exceptions: [exception] });
    expect((berlin.item.fields as AppointmentFields).timeZone).toBe('Europe/Berlin');
    expect(fingerprint(berlin.item)).not.toBe(fingerprint(read.item));
  });

  it('reads an all-day event as local midnights and writes it back', () => {
    const allDay: EwsCalendarItem = {
      ItemId: { Id: 'AAMkAD-allday', ChangeKey: 'ck1' },
      LastModifiedTime: '2026-12-01T08:00:00Z',
      Subject: 'Christmas Eve',
      Start: '2026-12-23T23:00:00Z',
      End: '2026-12-24T23:00:00Z',
      IsAllDayEvent: true,
      StartTimeZone: { Id: 'W. Europe Standard Time' },
      EndTimeZone: { Id: 'W. Europe Standard Time' },
    };
    const { item } = appointmentFromEws(allDay, { preferredTimeZone: 'Europe/Stockholm' });
    const f = item.fields as AppointmentFields;
    expect([f.allDay, f.start, f.end, f.timeZone]).toEqual([true, '2026-12-23T23:00:00.000Z', '2026-12-24T23:00:00.000Z', 'Europe/Stockholm']);
    expect(appointmentToEws(f)).toMatchObject({ IsAllDayEvent: true, Start: allDay.Start.replace('Z', '.000Z'), StartTimeZone: { Id: 'W. Europe Standard Time' } });
  });

  it('reads a cancelled single meeting without a recurrence and not marked', () => {
    const { item, markedForSync } = appointmentFromEws({ ...series, Recurrence: null, ModifiedOccurrences: [], DeletedOccurrences: [], IsCancelled: true, Categories: [] });
    expect(markedForSync).toBe(false);
    expect(item.fields).toMatchObject({ cancelled: true, recurrence: null });
  });

  it('reads an unknown Windows zone as UTC and says so', () => {
    const { item, warnings } = appointmentFromEws({ ...series, Recurrence: null, StartTimeZone: { Id: 'Customized Time Zone' } });
    expect((item.fields as AppointmentFields).timeZone).toBe('Etc/UTC');
    expect(warnings).toEqual(['unknown Windows time zone "Customized Time Zone": its times are read in UTC']);
  });

  it('refuses an item without ItemId, ChangeKey or LastModifiedTime', () => {
    expect(() => appointmentFromEws({ ...series, ItemId: undefined })).toThrow(InvalidEwsItemError);
    expect(() => appointmentFromEws({ ...series, ItemId: { Id: 'x', ChangeKey: '' } })).toThrow(InvalidEwsItemError);
    expect(() => appointmentFromEws({ ...series, LastModifiedTime: 'yesterday' })).toThrow(InvalidEwsItemError);
    expect(() => appointmentFromEws({ ...series, Start: 'soon' })).toThrow(InvalidEwsItemError);
  });

  it('refuses, whole, an item over the CRM’s bounds', () => {
    expect(() => appointmentFromEws({ ...series, Subject: 'x'.repeat(401) })).toThrow(InvalidSyncItemError);
    const crowd = Array.from({ length: 501 }, (_, i) => ({ Mailbox: { EmailAddress: `guest${i}@example.com` } }));
    expect(() => appointmentFromEws({ ...series, RequiredAttendees: crowd })).toThrow(/more than 500 attendees/);
    expect(() => appointmentFromEws({ ...series, End: '2026-01-12T07:00:00Z' })).toThrow(/end is before start/);
    expect(() => appointmentFromEws({ ...series, RequiredAttendees: [{ Mailbox: { EmailAddress: '/o=ExchangeLabs/ou=x' } }] })).toThrow(/not an email address/);
  });

  it('refuses to write an appointment with a zone Intl does not know', () => {
    expect(() => appointmentToEws({ ...fields, timeZone: 'Mars/Olympus_Mons' })).toThrow(InvalidSyncItemError);
  });
});
