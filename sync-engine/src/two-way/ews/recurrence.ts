import { formatRrule, parseRrule, UnsupportedRecurrenceError, WEEKDAYS, type RecurrenceRule, type Weekday } from '../rrule.js';
import { fromLocal, localDate, pad, parseDate, toLocal } from '../../time/zoned-time.js';
import type { EwsDayOfWeek, EwsDayOfWeekIndex, EwsMonth, EwsRecurrence } from './ews-types.js';

/** Where a series starts and how its local times are read: the master's Start, its zone, and IsAllDayEvent. */
export interface SeriesAnchor {
  readonly start: string;
  readonly timeZone: string;
  readonly allDay: boolean;
}

const DAY_NAMES: Readonly<Record<Weekday, EwsDayOfWeek>> = {
  SU: 'Sunday',
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
};
const MONTHS: readonly EwsMonth[] = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const INDEXES: Readonly<Record<EwsDayOfWeekIndex, number>> = { First: 1, Second: 2, Third: 3, Fourth: 4, Last: -1 };
const WEEKDAY_SET: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR'];
const WEEKEND_SET: readonly Weekday[] = ['SA', 'SU'];

function dayCode(name: string): Weekday {
  const entry = Object.entries(DAY_NAMES).find(([, n]) => n === name);
  if (!entry) throw new UnsupportedRecurrenceError(`not a day of the week: ${name.slice(0, 40)}`);
  return entry[0] as Weekday;
}

/** DayOfWeekType in a relative pattern: one day, or Day / Weekday / WeekendDay (a set of days). */
function dayCodes(name: EwsDayOfWeek): Weekday[] {
  if (name === 'Day') return [...WEEKDAYS];
  if (name === 'Weekday') return [...WEEKDAY_SET];
  if (name === 'WeekendDay') return [...WEEKEND_SET];
  return [dayCode(name)];
}

function sameSet(a: readonly Weekday[], b: readonly Weekday[]): boolean {
  return a.length === b.length && a.every((d) => b.includes(d));
}

function relativeDay(days: readonly Weekday[]): EwsDayOfWeek {
  if (days.length === 1) return DAY_NAMES[days[0]];
  if (sameSet(days, WEEKDAYS)) return 'Day';
  if (sameSet(days, WEEKDAY_SET)) return 'Weekday';
  if (sameSet(days, WEEKEND_SET)) return 'WeekendDay';
  throw new UnsupportedRecurrenceError(`Exchange cannot repeat on the nth of ${days.join(',')}`);
}

function indexName(position: number): EwsDayOfWeekIndex {
  const entry = Object.entries(INDEXES).find(([, n]) => n === position);
  if (!entry) throw new UnsupportedRecurrenceError(`Exchange has no position ${position} of a month`);
  return entry[0] as EwsDayOfWeekIndex;
}

function monthNumber(name: EwsMonth): number {
  const index = MONTHS.indexOf(name);
  if (index < 0) throw new UnsupportedRecurrenceError(`not a month: ${String(name).slice(0, 40)}`);
  return index + 1;
}

function interval(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 999) throw new UnsupportedRecurrenceError(`interval ${value} is outside 1–999`);
  return value;
}

const EMPTY: Omit<RecurrenceRule, 'freq'> = { interval: 1, byDay: [], bySetPos: null, byMonthDay: null, byMonth: null, until: null, count: null, weekStart: null };

/** EWS RecurrenceType → the canonical RRULE text (RFC 5545 3.3.10). */
export function rruleFromEws(recurrence: EwsRecurrence, anchor: SeriesAnchor): string {
  const patterns = [
    recurrence.DailyRecurrence,
    recurrence.WeeklyRecurrence,
    recurrence.AbsoluteMonthlyRecurrence,
    recurrence.RelativeMonthlyRecurrence,
    recurrence.AbsoluteYearlyRecurrence,
    recurrence.RelativeYearlyRecurrence,
  ].filter((p) => p !== undefined);
  if (patterns.length !== 1) throw new UnsupportedRecurrenceError(`a recurrence needs exactly one pattern, it has ${patterns.length}`);
  let rule: RecurrenceRule;
  if (recurrence.DailyRecurrence) {
    rule = { ...EMPTY, freq: 'DAILY', interval: interval(recurrence.DailyRecurrence.Interval) };
  } else if (recurrence.WeeklyRecurrence) {
    const w = recurrence.WeeklyRecurrence;
    const days = w.DaysOfWeek.trim().split(/\s+/).map(dayCode);
    rule = { ...EMPTY, freq: 'WEEKLY', interval: interval(w.Interval), byDay: sortMondayFirst(days), weekStart: w.FirstDayOfWeek ? dayCode(w.FirstDayOfWeek) : null };
  } else if (recurrence.AbsoluteMonthlyRecurrence) {
    const m = recurrence.AbsoluteMonthlyRecurrence;
    rule = { ...EMPTY, freq: 'MONTHLY', interval: interval(m.Interval), byMonthDay: dayOfMonth(m.DayOfMonth) };
  } else if (recurrence.RelativeMonthlyRecurrence) {
    const m = recurrence.RelativeMonthlyRecurrence;
    rule = { ...EMPTY, freq: 'MONTHLY', interval: interval(m.Interval), byDay: sortMondayFirst(dayCodes(m.DaysOfWeek)), bySetPos: position(m.DayOfWeekIndex) };
  } else if (recurrence.AbsoluteYearlyRecurrence) {
    const y = recurrence.AbsoluteYearlyRecurrence;
    rule = { ...EMPTY, freq: 'YEARLY', byMonth: monthNumber(y.Month), byMonthDay: dayOfMonth(y.DayOfMonth) };
  } else {
    const y = recurrence.RelativeYearlyRecurrence!;
    rule = { ...EMPTY, freq: 'YEARLY', byMonth: monthNumber(y.Month), byDay: sortMondayFirst(dayCodes(y.DaysOfWeek)), bySetPos: position(y.DayOfWeekIndex) };
  }

  const ranges = [recurrence.NoEndRecurrence, recurrence.EndDateRecurrence, recurrence.NumberedRecurrence].filter((r) => r !== undefined);
  if (ranges.length !== 1) throw new UnsupportedRecurrenceError(`a recurrence needs exactly one range, it has ${ranges.length}`);
  if (recurrence.EndDateRecurrence) rule = { ...rule, until: untilFromEndDate(recurrence.EndDateRecurrence.EndDate, anchor) };
  if (recurrence.NumberedRecurrence) {
    const count = recurrence.NumberedRecurrence.NumberOfOccurrences;
    if (!Number.isInteger(count) || count < 1 || count > 999) throw new UnsupportedRecurrenceError(`NumberOfOccurrences ${count} is outside 1–999`);
    rule = { ...rule, count };
  }
  // Written and read back through the parser, so what leaves here is canonical and within its bounds.
  return formatRrule(parseRrule(formatRrule(rule)));
}

/** RRULE text → EWS RecurrenceType, refusing (UnsupportedRecurrenceError) what Exchange's patterns cannot hold. */
export function rruleToEws(rrule: string, anchor: SeriesAnchor): EwsRecurrence {
  const rule = parseRrule(rrule);
  const startDate = localDate(anchor.start, anchor.timeZone);
  const local = parseDate(startDate);
  const startDay = WEEKDAYS[new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay()];
  const pattern = patternOf(rule, local, startDay);
  const range: EwsRecurrence =
    rule.count !== null
      ? { NumberedRecurrence: { StartDate: startDate, NumberOfOccurrences: rule.count } }
      : rule.until !== null
        ? { EndDateRecurrence: { StartDate: startDate, EndDate: endDateFromUntil(rule.until, anchor) } }
        : { NoEndRecurrence: { StartDate: startDate } };
  return { ...pattern, ...range };
}

function patternOf(rule: RecurrenceRule, start: { month: number; day: number }, startDay: Weekday): EwsRecurrence {
  const only = (allowed: (keyof RecurrenceRule)[]) => {
    const used = (['byDay', 'bySetPos', 'byMonthDay', 'byMonth'] as const).filter((k) => (k === 'byDay' ? rule.byDay.length > 0 : rule[k] !== null));
    const extra = used.filter((k) => !allowed.includes(k));
    if (extra.length > 0) throw new UnsupportedRecurrenceError(`Exchange cannot hold FREQ=${rule.freq} with ${extra.join(', ')}`);
  };
  switch (rule.freq) {
    case 'DAILY':
      if (rule.byDay.length > 0) {
        // Outlook's "every weekday" is a weekly pattern; a daily rule limited to days is the same set when INTERVAL is 1.
        only(['byDay']);
        if (rule.interval !== 1) throw new UnsupportedRecurrenceError('Exchange cannot repeat every n days on given weekdays');
        return { WeeklyRecurrence: { Interval: 1, DaysOfWeek: rule.byDay.map((d) => DAY_NAMES[d]).join(' ') } };
      }
      only([]);
      return { DailyRecurrence: { Interval: rule.interval } };
    case 'WEEKLY': {
      only(['byDay']);
      // RFC 5545 3.3.10: without BYDAY a weekly rule repeats on DTSTART's weekday.
      const days = rule.byDay.length > 0 ? rule.byDay : [startDay];
      return {
        WeeklyRecurrence: {
          Interval: rule.interval,
          DaysOfWeek: days.map((d) => DAY_NAMES[d]).join(' '),
          ...(rule.weekStart ? { FirstDayOfWeek: DAY_NAMES[rule.weekStart] } : {}),
        },
      };
    }
    case 'MONTHLY':
      if (rule.byDay.length > 0) {
        only(['byDay', 'bySetPos']);
        if (rule.bySetPos === null) throw new UnsupportedRecurrenceError('Exchange cannot repeat on every such weekday of a month');
        return { RelativeMonthlyRecurrence: { Interval: rule.interval, DaysOfWeek: relativeDay(rule.byDay), DayOfWeekIndex: indexName(rule.bySetPos) } };
      }
      only(['byMonthDay']);
      return { AbsoluteMonthlyRecurrence: { Interval: rule.interval, DayOfMonth: rule.byMonthDay ?? start.day } };
    case 'YEARLY': {
      // Types.xsd's yearly patterns have no Interval.
      if (rule.interval !== 1) throw new UnsupportedRecurrenceError('Exchange cannot repeat every n years');
      const month = MONTHS[(rule.byMonth ?? start.month) - 1];
      if (rule.byDay.length > 0) {
        only(['byDay', 'bySetPos', 'byMonth']);
        if (rule.bySetPos === null) throw new UnsupportedRecurrenceError('Exchange cannot repeat on every such weekday of a month');
        return { RelativeYearlyRecurrence: { DaysOfWeek: relativeDay(rule.byDay), DayOfWeekIndex: indexName(rule.bySetPos), Month: month } };
      }
      only(['byMonthDay', 'byMonth']);
      return { AbsoluteYearlyRecurrence: { DayOfMonth: rule.byMonthDay ?? start.day, Month: month } };
    }
  }
}

function sortMondayFirst(days: readonly Weekday[]): Weekday[] {
  const order: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
  return order.filter((d) => days.includes(d));
}

function dayOfMonth(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 31) throw new UnsupportedRecurrenceError(`DayOfMonth ${value} is outside 1–31`);
  return value;
}

function position(index: EwsDayOfWeekIndex): number {
  const value = INDEXES[index];
  if (value === undefined) throw new UnsupportedRecurrenceError(`not a DayOfWeekIndex: ${String(index).slice(0, 40)}`);
  return value;
}

/**
 * EndDate is the last local day on which the series may occur. RFC 5545 3.3.10 wants UNTIL in UTC for a series
 * with a zoned DTSTART and as a DATE for an all-day one: the end of that local day, so its last occurrence counts.
 */
function untilFromEndDate(endDate: string, anchor: SeriesAnchor): string {
  const d = parseDate(endDate);
  if (anchor.allDay) return `${d.year}${pad(d.month)}${pad(d.day)}`;
  const endOfDay = fromLocal({ ...d, hour: 23, minute: 59, second: 59 }, anchor.timeZone);
  return endOfDay.slice(0, 19).replace(/[-:]/g, '') + 'Z';
}

function endDateFromUntil(until: string, anchor: SeriesAnchor): string {
  const date = `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}`;
  if (until.length === 8) return date;
  const instant = `${date}T${until.slice(9, 11)}:${until.slice(11, 13)}:${until.slice(13, 15)}Z`;
  const l = toLocal(instant, anchor.timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}`;
}
