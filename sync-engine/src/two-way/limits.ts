import type { SyncedItem } from './model.js';
import { parseRrule } from './rrule.js';
import { isKnownTimeZone } from '../time/zoned-time.js';

/**
 * Bounds an item must keep to enter the sync, from the CRM's columns (activity subject 400, description 20,000,
 * location 400, email address 320; contact names and job title 100, phones 50) and from what Exchange holds (at most
 * 999 occurrences). An item outside them is refused whole, never cut: a cut copy would differ from its source on
 * every round and echo for ever.
 */
export const LIMITS = {
  subject: 400,
  body: 20_000,
  location: 400,
  email: 320,
  name: 100,
  phone: 50,
  company: 160,
  addressLine: 400,
  attendees: 500,
  emails: 3,
  occurrenceChanges: 999,
} as const;

/** An item the sync cannot carry; `problems` says every reason at once. */
export class InvalidSyncItemError extends Error {
  readonly code = 'INVALID_ITEM';
  constructor(readonly problems: readonly string[]) {
    super(`the item cannot be synced: ${problems.join('; ')}`);
    this.name = 'InvalidSyncItemError';
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkItem(item: SyncedItem): string[] {
  const problems: string[] = [];
  const text = (name: string, value: string | null, max: number) => {
    if (value !== null && value.length > max) problems.push(`${name} is longer than ${max} characters`);
  };
  const instant = (name: string, value: string) => {
    if (!ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) problems.push(`${name} is not a UTC instant: ${value.slice(0, 40)}`);
  };
  const address = (name: string, value: string) => {
    if (value.length > LIMITS.email || !/^[^\s@]+@[^\s@]+$/.test(value.trim())) problems.push(`${name} is not an email address: ${value.slice(0, 40)}`);
  };
  switch (item.kind) {
    case 'APPOINTMENT': {
      const f = item.fields;
      text('subject', f.subject, LIMITS.subject);
      text('body', f.body, LIMITS.body);
      text('location', f.location, LIMITS.location);
      instant('start', f.start);
      instant('end', f.end);
      if (Date.parse(f.end) < Date.parse(f.start)) problems.push('end is before start');
      if (!isKnownTimeZone(f.timeZone)) problems.push(`unknown time zone: ${f.timeZone.slice(0, 60)}`);
      if (f.organizer) address('organizer', f.organizer.email);
      const everyone = [...f.requiredAttendees, ...f.optionalAttendees];
      if (everyone.length > LIMITS.attendees) problems.push(`more than ${LIMITS.attendees} attendees`);
      else everyone.forEach((a, i) => address(`attendee ${i + 1}`, a.email));
      if (f.recurrence) {
        try {
          parseRrule(f.recurrence.rrule);
        } catch (error) {
          problems.push((error as Error).message);
        }
        if (f.recurrence.exdates.length + f.recurrence.overrides.length > LIMITS.occurrenceChanges) {
          problems.push(`more than ${LIMITS.occurrenceChanges} changed occurrences`);
        } else {
          f.recurrence.exdates.forEach((d, i) => instant(`deleted occurrence ${i + 1}`, d));
          f.recurrence.overrides.forEach((o, i) => {
            instant(`changed occurrence ${i + 1}`, o.originalStart);
            instant(`changed occurrence ${i + 1} start`, o.start);
            instant(`changed occurrence ${i + 1} end`, o.end);
            text(`changed occurrence ${i + 1} subject`, o.subject, LIMITS.subject);
            text(`changed occurrence ${i + 1} location`, o.location, LIMITS.location);
          });
        }
      }
      break;
    }
    case 'TASK': {
      const f = item.fields;
      text('subject', f.subject, LIMITS.subject);
      text('body', f.body, LIMITS.body);
      for (const [name, value] of [['due', f.due], ['start', f.start]] as const) {
        if (value !== null && !ISO_DATE.test(value)) problems.push(`${name} is not a date: ${value.slice(0, 40)}`);
      }
      if (!(f.percentComplete >= 0 && f.percentComplete <= 100)) problems.push('percent complete is outside 0–100');
      break;
    }
    case 'CONTACT': {
      const f = item.fields;
      text('first name', f.firstName, LIMITS.name);
      text('last name', f.lastName, LIMITS.name);
      text('job title', f.jobTitle, LIMITS.name);
      text('company', f.company, LIMITS.company);
      text('business phone', f.businessPhone, LIMITS.phone);
      text('mobile phone', f.mobilePhone, LIMITS.phone);
      if (f.emails.length > LIMITS.emails) problems.push(`more than ${LIMITS.emails} email addresses`);
      f.emails.forEach((e, i) => address(`email ${i + 1}`, e));
      if (f.businessAddress) {
        for (const [name, value] of Object.entries(f.businessAddress)) text(`address ${name}`, value, LIMITS.addressLine);
      }
      break;
    }
  }
  return problems;
}

/** Throws InvalidSyncItemError naming every problem; returns the item for chaining. */
export function assertSyncable<T extends SyncedItem>(item: T): T {
  const problems = checkItem(item);
  if (problems.length > 0) throw new InvalidSyncItemError(problems);
  return item;
}
