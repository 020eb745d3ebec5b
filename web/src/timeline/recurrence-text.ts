import type { Translator } from '../shell/i18n/translator';

/** A recurring series' rule as the Appointment type gives it (Types.xsd RecurrenceType). */
export interface RecurrenceRule {
  readonly pattern: 'DAILY' | 'WEEKLY' | 'ABSOLUTE_MONTHLY' | 'RELATIVE_MONTHLY' | 'ABSOLUTE_YEARLY' | 'RELATIVE_YEARLY';
  readonly interval: number;
  readonly daysOfWeek: readonly ('SUNDAY' | 'MONDAY' | 'TUESDAY' | 'WEDNESDAY' | 'THURSDAY' | 'FRIDAY' | 'SATURDAY' | 'DAY' | 'WEEKDAY' | 'WEEKEND_DAY')[];
  readonly dayOfMonth: number | null;
  readonly weekIndex: 'FIRST' | 'SECOND' | 'THIRD' | 'FOURTH' | 'LAST' | null;
  readonly month: number | null;
  readonly rangeEnd: string | null;
  readonly count: number | null;
}

// Monday first, as a week is read in Sweden and as Outlook lists a weekly pattern's days.
const WEEK_ORDER = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY', 'DAY', 'WEEKDAY', 'WEEKEND_DAY'];

/** "Repeats every week on Monday and Wednesday, until 31 March 2027", in the reader's language. */
export function recurrenceText(i18n: Translator, rule: RecurrenceRule): string {
  const t = i18n.t.activity.recurrence;
  const list = (items: readonly string[]) => new Intl.ListFormat(i18n.intlLocale, { type: 'conjunction' }).format(items);
  const monthName = (month: number) => new Intl.DateTimeFormat(i18n.intlLocale, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, month - 1, 1));
  const days = [...rule.daysOfWeek].sort((a, b) => WEEK_ORDER.indexOf(a) - WEEK_ORDER.indexOf(b)).map((d) => t.weekday[d]);
  const nth = rule.weekIndex && days.length ? t.onNth(t.weekIndex[rule.weekIndex], days[0]) : null;
  let every: string;
  let on: string | null = null;
  switch (rule.pattern) {
    case 'DAILY':
      every = t.every.DAILY(rule.interval);
      break;
    case 'WEEKLY':
      every = t.every.WEEKLY(rule.interval);
      on = days.length ? t.onDays(list(days)) : null;
      break;
    case 'ABSOLUTE_MONTHLY':
      every = t.every.MONTHLY(rule.interval);
      on = rule.dayOfMonth ? t.onDayOfMonth(rule.dayOfMonth) : null;
      break;
    case 'RELATIVE_MONTHLY':
      every = t.every.MONTHLY(rule.interval);
      on = nth;
      break;
    case 'ABSOLUTE_YEARLY':
      every = t.every.YEARLY(1);
      on = rule.month && rule.dayOfMonth ? t.onDate(i18n.formatDate(Date.UTC(2000, rule.month - 1, rule.dayOfMonth, 12), 'dayAndMonth')) : null;
      break;
    case 'RELATIVE_YEARLY':
      every = t.every.YEARLY(1);
      on = nth && rule.month ? t.inMonth(nth, monthName(rule.month)) : null;
      break;
  }
  // The range's last day is a date in the series' time zone: written at its noon, it stays that day for the reader.
  const end = rule.rangeEnd ? t.until(i18n.formatDate(`${rule.rangeEnd}T12:00:00Z`, 'longDate')) : rule.count ? t.times(rule.count) : null;
  return t.repeats(every, on, end);
}
