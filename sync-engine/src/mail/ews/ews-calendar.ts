import {
  Appointment, AppointmentSchema, AppointmentType, BasePropertySet, ConflictResolutionMode, DateTime, DeleteMode, FolderId, ItemId, ItemSchema, MeetingResponseType, PropertySet,
  SendCancellationsMode, SendInvitationsMode, SendInvitationsOrCancellationsMode, Sensitivity, ServiceError, ServiceResult, TimeZoneInfo, WellKnownFolderName, type Attendee,
  type EmailAddress,
} from 'ews-javascript-api';
import type { CalendarInput } from '../../mime/track-email-item.js';
import { fromLocal, localDate, parseDate, toLocal } from '../../time/zoned-time.js';
import { ianaZoneOf, windowsZoneOf } from '../../two-way/ews/windows-zones.js';
import { MailError } from '../mail-error.js';
import {
  DEFAULT_EXPANSION_WINDOW, expansionWindowAt, instanceFields, INSTANCE_PROPERTIES, readOccurrences, recurrenceOf, SERIES_PROPERTIES,
  type ExpansionWindow, type OccurrenceInput, type SeriesInput,
} from './ews-calendar-series.js';
import { parseEwsCursor, serializeEwsCursor, withCalendarExpansion, withCalendarState } from './ews-cursor.js';
import { pagesFromCursor, readFolderChanges, type CursorSlot } from './ews-folder-changes.js';
import { dateOf, optional } from './ews-properties.js';
import type { EwsAccount, EwsServices, EwsSession } from './ews-service.js';
import { NEWER_IN_EXCHANGE, updateSeenVersion } from './ews-update.js';
import { xmlText } from './ews-xml.js';

// Appointments from an Exchange Calendar as the hub's calendar events: one SyncFolderItems page of item ids, then
// GetItem of their calendar properties (SyncFolderItems, like FindItem, does not return attendees). A recurring master
// on the page comes as a series with its rule and its occurrences in the expansion window (ews-calendar-series.ts).

/** One page of the Calendar's changes since a SyncState, as calendar events for the hub. */
export interface CalendarPage {
  readonly events: readonly CalendarInput[];
  /** Recurring series created or changed (a master changes with any of its occurrences), each with its occurrences in the window. */
  readonly series: readonly SeriesInput[];
  /** ItemIds of entries deleted (or moved out of the Calendar) since the SyncState. */
  readonly deletedItemIds: readonly string[];
  /** Items left out: private or personal ones (series too), and entries without a UID or start. */
  readonly skipped: number;
  readonly syncState: string;
  readonly moreChangesAvailable: boolean;
}

const CALENDAR_PROPERTIES = [
  AppointmentSchema.ICalUid, ItemSchema.Subject, ItemSchema.Sensitivity, AppointmentSchema.Start, AppointmentSchema.End, AppointmentSchema.IsAllDayEvent,
  AppointmentSchema.Location, AppointmentSchema.IsCancelled, AppointmentSchema.AppointmentType, AppointmentSchema.Organizer, AppointmentSchema.RequiredAttendees,
  AppointmentSchema.OptionalAttendees, AppointmentSchema.AppointmentSequenceNumber, ItemSchema.LastModifiedTime, AppointmentSchema.MyResponseType,
  AppointmentSchema.MeetingRequestWasSent,
];
const HOUR_MS = 3_600_000;

/** When a Calendar read happens and how far around it series are expanded (Dynamics' expansion windows). */
export interface CalendarReadOptions {
  readonly now?: Date;
  readonly window?: ExpansionWindow;
  /** MaxEntriesReturned of each CalendarView (default 1,000): more entries in a range split it. */
  readonly viewMax?: number;
  /** The mailbox's IANA time zone: all-day entries are its midnights, and are written as such. Null or absent: unknown. */
  readonly timeZone?: string | null;
}


/**
 * The Calendar's items created, changed or deleted after `syncState` (null: all of it), at most `maxChanges` a page.
 * Deleted ids go to the hub as they are: removing a meeting from one's own calendar does not cancel it for the others,
 * but an entry the hub wrote and then changed in the CRM is written again.
 */
export async function readCalendarPage(session: EwsSession, syncState: string | null, maxChanges: number, signal?: AbortSignal, options: CalendarReadOptions = {}): Promise<CalendarPage> {
  const changes = await readFolderChanges(session, WellKnownFolderName.Calendar, 'Calendar', syncState, maxChanges, signal);
  const events: CalendarInput[] = [];
  const masters: { event: CalendarInput; item: Appointment }[] = [];
  let skipped = 0;
  if (changes.changed.length > 0) {
    const responses = await session.call('GetItem', (service) => service.BindToItems(changes.changed.map((id) => new ItemId(id)), new PropertySet(BasePropertySet.IdOnly, [...CALENDAR_PROPERTIES, ...SERIES_PROPERTIES])), { folder: 'Calendar', signal });
    for (const response of responses.Responses) {
      // ErrorItemNotFound: deleted since it was listed; nothing to pass on.
      if (response.Result !== ServiceResult.Success || !(response.Item instanceof Appointment)) continue;
      const item = response.Item;
      const isMaster = optional(() => item.AppointmentType) === AppointmentType.RecurringMaster;
      const event = isMaster ? eventOf(item, options.timeZone) : calendarEventOf(item, options.timeZone);
      if (event && isMaster) masters.push({ event, item });
      else if (event) events.push(event);
      else skipped++;
    }
  }
  const series = masters.length > 0 ? await expandSeries(session, masters, options, signal) : [];
  return { events, series, deletedItemIds: changes.deleted, skipped, syncState: changes.syncState, moreChangesAvailable: changes.moreChangesAvailable };
}

const INSTANCE_READ = new PropertySet(BasePropertySet.IdOnly, [...CALENDAR_PROPERTIES, ...INSTANCE_PROPERTIES]);

/** The masters' series with their occurrences in the expansion window around now, as Exchange expands them. */
async function expandSeries(session: EwsSession, masters: readonly { event: CalendarInput; item: Appointment }[], options: CalendarReadOptions, signal?: AbortSignal): Promise<SeriesInput[]> {
  const { from, to } = expansionWindowAt(options.now ?? new Date(), options.window ?? DEFAULT_EXPANSION_WINDOW);
  const occurrences = await readOccurrences(session, new Set(masters.map((m) => m.event.uid)), from, to, INSTANCE_READ, (item) => occurrenceEventOf(item, options.timeZone), signal, options.viewMax);
  return masters.map(({ event, item }) => ({
    master: event,
    uid: event.uid,
    recurrence: recurrenceOf(item),
    occurrences: occurrences.get(event.uid) ?? [],
    window: { from: from.toISOString(), to: to.toISOString() },
  }));
}

/**
 * The occurrences of every series that entered the window since it was last expanded (a new day): [from, to), by
 * series, without their masters (unchanged, the hub has them).
 */
export async function readWindowSlide(session: EwsSession, from: Date, to: Date, signal?: AbortSignal, timeZone?: string | null): Promise<SeriesInput[]> {
  const occurrences = await readOccurrences(session, null, from, to, INSTANCE_READ, (item) => occurrenceEventOf(item, timeZone), signal);
  return [...occurrences].map(([uid, list]) => ({ master: null, uid, recurrence: null, occurrences: list, window: { from: from.toISOString(), to: to.toISOString() } }));
}

/** The hub's calendar event for one single appointment; null for what stays out of the CRM (private, part of a series, no UID). */
export function calendarEventOf(item: Appointment, timeZone?: string | null): CalendarInput | null {
  const type = optional(() => item.AppointmentType);
  if (type !== null && type !== AppointmentType.Single) return null;
  return eventOf(item, timeZone);
}

/** One occurrence or exception of a series as the hub's occurrence; null for anything else, or a private one. */
export function occurrenceEventOf(item: Appointment, timeZone?: string | null): OccurrenceInput | null {
  const instance = instanceFields(item);
  const event = instance ? eventOf(item, timeZone) : null;
  return event && instance ? { ...event, ...instance } : null;
}

/** What every calendar entry (single, master, occurrence) gives the hub; null for private ones and those without UID or start. */
function eventOf(item: Appointment, timeZone?: string | null): CalendarInput | null {
  const sensitivity = optional(() => item.Sensitivity);
  // Private and personal appointments stay in Outlook, as with Dynamics (which syncs only what the user tracks).
  if (sensitivity === Sensitivity.Private || sensitivity === Sensitivity.Personal) return null;
  const uid = optional(() => item.ICalUid);
  const start = dateOf(optional(() => item.Start));
  const end = dateOf(optional(() => item.End));
  if (!uid || !start) return null;
  const allDay = optional(() => item.IsAllDayEvent) ?? false;
  // An all-day entry runs from midnight to midnight in its own zone (StartTimeZone: one made while travelling may keep
  // another than the mailbox's), so its days are read there first.
  const entryZone = ianaZoneOf(optional(() => item.StartTimeZone?.Id) ?? '', timeZone);
  const zones = [entryZone, timeZone ?? null].filter((zone): zone is string => !!zone);
  const cancelled = optional(() => item.IsCancelled) ?? false;
  const organizer = addressOf(optional(() => item.Organizer));
  const attendees = [
    ...attendeesOf(optional(() => item.RequiredAttendees?.GetEnumerator()), 'REQ-PARTICIPANT'),
    ...attendeesOf(optional(() => item.OptionalAttendees?.GetEnumerator()), 'OPT-PARTICIPANT'),
  ];
  return {
    method: 'PUBLISH',
    uid,
    sequence: optional(() => item.AppointmentSequenceNumber) ?? 0,
    summary: optional(() => item.Subject),
    location: optional(() => item.Location),
    description: null,
    start: allDay ? dayOf(start, zones) : start.toISOString(),
    end: end ? (allDay ? dayOf(end, zones) : end.toISOString()) : null,
    allDay,
    organizer,
    attendees,
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    itemId: optional(() => item.Id?.UniqueId),
    changeKey: optional(() => item.Id?.ChangeKey) || null,
    lastModifiedAt: dateOf(optional(() => item.LastModifiedTime))?.toISOString() ?? null,
    mailboxOrganizes: optional(() => item.MyResponseType) === MeetingResponseType.Organizer,
    invitationsSent: optional(() => item.MeetingRequestWasSent) ?? false,
  };
}

/**
 * An all-day appointment starts at midnight in its zone, sent as that instant in UTC; the hub wants the day itself, as
 * 00:00 UTC of it. A midnight in the entry's own zone, else in the mailbox's, is that day there (so UTC+13 and UTC+14
 * read right); without a zone where it is midnight, local midnight lies within 12 hours of UTC midnight: the UTC date
 * 12 hours later.
 */
function dayOf(instant: Date, zones: readonly string[]): string {
  for (const zone of zones) {
    const local = toLocal(instant, zone);
    if (local.hour === 0 && local.minute === 0 && local.second === 0) return `${localDate(instant, zone)}T00:00:00.000Z`;
  }
  return `${new Date(instant.getTime() + 12 * HOUR_MS).toISOString().slice(0, 10)}T00:00:00.000Z`;
}

function addressOf(email: EmailAddress | null): { address: string; name: string | null } | null {
  const address = optional(() => email?.Address)?.trim();
  if (!address || !address.includes('@')) return null; // an Exchange-internal (X.500) address without SMTP: not a party the hub can resolve
  return { address, name: optional(() => email?.Name)?.trim() || null };
}

function attendeesOf(list: readonly Attendee[] | null, role: string): CalendarInput['attendees'] {
  return (list ?? []).flatMap((attendee) => {
    const who = addressOf(attendee);
    return who ? [{ address: who.address, name: who.name, role, partstat: 'NEEDS-ACTION' }] : [];
  });
}

/** Appointments from one mailbox's Calendar, page after page, each with the mailbox cursor to commit with it. */
export interface CalendarBatch {
  readonly events: readonly CalendarInput[];
  readonly series: readonly SeriesInput[];
  readonly deletedItemIds: readonly string[];
  readonly skipped: number;
  readonly cursor: string;
}

// GetItem of calendar properties is small per item; pages this size keep a replay after a crash short.
const CALENDAR_PAGE = 100;

const CALENDAR_SLOT: CursorSlot = { stateOf: (cursor) => cursor.calendar?.syncState ?? null, withState: withCalendarState };

/** The Calendar of an Exchange mailbox read from where the mailbox's cursor says (its `calendar` SyncState). */
export class EwsCalendarSource {
  constructor(
    private readonly services: EwsServices,
    private readonly account: EwsAccount,
    private readonly options: CalendarReadOptions = {},
  ) {}

  /**
   * The Calendar's changes page by page; then, when the day has moved the expansion window's end past where the
   * cursor says series were expanded, the occurrences that entered it (their masters did not change, so no page had them).
   */
  async *read(cursorText: string | null, signal?: AbortSignal): AsyncIterable<CalendarBatch> {
    const session = await this.services.session(this.account, 'incoming', signal);
    const readOptions = () => ({ ...this.options, now: this.options.now ?? new Date() });
    let last = cursorText;
    const expandedBefore = parseEwsCursor(cursorText).calendar?.expandedUntil ?? null;
    for await (const { page, cursor } of pagesFromCursor(cursorText, CALENDAR_SLOT, (syncState) => readCalendarPage(session, syncState, CALENDAR_PAGE, signal, readOptions()))) {
      last = cursor;
      yield { events: page.events, series: page.series, deletedItemIds: page.deletedItemIds, skipped: page.skipped, cursor };
    }
    const { to } = expansionWindowAt(readOptions().now, this.options.window ?? DEFAULT_EXPANSION_WINDOW);
    if (expandedBefore !== null && Date.parse(expandedBefore) >= to.getTime()) return;
    // First read: every master was on the pages, expanded up to `to`. Later: the slice [expandedBefore, to).
    const series = expandedBefore === null ? [] : await readWindowSlide(session, new Date(expandedBefore), to, signal, this.options.timeZone);
    yield { events: [], series, deletedItemIds: [], skipped: 0, cursor: serializeEwsCursor(withCalendarExpansion(parseEwsCursor(last), to.toISOString())) };
  }

  async write(writes: readonly CalendarWriteRequest[], signal?: AbortSignal): Promise<CalendarWriteResult[]> {
    if (writes.length === 0) return [];
    return writeCalendar(await this.services.session(this.account, 'incoming', signal), writes, signal, this.options.timeZone ?? null);
  }
}

/** An appointment made or changed in the CRM, to write to the Calendar (the hub's CalendarWrite). */
export interface CalendarWriteRequest {
  readonly appointmentId: string;
  readonly uid: string;
  readonly itemId: string | null;
  /** The entry's version the hub last saw: a newer one in Exchange is not overwritten. */
  readonly changeKey: string | null;
  readonly subject: string;
  readonly startAt: string;
  readonly endAt: string;
  readonly allDay: boolean;
  readonly location: string | null;
  readonly cancelled: boolean;
  readonly attendees: readonly { readonly address: string; readonly name: string | null; readonly required: boolean }[];
  readonly fingerprint: string;
  /** Made in the CRM: an entry deleted in Outlook is made again. False for a meeting organized in Outlook: a deleted entry stays deleted. */
  readonly createIfMissing: boolean;
}

/** What the Calendar holds for the appointment once written: its entry and ChangeKey (null: removed) and the fingerprint written. */
export interface CalendarWriteResult {
  readonly appointmentId: string;
  readonly itemId: string | null;
  readonly changeKey: string | null;
  readonly fingerprint: string;
}

/**
 * Writes appointments to the mailbox's Calendar: a new one is created with the CRM's UID (so reading it back finds the
 * same appointment), a changed one is changed in place over the version the hub last saw (so the entry keeps its id and
 * what Outlook added), a cancelled one is removed. One Outlook changed since the hub read it is left out of the results:
 * nothing is written, and the next read settles which change wins. Nobody is invited from here: the CRM's attendees
 * are listed, and Outlook sends invitations when its user decides to. Once they were sent (MeetingRequestWasSent),
 * a change or a cancellation goes to the attendees, as Outlook sends its organizer's: otherwise their calendars
 * would keep the old time.
 */
export async function writeCalendar(session: EwsSession, writes: readonly CalendarWriteRequest[], signal?: AbortSignal, timeZone: string | null = null): Promise<CalendarWriteResult[]> {
  const results: CalendarWriteResult[] = [];
  for (const write of writes) {
    if (write.cancelled) {
      if (write.itemId) await removeEntry(session, write.itemId, signal);
      results.push({ appointmentId: write.appointmentId, itemId: null, changeKey: null, fingerprint: write.fingerprint });
      continue;
    }
    const updated = write.itemId ? await updateEntry(session, write.itemId, write, timeZone, signal) : null;
    if (updated === NEWER_IN_EXCHANGE) continue;
    // Deleted in Outlook meanwhile (null): one made in the CRM is made again, as a change in the CRM wins over a
    // deletion; a meeting organized in Outlook stays deleted (its organizer deleted it there), reported as removed.
    if (updated === null && !write.createIfMissing) {
      results.push({ appointmentId: write.appointmentId, itemId: null, changeKey: null, fingerprint: write.fingerprint });
      continue;
    }
    const written = updated ?? (await createEntry(session, write, timeZone, signal));
    results.push({ appointmentId: write.appointmentId, ...written, fingerprint: write.fingerprint });
  }
  return results;
}

/**
 * The entry's subject, times and place, in the mailbox's time zone when the hub knows it: Outlook then shows the
 * meeting in its owner's zone, and an all-day one (whole UTC days in the hub) from midnight to midnight there, on the
 * same days. Without the zone the entry is kept in UTC, and Outlook east or west of it may show an all-day one a day off.
 */
function fill(appointment: Appointment, write: CalendarWriteRequest, timeZone: string | null, options: { setZone: boolean } = { setZone: true }): void {
  const exchangeZone = timeZoneInfoOf(timeZone);
  const at = (iso: string) => (write.allDay && exchangeZone && timeZone ? Date.parse(fromLocal({ ...parseDate(iso), hour: 0, minute: 0, second: 0 }, timeZone)) : Date.parse(iso));
  appointment.Subject = xmlText(write.subject);
  appointment.Start = new DateTime(at(write.startAt));
  appointment.End = new DateTime(at(write.endAt));
  appointment.IsAllDayEvent = write.allDay;
  if (exchangeZone && options.setZone) {
    appointment.StartTimeZone = exchangeZone;
    appointment.EndTimeZone = exchangeZone;
  }
  if (write.location) appointment.Location = xmlText(write.location);
}

/** The library's zone for an IANA one, by its Windows id (StartTimeZone's Id; Exchange has the rules); null when there is none. */
function timeZoneInfoOf(timeZone: string | null): TimeZoneInfo | null {
  const windows = timeZone ? windowsZoneOf(timeZone) : null;
  if (!windows) return null;
  try {
    return TimeZoneInfo.FindSystemTimeZoneById(windows);
  } catch {
    return null;
  }
}

async function createEntry(session: EwsSession, write: CalendarWriteRequest, timeZone: string | null, signal?: AbortSignal): Promise<{ itemId: string; changeKey: string | null }> {
  return session.call(
    'CreateItem',
    async (service) => {
      const appointment = new Appointment(service);
      fill(appointment, write, timeZone);
      appointment.ICalUid = write.uid;
      for (const attendee of write.attendees) (attendee.required ? appointment.RequiredAttendees : appointment.OptionalAttendees).Add(xmlText(attendee.name ?? attendee.address), xmlText(attendee.address));
      await appointment.Save(new FolderId(WellKnownFolderName.Calendar), SendInvitationsMode.SendToNone);
      return { itemId: appointment.Id.UniqueId, changeKey: appointment.Id.ChangeKey || null };
    },
    { folder: 'Calendar', signal },
  );
}

/**
 * UpdateItem of the entry's subject, times and place over the version the hub last saw (ews-update.ts). Sent to all
 * attendees when the entry's invitations were sent (as Outlook sends its organizer's change); otherwise to nobody.
 */
function updateEntry(session: EwsSession, itemId: string, write: CalendarWriteRequest, timeZone: string | null, signal?: AbortSignal): Promise<{ itemId: string; changeKey: string | null } | typeof NEWER_IN_EXCHANGE | null> {
  return session.call(
    'UpdateItem',
    (service) =>
      updateSeenVersion(
        () => Appointment.Bind(service, new ItemId(itemId), new PropertySet(BasePropertySet.IdOnly, [ItemSchema.Subject, AppointmentSchema.Start, AppointmentSchema.End, AppointmentSchema.IsAllDayEvent, AppointmentSchema.Location, AppointmentSchema.MeetingRequestWasSent, AppointmentSchema.AppointmentType])),
        write.changeKey,
        (appointment) => {
          // A series keeps the zone its occurrences' wall-clock time is counted in, and one occurrence its series'.
          const single = (optional(() => appointment.AppointmentType) ?? AppointmentType.Single) === AppointmentType.Single;
          fill(appointment, write, timeZone, { setZone: single });
          // A place removed in the CRM is removed from the entry (DeleteItemField).
          if (!write.location) appointment.Location = null as unknown as string;
        },
        (appointment) => appointment.Update(ConflictResolutionMode.NeverOverwrite, invitationsSent(appointment) ? SendInvitationsOrCancellationsMode.SendToAllAndSaveCopy : SendInvitationsOrCancellationsMode.SendToNone),
      ),
    { folder: 'Calendar', signal },
  );
}

const invitationsSent = (appointment: Appointment): boolean => optional(() => appointment.MeetingRequestWasSent) === true;

/** Whether the entry's invitations were sent; null if it is gone. */
async function entryInvitationsSent(session: EwsSession, itemId: string, signal?: AbortSignal): Promise<boolean | null> {
  const responses = await session.call('GetItem', (service) => service.BindToItems([new ItemId(itemId)], new PropertySet(BasePropertySet.IdOnly, [AppointmentSchema.MeetingRequestWasSent])), { folder: 'Calendar', signal });
  const response = responses.Responses[0];
  if (response?.Result === ServiceResult.Success && response.Item instanceof Appointment) return invitationsSent(response.Item);
  if (response?.ErrorCode === ServiceError.ErrorItemNotFound) return null;
  throw new MailError('PROTOCOL', `Exchange refused to read a Calendar entry: ${response?.ErrorMessage ?? response?.ErrorCode}`);
}

/** Into Deleted Items; the attendees get a cancellation when their invitations were sent, as from Outlook's organizer. */
async function removeEntry(session: EwsSession, itemId: string, signal?: AbortSignal): Promise<void> {
  const sent = await entryInvitationsSent(session, itemId, signal);
  if (sent === null) return; // already gone (deleted in Outlook)
  const mode = sent ? SendCancellationsMode.SendToAllAndSaveCopy : SendCancellationsMode.SendToNone;
  const responses = await session.call('DeleteItem', (service) => service.DeleteItems([new ItemId(itemId)], DeleteMode.MoveToDeletedItems, mode, null as never), { folder: 'Calendar', signal });
  // Already gone (deleted in Outlook): nothing left to remove.
  for (const response of responses.Responses) if (response.Result === ServiceResult.Error && response.ErrorCode !== ServiceError.ErrorItemNotFound) throw new MailError('PROTOCOL', `Exchange refused to remove a Calendar entry: ${response.ErrorMessage ?? response.ErrorCode}`);
}
