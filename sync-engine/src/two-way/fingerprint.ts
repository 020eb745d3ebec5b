import { createHash } from 'node:crypto';
import type { AppointmentFields, Attendee, ContactFields, PostalAddress, SyncedItem, TaskFields } from './model.js';
import { canonicalRrule } from './rrule.js';
import { localDate } from '../time/zoned-time.js';

/**
 * A SHA-256 (hex) of an item's content in normalized form, so one content gives one fingerprint whichever side
 * wrote it and however it was spelled: text trimmed with line ends unified, addresses lower-cased, attendees
 * sorted, instants in UTC to the second (EWS's LastModifiedTime and Start carry no milliseconds), rules canonical.
 * Echo suppression and conflict detection compare these.
 */
export function fingerprint(item: SyncedItem): string {
  return createHash('sha256').update(JSON.stringify(normalize(item))).digest('hex');
}

/** The normalized content the fingerprint hashes; exported so a test or a log can show why two differ. */
export function normalize(item: SyncedItem): unknown {
  switch (item.kind) {
    case 'APPOINTMENT':
      return { kind: item.kind, ...appointment(item.fields) };
    case 'TASK':
      return { kind: item.kind, ...task(item.fields) };
    case 'CONTACT':
      return { kind: item.kind, ...contact(item.fields) };
  }
}

function text(value: string | null): string | null {
  if (value === null) return null;
  const normalized = value
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
  return normalized === '' ? null : normalized;
}

/** One-line values (names, phones): inner runs of white space count as one space. */
function line(value: string | null): string | null {
  return text(value)?.replace(/\s+/g, ' ') ?? null;
}

function email(value: string): string {
  return value.trim().toLowerCase();
}

export function instant(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an instant: ${value}`);
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}

/** Addresses only: display names come from each side's directory and differ without meaning anything. */
function attendees(list: readonly Attendee[]): string[] {
  return [...new Set(list.map((a) => email(a.email)))].sort();
}

function appointment(f: AppointmentFields): Record<string, unknown> {
  // An all-day event is a span of dates; a timed one a span of instants, where the zone changes nothing unless a
  // series' local times depend on it.
  const times = f.allDay
    ? { startDate: localDate(f.start, f.timeZone), endDate: localDate(f.end, f.timeZone) }
    : { start: instant(f.start), end: instant(f.end) };
  const zoneMatters = f.allDay || f.recurrence !== null;
  return {
    subject: line(f.subject),
    body: text(f.body),
    location: line(f.location),
    ...times,
    timeZone: zoneMatters ? f.timeZone : null,
    allDay: f.allDay,
    organizer: f.organizer ? email(f.organizer.email) : null,
    required: attendees(f.requiredAttendees),
    optional: attendees(f.optionalAttendees),
    recurrence: f.recurrence && {
      rrule: canonicalRrule(f.recurrence.rrule),
      exdates: [...new Set(f.recurrence.exdates.map(instant))].sort(),
      overrides: f.recurrence.overrides
        .map((o) => ({
          originalStart: instant(o.originalStart),
          start: instant(o.start),
          end: instant(o.end),
          subject: line(o.subject),
          location: line(o.location),
        }))
        .sort((a, b) => a.originalStart.localeCompare(b.originalStart)),
    },
    cancelled: f.cancelled,
    // icalUid is identity, not content: the CRM learns it only from Exchange's answer to a create.
  };
}

function task(f: TaskFields): Record<string, unknown> {
  return {
    subject: line(f.subject),
    body: text(f.body),
    due: f.due?.slice(0, 10) ?? null,
    start: f.start?.slice(0, 10) ?? null,
    status: f.status,
    priority: f.priority,
    percentComplete: Math.round(f.percentComplete),
  };
}

function address(a: PostalAddress | null): Record<string, string | null> | null {
  if (a === null) return null;
  const fields = { street: text(a.street), city: line(a.city), state: line(a.state), postalCode: line(a.postalCode), country: line(a.country) };
  return Object.values(fields).every((v) => v === null) ? null : fields;
}

function contact(f: ContactFields): Record<string, unknown> {
  return {
    firstName: line(f.firstName),
    lastName: line(f.lastName),
    emails: [...new Set(f.emails.map(email).filter((e) => e !== ''))],
    businessPhone: line(f.businessPhone),
    mobilePhone: line(f.mobilePhone),
    company: line(f.company),
    jobTitle: line(f.jobTitle),
    businessAddress: address(f.businessAddress),
  };
}
