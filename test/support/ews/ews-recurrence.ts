import type { EwsDayOfWeek, EwsDayOfWeekIndex, EwsMonth, EwsRecurrence } from '../../../sync-engine/src/two-way/ews/ews-types.js';
import { ianaZoneOf } from '../../../sync-engine/src/two-way/ews/windows-zones.js';
import { fromLocal, toLocal } from '../../../sync-engine/src/time/zoned-time.js';

// The EWS test server's recurrence: which local days a Types.xsd RecurrenceType (pattern and range) falls on, and the
// instants of those occurrences in the series' time zone, keeping the wall-clock time across DST as Exchange does
// (Microsoft's "Recurrence patterns and EWS"). Day by day from the range's StartDate, so NumberedRecurrence counts right.

interface Day {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const WEEKDAYS: readonly EwsDayOfWeek[] = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS: readonly EwsMonth[] = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const INDEXES: readonly EwsDayOfWeekIndex[] = ['First', 'Second', 'Third', 'Fourth', 'Last'];
const DAY_MS = 86_400_000;
// Exchange expands at most this far; a test series never gets near it.
const MAX_DAYS = 366 * 30;

const utcOf = (d: Day) => Date.UTC(d.year, d.month - 1, d.day);
const dayOf = (ms: number): Day => {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
};
const weekday = (d: Day) => new Date(utcOf(d)).getUTCDay();
const daysInMonth = (d: Day) => new Date(Date.UTC(d.year, d.month, 0)).getUTCDate();
const monthsBetween = (a: Day, b: Day) => (b.year - a.year) * 12 + (b.month - a.month);

/** xs:date, with or without an offset ("2026-03-02", "2026-03-02+01:00", "2026-03-02Z"): the local date it names. */
export function parseXsDate(text: string): Day {
  const match = /^(\d{4})-(\d\d)-(\d\d)/.exec(text.trim());
  if (!match) throw new Error(`not an xs:date: ${text}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** The IANA zone for a series' Windows time zone id (UTC when absent). */
export function zoneOf(windowsZone: string | undefined): string {
  if (!windowsZone || windowsZone === 'UTC') return 'UTC';
  const zone = ianaZoneOf(windowsZone);
  if (!zone) throw new Error(`the EWS test server does not know the time zone ${windowsZone}`);
  return zone;
}

/** Whether `day` (already the right weekday) is the DayOfWeekIndex-th of its month ("Last": the last one). */
function isNthWeekday(day: Day, index: EwsDayOfWeekIndex): boolean {
  const nth = Math.floor((day.day - 1) / 7);
  return index === 'Last' ? day.day + 7 > daysInMonth(day) : INDEXES.indexOf(index) === nth;
}

function matchesPattern(recurrence: EwsRecurrence, start: Day, day: Day): boolean {
  const name = WEEKDAYS[weekday(day)];
  if (recurrence.DailyRecurrence) return Math.round((utcOf(day) - utcOf(start)) / DAY_MS) % recurrence.DailyRecurrence.Interval === 0;
  if (recurrence.WeeklyRecurrence) {
    const { Interval, DaysOfWeek, FirstDayOfWeek } = recurrence.WeeklyRecurrence;
    if (!DaysOfWeek.split(/\s+/).includes(name)) return false;
    const firstDay = WEEKDAYS.indexOf(FirstDayOfWeek ?? 'Sunday');
    const weekStart = (d: Day) => utcOf(d) - ((weekday(d) - firstDay + 7) % 7) * DAY_MS;
    return Math.round((weekStart(day) - weekStart(start)) / (7 * DAY_MS)) % Interval === 0;
  }
  if (recurrence.AbsoluteMonthlyRecurrence) {
    const { Interval, DayOfMonth } = recurrence.AbsoluteMonthlyRecurrence;
    // A month shorter than DayOfMonth has its occurrence on its last day.
    return monthsBetween(start, day) % Interval === 0 && day.day === Math.min(DayOfMonth, daysInMonth(day));
  }
  if (recurrence.RelativeMonthlyRecurrence) {
    const { Interval, DaysOfWeek, DayOfWeekIndex } = recurrence.RelativeMonthlyRecurrence;
    return monthsBetween(start, day) % Interval === 0 && name === DaysOfWeek && isNthWeekday(day, DayOfWeekIndex);
  }
  if (recurrence.AbsoluteYearlyRecurrence) {
    const { DayOfMonth, Month } = recurrence.AbsoluteYearlyRecurrence;
    return MONTHS[day.month - 1] === Month && day.day === Math.min(DayOfMonth, daysInMonth(day));
  }
  if (recurrence.RelativeYearlyRecurrence) {
    const { DaysOfWeek, DayOfWeekIndex, Month } = recurrence.RelativeYearlyRecurrence;
    return MONTHS[day.month - 1] === Month && name === DaysOfWeek && isNthWeekday(day, DayOfWeekIndex);
  }
  throw new Error('the EWS test server needs one recurrence pattern');
}

/** One occurrence of a series as the pattern makes it: its original start and end. */
export interface PatternOccurrence {
  readonly start: Date;
  readonly end: Date;
}

/**
 * The series' occurrences by its pattern and range (before exceptions and deletions), in order, up to `until`
 * (exclusive; the range's own end when sooner). `first` is the master's first occurrence: its local time of day and
 * duration are every occurrence's.
 */
export function patternOccurrences(recurrence: EwsRecurrence, first: { start: Date; end: Date }, windowsZone: string | undefined, until: Date): PatternOccurrence[] {
  const zone = zoneOf(windowsZone);
  const range = recurrence.NoEndRecurrence ?? recurrence.EndDateRecurrence ?? recurrence.NumberedRecurrence;
  if (!range) throw new Error('the EWS test server needs one recurrence range');
  const start = parseXsDate(range.StartDate);
  const lastDay = recurrence.EndDateRecurrence ? utcOf(parseXsDate(recurrence.EndDateRecurrence.EndDate)) : Infinity;
  const count = recurrence.NumberedRecurrence?.NumberOfOccurrences ?? Infinity;
  const time = toLocal(first.start, zone);
  const duration = first.end.getTime() - first.start.getTime();
  const found: PatternOccurrence[] = [];
  for (let ms = utcOf(start), n = 0; ms <= lastDay && found.length < count && n < MAX_DAYS; ms += DAY_MS, n++) {
    const day = dayOf(ms);
    if (!matchesPattern(recurrence, start, day)) continue;
    const at = new Date(fromLocal({ ...day, hour: time.hour, minute: time.minute, second: time.second }, zone));
    if (at >= until) break;
    found.push({ start: at, end: new Date(at.getTime() + duration) });
  }
  return found;
}

/** xs:date of an instant's local day in the series' zone, as Exchange writes a range's dates. */
export function xsDateOf(instant: Date, windowsZone: string | undefined): string {
  const local = toLocal(instant, zoneOf(windowsZone));
  return `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
}

/**
 * Types.xsd TimeZoneDefinitionType as Exchange writes a series' StartTimeZone: periods, transition groups, transitions
 * (ews-javascript-api refuses a definition without them). Written out for the zones the tests use.
 */
export function timeZoneDefinitionXml(element: string, windowsZone: string | undefined): string {
  const id = windowsZone ?? 'UTC';
  const zone = ZONE_DEFINITIONS[id];
  if (!zone) throw new Error(`the EWS test server writes no time zone definition for ${id}`);
  const rule = (kind: string) => `trule:Microsoft/Registry/${id}/1-${kind}`;
  const period = (bias: string, kind: string) => `<t:Period Bias="${bias}" Name="${kind}" Id="${rule(kind)}"/>`;
  const toGroup = '<t:Transitions><t:Transition><t:To Kind="Group">0</t:To></t:Transition></t:Transitions>';
  const open = `<t:${element} Id="${id}" Name="${zone.name}">`;
  if (!zone.daylight) {
    return `${open}<t:Periods>${period(zone.bias, 'Standard')}</t:Periods><t:TransitionsGroups><t:TransitionsGroup Id="0"><t:Transition><t:To Kind="Period">${rule('Standard')}</t:To></t:Transition></t:TransitionsGroup></t:TransitionsGroups>${toGroup}</t:${element}>`;
  }
  const change = (to: string, at: ZoneChange) =>
    `<t:RecurringDayTransition><t:To Kind="Period">${rule(to)}</t:To><t:TimeOffset>${at.time}</t:TimeOffset><t:Month>${at.month}</t:Month><t:DayOfWeek>Sunday</t:DayOfWeek><t:Occurrence>${at.occurrence}</t:Occurrence></t:RecurringDayTransition>`;
  const { daylight } = zone;
  return (
    `${open}<t:Periods>${period(zone.bias, 'Standard')}${period(daylight.bias, 'Daylight')}</t:Periods>` +
    `<t:TransitionsGroups><t:TransitionsGroup Id="0">${change('Daylight', daylight.from)}${change('Standard', daylight.until)}</t:TransitionsGroup></t:TransitionsGroups>${toGroup}</t:${element}>`
  );
}

/** A change of period: on the `occurrence`-th Sunday of `month` (-1: the last) at `time`, local. */
interface ZoneChange {
  readonly month: number;
  readonly occurrence: number;
  readonly time: string;
}

/** The zones the tests use, as Windows defines them (biases are UTC minus local time). */
const ZONE_DEFINITIONS: Record<string, { name: string; bias: string; daylight?: { bias: string; from: ZoneChange; until: ZoneChange } }> = {
  UTC: { name: '(UTC) Coordinated Universal Time', bias: 'PT0H' },
  'Tokyo Standard Time': { name: '(UTC+09:00) Osaka, Sapporo, Tokyo', bias: '-PT9H' },
  'Tonga Standard Time': { name: "(UTC+13:00) Nuku'alofa", bias: '-PT13H' },
  // Summer time from the last Sunday of March 02:00 to the last Sunday of October 03:00.
  'W. Europe Standard Time': {
    name: '(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna', bias: '-PT1H',
    daylight: { bias: '-PT2H', from: { month: 3, occurrence: -1, time: 'PT2H' }, until: { month: 10, occurrence: -1, time: 'PT3H' } },
  },
  // Daylight saving time from the second Sunday of March to the first Sunday of November, 02:00.
  'Eastern Standard Time': {
    name: '(UTC-05:00) Eastern Time (US & Canada)', bias: 'PT5H',
    daylight: { bias: 'PT4H', from: { month: 3, occurrence: 2, time: 'PT2H' }, until: { month: 11, occurrence: 1, time: 'PT2H' } },
  },
  // Daylight saving time from the last Sunday of September 02:00 to the first Sunday of April 03:00.
  'New Zealand Standard Time': {
    name: '(UTC+12:00) Auckland, Wellington', bias: '-PT12H',
    daylight: { bias: '-PT13H', from: { month: 9, occurrence: -1, time: 'PT2H' }, until: { month: 4, occurrence: 1, time: 'PT3H' } },
  },
};
