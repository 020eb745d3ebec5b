import { describe, expect, it } from 'vitest';
import { UnsupportedRecurrenceError } from '../rrule.js';
import type { EwsRecurrence } from './ews-types.js';
import { rruleFromEws, rruleToEws, type SeriesAnchor } from './recurrence.js';

// Monday 12 January 2026, 09:00 in Stockholm (CET, +01:00).
const stockholm: SeriesAnchor = { start: '2026-01-12T08:00:00.000Z', timeZone: 'Europe/Stockholm', allDay: false };
// Tuesday 13 January 2026 10:00 in New York (EST, -05:00).
const newYork: SeriesAnchor = { start: '2026-01-13T15:00:00.000Z', timeZone: 'America/New_York', allDay: false };
// All day on Thursday 24 December 2026 in Stockholm.
const christmasEve: SeriesAnchor = { start: '2026-12-23T23:00:00.000Z', timeZone: 'Europe/Stockholm', allDay: true };

describe('EWS Recurrence ↔ RRULE', () => {
  it.each<[string, EwsRecurrence, SeriesAnchor, string]>([
    [
      // The range ends on 29 June, a summer day: its end is 23:59:59 CEST, 21:59:59 UTC.
      'weekly on Monday and Wednesday until a date',
      { WeeklyRecurrence: { Interval: 1, DaysOfWeek: 'Monday Wednesday' }, EndDateRecurrence: { StartDate: '2026-01-12', EndDate: '2026-06-29' } },
      stockholm,
      'FREQ=WEEKLY;UNTIL=20260629T215959Z;BYDAY=MO,WE',
    ],
    [
      'every second week on Friday, Sunday first',
      { WeeklyRecurrence: { Interval: 2, DaysOfWeek: 'Friday', FirstDayOfWeek: 'Sunday' }, NoEndRecurrence: { StartDate: '2026-01-12' } },
      stockholm,
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;WKST=SU',
    ],
    [
      'monthly on the second Tuesday',
      { RelativeMonthlyRecurrence: { Interval: 1, DaysOfWeek: 'Tuesday', DayOfWeekIndex: 'Second' }, NoEndRecurrence: { StartDate: '2026-01-13' } },
      newYork,
      'FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2',
    ],
    [
      'every third month on the 15th, ten times',
      { AbsoluteMonthlyRecurrence: { Interval: 3, DayOfMonth: 15 }, NumberedRecurrence: { StartDate: '2026-01-15', NumberOfOccurrences: 10 } },
      { ...stockholm, start: '2026-01-15T08:00:00.000Z' },
      'FREQ=MONTHLY;COUNT=10;INTERVAL=3;BYMONTHDAY=15',
    ],
    [
      'on the last weekday of every month',
      { RelativeMonthlyRecurrence: { Interval: 1, DaysOfWeek: 'Weekday', DayOfWeekIndex: 'Last' }, NoEndRecurrence: { StartDate: '2026-01-30' } },
      { ...stockholm, start: '2026-01-30T08:00:00.000Z' },
      'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
    ],
    [
      'yearly all day on 24 December, five times',
      { AbsoluteYearlyRecurrence: { DayOfMonth: 24, Month: 'December' }, NumberedRecurrence: { StartDate: '2026-12-24', NumberOfOccurrences: 5 } },
      christmasEve,
      'FREQ=YEARLY;COUNT=5;BYMONTHDAY=24;BYMONTH=12',
    ],
    [
      'yearly on the fourth Thursday of November',
      { RelativeYearlyRecurrence: { DaysOfWeek: 'Thursday', DayOfWeekIndex: 'Fourth', Month: 'November' }, NoEndRecurrence: { StartDate: '2026-11-26' } },
      { ...newYork, start: '2026-11-26T15:00:00.000Z' },
      'FREQ=YEARLY;BYDAY=TH;BYMONTH=11;BYSETPOS=4',
    ],
    [
      'every other day, all day, until a date (UNTIL as a DATE)',
      { DailyRecurrence: { Interval: 2 }, EndDateRecurrence: { StartDate: '2026-12-24', EndDate: '2027-01-07' } },
      christmasEve,
      'FREQ=DAILY;UNTIL=20270107;INTERVAL=2',
    ],
  ])('%s', (_name, ews, anchor, rrule) => {
    expect(rruleFromEws(ews, anchor)).toBe(rrule);
    expect(rruleToEws(rrule, anchor)).toEqual(ews);
  });

  it('reads an xs:date range with an offset', () => {
    const ews: EwsRecurrence = { DailyRecurrence: { Interval: 1 }, EndDateRecurrence: { StartDate: '2026-01-12+01:00', EndDate: '2026-01-16+01:00' } };
    expect(rruleFromEws(ews, stockholm)).toBe('FREQ=DAILY;UNTIL=20260116T225959Z');
  });

  it.each([
    ['BYDAY=2TU', 'FREQ=MONTHLY;BYDAY=2TU'],
    ['BYDAY=TU;BYSETPOS=2', 'FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2'],
  ])('writes %s as Exchange’s second Tuesday', (_name, rrule) => {
    expect(rruleToEws(rrule, newYork)).toEqual({
      RelativeMonthlyRecurrence: { Interval: 1, DaysOfWeek: 'Tuesday', DayOfWeekIndex: 'Second' },
      NoEndRecurrence: { StartDate: '2026-01-13' },
    });
  });

  it('fills what the rule leaves to DTSTART (RFC 5545 3.3.10)', () => {
    expect(rruleToEws('FREQ=WEEKLY', stockholm)).toEqual({ WeeklyRecurrence: { Interval: 1, DaysOfWeek: 'Monday' }, NoEndRecurrence: { StartDate: '2026-01-12' } });
    expect(rruleToEws('FREQ=MONTHLY', stockholm)).toEqual({ AbsoluteMonthlyRecurrence: { Interval: 1, DayOfMonth: 12 }, NoEndRecurrence: { StartDate: '2026-01-12' } });
    expect(rruleToEws('FREQ=YEARLY', stockholm)).toEqual({ AbsoluteYearlyRecurrence: { DayOfMonth: 12, Month: 'January' }, NoEndRecurrence: { StartDate: '2026-01-12' } });
  });

  it('writes every weekday as Outlook does, a weekly pattern', () => {
    expect(rruleToEws('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR', stockholm)).toMatchObject({ WeeklyRecurrence: { Interval: 1, DaysOfWeek: 'Monday Tuesday Wednesday Thursday Friday' } });
  });

  it.each([
    ['FREQ=HOURLY', 'hourly'],
    ['FREQ=YEARLY;INTERVAL=2', 'every other year'],
    ['FREQ=MONTHLY;BYDAY=TU', 'every Tuesday of the month'],
    ['FREQ=MONTHLY;BYDAY=MO,WE;BYSETPOS=1', 'the first of Monday or Wednesday'],
    ['FREQ=WEEKLY;BYMONTH=3', 'weekly in March only'],
    ['FREQ=DAILY;INTERVAL=2;BYDAY=MO', 'every other day on Mondays'],
    ['FREQ=WEEKLY;BYHOUR=9', 'BYHOUR'],
    ['FREQ=MONTHLY;BYDAY=TU;BYSETPOS=3;BYSETPOS=3', 'a part given twice'],
  ])('refuses %s (%s)', (rrule) => {
    expect(() => rruleToEws(rrule, stockholm)).toThrow(UnsupportedRecurrenceError);
  });

  it.each<[string, EwsRecurrence]>([
    ['no pattern', { NoEndRecurrence: { StartDate: '2026-01-12' } }],
    ['two patterns', { DailyRecurrence: { Interval: 1 }, WeeklyRecurrence: { Interval: 1, DaysOfWeek: 'Monday' }, NoEndRecurrence: { StartDate: '2026-01-12' } }],
    ['no range', { DailyRecurrence: { Interval: 1 } }],
    ['an interval of 0', { DailyRecurrence: { Interval: 0 }, NoEndRecurrence: { StartDate: '2026-01-12' } }],
    ['1000 occurrences', { DailyRecurrence: { Interval: 1 }, NumberedRecurrence: { StartDate: '2026-01-12', NumberOfOccurrences: 1000 } }],
    ['a made-up day', { WeeklyRecurrence: { Interval: 1, DaysOfWeek: 'Funday' }, NoEndRecurrence: { StartDate: '2026-01-12' } }],
    ['day 32', { AbsoluteMonthlyRecurrence: { Interval: 1, DayOfMonth: 32 }, NoEndRecurrence: { StartDate: '2026-01-12' } }],
  ])('refuses an EWS recurrence with %s', (_name, ews) => {
    expect(() => rruleFromEws(ews, stockholm)).toThrow(UnsupportedRecurrenceError);
  });
});
