import {
  AppointmentSchema, AppointmentType, BasePropertySet, CalendarView, DateTime, DayOfTheWeek, DayOfTheWeekIndex, ItemId, Month, PropertySet, Recurrence, ServiceResult, WellKnownFolderName,
  type Appointment,
} from 'ews-javascript-api';
import type { CalendarInput } from '../../mime/track-email-item.js';
import type { RecurrencePattern, RecurrenceWeekday, RecurrenceWeekIndex } from '../../operations.generated.js';
import { dateOf, optional } from './ews-properties.js';
import type { EwsSession } from './ews-service.js';

// Recurring series from an Exchange Calendar, the way Dynamics 365 keeps them: the series (its master, with the rule)
// and its occurrences and exceptions within the organization's expansion window, each as an appointment of its own.
// Exchange expands the series (FindItem with a CalendarView); nothing here computes a recurrence.

/** Types.xsd RecurrenceType as the hub's AppointmentRecurrence: one pattern, one range, the series' time zone. */
export interface AppointmentRecurrenceInput {
  readonly pattern: RecurrencePattern;
  readonly interval: number;
  /** Weekdays in upper case (MONDAY…, or DAY, WEEKDAY, WEEKEND_DAY in relative patterns); empty for day-of-month patterns. */
  readonly daysOfWeek: readonly RecurrenceWeekday[];
  readonly dayOfMonth: number | null;
  /** FIRST, SECOND, THIRD, FOURTH or LAST: which of the month's weekdays (relative patterns). */
  readonly weekIndex: RecurrenceWeekIndex | null;
  /** 1–12 (yearly patterns). */
  readonly month: number | null;
  /** The range's first day, YYYY-MM-DD in the series' time zone. */
  readonly rangeStart: string;
  /** Its last day (EndDateRecurrence); null without one. */
  readonly rangeEnd: string | null;
  /** NumberOfOccurrences (NumberedRecurrence); null otherwise. */
  readonly count: number | null;
  /** The Windows time zone id the series is kept in (StartTimeZone); occurrences keep its wall-clock time. */
  readonly timeZone: string | null;
}

/** One occurrence or exception of a series: an appointment of its own, keyed by its series and original start. */
export interface OccurrenceInput extends CalendarInput {
  readonly instanceType: 'OCCURRENCE' | 'EXCEPTION';
  /** When the series' rule put it (ISO 8601): with the series' UID, what identifies it. */
  readonly originalStart: string;
}

/** A recurring series read from the Calendar, with every occurrence it has within `window`. */
export interface SeriesInput {
  /** The master: its UID, first occurrence's times, organizer, attendees, cancellation; null for a window slide (the hub has it). */
  readonly master: CalendarInput | null;
  readonly uid: string;
  readonly recurrence: AppointmentRecurrenceInput | null;
  /** Every occurrence of the series that meets the window, in order: one the hub holds in it and that is not here is gone. */
  readonly occurrences: readonly OccurrenceInput[];
  readonly window: { readonly from: string; readonly to: string };
}

/** The master's own properties GetItem reads beyond a single appointment's. */
export const SERIES_PROPERTIES = [AppointmentSchema.Recurrence, AppointmentSchema.ModifiedOccurrences, AppointmentSchema.DeletedOccurrences, AppointmentSchema.StartTimeZone];
export const INSTANCE_PROPERTIES = [AppointmentSchema.OriginalStart];

/**
 * The expansion window's default, in months back and ahead (Dynamics 365's Organization.PastExpansionWindow and
 * FutureExpansionWindow; the Dynamics documentation found does not give their defaults, so these are ours).
 */
export const DEFAULT_EXPANSION_WINDOW = { pastMonths: 3, futureMonths: 12 } as const;
export interface ExpansionWindow {
  readonly pastMonths: number;
  readonly futureMonths: number;
}

// Exchange answers a CalendarView with at most this many items; one window of a busy calendar stays well below it.
const CALENDAR_VIEW_MAX = 1_000;
// GetItem of occurrences in batches this size.
const INSTANCE_BATCH = 100;

/** The window around `now`: from the start of its UTC day, months back and forth (a new day slides it). */
export function expansionWindowAt(now: Date, window: ExpansionWindow): { from: Date; to: Date } {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const shift = (months: number) => {
    const date = new Date(day);
    date.setUTCMonth(date.getUTCMonth() + months);
    return date;
  };
  return { from: shift(-window.pastMonths), to: shift(window.futureMonths) };
}

const upper = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
const dayName = (day: DayOfTheWeek) => upper(DayOfTheWeek[day]) as RecurrenceWeekday;
const weekIndexName = (index: DayOfTheWeekIndex) => upper(DayOfTheWeekIndex[index]) as RecurrenceWeekIndex;
const ymd = (value: DateTime | null) => (value ? value.Format('YYYY-MM-DD') : null);

/** The master's Recurrence as the hub's rule; null when it has none the hub knows (a task's regeneration pattern). */
export function recurrenceOf(item: Appointment): AppointmentRecurrenceInput | null {
  const recurrence = optional(() => item.Recurrence);
  if (!recurrence) return null;
  const timeZone = optional(() => item.StartTimeZone?.Id) ?? null;
  const range = {
    rangeStart: ymd(optional(() => recurrence.StartDate)) ?? '',
    rangeEnd: recurrence.HasEnd && !optional(() => recurrence.NumberOfOccurrences) ? ymd(optional(() => recurrence.EndDate)) : null,
    count: optional(() => recurrence.NumberOfOccurrences) ?? null,
    timeZone,
  };
  const none = { daysOfWeek: [] as RecurrenceWeekday[], dayOfMonth: null, weekIndex: null, month: null };
  if (recurrence instanceof Recurrence.DailyPattern) return { pattern: 'DAILY', interval: Number(recurrence.Interval), ...none, ...range };
  if (recurrence instanceof Recurrence.WeeklyPattern) {
    const days = recurrence.DaysOfTheWeek.GetEnumerator().map(dayName);
    return { pattern: 'WEEKLY', interval: Number(recurrence.Interval), ...none, daysOfWeek: days, ...range };
  }
  if (recurrence instanceof Recurrence.MonthlyPattern) return { pattern: 'ABSOLUTE_MONTHLY', interval: Number(recurrence.Interval), ...none, dayOfMonth: Number(recurrence.DayOfMonth), ...range };
  if (recurrence instanceof Recurrence.RelativeMonthlyPattern) {
    return { pattern: 'RELATIVE_MONTHLY', interval: Number(recurrence.Interval), ...none, daysOfWeek: [dayName(recurrence.DayOfTheWeek)], weekIndex: weekIndexName(recurrence.DayOfTheWeekIndex), ...range };
  }
  if (recurrence instanceof Recurrence.YearlyPattern) return { pattern: 'ABSOLUTE_YEARLY', interval: 1, ...none, dayOfMonth: Number(recurrence.DayOfMonth), month: monthNumber(recurrence.Month), ...range };
  if (recurrence instanceof Recurrence.RelativeYearlyPattern) {
    return { pattern: 'RELATIVE_YEARLY', interval: 1, ...none, daysOfWeek: [dayName(recurrence.DayOfTheWeek)], weekIndex: weekIndexName(recurrence.DayOfTheWeekIndex), month: monthNumber(recurrence.Month), ...range };
  }
  return null;
}

function monthNumber(month: Month): number {
  // ews-javascript-api numbers months January = 1 (and may hold the number as the text it read).
  return typeof month === 'string' ? (Month[month as keyof typeof Month] ?? Number(month)) : Number(month);
}

/**
 * The occurrences and exceptions of the series `uids` that meet [from, to), as Exchange expands them (FindItem with a
 * CalendarView), then read whole (GetItem: FindItem leaves out attendees), by series UID. `instanceOf` turns one into
 * the hub's occurrence; null leaves it out (private).
 */
export async function readOccurrences(
  session: EwsSession,
  uids: ReadonlySet<string> | null,
  from: Date,
  to: Date,
  properties: PropertySet,
  instanceOf: (item: Appointment) => OccurrenceInput | null,
  signal?: AbortSignal,
  viewMax = CALENDAR_VIEW_MAX,
): Promise<Map<string, OccurrenceInput[]>> {
  const found = await calendarView(session, from, to, signal, viewMax);
  const ids = found.filter((item) => {
    const type = optional(() => item.AppointmentType);
    const uid = optional(() => item.ICalUid);
    return (type === AppointmentType.Occurrence || type === AppointmentType.Exception) && uid !== null && (uids === null || uids.has(uid));
  }).map((item) => item.Id.UniqueId);
  const bySeries = new Map<string, OccurrenceInput[]>();
  for (let at = 0; at < ids.length; at += INSTANCE_BATCH) {
    const batch = ids.slice(at, at + INSTANCE_BATCH);
    const responses = await session.call('GetItem', (service) => service.BindToItems(batch.map((id) => new ItemId(id)), properties), { folder: 'Calendar', signal });
    for (const response of responses.Responses) {
      if (response.Result !== ServiceResult.Success) continue;
      const occurrence = instanceOf(response.Item as Appointment);
      if (!occurrence) continue;
      bySeries.set(occurrence.uid, [...(bySeries.get(occurrence.uid) ?? []), occurrence]);
    }
  }
  return bySeries;
}

/**
 * Every entry of the Calendar that meets [from, to). A CalendarView answers at most MaxEntriesReturned and says when
 * it left some out; then each half of the range is read on its own (a missing occurrence would be taken for a deleted one).
 */
async function calendarView(session: EwsSession, from: Date, to: Date, signal?: AbortSignal, maxEntries = CALENDAR_VIEW_MAX): Promise<Appointment[]> {
  const view = new CalendarView(new DateTime(from.getTime()), new DateTime(to.getTime()), maxEntries);
  view.PropertySet = new PropertySet(BasePropertySet.IdOnly, [AppointmentSchema.ICalUid, AppointmentSchema.AppointmentType]);
  const found = await session.call('FindItem', (service) => service.FindAppointments(WellKnownFolderName.Calendar, view), { folder: 'Calendar', signal });
  const span = to.getTime() - from.getTime();
  if (!found.MoreAvailable || span < 2 * MIN_VIEW_SPAN_MS) return [...found.Items];
  const middle = new Date(from.getTime() + Math.floor(span / 2));
  // An entry spanning the middle is in both halves: once by its ItemId.
  const halves = [...(await calendarView(session, from, middle, signal, maxEntries)), ...(await calendarView(session, middle, to, signal, maxEntries))];
  return [...new Map(halves.map((item) => [item.Id.UniqueId, item])).values()];
}

// A range is not split below an hour: a Calendar with more entries than a view holds in one hour is not a person's.
const MIN_VIEW_SPAN_MS = 3_600_000;

/** An occurrence's or exception's type and original start, added to its calendar event; null for a single or a master. */
export function instanceFields(item: Appointment): { instanceType: 'OCCURRENCE' | 'EXCEPTION'; originalStart: string } | null {
  const type = optional(() => item.AppointmentType);
  if (type !== AppointmentType.Occurrence && type !== AppointmentType.Exception) return null;
  const originalStart = dateOf(optional(() => item.OriginalStart)) ?? dateOf(optional(() => item.Start));
  if (!originalStart) return null;
  return { instanceType: type === AppointmentType.Occurrence ? 'OCCURRENCE' : 'EXCEPTION', originalStart: originalStart.toISOString() };
}
