import ICAL from 'ical.js';
import { fromLocal, isKnownTimeZone } from '../time/zoned-time.js';
import type { CalendarAttendee, CalendarInput, MailAddress } from './track-email-item.js';

/** A text/calendar part that is not readable iCalendar, or whose event has no UID. */
export class InvalidCalendarError extends Error {
  readonly code = 'INVALID_CALENDAR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidCalendarError';
  }
}

export interface CalendarOptions {
  /**
   * IANA zone that floating times (no TZID, no "Z") are read in; UTC by default. RFC 5545 3.3.5 says a
   * floating time means the same wall-clock time wherever the reader is, which has no single UTC value.
   */
  readonly floatingTimeZone?: string;
  /** The part's Content-Type "method" parameter, used when the object has no METHOD property. */
  readonly methodHint?: string | null;
}

type Time = InstanceType<typeof ICAL.Time>;
type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;

/**
 * The meeting in an iCalendar object: its METHOD and its first VEVENT (the master, not a RECURRENCE-ID
 * override). Null when the object holds no VEVENT (VTODO, VFREEBUSY). Throws InvalidCalendarError when
 * the text is not iCalendar, the event has no UID or dates outside 1900–2200, or a time zone rule would
 * take unbounded work to evaluate.
 */
export function parseCalendar(text: string, options: CalendarOptions = {}): CalendarInput | null {
  try {
    return readCalendar(text, options);
  } catch (error) {
    if (error instanceof InvalidCalendarError) throw error;
    // ical.js decodes values lazily, so a malformed DTSTART or VTIMEZONE only throws once it is read.
    throw new InvalidCalendarError(`the calendar part is not valid iCalendar: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function readCalendar(text: string, options: CalendarOptions): CalendarInput | null {
  const vcalendar = firstCalendar(text);
  const events = vcalendar.getAllSubcomponents('vevent');
  if (events.length === 0) return null;
  const vevent = events.find((e) => !e.hasProperty('recurrence-id')) ?? events[0];

  const uid = textProperty(vevent, 'uid');
  if (!uid) throw new InvalidCalendarError('the calendar event has no UID');

  const floatingZone = options.floatingTimeZone ?? 'UTC';
  const startTime = timeProperty(vevent, 'dtstart');
  const endTime = timeProperty(vevent, 'dtend');
  const years = [startTime, endTime].filter((t): t is Time => t !== null).map((t) => t.year);
  if (years.some((y) => y < MIN_YEAR || y > MAX_YEAR)) throw new InvalidCalendarError(`the event's dates lie outside ${MIN_YEAR}–${MAX_YEAR}`);
  if (years.length) boundTimeZoneExpansion(vcalendar, Math.min(...years));
  const wholeDays = startTime !== null && (startTime.isDate || flaggedAllDay(vevent, startTime, endTime));
  const start = startTime ? (wholeDays ? dayOf(startTime) : toUtc(startTime, floatingZone)) : null;
  const end = startTime ? (wholeDays ? dayEndOf(vevent, startTime, endTime) : endOf(vevent, startTime, floatingZone)) : null;
  // An object without METHOD is no iTIP message (RFC 5546 1.4), just an event description (an attached
  // "add to calendar" file): PUBLISH is the method that means exactly that.
  const method = textProperty(vcalendar, 'method')?.toUpperCase() || options.methodHint?.trim().toUpperCase() || 'PUBLISH';
  const sequence = Number.parseInt(String(vevent.getFirstPropertyValue('sequence') ?? '0'), 10);

  return {
    method,
    uid,
    sequence: Number.isFinite(sequence) && sequence >= 0 ? sequence : 0,
    summary: textProperty(vevent, 'summary'),
    location: textProperty(vevent, 'location'),
    description: textProperty(vevent, 'description'),
    start: start ? iso(start, 'DTSTART') : null,
    end: end ? iso(end, 'DTEND') : null,
    allDay: wholeDays,
    organizer: party(vevent.getFirstProperty('organizer')),
    attendees: vevent
      .getAllProperties('attendee')
      .map((p) => attendee(p))
      .filter((a): a is CalendarAttendee => a !== null),
    status: textProperty(vevent, 'status')?.toUpperCase() ?? null,
  };
}

function firstCalendar(text: string): Component {
  const jcal: unknown = ICAL.parse(text);
  // ICAL.parse returns one component, or an array when the text holds several.
  const roots = (Array.isArray(jcal) && typeof jcal[0] !== 'string' ? jcal : [jcal]) as unknown[];
  for (const root of roots) {
    const component = new ICAL.Component(root as ConstructorParameters<typeof ICAL.Component>[0]);
    if (component.name === 'vcalendar') return component;
  }
  throw new InvalidCalendarError('the calendar part holds no VCALENDAR object');
}

function iso(date: Date, name: string): string {
  if (Number.isNaN(date.getTime())) throw new InvalidCalendarError(`the event's ${name} is not a valid time`);
  return date.toISOString();
}

function textProperty(component: Component, name: string): string | null {
  const value = component.getFirstPropertyValue(name);
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

function timeProperty(component: Component, name: string): Time | null {
  const value = component.getFirstPropertyValue(name);
  return value instanceof ICAL.Time ? value : null;
}

const MIN_YEAR = 1900;
const MAX_YEAR = 2200;
const MAX_OBSERVANCES = 50;
const MAX_RULE_COUNT = 500;
const MAX_OCCURRENCES_PER_YEAR = 64;

/**
 * ical.js works out a zone's offset by expanding each STANDARD/DAYLIGHT rule from its DTSTART, and Outlook's
 * start in 1601: ~10 ms per invitation, and without bound for a hostile rule (FREQ=SECONDLY from year 1)
 * while the event loop waits. Every real VTIMEZONE repeats yearly (RFC 5545 3.6.5), so a rule is moved to start
 * two years before the event, which leaves every onset from then on unchanged; anything else is refused.
 */
function boundTimeZoneExpansion(vcalendar: Component, eventYear: number): void {
  for (const vtimezone of vcalendar.getAllSubcomponents('vtimezone')) {
    const observances = vtimezone.getAllSubcomponents();
    if (observances.length > MAX_OBSERVANCES) throw new InvalidCalendarError(`a time zone lists ${observances.length} observances (at most ${MAX_OBSERVANCES})`);
    for (const observance of observances) {
      const rule = observance.getFirstPropertyValue('rrule');
      const dtstart = observance.getFirstProperty('dtstart');
      const start = dtstart?.getFirstValue();
      if (!(rule instanceof ICAL.Recur) || !dtstart || !(start instanceof ICAL.Time)) continue;
      if (rule.freq !== 'YEARLY') throw new InvalidCalendarError(`a time zone rule repeats ${String(rule.freq).toLowerCase()}, not yearly`);
      if (occurrencesPerYear(rule) > MAX_OCCURRENCES_PER_YEAR) throw new InvalidCalendarError('a time zone rule changes the offset too often');
      if (rule.count) {
        if (rule.count > MAX_RULE_COUNT) throw new InvalidCalendarError(`a time zone rule repeats ${rule.count} times`);
        continue; // COUNT is counted from DTSTART, which therefore stays
      }
      // A rule that ended keeps its last onsets: the offset they set may still hold.
      const from = Math.min(eventYear - 2, rule.until ? rule.until.year - 1 : Infinity);
      if (start.year >= from) continue;
      const moved = start.clone();
      if (moved.month === 2 && moved.day === 29) moved.day = 28;
      moved.year = from;
      dtstart.setValue(moved);
    }
  }
}

/** An upper bound on the onsets a yearly rule makes in one year (RFC 5545 3.3.10 BYxxx expansion). */
function occurrencesPerYear(rule: InstanceType<typeof ICAL.Recur>): number {
  const parts = rule.parts as Record<string, unknown[] | undefined>;
  if (parts.BYYEARDAY || parts.BYWEEKNO || parts.BYHOUR || parts.BYMINUTE || parts.BYSECOND) return Infinity;
  const months = parts.BYMONTH?.length ?? (parts.BYDAY || parts.BYMONTHDAY ? 12 : 1);
  const days = parts.BYMONTHDAY?.length ?? 1;
  const weekdays = parts.BYDAY ? parts.BYDAY.reduce<number>((n, d) => n + (/^[+-]?\d/.test(String(d)) ? 1 : 5), 0) : 1;
  return months * days * weekdays;
}

/** DTEND, else DTSTART + DURATION, else (RFC 5545 3.6.1) one day after a DATE start or the start itself. */
/**
 * Outlook and Exchange may send an all-day event as local midnights (DTSTART;TZID=…:20261205T000000) flagged
 * X-MICROSOFT-CDO-ALLDAYEVENT:TRUE (Windows Live: X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT) instead of DATE values. The
 * flag counts when the start is a midnight on the organizer's clock, as an all-day event's always is.
 */
function flaggedAllDay(vevent: Component, start: Time, end: Time | null): boolean {
  const flagged = ['x-microsoft-cdo-alldayevent', 'x-microsoft-msncalendar-alldayevent'].some((name) => String(vevent.getFirstPropertyValue(name) ?? '').trim().toUpperCase() === 'TRUE');
  const midnight = (t: Time) => t.hour === 0 && t.minute === 0 && t.second === 0;
  return flagged && midnight(start) && (end === null || midnight(end));
}

/** An all-day event's day as the hub keeps it: 00:00 UTC of the date on the organizer's calendar. */
function dayOf(time: Time): Date {
  return new Date(Date.UTC(time.year, time.month - 1, time.day));
}

/** The midnight after an all-day event's last day: its DTEND's date, else its start plus its DURATION's days, else one day. */
function dayEndOf(vevent: Component, start: Time, end: Time | null): Date {
  const first = dayOf(start).getTime();
  const duration = vevent.getFirstPropertyValue('duration');
  const last = end ? dayOf(end).getTime() : duration instanceof ICAL.Duration ? first + Math.round(duration.toSeconds() / 86_400) * 86_400_000 : first;
  return new Date(Math.max(last, first + 86_400_000));
}

function endOf(vevent: Component, start: Time, floatingZone: string): Date | null {
  const dtend = timeProperty(vevent, 'dtend');
  if (dtend) return toUtc(dtend, floatingZone);
  const startUtc = toUtc(start, floatingZone);
  const duration = vevent.getFirstPropertyValue('duration');
  if (duration instanceof ICAL.Duration) return new Date(startUtc.getTime() + duration.toSeconds() * 1000);
  return startUtc;
}

/**
 * The UTC instant of a DATE or DATE-TIME value. ical.js resolves a TZID against the object's own VTIMEZONE
 * (Outlook writes Windows names such as "W. Europe Standard Time" with one). A TZID without a VTIMEZONE breaks
 * RFC 5545 3.2.19; it is read as an IANA name when it is one, otherwise as a floating time, as Thunderbird does.
 */
function toUtc(time: Time, floatingZone: string): Date {
  if (time.isDate) return new Date(Date.UTC(time.year, time.month - 1, time.day));
  const tzid = time.zone?.tzid;
  if (tzid && tzid !== 'floating') return time.toJSDate(); // UTC, or a zone from a VTIMEZONE
  const named = (time as Time & { timezone?: string }).timezone;
  const zone = named && isKnownTimeZone(named) ? named : floatingZone;
  // The earlier instant when the wall time occurs twice (RFC 5545 3.3.5).
  return new Date(fromLocal(time, zone));
}

/** An ORGANIZER or ATTENDEE address: the mailto: URI, or Apple's EMAIL parameter beside a urn:uuid value. */
function party(property: Property | null): MailAddress | null {
  if (!property) return null;
  const value = String(property.getFirstValue() ?? '').trim();
  const mailto = /^mailto:/i.test(value) ? value.replace(/^mailto:/i, '').trim() : null;
  const emailParam = parameter(property, 'email');
  const address = mailto || emailParam || (value.includes('@') && !value.includes(':') ? value : null);
  if (!address) return null;
  return { address, name: parameter(property, 'cn') };
}

function attendee(property: Property): CalendarAttendee | null {
  const who = party(property);
  if (!who) return null;
  return {
    ...who,
    role: parameter(property, 'role')?.toUpperCase() ?? 'REQ-PARTICIPANT',
    partstat: parameter(property, 'partstat')?.toUpperCase() ?? 'NEEDS-ACTION',
  };
}

function parameter(property: Property, name: string): string | null {
  const value = property.getParameter(name);
  const text = (Array.isArray(value) ? value[0] : value)?.toString().trim();
  return text ? text : null;
}
