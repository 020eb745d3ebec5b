/**
 * The API keeps an all-day appointment as whole UTC days (00:00 UTC of its first day to 00:00 UTC of the day after its
 * last), the same days for every reader. To be written and grouped as a day where the reader is, the day becomes
 * that date's local midnight; formatting it in UTC instead would need every format to take a zone.
 */
export const DAY_MS = 86_400_000;

/** The local midnight of the UTC date of `iso`: the calendar day an all-day appointment's time names. */
export function calendarDay(iso: string): Date {
  const at = new Date(iso);
  return new Date(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
}

/** YYYY-MM-DD of the UTC date of an instant (ms): an all-day appointment's day. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The first day (YYYY-MM-DD) and the last day as 00:00 UTC of the first and of the day after the last. */
export function allDaySpan(firstDay: string, lastDay: string): { startAt: string; endAt: string } {
  return { startAt: `${firstDay}T00:00:00.000Z`, endAt: new Date(Date.parse(`${lastDay}T00:00:00.000Z`) + DAY_MS).toISOString() };
}

/** When an activity shows on a timeline: an all-day appointment at its day, anything else at its time. */
export function shownAt(activity: { readonly occurredAt: string; readonly allDay?: boolean | null }): Date {
  return activity.allDay ? calendarDay(activity.occurredAt) : new Date(activity.occurredAt);
}
