// Printed by `npm run wire-types` from schema.graphql and the operations this package tags with graphql('Name'):
// do not edit. test/contract/wire-types.test.ts fails when it is not current.
/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** An Exchange folder synchronized besides mail: the Calendar, Tasks or Contacts. */
export type ActFolder =
  | 'CALENDAR'
  | 'CONTACTS'
  | 'TASKS';

/** How one Calendar, Tasks or Contacts folder fared in a sync run. */
export type ActFolderResultInput = {
  /** Why it could not be synchronized, in words; null: it was. */
  readonly failure?: string | null | undefined;
  readonly folder: ActFolder;
};

/** An occurrence of a recurring series as its rule puts it, or one changed on its own (an exception). */
export type AppointmentInstanceType =
  | 'EXCEPTION'
  | 'OCCURRENCE';

/** A recurring series' rule, as Exchange keeps it (Types.xsd RecurrenceType) and Dynamics' RecurringAppointmentMaster holds it. */
export type AppointmentRecurrenceInput = {
  /** How many occurrences the series has (1–999); none: no end or an end date. */
  readonly count?: number | null | undefined;
  /** 1–31 (ABSOLUTE_MONTHLY, ABSOLUTE_YEARLY). */
  readonly dayOfMonth?: number | null | undefined;
  /** The weekdays (WEEKLY), or the one weekday of a relative pattern. */
  readonly daysOfWeek?: ReadonlyArray<RecurrenceWeekday>;
  /** Every how many days, weeks or months (1 for yearly patterns); 1–999. */
  readonly interval: number;
  /** 1–12 (yearly patterns). */
  readonly month?: number | null | undefined;
  readonly pattern: RecurrencePattern;
  /** Its last day (YYYY-MM-DD); none: no end or a count. */
  readonly rangeEnd?: string | null | undefined;
  /** The range's first day, YYYY-MM-DD in the series' time zone. */
  readonly rangeStart: string;
  /** The Windows time zone id the series keeps its wall-clock time in (at most 64 characters). */
  readonly timeZone?: string | null | undefined;
  readonly weekIndex?: RecurrenceWeekIndex | null | undefined;
};

/** An attendee of a meeting (RFC 5545 ATTENDEE). */
export type CalendarAttendeeInput = {
  readonly address: string;
  readonly name?: string | null | undefined;
  /** NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE, DELEGATED. */
  readonly partstat?: string | null | undefined;
  /** REQ-PARTICIPANT (default), OPT-PARTICIPANT, CHAIR or NON-PARTICIPANT. */
  readonly role?: string | null | undefined;
};

export type CalendarEventOutcome =
  | 'CREATED'
  | 'CRM_VERSION_KEPT'
  | 'NOT_TRACKED'
  | 'UNCHANGED'
  | 'UPDATED';

/** The iCalendar event of a meeting invitation (RFC 5545 VEVENT, RFC 5546 METHOD), as the sync engine parsed it. */
export type CalendarInput = {
  readonly allDay?: boolean | null | undefined;
  readonly attendees?: ReadonlyArray<CalendarAttendeeInput> | null | undefined;
  /** syncMailboxCalendar only: the entry's ChangeKey, the version read, which a change from the CRM may overwrite (at most 512 characters; a longer one is ignored). */
  readonly changeKey?: string | null | undefined;
  readonly description?: string | null | undefined;
  /** DTEND as ISO 8601; default: the start (an all-day event: one day). */
  readonly end?: string | null | undefined;
  /** syncMailboxCalendar only: the entry's invitations were sent (MeetingRequestWasSent), so a change written from the CRM goes to its attendees. */
  readonly invitationsSent?: boolean | null | undefined;
  /** syncMailboxCalendar only: the Exchange ItemId of the calendar entry (at most 512 characters; a longer one is ignored). */
  readonly itemId?: string | null | undefined;
  /** syncMailboxCalendar only: the entry's LastModifiedTime. When the entry and its CRM appointment both changed since they last agreed, the later change wins (none given: the CRM's). */
  readonly lastModifiedAt?: string | null | undefined;
  readonly location?: string | null | undefined;
  /** syncMailboxCalendar only: Exchange says the mailbox organizes this meeting (MyResponseType Organizer). A single meeting the mailbox organizes follows changes made to it in the CRM, as one made in the CRM does. */
  readonly mailboxOrganizes?: boolean | null | undefined;
  /** REQUEST, CANCEL, REPLY, PUBLISH, … */
  readonly method: string;
  readonly organizer?: MailAddressInput | null | undefined;
  /** SEQUENCE: an invitation older than the one applied changes nothing. */
  readonly sequence?: number | null | undefined;
  /** DTSTART as ISO 8601 (a date alone for all-day events). */
  readonly start?: string | null | undefined;
  /** CONFIRMED, TENTATIVE or CANCELLED. */
  readonly status?: string | null | undefined;
  readonly summary?: string | null | undefined;
  /** The event's UID: one Appointment per UID however many messages carry it. */
  readonly uid: string;
};

/** One occurrence or exception of a recurring series, as an appointment of its own. */
export type CalendarOccurrenceInput = {
  readonly allDay?: boolean | null | undefined;
  readonly attendees?: ReadonlyArray<CalendarAttendeeInput> | null | undefined;
  /** syncMailboxCalendar only: the entry's ChangeKey, the version read, which a change from the CRM may overwrite (at most 512 characters; a longer one is ignored). */
  readonly changeKey?: string | null | undefined;
  readonly description?: string | null | undefined;
  /** DTEND as ISO 8601; default: the start (an all-day event: one day). */
  readonly end?: string | null | undefined;
  readonly instanceType: AppointmentInstanceType;
  /** syncMailboxCalendar only: the entry's invitations were sent (MeetingRequestWasSent), so a change written from the CRM goes to its attendees. */
  readonly invitationsSent?: boolean | null | undefined;
  /** syncMailboxCalendar only: the Exchange ItemId of the calendar entry (at most 512 characters; a longer one is ignored). */
  readonly itemId?: string | null | undefined;
  /** syncMailboxCalendar only: the entry's LastModifiedTime. When the entry and its CRM appointment both changed since they last agreed, the later change wins (none given: the CRM's). */
  readonly lastModifiedAt?: string | null | undefined;
  readonly location?: string | null | undefined;
  /** syncMailboxCalendar only: Exchange says the mailbox organizes this meeting (MyResponseType Organizer). A single meeting the mailbox organizes follows changes made to it in the CRM, as one made in the CRM does. */
  readonly mailboxOrganizes?: boolean | null | undefined;
  /** REQUEST, CANCEL, REPLY, PUBLISH, … */
  readonly method: string;
  readonly organizer?: MailAddressInput | null | undefined;
  /** When the series' rule put it: with the series, what identifies it. */
  readonly originalStart: string;
  /** SEQUENCE: an invitation older than the one applied changes nothing. */
  readonly sequence?: number | null | undefined;
  /** DTSTART as ISO 8601 (a date alone for all-day events). */
  readonly start?: string | null | undefined;
  /** CONFIRMED, TENTATIVE or CANCELLED. */
  readonly status?: string | null | undefined;
  readonly summary?: string | null | undefined;
  /** The event's UID: one Appointment per UID however many messages carry it. */
  readonly uid: string;
};

/** A recurring series from the Exchange Calendar: its master (absent when only the window moved), its rule, and every occurrence it has from windowFrom to windowTo. */
export type CalendarSeriesInput = {
  /** The master: the series' subject, first occurrence, organizer, attendees, cancellation. Null: the series is unchanged and only new occurrences entered the window. */
  readonly master?: CalendarInput | null | undefined;
  /** Every occurrence of the series that meets the window, at most 500: one the CRM holds in the window and that is not listed was deleted in Exchange, and is cancelled. */
  readonly occurrences: ReadonlyArray<CalendarOccurrenceInput>;
  readonly recurrence?: AppointmentRecurrenceInput | null | undefined;
  /** The series' UID (its master's). */
  readonly uid: string;
  readonly windowFrom: string;
  readonly windowTo: string;
};

/** One appointment the engine wrote to the Exchange Calendar. */
export type CalendarWriteInput = {
  readonly appointmentId: string;
  /** Its ChangeKey after the write. */
  readonly changeKey?: string | null | undefined;
  /** The fingerprint claimCalendarWrites gave. */
  readonly fingerprint: string;
  /** The Calendar entry's ItemId; null when the entry was removed. */
  readonly itemId?: string | null | undefined;
};

/** The result of testing one channel. */
export type ChannelTestInput = {
  /** AUTH_FAILED, DNS, REFUSED, TLS, TIMEOUT, FOLDER_MISSING, … */
  readonly code?: string | null | undefined;
  /** Human-readable. */
  readonly reason?: string | null | undefined;
  /** SUCCESS, WARNING, FAILURE, or NOT_RUN for a channel whose method is NONE. */
  readonly status: ChannelTestStatus;
};

export type ChannelTestStatus =
  | 'FAILURE'
  | 'NOT_RUN'
  | 'PENDING'
  | 'SUCCESS'
  | 'WARNING';

export type ContactSyncOutcome =
  | 'CREATED'
  | 'CRM_VERSION_KEPT'
  | 'INCOMPLETE'
  | 'LINKED'
  | 'NOT_ALLOWED'
  | 'NOT_TRACKED'
  | 'UNCHANGED'
  | 'UNLINKED'
  | 'UPDATED';

/** An Outlook contact field a ContactWrite may leave as Outlook has it. */
export type ContactWriteField =
  | 'BUSINESS_PHONE'
  | 'COMPANY'
  | 'MOBILE_PHONE';

/** One contact the engine wrote to, or released in, the Exchange Contacts folder. */
export type ContactWriteInput = {
  /** Its ChangeKey after the write. */
  readonly changeKey?: string | null | undefined;
  /** The company written, as claimContactWrites gave it; null when none was written (cleared, withheld, or released). */
  readonly companyName?: string | null | undefined;
  readonly contactId: string;
  /** The fingerprint claimContactWrites gave. */
  readonly fingerprint: string;
  /** The Outlook contact's ItemId; null when it was released, or is gone from Outlook (then it is kept out of it). */
  readonly itemId?: string | null | undefined;
};

/** NONE: none are set; UNREADABLE: stored but they no longer decrypt (an alert says so); PRESENT: in `credentials`. */
export type CredentialsStatus =
  | 'NONE'
  | 'PRESENT'
  | 'UNREADABLE';

export type EmailServerKind =
  | 'EXCHANGE_EWS'
  | 'IMAP_SMTP'
  | 'POP3_SMTP';

/** A contact from the mailbox's Exchange Contacts folder, as the sync engine read it. */
export type ExchangeContactInput = {
  readonly businessPhone?: string | null | undefined;
  /** Its ChangeKey: the version read, which a write from the CRM may overwrite. */
  readonly changeKey?: string | null | undefined;
  readonly companyName?: string | null | undefined;
  /** The CRM contact the hub wrote this Outlook contact from (its extended property), when it carries one: an engine that stopped before reporting a write finds its contact again here, not a new one. */
  readonly crmContactId?: string | null | undefined;
  readonly displayName?: string | null | undefined;
  /** EmailAddress1 to 3; an address that is not one (an Exchange-internal X.500 name) is left out. */
  readonly emails?: ReadonlyArray<string>;
  readonly givenName?: string | null | undefined;
  /** Its EWS ItemId. */
  readonly itemId: string;
  readonly jobTitle?: string | null | undefined;
  /** LastModifiedTime: the later change wins when both sides changed; without it, the CRM's. */
  readonly lastModifiedAt?: string | null | undefined;
  readonly mobilePhone?: string | null | undefined;
  readonly surname?: string | null | undefined;
  /** The user gave it the Outlook category "Tracked to CRM": only such contacts enter the CRM; a paired one without it is unpaired. */
  readonly tracked: boolean;
};

/** A task from the mailbox's Exchange Tasks folder, as the sync engine read it. */
export type ExchangeTaskInput = {
  /** Its ChangeKey: the version read, which a write from the CRM may overwrite. */
  readonly changeKey?: string | null | undefined;
  /** The Task the hub wrote this Exchange task from (its extended property), when it carries one: an engine that stopped before reporting a write finds its task again here, not a new one. */
  readonly crmTaskId?: string | null | undefined;
  /** The due day as Exchange sends it: midnight where the mailbox is. */
  readonly dueAt?: string | null | undefined;
  /** Outlook's importance. */
  readonly importance: TaskPriority;
  /** Its EWS ItemId. */
  readonly itemId: string;
  /** LastModifiedTime: the later change wins when both sides changed. */
  readonly lastModifiedAt: string;
  /** The body as text; the CRM keeps the first 20,000 characters. */
  readonly notes?: string | null | undefined;
  /** PercentComplete, 0 to 100; the CRM keeps it rounded (a value outside is taken as the nearest end). */
  readonly percentComplete?: number | null | undefined;
  /** The start day as Exchange sends it: midnight where the mailbox is. */
  readonly startAt?: string | null | undefined;
  readonly status: ExchangeTaskStatus;
  readonly subject?: string | null | undefined;
  /** The user gave it the Outlook category "Tracked to CRM": an unlinked task enters the CRM only then. */
  readonly tracked: boolean;
};

/** Outlook's task status (Types.xsd TaskStatusType). */
export type ExchangeTaskStatus =
  | 'COMPLETED'
  | 'DEFERRED'
  | 'IN_PROGRESS'
  | 'NOT_STARTED'
  | 'WAITING_ON_OTHERS';

/** One address as written in a header. */
export type MailAddressInput = {
  readonly address: string;
  readonly name?: string | null | undefined;
};

export type MailAuthMethod =
  | 'NTLM'
  | 'OAUTH_BEARER'
  | 'PASSWORD';

export type MailHeaderInput = {
  readonly name: string;
  readonly value: string;
};

export type MailboxJob =
  | 'SYNC'
  | 'TEST';

/** A message the sync engine could not track (unparseable, unknown forwarder…): recorded with the batch so the mailbox moves on and nothing vanishes silently. */
export type QuarantineInput = {
  /** INVALID_MESSAGE, TOO_LARGE, FORWARDER_UNKNOWN, … */
  readonly code: string;
  readonly folder?: string | null | undefined;
  readonly fromAddress?: string | null | undefined;
  readonly messageId?: string | null | undefined;
  readonly reason: string;
  /** Bytes. */
  readonly size?: number | null | undefined;
  /** Where it is on the server: "imap:INBOX:<uidvalidity>:<uid>" or "pop3:<uidl>". */
  readonly sourceRef: string;
  readonly subject?: string | null | undefined;
};

/** Types.xsd RecurrencePatternTypes: every N days, weeks on some weekdays, months on a day or a weekday, years on a date or a weekday. */
export type RecurrencePattern =
  | 'ABSOLUTE_MONTHLY'
  | 'ABSOLUTE_YEARLY'
  | 'DAILY'
  | 'RELATIVE_MONTHLY'
  | 'RELATIVE_YEARLY'
  | 'WEEKLY';

export type RecurrenceWeekIndex =
  | 'FIRST'
  | 'FOURTH'
  | 'LAST'
  | 'SECOND'
  | 'THIRD';

/** Types.xsd DayOfWeekType; DAY, WEEKDAY and WEEKEND_DAY in relative patterns only. */
export type RecurrenceWeekday =
  | 'DAY'
  | 'FRIDAY'
  | 'MONDAY'
  | 'SATURDAY'
  | 'SUNDAY'
  | 'THURSDAY'
  | 'TUESDAY'
  | 'WEDNESDAY'
  | 'WEEKDAY'
  | 'WEEKEND_DAY';

/** One folder the server lists: its path, and its stable id where the server has one. */
export type ServerFolderInput = {
  /** The server's id of the folder, kept through renames and moves (Exchange FolderId); null where the server has none (IMAP). At most 512 characters. */
  readonly folderId?: string | null | undefined;
  /** The full path, at most 255 characters ("Inbox/Contoso"). */
  readonly path: string;
  /** The folder is below the Inbox. */
  readonly underInbox?: boolean;
};

/** One message the server holds. */
export type ServerMessageInput = {
  /** Its Message-ID header, when it has one. */
  readonly messageId?: string | null | undefined;
  /** Where it is on the server, as in QuarantineInput.sourceRef. */
  readonly sourceRef: string;
};

/** How a SYNC lease ended; the engine's own error code travels beside it. */
export type SyncOutcome =
  | 'AUTH_FAILED'
  | 'CONFIG_ERROR'
  | 'SUCCESS'
  | 'TEMPORARY_FAILURE';

/** How a SYNC lease ended. */
export type SyncReportInput = {
  /** For a mailbox synchronizing appointments, contacts and tasks with Exchange: how each of those folders fared in this run (at most one entry per folder). */
  readonly actFolders?: ReadonlyArray<ActFolderResultInput> | null | undefined;
  /** The engine's error code: DNS, REFUSED, TLS, TIMEOUT, FOLDER_MISSING, … */
  readonly code?: string | null | undefined;
  readonly itemsProcessed?: number;
  /** Why, in words: shown in the alert log and as the mailbox's state reason. */
  readonly message?: string | null | undefined;
  /** Be due again after this many seconds (e.g. 0: more mail is waiting); default: the profile's poll interval. Used on SUCCESS only. */
  readonly nextSyncInSeconds?: number | null | undefined;
  readonly outcome: SyncOutcome;
  /** The resyncFrom value the engine finished re-reading; cleared only if it is still the mailbox's. */
  readonly resyncCompleted?: string | null | undefined;
};

export type TaskPriority =
  | 'HIGH'
  | 'LOW'
  | 'NORMAL';

export type TaskSyncOutcome =
  | 'CANCELLED'
  | 'CREATED'
  | 'CRM_VERSION_KEPT'
  | 'HANDED_OVER'
  | 'NOT_TRACKED'
  | 'RECREATED'
  | 'UNCHANGED'
  | 'UNLINKED'
  | 'UPDATED';

/** One task the engine wrote to the Exchange Tasks folder. */
export type TaskWriteInput = {
  /** Its ChangeKey after the write. */
  readonly changeKey?: string | null | undefined;
  /** The fingerprint claimTaskWrites gave. */
  readonly fingerprint: string;
  /** The Exchange task's ItemId; null when it was removed. */
  readonly itemId?: string | null | undefined;
  readonly taskId: string;
};

export type TlsMode =
  | 'IMPLICIT'
  | 'NONE'
  | 'STARTTLS';

/** An attachment sent with its item (content, base64, at most 1048576 bytes decoded), uploaded first with PUT /blobs (sha256), or skipped (too large: neither) with its name and size. */
export type TrackAttachmentInput = {
  /** The file itself, base64 (RFC 4648, padded, no line breaks), at most 1048576 bytes decoded: stored in the batch's transaction, so a small file needs no upload of its own. Not together with sha256. Unlike malformed mail, a malformed or oversized content refuses the whole call (BAD_USER_INPUT naming it): the bytes would otherwise be lost. */
  readonly content?: string | null | undefined;
  readonly contentId?: string | null | undefined;
  readonly contentType?: string;
  readonly fileName: string;
  readonly inline?: boolean;
  /** The sha256 PUT /blobs returned; null when the file is sent as content, or not at all (too large). */
  readonly sha256?: string | null | undefined;
  /** Bytes. */
  readonly size: number;
};

/** One message as the sync engine read it from a mailbox. */
export type TrackEmailItemInput = {
  readonly attachments?: ReadonlyArray<TrackAttachmentInput>;
  readonly bcc?: ReadonlyArray<MailAddressInput>;
  /** A meeting invitation (text/calendar part) in the message: it becomes or changes the Appointment with its UID. */
  readonly calendar?: CalendarInput | null | undefined;
  readonly cc?: ReadonlyArray<MailAddressInput>;
  /** The Date header (RFC 5322 or ISO 8601). */
  readonly date?: string | null | undefined;
  /** INCOMING or OUTGOING; by default OUTGOING when it is from the mailbox's own address. */
  readonly direction?: string | null | undefined;
  /** The folder it was found in (INBOX, Sent, a tracked folder). */
  readonly folder?: string | null | undefined;
  readonly from?: MailAddressInput | null | undefined;
  /** Further headers that tracking reads: Auto-Submitted, Precedence, List-Id, X-Autoreply, Content-Type… */
  readonly headers?: ReadonlyArray<MailHeaderInput>;
  /** As received; sanitized before it is stored. */
  readonly htmlBody?: string | null | undefined;
  readonly inReplyTo?: string | null | undefined;
  /** Message-ID header; a message without one is keyed by a hash of its content. */
  readonly messageId?: string | null | undefined;
  /** When the server received it (ISO 8601). */
  readonly receivedAt?: string | null | undefined;
  readonly references?: ReadonlyArray<string>;
  readonly subject?: string | null | undefined;
  readonly textBody?: string | null | undefined;
  /** Outlook's Thread-Index header. */
  readonly threadIndex?: string | null | undefined;
  readonly to?: ReadonlyArray<MailAddressInput>;
};

export type TrackEmailsInput = {
  /** The cursor the batch before this one commits: this batch commits only once the mailbox's sync cursor is that one (CONFLICT otherwise, and nothing is written). Lets the engine send a batch while the one before is still committing, and keeps them in order. At most 65,535 bytes. */
  readonly afterCursor?: string | null | undefined;
  /** The mailbox's new sync cursor, committed with the items; null leaves it unchanged. At most 65,535 bytes. */
  readonly cursor?: string | null | undefined;
  readonly items: ReadonlyArray<TrackEmailItemInput>;
  /** The lease from claimMailboxes: the batch commits only while it is the mailbox's current lease (CONFLICT otherwise, and nothing is written). */
  readonly leaseId?: string | null | undefined;
  /** Messages that could not be tracked, committed with the cursor; one already recorded (same sourceRef) is left as it is. */
  readonly quarantine?: ReadonlyArray<QuarantineInput> | null | undefined;
};

export type ClaimCalendarWritesMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  first: number;
}>;


export type ClaimCalendarWritesMutation = { readonly claimCalendarWrites: ReadonlyArray<{ readonly appointmentId: string, readonly uid: string, readonly itemId: string | null, readonly changeKey: string | null, readonly subject: string, readonly startAt: string, readonly endAt: string, readonly allDay: boolean, readonly location: string | null, readonly cancelled: boolean, readonly fingerprint: string, readonly createIfMissing: boolean, readonly attendees: ReadonlyArray<{ readonly address: string, readonly name: string | null, readonly required: boolean }> }> };

export type ClaimContactWritesMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  first: number;
}>;


export type ClaimContactWritesMutation = { readonly claimContactWrites: ReadonlyArray<{ readonly contactId: string, readonly itemId: string | null, readonly changeKey: string | null, readonly release: boolean, readonly givenName: string | null, readonly surname: string | null, readonly displayName: string | null, readonly jobTitle: string | null, readonly businessPhone: string | null, readonly mobilePhone: string | null, readonly emails: ReadonlyArray<string>, readonly companyName: string | null, readonly withheld: ReadonlyArray<ContactWriteField>, readonly fingerprint: string }> };

export type ClaimMailboxesMutationVariables = Exact<{
  engineId: string;
  limit: number;
  leaseSeconds: number;
}>;


export type ClaimMailboxesMutation = { readonly claimMailboxes: ReadonlyArray<{ readonly mailboxId: string, readonly leaseId: string, readonly leaseUntil: string, readonly job: MailboxJob, readonly address: string, readonly kind: EmailServerKind, readonly credentialsStatus: CredentialsStatus, readonly incomingEnabled: boolean, readonly outgoingEnabled: boolean, readonly actEnabled: boolean, readonly isForwardMailbox: boolean, readonly deleteForwardedCopies: boolean, readonly cursor: string | null, readonly processEmailFrom: string | null, readonly resyncFrom: string | null, readonly sentFolder: string | null, readonly trackedFolders: ReadonlyArray<string>, readonly trackedFolderIds: ReadonlyArray<string | null>, readonly pollIntervalSeconds: number, readonly maxBodyKb: number, readonly pastExpansionWindowMonths: number, readonly futureExpansionWindowMonths: number, readonly timeZone: string | null, readonly incoming: { readonly host: string, readonly port: number, readonly tls: TlsMode, readonly allowInvalidCertificates: boolean } | null, readonly outgoing: { readonly host: string, readonly port: number, readonly tls: TlsMode, readonly allowInvalidCertificates: boolean } | null, readonly ews: { readonly url: string | null, readonly impersonateAddress: string | null, readonly allowInvalidCertificates: boolean, readonly maxConnections: number } | null, readonly credentials: { readonly method: MailAuthMethod, readonly username: string, readonly secret: string } | null, readonly forwardSources: ReadonlyArray<{ readonly mailboxId: string, readonly address: string }> }> };

export type ClaimMailboxWatchesMutationVariables = Exact<{
  engineId: string;
  limit: number;
  leaseSeconds: number;
}>;


export type ClaimMailboxWatchesMutation = { readonly claimMailboxWatches: ReadonlyArray<{ readonly mailboxId: string, readonly leaseId: string, readonly leaseUntil: string, readonly job: MailboxJob, readonly address: string, readonly kind: EmailServerKind, readonly credentialsStatus: CredentialsStatus, readonly incomingEnabled: boolean, readonly outgoingEnabled: boolean, readonly actEnabled: boolean, readonly isForwardMailbox: boolean, readonly deleteForwardedCopies: boolean, readonly cursor: string | null, readonly processEmailFrom: string | null, readonly resyncFrom: string | null, readonly sentFolder: string | null, readonly trackedFolders: ReadonlyArray<string>, readonly trackedFolderIds: ReadonlyArray<string | null>, readonly pollIntervalSeconds: number, readonly maxBodyKb: number, readonly pastExpansionWindowMonths: number, readonly futureExpansionWindowMonths: number, readonly timeZone: string | null, readonly incoming: { readonly host: string, readonly port: number, readonly tls: TlsMode, readonly allowInvalidCertificates: boolean } | null, readonly outgoing: { readonly host: string, readonly port: number, readonly tls: TlsMode, readonly allowInvalidCertificates: boolean } | null, readonly ews: { readonly url: string | null, readonly impersonateAddress: string | null, readonly allowInvalidCertificates: boolean, readonly maxConnections: number } | null, readonly credentials: { readonly method: MailAuthMethod, readonly username: string, readonly secret: string } | null, readonly forwardSources: ReadonlyArray<{ readonly mailboxId: string, readonly address: string }> }> };

export type ClaimOutgoingEmailsMutationVariables = Exact<{
  limit: number;
  leaseSeconds: number;
}>;


export type ClaimOutgoingEmailsMutation = { readonly claimOutgoingEmails: ReadonlyArray<{ readonly emailId: string, readonly leaseId: string, readonly leaseUntil: string, readonly mailboxId: string, readonly subject: string, readonly messageId: string, readonly inReplyTo: string | null, readonly references: ReadonlyArray<string>, readonly textBody: string | null, readonly htmlBody: string | null, readonly attempt: number, readonly from: { readonly address: string, readonly name: string | null }, readonly to: ReadonlyArray<{ readonly address: string, readonly name: string | null }>, readonly cc: ReadonlyArray<{ readonly address: string, readonly name: string | null }>, readonly bcc: ReadonlyArray<{ readonly address: string, readonly name: string | null }>, readonly attachments: ReadonlyArray<{ readonly fileName: string, readonly contentType: string, readonly size: number, readonly sha256: string }>, readonly transport: { readonly kind: EmailServerKind, readonly sentFolder: string | null, readonly credentialsStatus: CredentialsStatus, readonly smtp: { readonly host: string, readonly port: number, readonly tls: TlsMode, readonly allowInvalidCertificates: boolean } | null, readonly ews: { readonly url: string | null, readonly impersonateAddress: string | null, readonly allowInvalidCertificates: boolean, readonly maxConnections: number } | null, readonly imap: { readonly host: string, readonly port: number, readonly tls: TlsMode, readonly allowInvalidCertificates: boolean } | null, readonly credentials: { readonly method: MailAuthMethod, readonly username: string, readonly secret: string } | null } }> };

export type ClaimTaskWritesMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  first: number;
}>;


export type ClaimTaskWritesMutation = { readonly claimTaskWrites: ReadonlyArray<{ readonly taskId: string, readonly itemId: string | null, readonly changeKey: string | null, readonly remove: boolean, readonly subject: string, readonly notes: string | null, readonly dueDay: string | null, readonly startDay: string | null, readonly percentComplete: number, readonly importance: TaskPriority, readonly completed: boolean, readonly fingerprint: string }> };

export type ExchangeWritesDueSubscriptionVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ExchangeWritesDueSubscription = { readonly exchangeWritesDue: { readonly cursor: string, readonly mailboxIds: ReadonlyArray<string> } };

export type MailboxesChangedMutationVariables = Exact<{
  engineId: string;
  leaseIds: ReadonlyArray<string> | string;
}>;


export type MailboxesChangedMutation = { readonly mailboxesChanged: ReadonlyArray<string> };

export type MarkEmailFailedMutationVariables = Exact<{
  emailId: string;
  leaseId: string;
  reason: string;
  retryable: boolean;
}>;


export type MarkEmailFailedMutation = { readonly markEmailFailed: { readonly id: string } };

export type MarkEmailSentMutationVariables = Exact<{
  emailId: string;
  leaseId: string;
  sentAt?: string | null | undefined;
}>;


export type MarkEmailSentMutation = { readonly markEmailSent: { readonly id: string } };

export type ReleaseMailboxMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  report: SyncReportInput;
}>;


export type ReleaseMailboxMutation = { readonly releaseMailbox: { readonly id: string } };

export type ReleaseMailboxWatchesMutationVariables = Exact<{
  engineId: string;
  leaseIds: ReadonlyArray<string> | string;
}>;


export type ReleaseMailboxWatchesMutation = { readonly releaseMailboxWatches: number };

export type RenewMailboxLeaseMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  leaseSeconds: number;
}>;


export type RenewMailboxLeaseMutation = { readonly renewMailboxLease: string };

export type RenewMailboxWatchesMutationVariables = Exact<{
  engineId: string;
  leaseIds: ReadonlyArray<string> | string;
  leaseSeconds: number;
}>;


export type RenewMailboxWatchesMutation = { readonly renewMailboxWatches: ReadonlyArray<string> };

export type ReportCalendarWritesMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  writes: ReadonlyArray<CalendarWriteInput> | CalendarWriteInput;
}>;


export type ReportCalendarWritesMutation = { readonly reportCalendarWrites: boolean };

export type ReportContactWritesMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  writes: ReadonlyArray<ContactWriteInput> | ContactWriteInput;
}>;


export type ReportContactWritesMutation = { readonly reportContactWrites: boolean };

export type ReportMailboxCoverageMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  serverCount: number;
  decidedCount: number;
  recovered: number;
}>;


export type ReportMailboxCoverageMutation = { readonly reportMailboxCoverage: { readonly id: string } };

export type ReportMailboxFoldersMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  folders: ReadonlyArray<ServerFolderInput> | ServerFolderInput;
}>;


export type ReportMailboxFoldersMutation = { readonly reportMailboxFolders: { readonly id: string } };

export type ReportMailboxTestMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  incoming: ChannelTestInput;
  outgoing: ChannelTestInput;
  act?: ChannelTestInput | null | undefined;
}>;


export type ReportMailboxTestMutation = { readonly reportMailboxTest: { readonly id: string } };

export type ReportMailboxTimeZoneMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  timeZone: string;
}>;


export type ReportMailboxTimeZoneMutation = { readonly reportMailboxTimeZone: { readonly id: string } };

export type ReportTaskWritesMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  writes: ReadonlyArray<TaskWriteInput> | TaskWriteInput;
}>;


export type ReportTaskWritesMutation = { readonly reportTaskWrites: boolean };

export type SyncEngineViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type SyncEngineViewerQuery = { readonly viewer: { readonly id: string, readonly fullName: string, readonly roles: ReadonlyArray<{ readonly name: string }> } };

export type SyncMailboxCalendarMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  events: ReadonlyArray<CalendarInput> | CalendarInput;
  series: ReadonlyArray<CalendarSeriesInput> | CalendarSeriesInput;
  deletedItemIds: ReadonlyArray<string> | string;
  cursor?: string | null | undefined;
}>;


export type SyncMailboxCalendarMutation = { readonly syncMailboxCalendar: ReadonlyArray<{ readonly uid: string, readonly outcome: CalendarEventOutcome }> };

export type SyncMailboxContactsMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  contacts: ReadonlyArray<ExchangeContactInput> | ExchangeContactInput;
  deletedItemIds: ReadonlyArray<string> | string;
  cursor?: string | null | undefined;
}>;


export type SyncMailboxContactsMutation = { readonly syncMailboxContacts: ReadonlyArray<{ readonly itemId: string, readonly outcome: ContactSyncOutcome }> };

export type SyncMailboxTasksMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  tasks: ReadonlyArray<ExchangeTaskInput> | ExchangeTaskInput;
  deletedItemIds: ReadonlyArray<string> | string;
  cursor?: string | null | undefined;
}>;


export type SyncMailboxTasksMutation = { readonly syncMailboxTasks: ReadonlyArray<{ readonly itemId: string, readonly outcome: TaskSyncOutcome }> };

export type TrackEmailsMutationVariables = Exact<{
  mailboxId: string;
  input: TrackEmailsInput;
}>;


export type TrackEmailsMutation = { readonly trackEmails: { readonly items: ReadonlyArray<{ readonly index: number, readonly messageId: string | null, readonly outcome: string, readonly activityId: string | null, readonly errorCode: string | null, readonly errorMessage: string | null }> } };

export type UndecidedMessagesMutationVariables = Exact<{
  mailboxId: string;
  leaseId: string;
  items: ReadonlyArray<ServerMessageInput> | ServerMessageInput;
}>;


export type UndecidedMessagesMutation = { readonly undecidedMessages: ReadonlyArray<string> };

/** Every operation of this package by name: what it answers and the variables it takes. */
export interface Operations {
  readonly ClaimCalendarWrites: { readonly result: ClaimCalendarWritesMutation; readonly variables: ClaimCalendarWritesMutationVariables };
  readonly ClaimContactWrites: { readonly result: ClaimContactWritesMutation; readonly variables: ClaimContactWritesMutationVariables };
  readonly ClaimMailboxes: { readonly result: ClaimMailboxesMutation; readonly variables: ClaimMailboxesMutationVariables };
  readonly ClaimMailboxWatches: { readonly result: ClaimMailboxWatchesMutation; readonly variables: ClaimMailboxWatchesMutationVariables };
  readonly ClaimOutgoingEmails: { readonly result: ClaimOutgoingEmailsMutation; readonly variables: ClaimOutgoingEmailsMutationVariables };
  readonly ClaimTaskWrites: { readonly result: ClaimTaskWritesMutation; readonly variables: ClaimTaskWritesMutationVariables };
  readonly ExchangeWritesDue: { readonly result: ExchangeWritesDueSubscription; readonly variables: ExchangeWritesDueSubscriptionVariables };
  readonly MailboxesChanged: { readonly result: MailboxesChangedMutation; readonly variables: MailboxesChangedMutationVariables };
  readonly MarkEmailFailed: { readonly result: MarkEmailFailedMutation; readonly variables: MarkEmailFailedMutationVariables };
  readonly MarkEmailSent: { readonly result: MarkEmailSentMutation; readonly variables: MarkEmailSentMutationVariables };
  readonly ReleaseMailbox: { readonly result: ReleaseMailboxMutation; readonly variables: ReleaseMailboxMutationVariables };
  readonly ReleaseMailboxWatches: { readonly result: ReleaseMailboxWatchesMutation; readonly variables: ReleaseMailboxWatchesMutationVariables };
  readonly RenewMailboxLease: { readonly result: RenewMailboxLeaseMutation; readonly variables: RenewMailboxLeaseMutationVariables };
  readonly RenewMailboxWatches: { readonly result: RenewMailboxWatchesMutation; readonly variables: RenewMailboxWatchesMutationVariables };
  readonly ReportCalendarWrites: { readonly result: ReportCalendarWritesMutation; readonly variables: ReportCalendarWritesMutationVariables };
  readonly ReportContactWrites: { readonly result: ReportContactWritesMutation; readonly variables: ReportContactWritesMutationVariables };
  readonly ReportMailboxCoverage: { readonly result: ReportMailboxCoverageMutation; readonly variables: ReportMailboxCoverageMutationVariables };
  readonly ReportMailboxFolders: { readonly result: ReportMailboxFoldersMutation; readonly variables: ReportMailboxFoldersMutationVariables };
  readonly ReportMailboxTest: { readonly result: ReportMailboxTestMutation; readonly variables: ReportMailboxTestMutationVariables };
  readonly ReportMailboxTimeZone: { readonly result: ReportMailboxTimeZoneMutation; readonly variables: ReportMailboxTimeZoneMutationVariables };
  readonly ReportTaskWrites: { readonly result: ReportTaskWritesMutation; readonly variables: ReportTaskWritesMutationVariables };
  readonly SyncEngineViewer: { readonly result: SyncEngineViewerQuery; readonly variables: SyncEngineViewerQueryVariables };
  readonly SyncMailboxCalendar: { readonly result: SyncMailboxCalendarMutation; readonly variables: SyncMailboxCalendarMutationVariables };
  readonly SyncMailboxContacts: { readonly result: SyncMailboxContactsMutation; readonly variables: SyncMailboxContactsMutationVariables };
  readonly SyncMailboxTasks: { readonly result: SyncMailboxTasksMutation; readonly variables: SyncMailboxTasksMutationVariables };
  readonly TrackEmails: { readonly result: TrackEmailsMutation; readonly variables: TrackEmailsMutationVariables };
  readonly UndecidedMessages: { readonly result: UndecidedMessagesMutation; readonly variables: UndecidedMessagesMutationVariables };
}
