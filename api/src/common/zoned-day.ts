/**
 * Calendar days in an IANA time zone, from Intl (which knows every zone's offsets and daylight saving time). Outlook
 * keeps a task's due and start as days where its owner is; the CRM keeps instants. A null zone is UTC.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    // Throws RangeError for a zone Intl does not know.
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, format);
  }
  return format;
}

/** An IANA zone Intl knows, such as Europe/Stockholm. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time at an instant, as milliseconds of a UTC clock showing it. */
function wallClock(utc: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(utc)).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) + (utc % 1000);
}

/** YYYY-MM-DD of the instant where `timeZone` is (UTC for null). */
export function dayIn(instant: Date, timeZone: string | null): string {
  return new Date(timeZone ? wallClock(instant.getTime(), timeZone) : instant.getTime()).toISOString().slice(0, 10);
}

/** The instant the day YYYY-MM-DD begins where `timeZone` is (UTC for null); a midnight skipped by a DST change moves forward with it. */
export function midnightIn(day: string, timeZone: string | null): Date {
  const wanted = Date.parse(`${day}T00:00:00.000Z`);
  if (!timeZone) return new Date(wanted);
  // The offset is wall clock minus UTC; two corrections settle it everywhere but in a DST gap at midnight (Santiago),
  // where the day begins when the gap ends: the first whole hour after that lands on the day.
  let utc = wanted - (wallClock(wanted, timeZone) - wanted);
  utc = wanted - (wallClock(utc, timeZone) - utc);
  for (let step = 0; step < 3 && dayIn(new Date(utc), timeZone) < day; step++) utc += 3_600_000;
  return new Date(utc);
}
