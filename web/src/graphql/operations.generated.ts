// Printed by `npm run wire-types` from schema.graphql and the operations this package tags with graphql('Name'):
// do not edit. test/contract/wire-types.test.ts fails when it is not current.
/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** How far a privilege reaches: own records, the business unit, the unit and its children, or everything. */
export type AccessDepth =
  | 'BUSINESS_UNIT'
  | 'NONE'
  | 'ORGANIZATION'
  | 'PARENT_CHILD'
  | 'USER';

/** What a security-role privilege applies to. */
export type AccessEntity =
  | 'ACCOUNT'
  | 'ACTIVITY'
  | 'API_KEY'
  | 'BUSINESS_UNIT'
  | 'CASE'
  | 'CONTACT'
  | 'LEAD'
  | 'MAILBOX'
  | 'MAIL_SYNC'
  | 'OPPORTUNITY'
  | 'QUEUE'
  | 'SECURITY_ROLE'
  | 'USER';

export type AccountFilter = {
  /** Only records owned by this user. */
  readonly ownerId?: string | null | undefined;
  /** Matches the name anywhere, or an email address from its start. */
  readonly search?: string | null | undefined;
  readonly status?: AccountStatus | null | undefined;
};

export type AccountStatus =
  | 'ACTIVE'
  | 'INACTIVE';

/** TRACKED: the sync engine filed it from a mailbox. CREATED: someone made it. UPDATED: its state, regarding record, parties or send status changed. REMOVED: it was deleted, or is no longer on the timeline you watch. */
export type ActivityChange =
  | 'CREATED'
  | 'REMOVED'
  | 'TRACKED'
  | 'UPDATED';

export type ActivityKind =
  | 'APPOINTMENT'
  | 'EMAIL'
  | 'PHONE_CALL'
  | 'TASK';

export type ActivityState =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'OPEN';

export type AlertSeverity =
  | 'ERROR'
  | 'INFORMATION'
  | 'WARNING';

/** An occurrence of a recurring series as its rule puts it, or one changed on its own (an exception). */
export type AppointmentInstanceType =
  | 'EXCEPTION'
  | 'OCCURRENCE';

export type AppointmentsContactsTasksMethod =
  | 'NONE'
  | 'SERVER_SIDE_SYNC';

export type AutoCreateRecords =
  | 'CONTACT'
  | 'LEAD'
  | 'NONE';

export type CaseFilter = {
  /** Only cases of this customer (account or contact). */
  readonly customerId?: string | null | undefined;
  /** Only records owned by this user. */
  readonly ownerId?: string | null | undefined;
  /** Matches the name anywhere, or an email address from its start. */
  readonly search?: string | null | undefined;
  readonly status?: CaseStatus | null | undefined;
};

export type CasePriority =
  | 'HIGH'
  | 'LOW'
  | 'NORMAL';

export type CaseStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'RESOLVED';

export type ChannelTestStatus =
  | 'FAILURE'
  | 'NOT_RUN'
  | 'PENDING'
  | 'SUCCESS'
  | 'WARNING';

/** Dynamics' mailbox form (administrators). Fields left out keep their value; null clears an optional one. */
export type ConfigureMailboxInput = {
  /** SERVER_SIDE_SYNC needs an Exchange profile: refused for IMAP and POP3 profiles. */
  readonly appointmentsContactsTasksMethod?: AppointmentsContactsTasksMethod | null | undefined;
  /** Forward mailboxes only: delete each forwarded copy from the server once processed. */
  readonly deleteForwardedCopies?: boolean | null | undefined;
  readonly incomingMethod?: IncomingMethod | null | undefined;
  /** Queue mailboxes only: the organization's forward mailbox, receiving copies forwarded by mailboxes whose incoming method is FORWARD_MAILBOX. */
  readonly isForwardMailbox?: boolean | null | undefined;
  readonly outgoingMethod?: OutgoingMethod | null | undefined;
  /** Overrides the profile's "process email from"; null: the profile's. */
  readonly processEmailFrom?: string | null | undefined;
  /** The EmailServerProfile; null leaves the mailbox without a server (it cannot sync). */
  readonly profileId?: string | null | undefined;
};

export type ContactFilter = {
  /** Only contacts of this account. */
  readonly accountId?: string | null | undefined;
  /** Only records owned by this user. */
  readonly ownerId?: string | null | undefined;
  /** Matches the name anywhere, or an email address from its start. */
  readonly search?: string | null | undefined;
  readonly status?: ContactStatus | null | undefined;
};

export type ContactStatus =
  | 'ACTIVE'
  | 'INACTIVE';

/** How the regarding record of an email was found. */
export type CorrelationMethod =
  | 'FOLDER_RULE'
  | 'IN_REPLY_TO'
  | 'MANUAL'
  | 'NONE'
  | 'QUEUE_RULE'
  | 'SMART_MATCHING'
  | 'THREAD_INDEX'
  | 'TRACKING_TOKEN';

export type CreateAccountInput = {
  readonly description?: string | null | undefined;
  /** Email addresses, primary first; stored lower-cased. */
  readonly emails?: ReadonlyArray<string> | null | undefined;
  readonly name: string;
  /** Default: you. */
  readonly ownerId?: string | null | undefined;
  readonly status?: AccountStatus | null | undefined;
  readonly telephone?: string | null | undefined;
  readonly website?: string | null | undefined;
};

export type CreateApiKeyInput = {
  readonly expiresAt?: string | null | undefined;
  /** What the key is for, e.g. "ERP integration". */
  readonly name: string;
  /** The user the key acts as. Default: you. */
  readonly userId?: string | null | undefined;
};

export type CreateAppointmentInput = {
  /** An all-day appointment is kept as days, the same in every time zone: startAt is 00:00 UTC of its first day and endAt 00:00 UTC of the day after its last (ALL_DAY_NOT_WHOLE_DAYS otherwise). */
  readonly allDay?: boolean | null | undefined;
  readonly description?: string | null | undefined;
  /** Not before startAt. */
  readonly endAt: string;
  readonly location?: string | null | undefined;
  readonly optionalAttendeeIds?: ReadonlyArray<string> | null | undefined;
  /** Default: you. */
  readonly ownerId?: string | null | undefined;
  /** An account, contact, lead, opportunity or case. */
  readonly regardingId?: string | null | undefined;
  /** Contacts, leads, accounts or users who must attend; the owner is the organizer. */
  readonly requiredAttendeeIds?: ReadonlyArray<string> | null | undefined;
  readonly startAt: string;
  readonly subject: string;
};

export type CreateBusinessUnitInput = {
  readonly name: string;
  /** The parent unit. */
  readonly parentId: string;
};

export type CreateCaseInput = {
  /** An account or a contact. */
  readonly customerId: string;
  readonly description?: string | null | undefined;
  /** Default: you. */
  readonly ownerId?: string | null | undefined;
  readonly priority?: CasePriority | null | undefined;
  readonly title: string;
};

export type CreateContactInput = {
  /** The account the contact works for. */
  readonly accountId?: string | null | undefined;
  /** Email addresses, primary first; stored lower-cased. */
  readonly emails?: ReadonlyArray<string> | null | undefined;
  readonly firstName?: string | null | undefined;
  readonly jobTitle?: string | null | undefined;
  readonly lastName: string;
  readonly mobilePhone?: string | null | undefined;
  /** Default: you. */
  readonly ownerId?: string | null | undefined;
  readonly status?: ContactStatus | null | undefined;
  readonly telephone?: string | null | undefined;
};

export type CreateEmailServerProfileInput = {
  /** Write-only; for OAUTH_BEARER. */
  readonly accessToken?: string | null | undefined;
  readonly allowInvalidCertificates?: boolean;
  /** OAUTH_BEARER is for IMAP_SMTP (XOAUTH2) and EXCHANGE_EWS (bearer token); NTLM for EXCHANGE_EWS only. */
  readonly authMethod?: MailAuthMethod;
  readonly credentialUsername?: string | null | undefined;
  /** EXCHANGE_EWS: the EWS endpoint, an http(s) URL of at most 2048 characters (https://mail.example.com/EWS/Exchange.asmx); leave it out to find the server by Autodiscover from each mailbox's address. */
  readonly ewsUrl?: string | null | undefined;
  /** IMAP or POP3 server; required for IMAP_SMTP and POP3_SMTP, refused for EXCHANGE_EWS. */
  readonly incomingHost?: string | null | undefined;
  /** 1–65535 (IMAP 143/993, POP3 110/995); with incomingHost. */
  readonly incomingPort?: number | null | undefined;
  /** With incomingHost. */
  readonly incomingTls?: TlsMode | null | undefined;
  /** Makes this the default for new mailboxes (the previous default stops being one). */
  readonly isDefault?: boolean;
  readonly kind: EmailServerKind;
  /** 1–100 connections to the server at once, over all mailboxes of the profile. */
  readonly maxConcurrentConnections?: number;
  readonly name: string;
  /** SMTP server; leave the three outgoing fields out for a profile nothing sends through. */
  readonly outgoingHost?: string | null | undefined;
  /** 1–65535 (SMTP submission 587, implicit TLS 465); required with outgoingHost. */
  readonly outgoingPort?: number | null | undefined;
  /** Required with outgoingHost. */
  readonly outgoingTls?: TlsMode | null | undefined;
  /** Write-only. */
  readonly password?: string | null | undefined;
  /** 5–86400. */
  readonly pollIntervalSeconds?: number;
  readonly processEmailFrom?: string | null | undefined;
  readonly sentFolder?: string | null | undefined;
  /** EXCHANGE_EWS: the profile's service account (useProfileCredentials) acts as each mailbox through ExchangeImpersonation; it needs the ApplicationImpersonation role. */
  readonly useImpersonation?: boolean;
  /** Every mailbox signs in with the profile's credentials (then give username and password or accessToken). */
  readonly useProfileCredentials?: boolean;
};

export type CreateLeadInput = {
  readonly companyName?: string | null | undefined;
  readonly emails?: ReadonlyArray<string> | null | undefined;
  readonly firstName?: string | null | undefined;
  readonly lastName: string;
  /** Default: you. */
  readonly ownerId?: string | null | undefined;
  readonly status?: LeadStatus | null | undefined;
  readonly telephone?: string | null | undefined;
  /** What the prospect is interested in. */
  readonly topic: string;
};

export type CreateOpportunityInput = {
  /** ISO 4217 code, e.g. SEK. Default: the organization’s base currency. */
  readonly currency?: string | null | undefined;
  /** An account or a contact. */
  readonly customerId: string;
  /** YYYY-MM-DD */
  readonly estimatedCloseDate?: string | null | undefined;
  /** 0 to 999,999,999,999.99. */
  readonly estimatedValue?: number | null | undefined;
  readonly name: string;
  /** Default: you. */
  readonly ownerId?: string | null | undefined;
  readonly status?: OpportunityStatus | null | undefined;
};

export type CreateQueueInput = {
  readonly createCaseFromEmail?: boolean;
  /** Make a contact from a lead who writes, so their case has a customer (Queue.createContactForLeadSender). */
  readonly createContactForLeadSender?: boolean;
  readonly createContactForUnknownSender?: boolean;
  readonly emailAddress: string;
  readonly name: string;
  /** Defaults to you. */
  readonly ownerId?: string | null | undefined;
  readonly reopenResolvedWithinHours?: number | null | undefined;
};

export type CreateSecurityRoleInput = {
  readonly description?: string;
  readonly name: string;
};

export type CreateTaskInput = {
  readonly description?: string | null | undefined;
  readonly dueAt?: string | null | undefined;
  /** Default: you. */
  readonly ownerId?: string | null | undefined;
  /** How much is done, 0 to 100. */
  readonly percentComplete?: number | null | undefined;
  readonly priority?: TaskPriority | null | undefined;
  /** An account, contact, lead, opportunity or case. */
  readonly regardingId?: string | null | undefined;
  /** When work is to start; not after dueAt. */
  readonly scheduledStartAt?: string | null | undefined;
  readonly subject: string;
};

export type CreateUserInput = {
  readonly businessUnitId: string;
  /** Trimmed and stored lower-case. */
  readonly email: string;
  readonly fullName: string;
  /** At least 12 characters, not a commonly breached or easily guessed password. Leave out for a service account that uses API keys. */
  readonly password?: string | null | undefined;
  readonly roleIds?: ReadonlyArray<string>;
};

export type Direction =
  | 'INCOMING'
  | 'OUTGOING';

export type EmailApproval =
  | 'APPROVED'
  | 'PENDING_APPROVAL'
  | 'REJECTED';

/** What tracking repaired in a malformed message so it could be stored. */
export type EmailRepairCode =
  | 'BODY_TRUNCATED'
  | 'FOLDER_TRUNCATED'
  | 'INVALID_ADDRESS'
  | 'INVALID_CALENDAR'
  | 'INVALID_CHARACTERS'
  | 'INVALID_DATE'
  | 'MISSING_MESSAGE_ID'
  | 'OTHER'
  | 'SUBJECT_TRUNCATED'
  | 'TOO_MANY_RECIPIENTS';

export type EmailServerKind =
  | 'EXCHANGE_EWS'
  | 'IMAP_SMTP'
  | 'POP3_SMTP';

export type EmailStatus =
  | 'CANCELLED'
  | 'DRAFT'
  | 'FAILED'
  | 'PENDING_SEND'
  | 'RECEIVED'
  | 'SENDING'
  | 'SENT'
  | 'UNCERTAIN';

export type FolderTrackingRuleInput = {
  /** The folder path as the mail server names it, e.g. "INBOX/Contoso". */
  readonly folder: string;
  /** The record mail in this folder is regarding; null tracks the folder without a regarding record. */
  readonly regardingId?: string | null | undefined;
};

export type IncomingMethod =
  | 'FORWARD_MAILBOX'
  | 'NONE'
  | 'SERVER_SIDE_SYNC';

export type LeadFilter = {
  /** Only records owned by this user. */
  readonly ownerId?: string | null | undefined;
  /** Matches the name anywhere, or an email address from its start. */
  readonly search?: string | null | undefined;
  readonly status?: LeadStatus | null | undefined;
};

export type LeadStatus =
  | 'CONTACTED'
  | 'DISQUALIFIED'
  | 'NEW'
  | 'QUALIFIED';

/** A phone call that happened (Dynamics' "log a call"); it is recorded as completed. */
export type LogPhoneCallInput = {
  readonly description?: string | null | undefined;
  readonly direction?: Direction | null | undefined;
  /** 0 to 1440. */
  readonly durationMinutes?: number | null | undefined;
  /** When the call took place. Default: now. */
  readonly occurredAt?: string | null | undefined;
  /** Default: you. */
  readonly ownerId?: string | null | undefined;
  /** Contacts, accounts, leads or users on the call: called (TO) for an outgoing call, calling (FROM) for an incoming one; you are the other side. */
  readonly partyIds?: ReadonlyArray<string> | null | undefined;
  /** A secured field (ACTIVITY.phoneNumber): giving it a value, null included, needs a role's field permission to update it (FORBIDDEN otherwise). */
  readonly phoneNumber?: string | null | undefined;
  /** An account, contact, lead, opportunity or case. */
  readonly regardingId?: string | null | undefined;
  readonly subject: string;
};

export type MailAuthMethod =
  | 'NTLM'
  | 'OAUTH_BEARER'
  | 'PASSWORD';

/** STATE: state or approval. CONFIGURATION: methods, profile, credentials, rules. TEST: Test & Enable requested or a channel result. ALERT: a new alert. PROGRESS: a synced batch (items, cursor, coverage). */
export type MailboxChange =
  | 'ALERT'
  | 'CONFIGURATION'
  | 'PROGRESS'
  | 'STATE'
  | 'TEST';

/** Write-only: the password or token is encrypted at rest and never readable. Give password or accessToken, as the profile's authMethod asks. */
export type MailboxCredentialsInput = {
  /** For OAUTH_BEARER profiles (XOAUTH2). */
  readonly accessToken?: string | null | undefined;
  readonly password?: string | null | undefined;
  readonly username: string;
};

export type MailboxOwnerKind =
  | 'QUEUE'
  | 'USER';

export type MailboxState =
  | 'BACKING_OFF'
  | 'DISABLED_AUTH'
  | 'DISABLED_BY_ADMIN'
  | 'ENABLED'
  | 'NOT_ENABLED';

export type OpportunityFilter = {
  /** Only opportunities of this customer (account or contact). */
  readonly customerId?: string | null | undefined;
  /** Only records owned by this user. */
  readonly ownerId?: string | null | undefined;
  /** Matches the name anywhere, or an email address from its start. */
  readonly search?: string | null | undefined;
  readonly status?: OpportunityStatus | null | undefined;
};

export type OpportunityStatus =
  | 'LOST'
  | 'OPEN'
  | 'WON';

/** A file to send: one you uploaded with PUT /blobs within the grace period, or an attachment of the email named in forwardOfId. */
export type OutgoingAttachmentInput = {
  /** A media type, `type/subtype` (RFC 6838), without parameters. */
  readonly contentType: string;
  /** The name recipients see: at most 255 characters, no "/", "\" or control characters. */
  readonly fileName: string;
  /** What PUT /blobs answered (hex). */
  readonly sha256: string;
};

export type OutgoingMethod =
  | 'NONE'
  | 'SERVER_SIDE_SYNC';

export type PartyResolution =
  | 'AMBIGUOUS'
  | 'RESOLVED'
  | 'UNRESOLVED';

export type PartyRole =
  | 'BCC'
  | 'CC'
  | 'FROM'
  | 'OPTIONAL'
  | 'ORGANIZER'
  | 'REQUIRED'
  | 'TO';

/** What users other than the mailbox owner see of emails tracked from a mailbox. */
export type PrivacyLevel =
  | 'FULL'
  | 'METADATA_ONLY'
  | 'SUBJECT_ONLY';

/** A record privilege, as in Dynamics 365 security roles. */
export type Privilege =
  | 'APPEND'
  | 'APPEND_TO'
  | 'ASSIGN'
  | 'CREATE'
  | 'DELETE'
  | 'READ'
  | 'SHARE'
  | 'WRITE';

/** Dynamics' "Qualify": what the lead becomes. Everything created is owned by you. */
export type QualifyLeadInput = {
  /** Create the account and contact even when one of the same name, or with one of the lead's addresses, exists (otherwise CONFLICT naming it). */
  readonly allowDuplicates?: boolean | null | undefined;
  /** An account named after the lead's company; none when the lead names no company. */
  readonly createAccount?: boolean | null | undefined;
  /** A contact with the lead's name, addresses and telephone, linked to the account and to the lead (originatingLead). */
  readonly createContact?: boolean | null | undefined;
  /** An open opportunity named after the lead's topic, for the account, else the contact. */
  readonly createOpportunity?: boolean | null | undefined;
  /** Use this account instead of creating one. */
  readonly existingAccountId?: string | null | undefined;
  /** Use this contact instead of creating one. */
  readonly existingContactId?: string | null | undefined;
  readonly leadId: string;
};

export type RecordOrder = {
  readonly direction?: SortDirection;
  readonly field: RecordSortField;
};

/** NAME is the name, full name or title of the record. */
export type RecordSortField =
  | 'CREATED_AT'
  | 'NAME'
  | 'UPDATED_AT';

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

/** An email to send from your mailbox (or a queue's). Recipients by address, by record id, or both; at least one, at most 500. */
export type SendEmailInput = {
  /** At most 20, together no larger than the organization's attachment limit (emailSettings.maxAttachmentKb). */
  readonly attachments?: ReadonlyArray<OutgoingAttachmentInput> | null | undefined;
  readonly bcc?: ReadonlyArray<string> | null | undefined;
  readonly bccRecordIds?: ReadonlyArray<string> | null | undefined;
  readonly cc?: ReadonlyArray<string> | null | undefined;
  readonly ccRecordIds?: ReadonlyArray<string> | null | undefined;
  /** The email this one forwards: its attachments may then be sent by sha256 too, when you may read it whole. */
  readonly forwardOfId?: string | null | undefined;
  /** A queue mailbox you may use, or your own. Default: your own mailbox. */
  readonly fromMailboxId?: string | null | undefined;
  /** Scripts and other unsafe content are removed before it is stored and sent. */
  readonly htmlBody?: string | null | undefined;
  /** The email this one answers: sets In-Reply-To and References so the conversation stays together. */
  readonly inReplyToId?: string | null | undefined;
  /** An account, contact, lead, opportunity or case. Default for a reply: what the email replied to is regarding. */
  readonly regardingId?: string | null | undefined;
  /** Default for a reply: "RE: " and the subject of the email replied to. A tracking token is appended when the organization uses them. */
  readonly subject?: string | null | undefined;
  readonly textBody?: string | null | undefined;
  readonly to?: ReadonlyArray<string> | null | undefined;
  /** Contacts, leads, accounts or users, sent to at their primary address. */
  readonly toRecordIds?: ReadonlyArray<string> | null | undefined;
};

export type SetRoleFieldPermissionInput = {
  readonly canRead: boolean;
  readonly canUpdate: boolean;
  readonly entity: AccessEntity;
  /** A secured field, e.g. telephone. */
  readonly field: string;
  readonly roleId: string;
};

export type SetRolePrivilegeInput = {
  /** NONE removes the privilege. */
  readonly depth: AccessDepth;
  readonly entity: AccessEntity;
  readonly privilege: Privilege;
  readonly roleId: string;
};

export type SortDirection =
  | 'ASC'
  | 'DESC';

/** Why one version won when an activity changed in the CRM and in Exchange between two syncs. */
export type SyncConflictRule =
  | 'CHANGE_BEATS_DELETE'
  | 'LATER_CHANGE_WINS'
  | 'TIE_CRM_WINS';

/** HOUR: 60 one-minute buckets; DAY: 96 fifteen-minute buckets; WEEK: 168 one-hour buckets. Buckets align to whole multiples of their size in UTC; the last one holds the present moment and is still filling. */
export type SyncMetricsRange =
  | 'DAY'
  | 'HOUR'
  | 'WEEK';

export type SyncSide =
  | 'CRM'
  | 'EXCHANGE';

export type TaskPriority =
  | 'HIGH'
  | 'LOW'
  | 'NORMAL';

/** Every field narrows the timeline; fields left out do not. */
export type TimelineFilter = {
  readonly direction?: Direction | null | undefined;
  /** Only activities that occurred at or after this time. */
  readonly from?: string | null | undefined;
  /** Only these kinds; an empty list matches nothing. */
  readonly kinds?: ReadonlyArray<ActivityKind> | null | undefined;
  /** Matches the subject anywhere, ignoring case and accents; subjects hidden from you never match. */
  readonly search?: string | null | undefined;
  /** Only activities that occurred before this time. */
  readonly to?: string | null | undefined;
};

export type TlsMode =
  | 'IMPLICIT'
  | 'NONE'
  | 'STARTTLS';

/** Which email a mailbox tracks (Dynamics' personal option "Track"); RESPONSES_TO_CRM_EMAIL is the default. */
export type TrackingFilter =
  | 'ALL'
  | 'FROM_CRM_RECORDS'
  | 'FROM_EMAIL_ENABLED_RECORDS'
  | 'RESPONSES_TO_CRM_EMAIL';

export type UpdateAccountInput = {
  readonly description?: string | null | undefined;
  /** Replaces all addresses when given. */
  readonly emails?: ReadonlyArray<string> | null | undefined;
  readonly name?: string | null | undefined;
  readonly status?: AccountStatus | null | undefined;
  readonly telephone?: string | null | undefined;
  readonly website?: string | null | undefined;
};

/** Changes to an appointment (moved, renamed, another place): a field left out stays as it is; null clears the description and the location. */
export type UpdateAppointmentInput = {
  /** Not null. An all-day appointment is kept as days, the same in every time zone: startAt is 00:00 UTC of its first day and endAt 00:00 UTC of the day after its last (ALL_DAY_NOT_WHOLE_DAYS otherwise). */
  readonly allDay?: boolean | null | undefined;
  readonly description?: string | null | undefined;
  /** Not null; not before the start. */
  readonly endAt?: string | null | undefined;
  readonly location?: string | null | undefined;
  /** Not null. */
  readonly startAt?: string | null | undefined;
  /** Not null. */
  readonly subject?: string | null | undefined;
};

export type UpdateCaseInput = {
  readonly customerId?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly priority?: CasePriority | null | undefined;
  readonly status?: CaseStatus | null | undefined;
  readonly title?: string | null | undefined;
};

export type UpdateContactInput = {
  /** null detaches the contact from its account. */
  readonly accountId?: string | null | undefined;
  /** Replaces all addresses when given. */
  readonly emails?: ReadonlyArray<string> | null | undefined;
  readonly firstName?: string | null | undefined;
  readonly jobTitle?: string | null | undefined;
  readonly lastName?: string | null | undefined;
  readonly mobilePhone?: string | null | undefined;
  readonly status?: ContactStatus | null | undefined;
  readonly telephone?: string | null | undefined;
};

/** Fields left out keep their value; null clears an optional one. */
export type UpdateEmailServerProfileInput = {
  /** Write-only; replaces the stored secret. */
  readonly accessToken?: string | null | undefined;
  readonly allowInvalidCertificates?: boolean | null | undefined;
  readonly authMethod?: MailAuthMethod | null | undefined;
  readonly credentialUsername?: string | null | undefined;
  /** EXCHANGE_EWS: the EWS endpoint; null: Autodiscover. */
  readonly ewsUrl?: string | null | undefined;
  /** null removes the incoming server (port and TLS with it), as an EXCHANGE_EWS profile has none. */
  readonly incomingHost?: string | null | undefined;
  readonly incomingPort?: number | null | undefined;
  readonly incomingTls?: TlsMode | null | undefined;
  readonly isDefault?: boolean | null | undefined;
  readonly kind?: EmailServerKind | null | undefined;
  readonly maxConcurrentConnections?: number | null | undefined;
  readonly name?: string | null | undefined;
  /** null removes the outgoing server (port and TLS with it); refused while a mailbox of the profile sends. */
  readonly outgoingHost?: string | null | undefined;
  readonly outgoingPort?: number | null | undefined;
  readonly outgoingTls?: TlsMode | null | undefined;
  /** Write-only; replaces the stored secret. */
  readonly password?: string | null | undefined;
  readonly pollIntervalSeconds?: number | null | undefined;
  readonly processEmailFrom?: string | null | undefined;
  readonly sentFolder?: string | null | undefined;
  readonly useImpersonation?: boolean | null | undefined;
  readonly useProfileCredentials?: boolean | null | undefined;
};

/** Fields left out keep their value. */
export type UpdateEmailSettingsInput = {
  readonly blockedAddresses?: ReadonlyArray<string> | null | undefined;
  readonly blockedDomains?: ReadonlyArray<string> | null | undefined;
  readonly correlateByInReplyTo?: boolean | null | undefined;
  readonly correlateByThreadIndex?: boolean | null | undefined;
  readonly correlateByTrackingToken?: boolean | null | undefined;
  /** New mailboxes get it when their profile is EXCHANGE_EWS; on IMAP/POP3 profiles they get NONE, as in Dynamics. */
  readonly defaultAppointmentsContactsTasksMethod?: AppointmentsContactsTasksMethod | null | undefined;
  readonly defaultAutoCreateRecords?: AutoCreateRecords | null | undefined;
  /** For mailboxes created from now on. */
  readonly defaultIncomingMethod?: IncomingMethod | null | undefined;
  /** For mailboxes created from now on. */
  readonly defaultOutgoingMethod?: OutgoingMethod | null | undefined;
  readonly folderTrackingEnabled?: boolean | null | undefined;
  readonly futureExpansionWindowMonths?: number | null | undefined;
  readonly maxAttachmentKb?: number | null | undefined;
  readonly maxBodyKb?: number | null | undefined;
  readonly pastExpansionWindowMonths?: number | null | undefined;
  readonly processEmailOnlyForApprovedMailboxes?: boolean | null | undefined;
  readonly queueCaseRulesEnabled?: boolean | null | undefined;
  readonly skipAutoReplies?: boolean | null | undefined;
  readonly skipBounces?: boolean | null | undefined;
  readonly skipBulkMail?: boolean | null | undefined;
  readonly smartMatchMinSharedRecipients?: number | null | undefined;
  readonly smartMatchWindowDays?: number | null | undefined;
  readonly smartMatchingEnabled?: boolean | null | undefined;
  readonly tokenBaseNumber?: number | null | undefined;
  readonly tokenCounterDigits?: number | null | undefined;
  /** 1–20 letters or digits. */
  readonly tokenPrefix?: string | null | undefined;
  readonly tokenUserDigits?: number | null | undefined;
  readonly trackingTokenEnabled?: boolean | null | undefined;
};

export type UpdateLeadInput = {
  readonly companyName?: string | null | undefined;
  /** Replaces all addresses when given. */
  readonly emails?: ReadonlyArray<string> | null | undefined;
  readonly firstName?: string | null | undefined;
  readonly lastName?: string | null | undefined;
  readonly status?: LeadStatus | null | undefined;
  readonly telephone?: string | null | undefined;
  readonly topic?: string | null | undefined;
};

/** Fields left out keep their value. */
export type UpdateMailboxInput = {
  readonly autoCreateRecords?: AutoCreateRecords | null | undefined;
  /** What others see of email tracked from this mailbox; applies to email already tracked too. */
  readonly privacyLevel?: PrivacyLevel | null | undefined;
  /** The owner's IANA time zone (such as Europe/Stockholm), at most 64 characters; null clears it. Task days and all-day appointments are written to Exchange in it. The zone Exchange keeps for the mailbox, when the sync engine reads one, replaces it. */
  readonly timeZone?: string | null | undefined;
  readonly trackingFilter?: TrackingFilter | null | undefined;
};

export type UpdateOpportunityInput = {
  /** ISO 4217 code; the amount is not converted. */
  readonly currency?: string | null | undefined;
  readonly customerId?: string | null | undefined;
  readonly estimatedCloseDate?: string | null | undefined;
  /** 0 to 999,999,999,999.99. */
  readonly estimatedValue?: number | null | undefined;
  readonly name?: string | null | undefined;
  readonly status?: OpportunityStatus | null | undefined;
};

/** Fields left out keep their value. */
export type UpdateQueueInput = {
  readonly createCaseFromEmail?: boolean | null | undefined;
  readonly createContactForLeadSender?: boolean | null | undefined;
  readonly createContactForUnknownSender?: boolean | null | undefined;
  /** The queue's mailbox follows: its address awaits approval again, and it needs Test & Enable again (as in Dynamics). */
  readonly emailAddress?: string | null | undefined;
  readonly name?: string | null | undefined;
  /** A new owner, under the rules of assigning a record (QUEUE assign); the queue moves to their business unit. */
  readonly ownerId?: string | null | undefined;
  readonly reopenResolvedWithinHours?: number | null | undefined;
};

/** Fields left out keep their value. */
export type UpdateSecurityRoleInput = {
  readonly description?: string | null | undefined;
  readonly name?: string | null | undefined;
};

/** Changes to a task: a field left out stays as it is; null clears the description, the due time and the start. */
export type UpdateTaskInput = {
  readonly description?: string | null | undefined;
  readonly dueAt?: string | null | undefined;
  /** How much is done, 0 to 100. Not null. */
  readonly percentComplete?: number | null | undefined;
  /** Not null. */
  readonly priority?: TaskPriority | null | undefined;
  /** When work is to start, not after dueAt; null clears it. */
  readonly scheduledStartAt?: string | null | undefined;
  /** Not null. */
  readonly subject?: string | null | undefined;
};

/** An enum describing what kind of type a given `__Type` is. */
export type __TypeKind =
  /** Indicates this type is a scalar. */
  | 'SCALAR'
  /** Indicates this type is an object. `fields` and `interfaces` are valid fields. */
  | 'OBJECT'
  /** Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields. */
  | 'INTERFACE'
  /** Indicates this type is a union. `possibleTypes` is a valid field. */
  | 'UNION'
  /** Indicates this type is an enum. `enumValues` is a valid field. */
  | 'ENUM'
  /** Indicates this type is an input object. `inputFields` is a valid field. */
  | 'INPUT_OBJECT'
  /** Indicates this type is a list. `ofType` is a valid field. */
  | 'LIST'
  /** Indicates this type is a non-null. `ofType` is a valid field. */
  | 'NON_NULL';

export type AccountRecordQueryVariables = Exact<{
  id: string;
}>;


export type AccountRecordQuery = { readonly node:
    | (
      { readonly __typename: 'Account' }
      & AccountDetailFieldsFragment
    )
    | { readonly __typename: 'Appointment' }
    | { readonly __typename: 'Attachment' }
    | { readonly __typename: 'BusinessUnit' }
    | { readonly __typename: 'Case' }
    | { readonly __typename: 'Contact' }
    | { readonly __typename: 'Email' }
    | { readonly __typename: 'Lead' }
    | { readonly __typename: 'Mailbox' }
    | { readonly __typename: 'Opportunity' }
    | { readonly __typename: 'PhoneCall' }
    | { readonly __typename: 'Queue' }
    | { readonly __typename: 'SecurityRole' }
    | { readonly __typename: 'Task' }
    | { readonly __typename: 'User' }
   | null };

export type AccountsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: AccountFilter | null | undefined;
  orderBy?: RecordOrder | null | undefined;
}>;


export type AccountsQuery = { readonly accounts: { readonly totalCount: number, readonly pageInfo: { readonly hasNextPage: boolean, readonly endCursor: string | null }, readonly edges: ReadonlyArray<{ readonly node: AccountRowFieldsFragment }> } };

export type ActivityChangedSubscriptionVariables = Exact<{
  recordId: string;
  includeRelated: boolean;
  kinds?: ReadonlyArray<ActivityKind> | ActivityKind | null | undefined;
  after?: string | null | undefined;
}>;


export type ActivityChangedSubscription = { readonly activityChanged: { readonly cursor: string, readonly change: ActivityChange, readonly activityId: string, readonly kind: ActivityKind, readonly at: string, readonly activity:
      | ActivityFields_Appointment_Fragment
      | ActivityFields_Email_Fragment
      | ActivityFields_PhoneCall_Fragment
      | ActivityFields_Task_Fragment
     | null } };

export type ActivityPageQueryVariables = Exact<{
  id: string;
}>;


export type ActivityPageQuery = { readonly liveCursor: string, readonly node:
    | { readonly __typename: 'Account' }
    | (
      { readonly __typename: 'Appointment' }
      & ActivityFields_Appointment_Fragment
    )
    | { readonly __typename: 'Attachment' }
    | { readonly __typename: 'BusinessUnit' }
    | { readonly __typename: 'Case' }
    | { readonly __typename: 'Contact' }
    | (
      { readonly __typename: 'Email' }
      & ActivityFields_Email_Fragment
    )
    | { readonly __typename: 'Lead' }
    | { readonly __typename: 'Mailbox' }
    | { readonly __typename: 'Opportunity' }
    | (
      { readonly __typename: 'PhoneCall' }
      & ActivityFields_PhoneCall_Fragment
    )
    | { readonly __typename: 'Queue' }
    | { readonly __typename: 'SecurityRole' }
    | (
      { readonly __typename: 'Task' }
      & ActivityFields_Task_Fragment
    )
    | { readonly __typename: 'User' }
   | null };

export type AddUserRoleMutationVariables = Exact<{
  userId: string;
  roleId: string;
}>;


export type AddUserRoleMutation = { readonly addUserRole: AdminUserFieldsFragment };

export type AdminQueuesQueryVariables = Exact<{ [key: string]: never; }>;


export type AdminQueuesQuery = { readonly queues: ReadonlyArray<{ readonly id: string, readonly name: string, readonly emailAddress: string, readonly createCaseFromEmail: boolean, readonly createContactForUnknownSender: boolean, readonly createContactForLeadSender: boolean, readonly reopenResolvedWithinHours: number | null, readonly owner: { readonly id: string, readonly fullName: string } | null }> };

export type AdminUserQueryVariables = Exact<{
  id: string;
}>;


export type AdminUserQuery = { readonly viewer: { readonly id: string, readonly roles: ReadonlyArray<{ readonly id: string, readonly name: string }> }, readonly securityRoles: ReadonlyArray<{ readonly id: string, readonly name: string, readonly description: string }>, readonly node:
    | { readonly __typename: 'Account' }
    | { readonly __typename: 'Appointment' }
    | { readonly __typename: 'Attachment' }
    | { readonly __typename: 'BusinessUnit' }
    | { readonly __typename: 'Case' }
    | { readonly __typename: 'Contact' }
    | { readonly __typename: 'Email' }
    | { readonly __typename: 'Lead' }
    | { readonly __typename: 'Mailbox' }
    | { readonly __typename: 'Opportunity' }
    | { readonly __typename: 'PhoneCall' }
    | { readonly __typename: 'Queue' }
    | { readonly __typename: 'SecurityRole' }
    | { readonly __typename: 'Task' }
    | (
      { readonly __typename: 'User' }
      & AdminUserFieldsFragment
    )
   | null };

export type AdminUsersQueryVariables = Exact<{
  search?: string | null | undefined;
}>;


export type AdminUsersQuery = { readonly users: ReadonlyArray<AdminUserFieldsFragment> };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { readonly viewer: { readonly id: string, readonly fullName: string }, readonly apiKeys: ReadonlyArray<{ readonly id: string, readonly name: string, readonly prefix: string, readonly createdAt: string, readonly lastUsedAt: string | null, readonly expiresAt: string | null, readonly revokedAt: string | null, readonly user: { readonly id: string, readonly fullName: string, readonly email: string, readonly isService: boolean } | null }> };

export type ApproveMailboxEmailMutationVariables = Exact<{
  id: string;
}>;


export type ApproveMailboxEmailMutation = { readonly approveMailboxEmail: MailboxDetailFieldsFragment };

export type AssignRecordMutationVariables = Exact<{
  id: string;
  ownerId: string;
}>;


export type AssignRecordMutation = { readonly assignRecord:
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
   };

export type BaseCurrencyQueryVariables = Exact<{ [key: string]: never; }>;


export type BaseCurrencyQuery = { readonly organization: { readonly baseCurrency: string } };

export type BusinessUnitsQueryVariables = Exact<{ [key: string]: never; }>;


export type BusinessUnitsQuery = { readonly businessUnits: ReadonlyArray<{ readonly id: string, readonly name: string, readonly createdAt: string, readonly parent: { readonly id: string } | null }> };

export type CancelEmailMutationVariables = Exact<{
  emailId: string;
}>;


export type CancelEmailMutation = { readonly cancelEmail: { readonly id: string, readonly status: EmailStatus } };

export type CaseRecordQueryVariables = Exact<{
  id: string;
}>;


export type CaseRecordQuery = { readonly node:
    | { readonly __typename: 'Account' }
    | { readonly __typename: 'Appointment' }
    | { readonly __typename: 'Attachment' }
    | { readonly __typename: 'BusinessUnit' }
    | (
      { readonly __typename: 'Case' }
      & CaseDetailFieldsFragment
    )
    | { readonly __typename: 'Contact' }
    | { readonly __typename: 'Email' }
    | { readonly __typename: 'Lead' }
    | { readonly __typename: 'Mailbox' }
    | { readonly __typename: 'Opportunity' }
    | { readonly __typename: 'PhoneCall' }
    | { readonly __typename: 'Queue' }
    | { readonly __typename: 'SecurityRole' }
    | { readonly __typename: 'Task' }
    | { readonly __typename: 'User' }
   | null };

export type CasesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: CaseFilter | null | undefined;
  orderBy?: RecordOrder | null | undefined;
}>;


export type CasesQuery = { readonly cases: { readonly totalCount: number, readonly pageInfo: { readonly hasNextPage: boolean, readonly endCursor: string | null }, readonly edges: ReadonlyArray<{ readonly node: CaseRowFieldsFragment }> } };

export type ChangePasswordMutationVariables = Exact<{
  currentPassword: string;
  newPassword: string;
}>;


export type ChangePasswordMutation = { readonly changePassword: { readonly id: string } };

export type ComposeOriginalQueryVariables = Exact<{
  id: string;
}>;


export type ComposeOriginalQuery = { readonly node:
    | { readonly __typename: 'Account' }
    | { readonly __typename: 'Appointment' }
    | { readonly __typename: 'Attachment' }
    | { readonly __typename: 'BusinessUnit' }
    | { readonly __typename: 'Case' }
    | { readonly __typename: 'Contact' }
    | { readonly __typename: 'Email', readonly id: string, readonly subject: string | null, readonly direction: Direction | null, readonly occurredAt: string, readonly textBody: string | null, readonly htmlBody: string | null, readonly parties: ReadonlyArray<{ readonly role: PartyRole, readonly address: string | null, readonly displayName: string | null, readonly record:
          | { readonly __typename: 'Account' }
          | { readonly __typename: 'Contact' }
          | { readonly __typename: 'Lead' }
          | { readonly __typename: 'Queue' }
          | { readonly __typename: 'User', readonly id: string }
         | null }>, readonly attachments: ReadonlyArray<{ readonly fileName: string, readonly contentType: string, readonly size: number, readonly sha256: string | null, readonly stored: boolean }> }
    | { readonly __typename: 'Lead' }
    | { readonly __typename: 'Mailbox' }
    | { readonly __typename: 'Opportunity' }
    | { readonly __typename: 'PhoneCall' }
    | { readonly __typename: 'Queue' }
    | { readonly __typename: 'SecurityRole' }
    | { readonly __typename: 'Task' }
    | { readonly __typename: 'User' }
   | null };

export type ConfigureMailboxMutationVariables = Exact<{
  id: string;
  input: ConfigureMailboxInput;
}>;


export type ConfigureMailboxMutation = { readonly configureMailbox: MailboxDetailFieldsFragment };

export type ContactRecordQueryVariables = Exact<{
  id: string;
}>;


export type ContactRecordQuery = { readonly node:
    | { readonly __typename: 'Account' }
    | { readonly __typename: 'Appointment' }
    | { readonly __typename: 'Attachment' }
    | { readonly __typename: 'BusinessUnit' }
    | { readonly __typename: 'Case' }
    | (
      { readonly __typename: 'Contact' }
      & ContactDetailFieldsFragment
    )
    | { readonly __typename: 'Email' }
    | { readonly __typename: 'Lead' }
    | { readonly __typename: 'Mailbox' }
    | { readonly __typename: 'Opportunity' }
    | { readonly __typename: 'PhoneCall' }
    | { readonly __typename: 'Queue' }
    | { readonly __typename: 'SecurityRole' }
    | { readonly __typename: 'Task' }
    | { readonly __typename: 'User' }
   | null };

export type ContactsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ContactFilter | null | undefined;
  orderBy?: RecordOrder | null | undefined;
}>;


export type ContactsQuery = { readonly contacts: { readonly totalCount: number, readonly pageInfo: { readonly hasNextPage: boolean, readonly endCursor: string | null }, readonly edges: ReadonlyArray<{ readonly node: ContactRowFieldsFragment }> } };

export type CreateAccountFormMutationVariables = Exact<{
  input: CreateAccountInput;
}>;


export type CreateAccountFormMutation = { readonly createAccount: { readonly id: string } };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { readonly createApiKey: { readonly key: string, readonly apiKey: { readonly id: string } } };

export type CreateAppointmentMutationVariables = Exact<{
  input: CreateAppointmentInput;
}>;


export type CreateAppointmentMutation = { readonly createAppointment: { readonly id: string } };

export type CreateBusinessUnitMutationVariables = Exact<{
  input: CreateBusinessUnitInput;
}>;


export type CreateBusinessUnitMutation = { readonly createBusinessUnit: { readonly id: string, readonly name: string } };

export type CreateCaseFormMutationVariables = Exact<{
  input: CreateCaseInput;
}>;


export type CreateCaseFormMutation = { readonly createCase: { readonly id: string } };

export type CreateContactFormMutationVariables = Exact<{
  input: CreateContactInput;
}>;


export type CreateContactFormMutation = { readonly createContact: { readonly id: string } };

export type CreateEmailServerProfileMutationVariables = Exact<{
  input: CreateEmailServerProfileInput;
}>;


export type CreateEmailServerProfileMutation = { readonly createEmailServerProfile: EmailServerProfileFieldsFragment };

export type CreateLeadFormMutationVariables = Exact<{
  input: CreateLeadInput;
}>;


export type CreateLeadFormMutation = { readonly createLead: { readonly id: string } };

export type CreateOpportunityFormMutationVariables = Exact<{
  input: CreateOpportunityInput;
}>;


export type CreateOpportunityFormMutation = { readonly createOpportunity: { readonly id: string } };

export type CreateQueueMutationVariables = Exact<{
  input: CreateQueueInput;
}>;


export type CreateQueueMutation = { readonly createQueue: { readonly id: string, readonly name: string, readonly emailAddress: string, readonly createCaseFromEmail: boolean, readonly createContactForUnknownSender: boolean, readonly createContactForLeadSender: boolean, readonly reopenResolvedWithinHours: number | null, readonly owner: { readonly id: string, readonly fullName: string } | null } };

export type CreateSecurityRoleMutationVariables = Exact<{
  input: CreateSecurityRoleInput;
}>;


export type CreateSecurityRoleMutation = { readonly createSecurityRole: { readonly id: string } };

export type CreateTaskMutationVariables = Exact<{
  input: CreateTaskInput;
}>;


export type CreateTaskMutation = { readonly createTask: { readonly id: string } };

export type CreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type CreateUserMutation = { readonly createUser: { readonly id: string } };

export type DeleteEmailServerProfileMutationVariables = Exact<{
  id: string;
}>;


export type DeleteEmailServerProfileMutation = { readonly deleteEmailServerProfile: string };

export type DeleteRecordMutationVariables = Exact<{
  id: string;
}>;


export type DeleteRecordMutation = { readonly deleteRecord: string };

export type DeleteSecurityRoleMutationVariables = Exact<{
  id: string;
}>;


export type DeleteSecurityRoleMutation = { readonly deleteSecurityRole: string };

export type DisableMailboxMutationVariables = Exact<{
  id: string;
}>;


export type DisableMailboxMutation = { readonly disableMailbox: MailboxDetailFieldsFragment };

export type EmailContentQueryVariables = Exact<{
  id: string;
}>;


export type EmailContentQuery = { readonly node:
    | { readonly __typename: 'Account' }
    | { readonly __typename: 'Appointment' }
    | { readonly __typename: 'Attachment' }
    | { readonly __typename: 'BusinessUnit' }
    | { readonly __typename: 'Case' }
    | { readonly __typename: 'Contact' }
    | { readonly __typename: 'Email', readonly id: string, readonly htmlBody: string | null, readonly textBody: string | null, readonly bodyTruncated: boolean, readonly blockedRemoteImages: number, readonly correlationMethod: CorrelationMethod | null, readonly attachments: ReadonlyArray<{ readonly id: string, readonly fileName: string, readonly contentType: string, readonly size: number, readonly stored: boolean, readonly skippedReason: string | null, readonly downloadUrl: string | null, readonly inline: boolean }>, readonly trackingDecision: { readonly outcome: string, readonly correlationMethod: CorrelationMethod, readonly correlationEvidence: string | null, readonly steps: ReadonlyArray<{ readonly step: string, readonly outcome: string, readonly detail: string }> } | null }
    | { readonly __typename: 'Lead' }
    | { readonly __typename: 'Mailbox' }
    | { readonly __typename: 'Opportunity' }
    | { readonly __typename: 'PhoneCall' }
    | { readonly __typename: 'Queue' }
    | { readonly __typename: 'SecurityRole' }
    | { readonly __typename: 'Task' }
    | { readonly __typename: 'User' }
   | null };

export type EmailServerProfileChoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type EmailServerProfileChoicesQuery = { readonly emailServerProfiles: ReadonlyArray<{ readonly id: string, readonly name: string, readonly kind: EmailServerKind, readonly outgoingHost: string | null, readonly isDefault: boolean }> };

export type EmailServerProfilesQueryVariables = Exact<{ [key: string]: never; }>;


export type EmailServerProfilesQuery = { readonly emailServerProfiles: ReadonlyArray<EmailServerProfileFieldsFragment>, readonly mailboxes: ReadonlyArray<{ readonly id: string, readonly address: string, readonly profile: { readonly id: string } | null }> };

export type EmailSettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type EmailSettingsQuery = { readonly emailSettings: EmailSettingsFieldsFragment };

export type ExplorerSchemaQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerSchemaQuery = { readonly __schema: { readonly queryType: { readonly name: string | null }, readonly mutationType: { readonly name: string | null } | null, readonly subscriptionType: { readonly name: string | null } | null, readonly types: ReadonlyArray<{ readonly kind: __TypeKind, readonly name: string | null, readonly description: string | null }> } };

export type ExplorerTypeQueryVariables = Exact<{
  name: string;
}>;


export type ExplorerTypeQuery = { readonly __type: { readonly kind: __TypeKind, readonly name: string | null, readonly description: string | null, readonly fields: ReadonlyArray<{ readonly name: string, readonly description: string | null, readonly isDeprecated: boolean, readonly deprecationReason: string | null, readonly args: ReadonlyArray<{ readonly name: string, readonly description: string | null, readonly defaultValue: string | null, readonly type: { readonly kind: __TypeKind, readonly name: string | null, readonly ofType: { readonly kind: __TypeKind, readonly name: string | null, readonly ofType: { readonly kind: __TypeKind, readonly name: string | null, readonly ofType: { readonly kind: __TypeKind, readonly name: string | null } | null } | null } | null } }>, readonly type: { readonly kind: __TypeKind, readonly name: string | null, readonly ofType: { readonly kind: __TypeKind, readonly name: string | null, readonly ofType: { readonly kind: __TypeKind, readonly name: string | null, readonly ofType: { readonly kind: __TypeKind, readonly name: string | null } | null } | null } | null } }> | null, readonly inputFields: ReadonlyArray<{ readonly name: string, readonly description: string | null, readonly defaultValue: string | null, readonly type: { readonly kind: __TypeKind, readonly name: string | null, readonly ofType: { readonly kind: __TypeKind, readonly name: string | null, readonly ofType: { readonly kind: __TypeKind, readonly name: string | null, readonly ofType: { readonly kind: __TypeKind, readonly name: string | null } | null } | null } | null } }> | null, readonly enumValues: ReadonlyArray<{ readonly name: string, readonly description: string | null, readonly isDeprecated: boolean }> | null, readonly interfaces: ReadonlyArray<{ readonly name: string | null }> | null, readonly possibleTypes: ReadonlyArray<{ readonly name: string | null }> | null } | null };

export type GlobalSearchQueryVariables = Exact<{
  search: string;
  first: number;
}>;


export type GlobalSearchQuery = { readonly accounts: { readonly totalCount: number, readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly name: string, readonly primaryEmail: string | null } }> }, readonly contacts: { readonly totalCount: number, readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly fullName: string, readonly primaryEmail: string | null, readonly account: { readonly name: string } | null } }> }, readonly leads: { readonly totalCount: number, readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly fullName: string, readonly companyName: string | null, readonly primaryEmail: string | null } }> }, readonly opportunities: { readonly totalCount: number, readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly name: string, readonly customer:
          | { readonly __typename: 'Account', readonly name: string }
          | { readonly __typename: 'Contact', readonly fullName: string }
         | null } }> }, readonly cases: { readonly totalCount: number, readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly title: string, readonly ticketNumber: string } }> }, readonly activities: { readonly totalCount: number, readonly edges: ReadonlyArray<{ readonly node:
        | { readonly __typename: 'Appointment', readonly id: string, readonly kind: ActivityKind, readonly subject: string | null, readonly occurredAt: string, readonly regarding:
            | { readonly __typename: 'Account', readonly name: string }
            | { readonly __typename: 'Case', readonly title: string }
            | { readonly __typename: 'Contact', readonly fullName: string }
            | { readonly __typename: 'Lead', readonly fullName: string }
            | { readonly __typename: 'Opportunity', readonly name: string }
           | null }
        | { readonly __typename: 'Email', readonly id: string, readonly kind: ActivityKind, readonly subject: string | null, readonly occurredAt: string, readonly regarding:
            | { readonly __typename: 'Account', readonly name: string }
            | { readonly __typename: 'Case', readonly title: string }
            | { readonly __typename: 'Contact', readonly fullName: string }
            | { readonly __typename: 'Lead', readonly fullName: string }
            | { readonly __typename: 'Opportunity', readonly name: string }
           | null }
        | { readonly __typename: 'PhoneCall', readonly id: string, readonly kind: ActivityKind, readonly subject: string | null, readonly occurredAt: string, readonly regarding:
            | { readonly __typename: 'Account', readonly name: string }
            | { readonly __typename: 'Case', readonly title: string }
            | { readonly __typename: 'Contact', readonly fullName: string }
            | { readonly __typename: 'Lead', readonly fullName: string }
            | { readonly __typename: 'Opportunity', readonly name: string }
           | null }
        | { readonly __typename: 'Task', readonly id: string, readonly kind: ActivityKind, readonly subject: string | null, readonly occurredAt: string, readonly regarding:
            | { readonly __typename: 'Account', readonly name: string }
            | { readonly __typename: 'Case', readonly title: string }
            | { readonly __typename: 'Contact', readonly fullName: string }
            | { readonly __typename: 'Lead', readonly fullName: string }
            | { readonly __typename: 'Opportunity', readonly name: string }
           | null }
       }> } };

export type KeyOwnersQueryVariables = Exact<{ [key: string]: never; }>;


export type KeyOwnersQuery = { readonly users: ReadonlyArray<{ readonly id: string, readonly fullName: string, readonly email: string, readonly isService: boolean, readonly disabled: boolean }> };

export type LeadRecordQueryVariables = Exact<{
  id: string;
}>;


export type LeadRecordQuery = { readonly node:
    | { readonly __typename: 'Account' }
    | { readonly __typename: 'Appointment' }
    | { readonly __typename: 'Attachment' }
    | { readonly __typename: 'BusinessUnit' }
    | { readonly __typename: 'Case' }
    | { readonly __typename: 'Contact' }
    | { readonly __typename: 'Email' }
    | (
      { readonly __typename: 'Lead' }
      & LeadDetailFieldsFragment
    )
    | { readonly __typename: 'Mailbox' }
    | { readonly __typename: 'Opportunity' }
    | { readonly __typename: 'PhoneCall' }
    | { readonly __typename: 'Queue' }
    | { readonly __typename: 'SecurityRole' }
    | { readonly __typename: 'Task' }
    | { readonly __typename: 'User' }
   | null };

export type LeadsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: LeadFilter | null | undefined;
  orderBy?: RecordOrder | null | undefined;
}>;


export type LeadsQuery = { readonly leads: { readonly totalCount: number, readonly pageInfo: { readonly hasNextPage: boolean, readonly endCursor: string | null }, readonly edges: ReadonlyArray<{ readonly node: LeadRowFieldsFragment }> } };

export type LiveCursorQueryVariables = Exact<{ [key: string]: never; }>;


export type LiveCursorQuery = { readonly liveCursor: string };

export type LoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type LoginMutation = { readonly login: { readonly token: string, readonly expiresAt: string, readonly user: { readonly id: string, readonly fullName: string } } };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { readonly logout: boolean };

export type LogPhoneCallMutationVariables = Exact<{
  input: LogPhoneCallInput;
}>;


export type LogPhoneCallMutation = { readonly logPhoneCall: { readonly id: string } };

export type MailboxQueryVariables = Exact<{
  id: string;
}>;


export type MailboxQuery = { readonly liveCursor: string, readonly viewer: ViewerAccessFieldsFragment, readonly mailbox: MailboxDetailFieldsFragment };

export type MailboxChangedSubscriptionVariables = Exact<{
  mailboxId?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type MailboxChangedSubscription = { readonly mailboxChanged: { readonly cursor: string, readonly change: MailboxChange, readonly mailboxId: string, readonly at: string, readonly mailbox: MailboxDetailFieldsFragment | null } };

export type MailboxesQueryVariables = Exact<{ [key: string]: never; }>;


export type MailboxesQuery = { readonly liveCursor: string, readonly viewer: ViewerAccessFieldsFragment, readonly mailboxes: ReadonlyArray<MailboxListRowFieldsFragment> };

export type MailboxesChangedSubscriptionVariables = Exact<{
  after?: string | null | undefined;
}>;


export type MailboxesChangedSubscription = { readonly mailboxChanged: { readonly cursor: string, readonly change: MailboxChange, readonly mailboxId: string, readonly at: string, readonly mailbox: MailboxListRowFieldsFragment | null } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { readonly viewer: { readonly fullName: string, readonly email: string, readonly roles: ReadonlyArray<{ readonly name: string }> } };

export type MyFeedSubscriptionVariables = Exact<{
  kinds?: ReadonlyArray<ActivityKind> | ActivityKind | null | undefined;
  after?: string | null | undefined;
}>;


export type MyFeedSubscription = { readonly myFeed: { readonly cursor: string, readonly change: ActivityChange, readonly activityId: string, readonly kind: ActivityKind, readonly at: string, readonly activity:
      | ActivityFields_Appointment_Fragment
      | ActivityFields_Email_Fragment
      | ActivityFields_PhoneCall_Fragment
      | ActivityFields_Task_Fragment
     | null } };

export type NewUserChoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type NewUserChoicesQuery = { readonly businessUnits: ReadonlyArray<{ readonly id: string, readonly name: string, readonly parent: { readonly id: string } | null }>, readonly securityRoles: ReadonlyArray<{ readonly id: string, readonly name: string }> };

export type OpportunitiesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: OpportunityFilter | null | undefined;
  orderBy?: RecordOrder | null | undefined;
}>;


export type OpportunitiesQuery = { readonly opportunities: { readonly totalCount: number, readonly pageInfo: { readonly hasNextPage: boolean, readonly endCursor: string | null }, readonly edges: ReadonlyArray<{ readonly node: OpportunityRowFieldsFragment }> } };

export type OpportunityRecordQueryVariables = Exact<{
  id: string;
}>;


export type OpportunityRecordQuery = { readonly node:
    | { readonly __typename: 'Account' }
    | { readonly __typename: 'Appointment' }
    | { readonly __typename: 'Attachment' }
    | { readonly __typename: 'BusinessUnit' }
    | { readonly __typename: 'Case' }
    | { readonly __typename: 'Contact' }
    | { readonly __typename: 'Email' }
    | { readonly __typename: 'Lead' }
    | { readonly __typename: 'Mailbox' }
    | (
      { readonly __typename: 'Opportunity' }
      & OpportunityDetailFieldsFragment
    )
    | { readonly __typename: 'PhoneCall' }
    | { readonly __typename: 'Queue' }
    | { readonly __typename: 'SecurityRole' }
    | { readonly __typename: 'Task' }
    | { readonly __typename: 'User' }
   | null };

export type OutgoingEmailChangedSubscriptionVariables = Exact<{
  after?: string | null | undefined;
}>;


export type OutgoingEmailChangedSubscription = { readonly outgoingEmailChanged: { readonly cursor: string, readonly change: ActivityChange, readonly activityId: string, readonly kind: ActivityKind, readonly at: string, readonly activity:
      | ActivityFields_Appointment_Fragment
      | ActivityFields_Email_Fragment
      | ActivityFields_PhoneCall_Fragment
      | ActivityFields_Task_Fragment
     | null } };

export type QualifyLeadMutationVariables = Exact<{
  input: QualifyLeadInput;
}>;


export type QualifyLeadMutation = { readonly qualifyLead: { readonly lead: { readonly id: string, readonly status: LeadStatus }, readonly account: { readonly id: string } | null, readonly contact: { readonly id: string } | null, readonly opportunity: { readonly id: string } | null } };

export type QueueMailboxesQueryVariables = Exact<{ [key: string]: never; }>;


export type QueueMailboxesQuery = { readonly mailboxes: ReadonlyArray<{ readonly id: string, readonly address: string, readonly ownerKind: MailboxOwnerKind, readonly state: MailboxState, readonly approval: EmailApproval }> };

export type QueueOwnersQueryVariables = Exact<{ [key: string]: never; }>;


export type QueueOwnersQuery = { readonly viewer: { readonly id: string }, readonly users: ReadonlyArray<{ readonly id: string, readonly fullName: string, readonly isService: boolean, readonly disabled: boolean }> };

export type RecipientSuggestionsQueryVariables = Exact<{
  search: string;
}>;


export type RecipientSuggestionsQuery = { readonly contacts: { readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly fullName: string, readonly primaryEmail: string | null } }> }, readonly leads: { readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly fullName: string, readonly primaryEmail: string | null } }> }, readonly accounts: { readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly name: string, readonly primaryEmail: string | null } }> } };

export type RecordLookupQueryVariables = Exact<{
  search: string;
  accounts: boolean;
  contacts: boolean;
  leads: boolean;
  opportunities: boolean;
  cases: boolean;
}>;


export type RecordLookupQuery = { readonly accounts?: { readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly name: string } }> }, readonly contacts?: { readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly fullName: string, readonly primaryEmail: string | null } }> }, readonly leads?: { readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly fullName: string, readonly companyName: string | null } }> }, readonly opportunities?: { readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly name: string } }> }, readonly cases?: { readonly edges: ReadonlyArray<{ readonly node: { readonly id: string, readonly title: string, readonly ticketNumber: string } }> } };

export type RecordSharesQueryVariables = Exact<{
  id: string;
}>;


export type RecordSharesQuery = { readonly node:
    | { readonly shares: ReadonlyArray<{ readonly canWrite: boolean, readonly sharedAt: string, readonly user: { readonly id: string, readonly fullName: string, readonly email: string } | null }> | null }
    | { readonly shares: ReadonlyArray<{ readonly canWrite: boolean, readonly sharedAt: string, readonly user: { readonly id: string, readonly fullName: string, readonly email: string } | null }> | null }
    | { readonly shares: ReadonlyArray<{ readonly canWrite: boolean, readonly sharedAt: string, readonly user: { readonly id: string, readonly fullName: string, readonly email: string } | null }> | null }
    | { readonly shares: ReadonlyArray<{ readonly canWrite: boolean, readonly sharedAt: string, readonly user: { readonly id: string, readonly fullName: string, readonly email: string } | null }> | null }
    | { readonly shares: ReadonlyArray<{ readonly canWrite: boolean, readonly sharedAt: string, readonly user: { readonly id: string, readonly fullName: string, readonly email: string } | null }> | null }
    | Record<PropertyKey, never>
   | null };

export type RecordUsersQueryVariables = Exact<{ [key: string]: never; }>;


export type RecordUsersQuery = { readonly users: ReadonlyArray<{ readonly id: string, readonly fullName: string, readonly email: string, readonly disabled: boolean, readonly isService: boolean }> };

export type RejectMailboxEmailMutationVariables = Exact<{
  id: string;
}>;


export type RejectMailboxEmailMutation = { readonly rejectMailboxEmail: MailboxDetailFieldsFragment };

export type RelatedNameQueryVariables = Exact<{
  id: string;
}>;


export type RelatedNameQuery = { readonly node:
    | { readonly name: string }
    | { readonly fullName: string }
    | Record<PropertyKey, never>
   | null };

export type RemoveFolderTrackingRuleMutationVariables = Exact<{
  mailboxId: string;
  folder: string;
}>;


export type RemoveFolderTrackingRuleMutation = { readonly removeFolderTrackingRule: boolean };

export type RemoveUserRoleMutationVariables = Exact<{
  userId: string;
  roleId: string;
}>;


export type RemoveUserRoleMutation = { readonly removeUserRole: AdminUserFieldsFragment };

export type ResetUserPasswordMutationVariables = Exact<{
  userId: string;
}>;


export type ResetUserPasswordMutation = { readonly resetUserPassword: { readonly temporaryPassword: string, readonly user: AdminUserFieldsFragment } };

export type ResyncMailboxMutationVariables = Exact<{
  id: string;
  from: string;
}>;


export type ResyncMailboxMutation = { readonly resyncMailbox: MailboxDetailFieldsFragment };

export type RetrySendMutationVariables = Exact<{
  emailId: string;
}>;


export type RetrySendMutation = { readonly retrySend: { readonly id: string, readonly status: EmailStatus, readonly failureReason: string | null } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string;
}>;


export type RevokeApiKeyMutation = { readonly revokeApiKey: { readonly id: string, readonly revokedAt: string | null } };

export type SecurityRoleDetailQueryVariables = Exact<{ [key: string]: never; }>;


export type SecurityRoleDetailQuery = { readonly securityRoles: ReadonlyArray<{ readonly id: string, readonly name: string, readonly description: string, readonly editable: boolean, readonly systemRole: boolean, readonly privileges: ReadonlyArray<{ readonly entity: AccessEntity, readonly privilege: Privilege, readonly depth: AccessDepth }>, readonly fieldPermissions: ReadonlyArray<{ readonly entity: AccessEntity, readonly field: string, readonly canRead: boolean, readonly canUpdate: boolean }> }>, readonly securedFields: ReadonlyArray<{ readonly entity: AccessEntity, readonly field: string }> };

export type SecurityRolesQueryVariables = Exact<{ [key: string]: never; }>;


export type SecurityRolesQuery = { readonly securityRoles: ReadonlyArray<{ readonly id: string, readonly name: string, readonly description: string, readonly editable: boolean, readonly systemRole: boolean }> };

export type SendEmailMutationVariables = Exact<{
  input: SendEmailInput;
}>;


export type SendEmailMutation = { readonly sendEmail: { readonly id: string, readonly status: EmailStatus } };

export type SetActivityRegardingMutationVariables = Exact<{
  id: string;
  regardingId?: string | null | undefined;
}>;


export type SetActivityRegardingMutation = { readonly setActivityRegarding:
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
   };

export type SetActivityStateMutationVariables = Exact<{
  id: string;
  state: ActivityState;
}>;


export type SetActivityStateMutation = { readonly setActivityState:
    | { readonly id: string, readonly state: ActivityState }
    | { readonly id: string, readonly state: ActivityState }
    | { readonly id: string, readonly state: ActivityState }
    | { readonly id: string, readonly state: ActivityState }
   };

export type SetFolderTrackingRuleMutationVariables = Exact<{
  mailboxId: string;
  input: FolderTrackingRuleInput;
}>;


export type SetFolderTrackingRuleMutation = { readonly setFolderTrackingRule: { readonly folder: string } };

export type SetMailboxCredentialsMutationVariables = Exact<{
  id: string;
  input: MailboxCredentialsInput;
}>;


export type SetMailboxCredentialsMutation = { readonly setMailboxCredentials: MailboxDetailFieldsFragment };

export type SetRoleFieldPermissionMutationVariables = Exact<{
  input: SetRoleFieldPermissionInput;
}>;


export type SetRoleFieldPermissionMutation = { readonly setRoleFieldPermission: { readonly id: string } };

export type SetRolePrivilegeMutationVariables = Exact<{
  input: SetRolePrivilegeInput;
}>;


export type SetRolePrivilegeMutation = { readonly setRolePrivilege: { readonly id: string } };

export type SetUserDisabledMutationVariables = Exact<{
  userId: string;
  disabled: boolean;
}>;


export type SetUserDisabledMutation = { readonly setUserDisabled: AdminUserFieldsFragment };

export type ShareRecordMutationVariables = Exact<{
  id: string;
  userId: string;
  canWrite: boolean;
}>;


export type ShareRecordMutation = { readonly shareRecord:
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
   };

export type SyncMetricsQueryVariables = Exact<{
  range: SyncMetricsRange;
  mailboxId?: string | null | undefined;
}>;


export type SyncMetricsQuery = { readonly syncMetrics: { readonly range: SyncMetricsRange, readonly bucketMinutes: number, readonly from: string, readonly to: string, readonly mailboxCount: number, readonly buckets: ReadonlyArray<{ readonly start: string, readonly end: string, readonly figures: { readonly tracked: number, readonly linked: number, readonly filtered: number, readonly rejected: number, readonly quarantined: number, readonly syncRuns: number, readonly failedSyncRuns: number, readonly lagSamples: number, readonly lagAverageSeconds: number | null, readonly lagP95Seconds: number | null, readonly lagMaxSeconds: number | null, readonly sent: number, readonly sendFailed: number, readonly sendRetried: number, readonly sendUncertain: number } }>, readonly totals: { readonly tracked: number, readonly linked: number, readonly filtered: number, readonly rejected: number, readonly quarantined: number, readonly syncRuns: number, readonly failedSyncRuns: number, readonly lagSamples: number, readonly lagAverageSeconds: number | null, readonly lagP95Seconds: number | null, readonly sent: number, readonly sendFailed: number, readonly sendRetried: number, readonly sendUncertain: number } } };

export type TestAllLiveCursorQueryVariables = Exact<{ [key: string]: never; }>;


export type TestAllLiveCursorQuery = { readonly liveCursor: string };

export type TestAndEnableMailboxMutationVariables = Exact<{
  id: string;
}>;


export type TestAndEnableMailboxMutation = { readonly testAndEnableMailbox: MailboxDetailFieldsFragment };

export type TestAndEnableProfileMailboxMutationVariables = Exact<{
  id: string;
}>;


export type TestAndEnableProfileMailboxMutation = { readonly testAndEnableMailbox: { readonly id: string, readonly state: MailboxState, readonly incomingTest: { readonly status: ChannelTestStatus, readonly code: string | null, readonly reason: string | null }, readonly outgoingTest: { readonly status: ChannelTestStatus, readonly code: string | null, readonly reason: string | null } } };

export type TimelineQueryVariables = Exact<{
  recordId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: TimelineFilter | null | undefined;
  includeRelated?: boolean | null | undefined;
}>;


export type TimelineQuery = { readonly liveCursor: string, readonly timeline: { readonly totalCount: number, readonly pageInfo: { readonly hasNextPage: boolean, readonly endCursor: string | null }, readonly edges: ReadonlyArray<{ readonly cursor: string, readonly node:
        | ActivityFields_Appointment_Fragment
        | ActivityFields_Email_Fragment
        | ActivityFields_PhoneCall_Fragment
        | ActivityFields_Task_Fragment
       }> } };

export type UnitMembersQueryVariables = Exact<{ [key: string]: never; }>;


export type UnitMembersQuery = { readonly users: ReadonlyArray<{ readonly id: string, readonly businessUnit: { readonly id: string } }> };

export type UnlockUserMutationVariables = Exact<{
  userId: string;
}>;


export type UnlockUserMutation = { readonly unlockUser: AdminUserFieldsFragment };

export type UnshareRecordMutationVariables = Exact<{
  id: string;
  userId: string;
}>;


export type UnshareRecordMutation = { readonly unshareRecord:
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
    | { readonly id: string }
   };

export type UpdateAccountFormMutationVariables = Exact<{
  id: string;
  input: UpdateAccountInput;
}>;


export type UpdateAccountFormMutation = { readonly updateAccount: { readonly id: string } };

export type UpdateAppointmentMutationVariables = Exact<{
  id: string;
  input: UpdateAppointmentInput;
}>;


export type UpdateAppointmentMutation = { readonly updateAppointment: { readonly id: string } };

export type UpdateCaseFormMutationVariables = Exact<{
  id: string;
  input: UpdateCaseInput;
}>;


export type UpdateCaseFormMutation = { readonly updateCase: { readonly id: string } };

export type UpdateContactFormMutationVariables = Exact<{
  id: string;
  input: UpdateContactInput;
}>;


export type UpdateContactFormMutation = { readonly updateContact: { readonly id: string } };

export type UpdateEmailServerProfileMutationVariables = Exact<{
  id: string;
  input: UpdateEmailServerProfileInput;
}>;


export type UpdateEmailServerProfileMutation = { readonly updateEmailServerProfile: EmailServerProfileFieldsFragment };

export type UpdateEmailSettingsMutationVariables = Exact<{
  input: UpdateEmailSettingsInput;
}>;


export type UpdateEmailSettingsMutation = { readonly updateEmailSettings: EmailSettingsFieldsFragment };

export type UpdateLeadFormMutationVariables = Exact<{
  id: string;
  input: UpdateLeadInput;
}>;


export type UpdateLeadFormMutation = { readonly updateLead: { readonly id: string } };

export type UpdateMailboxMutationVariables = Exact<{
  id: string;
  input: UpdateMailboxInput;
}>;


export type UpdateMailboxMutation = { readonly updateMailbox: MailboxDetailFieldsFragment };

export type UpdateOpportunityFormMutationVariables = Exact<{
  id: string;
  input: UpdateOpportunityInput;
}>;


export type UpdateOpportunityFormMutation = { readonly updateOpportunity: { readonly id: string } };

export type UpdateQueueMutationVariables = Exact<{
  id: string;
  input: UpdateQueueInput;
}>;


export type UpdateQueueMutation = { readonly updateQueue: { readonly id: string, readonly name: string, readonly emailAddress: string, readonly createCaseFromEmail: boolean, readonly createContactForUnknownSender: boolean, readonly createContactForLeadSender: boolean, readonly reopenResolvedWithinHours: number | null, readonly owner: { readonly id: string, readonly fullName: string } | null } };

export type UpdateSecurityRoleMutationVariables = Exact<{
  id: string;
  input: UpdateSecurityRoleInput;
}>;


export type UpdateSecurityRoleMutation = { readonly updateSecurityRole: { readonly id: string, readonly name: string, readonly description: string } };

export type UpdateTaskMutationVariables = Exact<{
  id: string;
  input: UpdateTaskInput;
}>;


export type UpdateTaskMutation = { readonly updateTask: { readonly id: string } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { readonly viewer: { readonly id: string, readonly fullName: string, readonly email: string, readonly mustChangePassword: boolean | null, readonly businessUnit: { readonly name: string }, readonly roles: ReadonlyArray<{ readonly name: string }> } };

export type ViewerRightsQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerRightsQuery = { readonly viewer: { readonly id: string, readonly roles: ReadonlyArray<{ readonly privileges: ReadonlyArray<{ readonly entity: AccessEntity, readonly privilege: Privilege, readonly depth: AccessDepth }> }> } };

export type AccountDetailFieldsFragment = { readonly id: string, readonly name: string, readonly emails: ReadonlyArray<string>, readonly telephone: string | null, readonly website: string | null, readonly status: AccountStatus, readonly description: string | null, readonly createdAt: string, readonly updatedAt: string, readonly viewerAccess: { readonly write: boolean, readonly delete: boolean, readonly assign: boolean, readonly share: boolean, readonly appendTo: boolean }, readonly owner: { readonly id: string, readonly fullName: string } | null, readonly businessUnit: { readonly name: string } | null };

export type AccountRowFieldsFragment = { readonly id: string, readonly name: string, readonly emails: ReadonlyArray<string>, readonly primaryEmail: string | null, readonly telephone: string | null, readonly status: AccountStatus, readonly owner: { readonly id: string, readonly fullName: string } | null };

type ActivityFields_Appointment_Fragment = { readonly __typename: 'Appointment', readonly startAt: string, readonly endAt: string, readonly allDay: boolean, readonly location: string | null, readonly followsOrganizer: boolean, readonly changesReachAttendees: boolean, readonly instanceType: AppointmentInstanceType | null, readonly id: string, readonly kind: ActivityKind, readonly subject: string | null, readonly description: string | null, readonly state: ActivityState, readonly direction: Direction | null, readonly occurredAt: string, readonly visibleAs: PrivacyLevel, readonly recurrence: { readonly pattern: RecurrencePattern, readonly interval: number, readonly daysOfWeek: ReadonlyArray<RecurrenceWeekday>, readonly dayOfMonth: number | null, readonly weekIndex: RecurrenceWeekIndex | null, readonly month: number | null, readonly rangeEnd: string | null, readonly count: number | null } | null, readonly series: { readonly id: string, readonly recurrence: { readonly pattern: RecurrencePattern, readonly interval: number, readonly daysOfWeek: ReadonlyArray<RecurrenceWeekday>, readonly dayOfMonth: number | null, readonly weekIndex: RecurrenceWeekIndex | null, readonly month: number | null, readonly rangeEnd: string | null, readonly count: number | null } | null } | null, readonly syncConflicts: ReadonlyArray<{ readonly occurredAt: string, readonly rule: SyncConflictRule, readonly winner: SyncSide, readonly losingVersion: { readonly subject: string, readonly startAt: string, readonly endAt: string, readonly allDay: boolean, readonly location: string | null, readonly cancelled: boolean } | null }>, readonly viewerAccess: { readonly write: boolean, readonly append: boolean }, readonly owner: { readonly fullName: string } | null, readonly regarding:
    | { readonly __typename: 'Account', readonly id: string, readonly name: string }
    | { readonly __typename: 'Case', readonly id: string, readonly title: string, readonly ticketNumber: string }
    | { readonly __typename: 'Contact', readonly id: string, readonly fullName: string }
    | { readonly __typename: 'Lead', readonly id: string, readonly fullName: string }
    | { readonly __typename: 'Opportunity', readonly id: string, readonly name: string }
   | null, readonly parties: ReadonlyArray<{ readonly role: PartyRole, readonly address: string | null, readonly displayName: string | null, readonly resolution: PartyResolution, readonly record:
      | { readonly __typename: 'Account', readonly id: string, readonly name: string }
      | { readonly __typename: 'Contact', readonly id: string, readonly fullName: string }
      | { readonly __typename: 'Lead', readonly id: string, readonly fullName: string }
      | { readonly __typename: 'Queue', readonly id: string, readonly name: string }
      | { readonly __typename: 'User', readonly id: string, readonly fullName: string }
     | null }> };

type ActivityFields_Email_Fragment = { readonly __typename: 'Email', readonly status: EmailStatus, readonly failureReason: string | null, readonly preview: string | null, readonly blockedRemoteImages: number, readonly id: string, readonly kind: ActivityKind, readonly subject: string | null, readonly description: string | null, readonly state: ActivityState, readonly direction: Direction | null, readonly occurredAt: string, readonly visibleAs: PrivacyLevel, readonly attachments: ReadonlyArray<{ readonly fileName: string }>, readonly repairs: ReadonlyArray<{ readonly code: EmailRepairCode, readonly message: string, readonly detail: string }>, readonly viewerAccess: { readonly write: boolean, readonly append: boolean }, readonly owner: { readonly fullName: string } | null, readonly regarding:
    | { readonly __typename: 'Account', readonly id: string, readonly name: string }
    | { readonly __typename: 'Case', readonly id: string, readonly title: string, readonly ticketNumber: string }
    | { readonly __typename: 'Contact', readonly id: string, readonly fullName: string }
    | { readonly __typename: 'Lead', readonly id: string, readonly fullName: string }
    | { readonly __typename: 'Opportunity', readonly id: string, readonly name: string }
   | null, readonly parties: ReadonlyArray<{ readonly role: PartyRole, readonly address: string | null, readonly displayName: string | null, readonly resolution: PartyResolution, readonly record:
      | { readonly __typename: 'Account', readonly id: string, readonly name: string }
      | { readonly __typename: 'Contact', readonly id: string, readonly fullName: string }
      | { readonly __typename: 'Lead', readonly id: string, readonly fullName: string }
      | { readonly __typename: 'Queue', readonly id: string, readonly name: string }
      | { readonly __typename: 'User', readonly id: string, readonly fullName: string }
     | null }> };

type ActivityFields_PhoneCall_Fragment = { readonly __typename: 'PhoneCall', readonly phoneNumber: string | null, readonly durationMinutes: number | null, readonly id: string, readonly kind: ActivityKind, readonly subject: string | null, readonly description: string | null, readonly state: ActivityState, readonly direction: Direction | null, readonly occurredAt: string, readonly visibleAs: PrivacyLevel, readonly viewerAccess: { readonly write: boolean, readonly append: boolean }, readonly owner: { readonly fullName: string } | null, readonly regarding:
    | { readonly __typename: 'Account', readonly id: string, readonly name: string }
    | { readonly __typename: 'Case', readonly id: string, readonly title: string, readonly ticketNumber: string }
    | { readonly __typename: 'Contact', readonly id: string, readonly fullName: string }
    | { readonly __typename: 'Lead', readonly id: string, readonly fullName: string }
    | { readonly __typename: 'Opportunity', readonly id: string, readonly name: string }
   | null, readonly parties: ReadonlyArray<{ readonly role: PartyRole, readonly address: string | null, readonly displayName: string | null, readonly resolution: PartyResolution, readonly record:
      | { readonly __typename: 'Account', readonly id: string, readonly name: string }
      | { readonly __typename: 'Contact', readonly id: string, readonly fullName: string }
      | { readonly __typename: 'Lead', readonly id: string, readonly fullName: string }
      | { readonly __typename: 'Queue', readonly id: string, readonly name: string }
      | { readonly __typename: 'User', readonly id: string, readonly fullName: string }
     | null }> };

type ActivityFields_Task_Fragment = { readonly __typename: 'Task', readonly dueAt: string | null, readonly scheduledStartAt: string | null, readonly percentComplete: number, readonly priority: TaskPriority, readonly id: string, readonly kind: ActivityKind, readonly subject: string | null, readonly description: string | null, readonly state: ActivityState, readonly direction: Direction | null, readonly occurredAt: string, readonly visibleAs: PrivacyLevel, readonly syncConflicts: ReadonlyArray<{ readonly occurredAt: string, readonly rule: SyncConflictRule, readonly winner: SyncSide, readonly losingVersion: { readonly subject: string, readonly dueDay: string | null, readonly completed: boolean } | null }>, readonly viewerAccess: { readonly write: boolean, readonly append: boolean }, readonly owner: { readonly fullName: string } | null, readonly regarding:
    | { readonly __typename: 'Account', readonly id: string, readonly name: string }
    | { readonly __typename: 'Case', readonly id: string, readonly title: string, readonly ticketNumber: string }
    | { readonly __typename: 'Contact', readonly id: string, readonly fullName: string }
    | { readonly __typename: 'Lead', readonly id: string, readonly fullName: string }
    | { readonly __typename: 'Opportunity', readonly id: string, readonly name: string }
   | null, readonly parties: ReadonlyArray<{ readonly role: PartyRole, readonly address: string | null, readonly displayName: string | null, readonly resolution: PartyResolution, readonly record:
      | { readonly __typename: 'Account', readonly id: string, readonly name: string }
      | { readonly __typename: 'Contact', readonly id: string, readonly fullName: string }
      | { readonly __typename: 'Lead', readonly id: string, readonly fullName: string }
      | { readonly __typename: 'Queue', readonly id: string, readonly name: string }
      | { readonly __typename: 'User', readonly id: string, readonly fullName: string }
     | null }> };

export type ActivityFieldsFragment =
  | ActivityFields_Appointment_Fragment
  | ActivityFields_Email_Fragment
  | ActivityFields_PhoneCall_Fragment
  | ActivityFields_Task_Fragment
;

export type AdminUserFieldsFragment = { readonly id: string, readonly fullName: string, readonly email: string, readonly isService: boolean, readonly disabled: boolean, readonly signInLockedUntil: string | null, readonly createdAt: string, readonly businessUnit: { readonly id: string, readonly name: string }, readonly roles: ReadonlyArray<{ readonly id: string, readonly name: string }> };

export type CaseDetailFieldsFragment = { readonly id: string, readonly ticketNumber: string, readonly title: string, readonly description: string | null, readonly priority: CasePriority, readonly status: CaseStatus, readonly createdAt: string, readonly updatedAt: string, readonly viewerAccess: { readonly write: boolean, readonly delete: boolean, readonly assign: boolean, readonly share: boolean, readonly appendTo: boolean }, readonly customer:
    | CustomerFields_Account_Fragment
    | CustomerFields_Contact_Fragment
   | null, readonly owner: { readonly id: string, readonly fullName: string } | null, readonly businessUnit: { readonly name: string } | null };

export type CaseRowFieldsFragment = { readonly id: string, readonly ticketNumber: string, readonly title: string, readonly priority: CasePriority, readonly status: CaseStatus, readonly customer:
    | CustomerFields_Account_Fragment
    | CustomerFields_Contact_Fragment
   | null, readonly owner: { readonly id: string, readonly fullName: string } | null };

export type ContactDetailFieldsFragment = { readonly id: string, readonly fullName: string, readonly firstName: string | null, readonly lastName: string, readonly jobTitle: string | null, readonly emails: ReadonlyArray<string>, readonly telephone: string | null, readonly mobilePhone: string | null, readonly status: ContactStatus, readonly createdAt: string, readonly updatedAt: string, readonly viewerAccess: { readonly write: boolean, readonly delete: boolean, readonly assign: boolean, readonly share: boolean, readonly appendTo: boolean }, readonly account: { readonly id: string, readonly name: string } | null, readonly originatingLead: { readonly id: string, readonly fullName: string } | null, readonly owner: { readonly id: string, readonly fullName: string } | null, readonly businessUnit: { readonly name: string } | null, readonly syncConflicts: ReadonlyArray<{ readonly occurredAt: string, readonly rule: SyncConflictRule, readonly winner: SyncSide, readonly losingVersion: { readonly firstName: string | null, readonly lastName: string | null, readonly jobTitle: string | null, readonly telephone: string | null, readonly mobilePhone: string | null, readonly emails: ReadonlyArray<string> } | null }> };

export type ContactRowFieldsFragment = { readonly id: string, readonly fullName: string, readonly jobTitle: string | null, readonly emails: ReadonlyArray<string>, readonly primaryEmail: string | null, readonly telephone: string | null, readonly status: ContactStatus, readonly account: { readonly id: string, readonly name: string } | null, readonly owner: { readonly id: string, readonly fullName: string } | null };

type CustomerFields_Account_Fragment = { readonly __typename: 'Account', readonly id: string, readonly name: string };

type CustomerFields_Contact_Fragment = { readonly __typename: 'Contact', readonly id: string, readonly fullName: string };

export type CustomerFieldsFragment =
  | CustomerFields_Account_Fragment
  | CustomerFields_Contact_Fragment
;

export type EmailServerProfileFieldsFragment = { readonly id: string, readonly name: string, readonly kind: EmailServerKind, readonly isDefault: boolean, readonly incomingHost: string | null, readonly incomingPort: number | null, readonly incomingTls: TlsMode | null, readonly ewsUrl: string | null, readonly useImpersonation: boolean, readonly outgoingHost: string | null, readonly outgoingPort: number | null, readonly outgoingTls: TlsMode | null, readonly authMethod: MailAuthMethod, readonly useProfileCredentials: boolean, readonly credentialUsername: string | null, readonly hasCredentials: boolean, readonly allowInvalidCertificates: boolean, readonly pollIntervalSeconds: number, readonly maxConcurrentConnections: number, readonly processEmailFrom: string | null, readonly sentFolder: string | null, readonly updatedAt: string };

export type EmailSettingsFieldsFragment = { readonly defaultIncomingMethod: IncomingMethod, readonly defaultOutgoingMethod: OutgoingMethod, readonly defaultAppointmentsContactsTasksMethod: AppointmentsContactsTasksMethod, readonly defaultAutoCreateRecords: AutoCreateRecords, readonly processEmailOnlyForApprovedMailboxes: boolean, readonly trackingTokenEnabled: boolean, readonly tokenPrefix: string, readonly tokenBaseNumber: number, readonly tokenUserDigits: number, readonly tokenCounterDigits: number, readonly correlateByInReplyTo: boolean, readonly correlateByTrackingToken: boolean, readonly correlateByThreadIndex: boolean, readonly smartMatchingEnabled: boolean, readonly smartMatchMinSharedRecipients: number, readonly smartMatchWindowDays: number, readonly folderTrackingEnabled: boolean, readonly queueCaseRulesEnabled: boolean, readonly skipAutoReplies: boolean, readonly skipBounces: boolean, readonly skipBulkMail: boolean, readonly blockedAddresses: ReadonlyArray<string>, readonly blockedDomains: ReadonlyArray<string>, readonly maxAttachmentKb: number, readonly maxBodyKb: number, readonly pastExpansionWindowMonths: number, readonly futureExpansionWindowMonths: number, readonly updatedAt: string };

export type LeadDetailFieldsFragment = { readonly id: string, readonly fullName: string, readonly firstName: string | null, readonly lastName: string, readonly topic: string, readonly companyName: string | null, readonly emails: ReadonlyArray<string>, readonly telephone: string | null, readonly status: LeadStatus, readonly createdAt: string, readonly updatedAt: string, readonly viewerAccess: { readonly write: boolean, readonly delete: boolean, readonly assign: boolean, readonly share: boolean, readonly appendTo: boolean }, readonly owner: { readonly id: string, readonly fullName: string } | null, readonly businessUnit: { readonly name: string } | null };

export type LeadRowFieldsFragment = { readonly id: string, readonly fullName: string, readonly topic: string, readonly companyName: string | null, readonly emails: ReadonlyArray<string>, readonly primaryEmail: string | null, readonly telephone: string | null, readonly status: LeadStatus, readonly owner: { readonly id: string, readonly fullName: string } | null };

export type MailboxDetailFieldsFragment = (
  { readonly hasCredentials: boolean, readonly credentialUsername: string | null, readonly lastSyncItems: number, readonly nextSyncAt: string | null, readonly failureCount: number, readonly resyncFrom: string | null, readonly processEmailFrom: string | null, readonly appointmentsContactsTasksMethod: AppointmentsContactsTasksMethod, readonly trackingFilter: TrackingFilter, readonly privacyLevel: PrivacyLevel, readonly autoCreateRecords: AutoCreateRecords, readonly timeZone: string | null, readonly isForwardMailbox: boolean, readonly deleteForwardedCopies: boolean, readonly serverFolders: ReadonlyArray<string> | null, readonly serverFoldersReadAt: string | null, readonly profile: { readonly id: string } | null, readonly appointmentsContactsTasksTest: { readonly status: ChannelTestStatus, readonly code: string | null, readonly reason: string | null, readonly testedAt: string | null }, readonly folderTrackingRules: ReadonlyArray<{ readonly folder: string, readonly missingSince: string | null, readonly regarding:
      | { readonly __typename: 'Account', readonly id: string, readonly name: string }
      | { readonly __typename: 'Case', readonly id: string, readonly title: string }
      | { readonly __typename: 'Contact', readonly id: string, readonly fullName: string }
      | { readonly __typename: 'Lead', readonly id: string, readonly fullName: string }
      | { readonly __typename: 'Opportunity', readonly id: string, readonly name: string }
     | null }>, readonly alerts: ReadonlyArray<{ readonly id: string, readonly severity: AlertSeverity, readonly code: string, readonly message: string, readonly createdAt: string }>, readonly quarantined: ReadonlyArray<{ readonly id: string, readonly code: string, readonly reason: string, readonly subject: string | null, readonly fromAddress: string | null, readonly folder: string | null, readonly size: number | null, readonly quarantinedAt: string }>, readonly trackingCounts: ReadonlyArray<{ readonly outcome: string, readonly reason: string | null, readonly count: number }> }
  & MailboxRowFieldsFragment
);

export type MailboxListRowFieldsFragment = (
  { readonly lastSyncItems: number, readonly nextSyncAt: string | null, readonly failureCount: number, readonly trackingCounts: ReadonlyArray<{ readonly outcome: string, readonly reason: string | null, readonly count: number }>, readonly alerts: ReadonlyArray<{ readonly id: string, readonly severity: AlertSeverity, readonly code: string, readonly message: string, readonly createdAt: string }> }
  & MailboxRowFieldsFragment
);

export type MailboxRowFieldsFragment = { readonly id: string, readonly address: string, readonly ownerKind: MailboxOwnerKind, readonly state: MailboxState, readonly stateReason: string | null, readonly approval: EmailApproval, readonly incomingMethod: IncomingMethod, readonly outgoingMethod: OutgoingMethod, readonly lastSyncAt: string | null, readonly owner: { readonly id: string, readonly fullName: string } | null, readonly profile: { readonly name: string, readonly kind: EmailServerKind, readonly useProfileCredentials: boolean } | null, readonly incomingTest: { readonly status: ChannelTestStatus, readonly code: string | null, readonly reason: string | null, readonly testedAt: string | null }, readonly outgoingTest: { readonly status: ChannelTestStatus, readonly code: string | null, readonly reason: string | null, readonly testedAt: string | null }, readonly coverage: { readonly serverCount: number, readonly decidedCount: number, readonly missingCount: number, readonly checkedAt: string } | null };

export type OpportunityDetailFieldsFragment = { readonly id: string, readonly name: string, readonly estimatedValue: number | null, readonly currency: string, readonly estimatedCloseDate: string | null, readonly status: OpportunityStatus, readonly createdAt: string, readonly updatedAt: string, readonly viewerAccess: { readonly write: boolean, readonly delete: boolean, readonly assign: boolean, readonly share: boolean, readonly appendTo: boolean }, readonly customer:
    | CustomerFields_Account_Fragment
    | CustomerFields_Contact_Fragment
   | null, readonly owner: { readonly id: string, readonly fullName: string } | null, readonly businessUnit: { readonly name: string } | null };

export type OpportunityRowFieldsFragment = { readonly id: string, readonly name: string, readonly estimatedValue: number | null, readonly currency: string, readonly estimatedCloseDate: string | null, readonly status: OpportunityStatus, readonly customer:
    | CustomerFields_Account_Fragment
    | CustomerFields_Contact_Fragment
   | null, readonly owner: { readonly id: string, readonly fullName: string } | null };

export type ViewerAccessFieldsFragment = { readonly id: string, readonly roles: ReadonlyArray<{ readonly privileges: ReadonlyArray<{ readonly entity: AccessEntity, readonly privilege: Privilege, readonly depth: AccessDepth }> }> };

/** Every operation of this package by name: what it answers and the variables it takes. */
export interface Operations {
  readonly AccountRecord: { readonly result: AccountRecordQuery; readonly variables: AccountRecordQueryVariables };
  readonly Accounts: { readonly result: AccountsQuery; readonly variables: AccountsQueryVariables };
  readonly ActivityChanged: { readonly result: ActivityChangedSubscription; readonly variables: ActivityChangedSubscriptionVariables };
  readonly ActivityPage: { readonly result: ActivityPageQuery; readonly variables: ActivityPageQueryVariables };
  readonly AddUserRole: { readonly result: AddUserRoleMutation; readonly variables: AddUserRoleMutationVariables };
  readonly AdminQueues: { readonly result: AdminQueuesQuery; readonly variables: AdminQueuesQueryVariables };
  readonly AdminUser: { readonly result: AdminUserQuery; readonly variables: AdminUserQueryVariables };
  readonly AdminUsers: { readonly result: AdminUsersQuery; readonly variables: AdminUsersQueryVariables };
  readonly ApiKeys: { readonly result: ApiKeysQuery; readonly variables: ApiKeysQueryVariables };
  readonly ApproveMailboxEmail: { readonly result: ApproveMailboxEmailMutation; readonly variables: ApproveMailboxEmailMutationVariables };
  readonly AssignRecord: { readonly result: AssignRecordMutation; readonly variables: AssignRecordMutationVariables };
  readonly BaseCurrency: { readonly result: BaseCurrencyQuery; readonly variables: BaseCurrencyQueryVariables };
  readonly BusinessUnits: { readonly result: BusinessUnitsQuery; readonly variables: BusinessUnitsQueryVariables };
  readonly CancelEmail: { readonly result: CancelEmailMutation; readonly variables: CancelEmailMutationVariables };
  readonly CaseRecord: { readonly result: CaseRecordQuery; readonly variables: CaseRecordQueryVariables };
  readonly Cases: { readonly result: CasesQuery; readonly variables: CasesQueryVariables };
  readonly ChangePassword: { readonly result: ChangePasswordMutation; readonly variables: ChangePasswordMutationVariables };
  readonly ComposeOriginal: { readonly result: ComposeOriginalQuery; readonly variables: ComposeOriginalQueryVariables };
  readonly ConfigureMailbox: { readonly result: ConfigureMailboxMutation; readonly variables: ConfigureMailboxMutationVariables };
  readonly ContactRecord: { readonly result: ContactRecordQuery; readonly variables: ContactRecordQueryVariables };
  readonly Contacts: { readonly result: ContactsQuery; readonly variables: ContactsQueryVariables };
  readonly CreateAccountForm: { readonly result: CreateAccountFormMutation; readonly variables: CreateAccountFormMutationVariables };
  readonly CreateApiKey: { readonly result: CreateApiKeyMutation; readonly variables: CreateApiKeyMutationVariables };
  readonly CreateAppointment: { readonly result: CreateAppointmentMutation; readonly variables: CreateAppointmentMutationVariables };
  readonly CreateBusinessUnit: { readonly result: CreateBusinessUnitMutation; readonly variables: CreateBusinessUnitMutationVariables };
  readonly CreateCaseForm: { readonly result: CreateCaseFormMutation; readonly variables: CreateCaseFormMutationVariables };
  readonly CreateContactForm: { readonly result: CreateContactFormMutation; readonly variables: CreateContactFormMutationVariables };
  readonly CreateEmailServerProfile: { readonly result: CreateEmailServerProfileMutation; readonly variables: CreateEmailServerProfileMutationVariables };
  readonly CreateLeadForm: { readonly result: CreateLeadFormMutation; readonly variables: CreateLeadFormMutationVariables };
  readonly CreateOpportunityForm: { readonly result: CreateOpportunityFormMutation; readonly variables: CreateOpportunityFormMutationVariables };
  readonly CreateQueue: { readonly result: CreateQueueMutation; readonly variables: CreateQueueMutationVariables };
  readonly CreateSecurityRole: { readonly result: CreateSecurityRoleMutation; readonly variables: CreateSecurityRoleMutationVariables };
  readonly CreateTask: { readonly result: CreateTaskMutation; readonly variables: CreateTaskMutationVariables };
  readonly CreateUser: { readonly result: CreateUserMutation; readonly variables: CreateUserMutationVariables };
  readonly DeleteEmailServerProfile: { readonly result: DeleteEmailServerProfileMutation; readonly variables: DeleteEmailServerProfileMutationVariables };
  readonly DeleteRecord: { readonly result: DeleteRecordMutation; readonly variables: DeleteRecordMutationVariables };
  readonly DeleteSecurityRole: { readonly result: DeleteSecurityRoleMutation; readonly variables: DeleteSecurityRoleMutationVariables };
  readonly DisableMailbox: { readonly result: DisableMailboxMutation; readonly variables: DisableMailboxMutationVariables };
  readonly EmailContent: { readonly result: EmailContentQuery; readonly variables: EmailContentQueryVariables };
  readonly EmailServerProfileChoices: { readonly result: EmailServerProfileChoicesQuery; readonly variables: EmailServerProfileChoicesQueryVariables };
  readonly EmailServerProfiles: { readonly result: EmailServerProfilesQuery; readonly variables: EmailServerProfilesQueryVariables };
  readonly EmailSettings: { readonly result: EmailSettingsQuery; readonly variables: EmailSettingsQueryVariables };
  readonly ExplorerSchema: { readonly result: ExplorerSchemaQuery; readonly variables: ExplorerSchemaQueryVariables };
  readonly ExplorerType: { readonly result: ExplorerTypeQuery; readonly variables: ExplorerTypeQueryVariables };
  readonly GlobalSearch: { readonly result: GlobalSearchQuery; readonly variables: GlobalSearchQueryVariables };
  readonly KeyOwners: { readonly result: KeyOwnersQuery; readonly variables: KeyOwnersQueryVariables };
  readonly LeadRecord: { readonly result: LeadRecordQuery; readonly variables: LeadRecordQueryVariables };
  readonly Leads: { readonly result: LeadsQuery; readonly variables: LeadsQueryVariables };
  readonly LiveCursor: { readonly result: LiveCursorQuery; readonly variables: LiveCursorQueryVariables };
  readonly Login: { readonly result: LoginMutation; readonly variables: LoginMutationVariables };
  readonly Logout: { readonly result: LogoutMutation; readonly variables: LogoutMutationVariables };
  readonly LogPhoneCall: { readonly result: LogPhoneCallMutation; readonly variables: LogPhoneCallMutationVariables };
  readonly Mailbox: { readonly result: MailboxQuery; readonly variables: MailboxQueryVariables };
  readonly MailboxChanged: { readonly result: MailboxChangedSubscription; readonly variables: MailboxChangedSubscriptionVariables };
  readonly Mailboxes: { readonly result: MailboxesQuery; readonly variables: MailboxesQueryVariables };
  readonly MailboxesChanged: { readonly result: MailboxesChangedSubscription; readonly variables: MailboxesChangedSubscriptionVariables };
  readonly Me: { readonly result: MeQuery; readonly variables: MeQueryVariables };
  readonly MyFeed: { readonly result: MyFeedSubscription; readonly variables: MyFeedSubscriptionVariables };
  readonly NewUserChoices: { readonly result: NewUserChoicesQuery; readonly variables: NewUserChoicesQueryVariables };
  readonly Opportunities: { readonly result: OpportunitiesQuery; readonly variables: OpportunitiesQueryVariables };
  readonly OpportunityRecord: { readonly result: OpportunityRecordQuery; readonly variables: OpportunityRecordQueryVariables };
  readonly OutgoingEmailChanged: { readonly result: OutgoingEmailChangedSubscription; readonly variables: OutgoingEmailChangedSubscriptionVariables };
  readonly QualifyLead: { readonly result: QualifyLeadMutation; readonly variables: QualifyLeadMutationVariables };
  readonly QueueMailboxes: { readonly result: QueueMailboxesQuery; readonly variables: QueueMailboxesQueryVariables };
  readonly QueueOwners: { readonly result: QueueOwnersQuery; readonly variables: QueueOwnersQueryVariables };
  readonly RecipientSuggestions: { readonly result: RecipientSuggestionsQuery; readonly variables: RecipientSuggestionsQueryVariables };
  readonly RecordLookup: { readonly result: RecordLookupQuery; readonly variables: RecordLookupQueryVariables };
  readonly RecordShares: { readonly result: RecordSharesQuery; readonly variables: RecordSharesQueryVariables };
  readonly RecordUsers: { readonly result: RecordUsersQuery; readonly variables: RecordUsersQueryVariables };
  readonly RejectMailboxEmail: { readonly result: RejectMailboxEmailMutation; readonly variables: RejectMailboxEmailMutationVariables };
  readonly RelatedName: { readonly result: RelatedNameQuery; readonly variables: RelatedNameQueryVariables };
  readonly RemoveFolderTrackingRule: { readonly result: RemoveFolderTrackingRuleMutation; readonly variables: RemoveFolderTrackingRuleMutationVariables };
  readonly RemoveUserRole: { readonly result: RemoveUserRoleMutation; readonly variables: RemoveUserRoleMutationVariables };
  readonly ResetUserPassword: { readonly result: ResetUserPasswordMutation; readonly variables: ResetUserPasswordMutationVariables };
  readonly ResyncMailbox: { readonly result: ResyncMailboxMutation; readonly variables: ResyncMailboxMutationVariables };
  readonly RetrySend: { readonly result: RetrySendMutation; readonly variables: RetrySendMutationVariables };
  readonly RevokeApiKey: { readonly result: RevokeApiKeyMutation; readonly variables: RevokeApiKeyMutationVariables };
  readonly SecurityRoleDetail: { readonly result: SecurityRoleDetailQuery; readonly variables: SecurityRoleDetailQueryVariables };
  readonly SecurityRoles: { readonly result: SecurityRolesQuery; readonly variables: SecurityRolesQueryVariables };
  readonly SendEmail: { readonly result: SendEmailMutation; readonly variables: SendEmailMutationVariables };
  readonly SetActivityRegarding: { readonly result: SetActivityRegardingMutation; readonly variables: SetActivityRegardingMutationVariables };
  readonly SetActivityState: { readonly result: SetActivityStateMutation; readonly variables: SetActivityStateMutationVariables };
  readonly SetFolderTrackingRule: { readonly result: SetFolderTrackingRuleMutation; readonly variables: SetFolderTrackingRuleMutationVariables };
  readonly SetMailboxCredentials: { readonly result: SetMailboxCredentialsMutation; readonly variables: SetMailboxCredentialsMutationVariables };
  readonly SetRoleFieldPermission: { readonly result: SetRoleFieldPermissionMutation; readonly variables: SetRoleFieldPermissionMutationVariables };
  readonly SetRolePrivilege: { readonly result: SetRolePrivilegeMutation; readonly variables: SetRolePrivilegeMutationVariables };
  readonly SetUserDisabled: { readonly result: SetUserDisabledMutation; readonly variables: SetUserDisabledMutationVariables };
  readonly ShareRecord: { readonly result: ShareRecordMutation; readonly variables: ShareRecordMutationVariables };
  readonly SyncMetrics: { readonly result: SyncMetricsQuery; readonly variables: SyncMetricsQueryVariables };
  readonly TestAllLiveCursor: { readonly result: TestAllLiveCursorQuery; readonly variables: TestAllLiveCursorQueryVariables };
  readonly TestAndEnableMailbox: { readonly result: TestAndEnableMailboxMutation; readonly variables: TestAndEnableMailboxMutationVariables };
  readonly TestAndEnableProfileMailbox: { readonly result: TestAndEnableProfileMailboxMutation; readonly variables: TestAndEnableProfileMailboxMutationVariables };
  readonly Timeline: { readonly result: TimelineQuery; readonly variables: TimelineQueryVariables };
  readonly UnitMembers: { readonly result: UnitMembersQuery; readonly variables: UnitMembersQueryVariables };
  readonly UnlockUser: { readonly result: UnlockUserMutation; readonly variables: UnlockUserMutationVariables };
  readonly UnshareRecord: { readonly result: UnshareRecordMutation; readonly variables: UnshareRecordMutationVariables };
  readonly UpdateAccountForm: { readonly result: UpdateAccountFormMutation; readonly variables: UpdateAccountFormMutationVariables };
  readonly UpdateAppointment: { readonly result: UpdateAppointmentMutation; readonly variables: UpdateAppointmentMutationVariables };
  readonly UpdateCaseForm: { readonly result: UpdateCaseFormMutation; readonly variables: UpdateCaseFormMutationVariables };
  readonly UpdateContactForm: { readonly result: UpdateContactFormMutation; readonly variables: UpdateContactFormMutationVariables };
  readonly UpdateEmailServerProfile: { readonly result: UpdateEmailServerProfileMutation; readonly variables: UpdateEmailServerProfileMutationVariables };
  readonly UpdateEmailSettings: { readonly result: UpdateEmailSettingsMutation; readonly variables: UpdateEmailSettingsMutationVariables };
  readonly UpdateLeadForm: { readonly result: UpdateLeadFormMutation; readonly variables: UpdateLeadFormMutationVariables };
  readonly UpdateMailbox: { readonly result: UpdateMailboxMutation; readonly variables: UpdateMailboxMutationVariables };
  readonly UpdateOpportunityForm: { readonly result: UpdateOpportunityFormMutation; readonly variables: UpdateOpportunityFormMutationVariables };
  readonly UpdateQueue: { readonly result: UpdateQueueMutation; readonly variables: UpdateQueueMutationVariables };
  readonly UpdateSecurityRole: { readonly result: UpdateSecurityRoleMutation; readonly variables: UpdateSecurityRoleMutationVariables };
  readonly UpdateTask: { readonly result: UpdateTaskMutation; readonly variables: UpdateTaskMutationVariables };
  readonly Viewer: { readonly result: ViewerQuery; readonly variables: ViewerQueryVariables };
  readonly ViewerRights: { readonly result: ViewerRightsQuery; readonly variables: ViewerRightsQueryVariables };
}
