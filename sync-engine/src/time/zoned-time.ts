/**
 * Wall-clock time in an IANA zone, from Intl (which knows every zone's offsets and DST rules). Recurring series
 * keep their local time across DST, so mapping a series needs local dates and times, not just instants.
 */

export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    // Throws RangeError for a zone Intl does not know.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `timeZone` at an instant. */
export function toLocal(instant: string | Date, timeZone: string): LocalDateTime {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an instant: ${String(instant)}`);
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(date).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function asUtcMillis(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/**
 * The instant a wall-clock time in `timeZone` names. A time skipped by a DST gap moves forward by the gap; a time
 * that happens twice in a DST overlap gives the first (earlier) one, as RFC 5545 3.3.5 prescribes.
 */
export function fromLocal(local: LocalDateTime, timeZone: string): string {
  const wanted = asUtcMillis(local);
  // The offset is wanted - utc; two corrections settle it everywhere except in a gap.
  let utc = wanted - offsetMillis(wanted, timeZone);
  utc = wanted - offsetMillis(utc, timeZone);
  const earlier = utc - 3_600_000;
  if (asUtcMillis(toLocal(new Date(earlier), timeZone)) === wanted) utc = earlier;
  return new Date(utc).toISOString();
}

function offsetMillis(utc: number, timeZone: string): number {
  return asUtcMillis(toLocal(new Date(utc), timeZone)) - utc;
}

/** YYYY-MM-DD of an instant in a zone. */
export function localDate(instant: string | Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}`;
}

/** Reads YYYY-MM-DD (ignoring anything after it, such as an xs:date offset "2026-03-02+01:00"). */
export function parseDate(text: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) throw new RangeError(`not a date: ${text}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw new RangeError(`not a date: ${text}`);
  return { year, month, day };
}

export function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** 0 = Sunday … 6 = Saturday, of a calendar date. */
export function weekdayOf(date: { year: number; month: number; day: number }): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}
