/**
 * The provider-neutral shapes of two-way sync (appointments, tasks, contacts between the CRM and a mailbox server).
 * An adapter (EWS today, Microsoft Graph later) maps its items to and from these; the planner and the fingerprint
 * see nothing else. All values are plain JSON data: instants are ISO 8601 strings in UTC, zones IANA ids.
 */

/** Which server API an external item lives behind. */
export type ExternalProvider = 'EWS' | 'GRAPH';

/**
 * Where an item lives on the mailbox server and which version of it was seen. `changeKey` is EWS's ChangeKey
 * (Types.xsd ItemIdType) or Graph's changeKey: it changes on every change of the item, so an equal key means
 * "unchanged". `lastModified` is LastModifiedTime (Graph: lastModifiedDateTime), an instant in UTC.
 */
export interface ExternalRef {
  readonly provider: ExternalProvider;
  readonly externalId: string;
  readonly changeKey: string;
  readonly lastModified: string;
}

export type SyncedKind = 'APPOINTMENT' | 'TASK' | 'CONTACT';
export const SYNCED_KINDS: readonly SyncedKind[] = ['APPOINTMENT', 'TASK', 'CONTACT'];

/** A person on an appointment: the address identifies them; the CRM resolves it to a record. */
export interface Attendee {
  readonly email: string;
  readonly name: string | null;
}

/**
 * One occurrence of a series changed on its own (RFC 5545 3.8.4.4 RECURRENCE-ID): `originalStart` is the instant
 * the rule gave it, `start`/`end` where it is now; subject and location are null when the series' apply.
 */
export interface OccurrenceOverride {
  readonly originalStart: string;
  readonly start: string;
  readonly end: string;
  readonly subject: string | null;
  readonly location: string | null;
}

/**
 * A recurring series. `rrule` is an RFC 5545 3.3.10 RECUR value without the "RRULE:" prefix, in the canonical
 * form `formatRrule` writes; its first occurrence is the appointment's start, its local times are in the
 * appointment's time zone. `exdates` (RFC 5545 3.8.5.1) are the original starts of deleted occurrences.
 */
export interface Recurrence {
  readonly rrule: string;
  readonly exdates: readonly string[];
  readonly overrides: readonly OccurrenceOverride[];
}

export interface AppointmentFields {
  readonly subject: string | null;
  /** Plain text: both sides are read and written as text so a round trip compares equal (no HTML). */
  readonly body: string | null;
  readonly location: string | null;
  /** For an all-day event, local midnight of its first day in `timeZone`, as an instant. */
  readonly start: string;
  /** Exclusive: for an all-day event, local midnight after its last day. */
  readonly end: string;
  /** IANA zone the times were set in; decides local times of a series across DST. */
  readonly timeZone: string;
  readonly allDay: boolean;
  readonly organizer: Attendee | null;
  readonly requiredAttendees: readonly Attendee[];
  readonly optionalAttendees: readonly Attendee[];
  readonly recurrence: Recurrence | null;
  readonly cancelled: boolean;
  /** RFC 5545 UID shared by every copy of the meeting (EWS UID, Graph iCalUId): dedupes copies in several mailboxes. */
  readonly icalUid: string | null;
}

export type TaskStatus = 'NOT_STARTED' | 'IN_PROGRESS' | 'COMPLETED' | 'WAITING_ON_OTHERS' | 'DEFERRED';
export type TaskPriority = 'LOW' | 'NORMAL' | 'HIGH';

export interface TaskFields {
  readonly subject: string | null;
  readonly body: string | null;
  /** Calendar dates (YYYY-MM-DD): Outlook tasks are due on a day, not at an instant. */
  readonly due: string | null;
  readonly start: string | null;
  readonly status: TaskStatus;
  readonly priority: TaskPriority;
  /** 0–100. */
  readonly percentComplete: number;
}

export interface PostalAddress {
  readonly street: string | null;
  readonly city: string | null;
  readonly state: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
}

export interface ContactFields {
  readonly firstName: string | null;
  readonly lastName: string | null;
  /** Primary first; at most 3 (EWS EmailAddress1..3). */
  readonly emails: readonly string[];
  readonly businessPhone: string | null;
  readonly mobilePhone: string | null;
  readonly company: string | null;
  readonly jobTitle: string | null;
  readonly businessAddress: PostalAddress | null;
}

export type SyncedItem =
  | { readonly kind: 'APPOINTMENT'; readonly fields: AppointmentFields }
  | { readonly kind: 'TASK'; readonly fields: TaskFields }
  | { readonly kind: 'CONTACT'; readonly fields: ContactFields };

/**
 * The pairing of a CRM record with an external item and what each side held when they were last in step:
 * `crmFingerprint` and `externalFingerprint` (fingerprint.ts) of the content, `crmModifiedAt` the CRM's
 * modification time then, `external` the ChangeKey and LastModifiedTime then. A change that matches them is
 * either nothing new or our own write coming back.
 */
export interface Link {
  readonly kind: SyncedKind;
  readonly crmId: string;
  readonly external: ExternalRef;
  readonly crmFingerprint: string;
  readonly externalFingerprint: string;
  readonly crmModifiedAt: string;
}

/** The CRM's activity state (schema.graphql ActivityState); null for contacts. */
export type CrmActivityState = 'OPEN' | 'COMPLETED' | 'CANCELLED';

/** A CRM record as the planner needs it. */
export interface CrmSnapshot {
  readonly crmId: string;
  readonly item: SyncedItem;
  /** The record's owner; for an appointment also its organizer (CreateAppointmentInput: "the owner is the organizer"). */
  readonly ownerUserId: string;
  readonly modifiedAt: string;
  readonly state: CrmActivityState | null;
}

/** What changed on the mailbox server since the last sync (EWS SyncFolderItems Create/Update/Delete; Graph delta). */
export type ExternalChange =
  | {
      readonly type: 'UPSERT';
      readonly ref: ExternalRef;
      readonly item: SyncedItem;
      /**
       * The user marked the item for the CRM (Dynamics' "Tracked to Dynamics 365" category); the adapter derives it
       * from the item's categories. Required to start syncing the kinds the policy names; a linked item syncs anyway.
       */
      readonly markedForSync: boolean;
    }
  | { readonly type: 'DELETE'; readonly kind: SyncedKind; readonly provider: ExternalProvider; readonly externalId: string };

/** What changed in the CRM since the last sync. A DELETE carries the record as it last was (from its tombstone). */
export type CrmChange =
  | { readonly type: 'UPSERT'; readonly snapshot: CrmSnapshot }
  | { readonly type: 'DELETE'; readonly lastKnown: CrmSnapshot; readonly deletedAt: string };

export type SyncSide = 'CRM' | 'EXCHANGE';
