import { assertSyncable } from '../limits.js';
import type { AppointmentFields, Attendee, ExternalRef, OccurrenceOverride, SyncedItem } from '../model.js';
import { DEFAULT_TRACKING_CATEGORY, type EwsAttendee, type EwsCalendarItem, type EwsItemId, type EwsMailbox } from './ews-types.js';
import { rruleFromEws, rruleToEws } from './recurrence.js';
import { ianaZoneOf, windowsZoneOf } from './windows-zones.js';

/** What an EWS item becomes on the neutral side: its version, its content, and whether the user marked it. */
export interface FromEws {
  readonly ref: ExternalRef;
  readonly item: SyncedItem;
  readonly markedForSync: boolean;
  /** Things the mapping had to assume (an unknown time zone read as UTC); for the mailbox's alert log. */
  readonly warnings: readonly string[];
}

export interface CalendarFromEwsOptions {
  /** The zone the CRM side has (or the user's): kept when the Windows zone covers it (windows-zones.ts). */
  readonly preferredTimeZone?: string | null;
  readonly trackingCategory?: string;
  /** The exception items (GetItem of each ModifiedOccurrences ItemId): their Subject and Location, where changed. */
  readonly exceptions?: readonly EwsCalendarItem[];
}

/** An EWS answer that lacks what every synced item must have. */
export class InvalidEwsItemError extends Error {
  readonly code = 'INVALID_ITEM';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEwsItemError';
  }
}

export function refOf(itemId: EwsItemId | undefined, lastModified: string | undefined): ExternalRef {
  if (!itemId?.Id || !itemId.ChangeKey) throw new InvalidEwsItemError('the item has no ItemId with a ChangeKey');
  if (!lastModified || Number.isNaN(Date.parse(lastModified))) throw new InvalidEwsItemError('the item has no LastModifiedTime');
  return { provider: 'EWS', externalId: itemId.Id, changeKey: itemId.ChangeKey, lastModified: utc(lastModified) };
}

export function utc(dateTime: string): string {
  const time = Date.parse(dateTime);
  if (Number.isNaN(time)) throw new InvalidEwsItemError(`not an xs:dateTime: ${dateTime.slice(0, 40)}`);
  return new Date(time).toISOString();
}

export function text(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

export function marked(categories: readonly string[] | undefined, category: string): boolean {
  const wanted = category.trim().toLowerCase();
  return (categories ?? []).some((c) => c.trim().toLowerCase() === wanted);
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
