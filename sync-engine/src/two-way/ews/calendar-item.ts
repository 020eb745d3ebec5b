import { assertSyncable } from '../limits.js';
import type { AppointmentFields, Attendee, OccurrenceOverride } from '../model.js';
import { DEFAULT_TRACKING_CATEGORY, type EwsAttendee, type EwsCalendarItem, type EwsMailbox } from './ews-types.js';
import { marked, refOf, text, utc, type FromEws } from './ews-item.js';
import { rruleFromEws, rruleToEws } from './recurrence.js';
import { ianaZoneOf, windowsZoneOf } from './windows-zones.js';

export interface CalendarFromEwsOptions {
  /** The zone the CRM side has (or the user's): kept when the Windows zone covers it (windows-zones.ts). */
  readonly preferredTimeZone?: string | null;
  readonly trackingCategory?: string;
  /** The exception items (GetItem of each ModifiedOccurrences ItemId): their Subject and Location, where changed. */
  readonly exceptions?: readonly EwsCalendarItem[];
}

function person(mailbox: EwsMailbox): Attendee {
  return { email: mailbox.EmailAddress.trim(), name: text(mailbox.Name) };
}

function people(list: readonly EwsAttendee[] | undefined): Attendee[] {
  return (list ?? []).filter((a) => a.Mailbox?.EmailAddress).map((a) => person(a.Mailbox));
}

/** CalendarItemType → a neutral appointment. Throws InvalidEwsItemError, UnsupportedRecurrenceError or InvalidSyncItemError. */
export function appointmentFromEws(ews: EwsCalendarItem, options: CalendarFromEwsOptions = {}): FromEws {
  const warnings: string[] = [];
  const windowsZone = ews.StartTimeZone?.Id ?? null;
  let timeZone = windowsZone ? ianaZoneOf(windowsZone, options.preferredTimeZone) : null;
  if (!timeZone) {
    if (windowsZone) warnings.push(`unknown Windows time zone "${windowsZone.slice(0, 80)}": its times are read in UTC`);
    timeZone = 'Etc/UTC';
  }
  const allDay = ews.IsAllDayEvent === true;
  const start = utc(ews.Start);
  const exceptions = new Map((options.exceptions ?? []).filter((e) => e.ItemId).map((e) => [e.ItemId!.Id, e]));
  const overrides: OccurrenceOverride[] = (ews.ModifiedOccurrences ?? []).map((o) => {
    const exception = o.ItemId ? exceptions.get(o.ItemId.Id) : undefined;
    const differs = (own: string | null | undefined, master: string | null | undefined) => (exception && text(own) !== text(master) ? text(own) : null);
    return {
      originalStart: utc(o.OriginalStart),
      start: utc(o.Start),
      end: utc(o.End),
      subject: differs(exception?.Subject, ews.Subject),
      location: differs(exception?.Location, ews.Location),
    };
  });
  const fields: AppointmentFields = {
    subject: text(ews.Subject),
    body: text(ews.Body?.Value),
    location: text(ews.Location),
    start,
    end: utc(ews.End),
    timeZone,
    allDay,
    organizer: ews.Organizer?.Mailbox?.EmailAddress ? person(ews.Organizer.Mailbox) : null,
    requiredAttendees: people(ews.RequiredAttendees),
    optionalAttendees: people(ews.OptionalAttendees),
    recurrence: ews.Recurrence
      ? {
          rrule: rruleFromEws(ews.Recurrence, { start, timeZone, allDay }),
          exdates: (ews.DeletedOccurrences ?? []).map((d) => utc(d.Start)),
          overrides,
        }
      : null,
    cancelled: ews.IsCancelled === true,
    icalUid: text(ews.UID),
  };
  return {
    ref: refOf(ews.ItemId, ews.LastModifiedTime),
    item: assertSyncable({ kind: 'APPOINTMENT', fields }),
    markedForSync: marked(ews.Categories, options.trackingCategory ?? DEFAULT_TRACKING_CATEGORY),
    warnings,
  };
}

/**
 * A neutral appointment → the CalendarItemType properties to write. ModifiedOccurrences and DeletedOccurrences
 * are read-only on a master in EWS: the adapter applies them to the occurrences found by OriginalStart (UpdateItem
 * on the occurrence, DeleteItem for a deleted one). Categories are left to the adapter (it adds the tracking
 * category on create and must not replace the user's others). IsCancelled is read-only too: a cancelled
 * appointment is cancelled by the adapter with CancelCalendarItem.
 */
export function appointmentToEws(fields: AppointmentFields): EwsCalendarItem {
  assertSyncable({ kind: 'APPOINTMENT', fields });
  const windowsZone = windowsZoneOf(fields.timeZone);
  const recurrence = fields.recurrence;
  const zone = windowsZone ? { Id: windowsZone } : { Id: 'UTC' };
  return {
    Subject: fields.subject,
    Body: fields.body === null ? null : { BodyType: 'Text', Value: fields.body },
    Start: fields.start,
    End: fields.end,
    IsAllDayEvent: fields.allDay,
    Location: fields.location,
    IsCancelled: fields.cancelled,
    Organizer: fields.organizer ? { Mailbox: mailbox(fields.organizer) } : null,
    RequiredAttendees: fields.requiredAttendees.map((a) => ({ Mailbox: mailbox(a) })),
    OptionalAttendees: fields.optionalAttendees.map((a) => ({ Mailbox: mailbox(a) })),
    Recurrence: recurrence ? rruleToEws(recurrence.rrule, { start: fields.start, timeZone: fields.timeZone, allDay: fields.allDay }) : null,
    ModifiedOccurrences:
      recurrence?.overrides.map((o) => ({
        Start: o.start,
        End: o.end,
        OriginalStart: o.originalStart,
        ...(o.subject !== null ? { Subject: o.subject } : {}),
        ...(o.location !== null ? { Location: o.location } : {}),
      })) ?? [],
    DeletedOccurrences: recurrence?.exdates.map((d) => ({ Start: d })) ?? [],
    StartTimeZone: zone,
    EndTimeZone: zone,
    UID: fields.icalUid,
  };
}

function mailbox(attendee: Attendee): EwsMailbox {
  return attendee.name ? { Name: attendee.name, EmailAddress: attendee.email } : { EmailAddress: attendee.email };
}
