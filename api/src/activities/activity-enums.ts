import { registerEnumType } from 'type-graphql';

export enum ActivityKind {
  EMAIL = 'EMAIL',
  APPOINTMENT = 'APPOINTMENT',
  TASK = 'TASK',
  PHONE_CALL = 'PHONE_CALL',
}

/** Dynamics' activity state: open, completed (an email sent or received is completed), cancelled. */
export enum ActivityState {
  OPEN = 'OPEN',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

export enum Direction {
  INCOMING = 'INCOMING',
  OUTGOING = 'OUTGOING',
}

export enum PartyRole {
  FROM = 'FROM',
  TO = 'TO',
  CC = 'CC',
  BCC = 'BCC',
  ORGANIZER = 'ORGANIZER',
  REQUIRED = 'REQUIRED',
  OPTIONAL = 'OPTIONAL',
}

/** What an address resolved to; AMBIGUOUS means several records of the winning kind share it and none was guessed. */
export enum PartyResolution {
  RESOLVED = 'RESOLVED',
  AMBIGUOUS = 'AMBIGUOUS',
  UNRESOLVED = 'UNRESOLVED',
}

/**
 * The life of an email. UNCERTAIN: a sync engine claimed it for sending and its lease ran out
 * before it reported back, so it may or may not have left; it is never sent again without a person
 * (or an engine that found it in the Sent folder) deciding.
 */
export enum EmailStatus {
  RECEIVED = 'RECEIVED',
  DRAFT = 'DRAFT',
  PENDING_SEND = 'PENDING_SEND',
  SENDING = 'SENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
  UNCERTAIN = 'UNCERTAIN',
  /** The sender withdrew it before any engine sent it. */
  CANCELLED = 'CANCELLED',
}

/** What users other than a mailbox's owner see of email tracked from it. */
export enum PrivacyLevel {
  FULL = 'FULL',
  SUBJECT_ONLY = 'SUBJECT_ONLY',
  METADATA_ONLY = 'METADATA_ONLY',
}

/** Most open first: an email seen in several mailboxes is as visible as its most open one. */
export const PRIVACY_RANK: Record<PrivacyLevel, number> = {
  [PrivacyLevel.FULL]: 2,
  [PrivacyLevel.SUBJECT_ONLY]: 1,
  [PrivacyLevel.METADATA_ONLY]: 0,
};

export enum CorrelationMethod {
  IN_REPLY_TO = 'IN_REPLY_TO',
  TRACKING_TOKEN = 'TRACKING_TOKEN',
  THREAD_INDEX = 'THREAD_INDEX',
  SMART_MATCHING = 'SMART_MATCHING',
  FOLDER_RULE = 'FOLDER_RULE',
  QUEUE_RULE = 'QUEUE_RULE',
  MANUAL = 'MANUAL',
  NONE = 'NONE',
}

export enum TaskPriority {
  LOW = 'LOW',
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
}

registerEnumType(ActivityKind, { name: 'ActivityKind' });
registerEnumType(ActivityState, { name: 'ActivityState' });
registerEnumType(Direction, { name: 'Direction' });
registerEnumType(PartyRole, { name: 'PartyRole' });
registerEnumType(PartyResolution, { name: 'PartyResolution' });
registerEnumType(EmailStatus, { name: 'EmailStatus' });
registerEnumType(PrivacyLevel, { name: 'PrivacyLevel', description: 'What users other than the mailbox owner see of emails tracked from a mailbox.' });
registerEnumType(CorrelationMethod, { name: 'CorrelationMethod', description: 'How the regarding record of an email was found.' });
registerEnumType(TaskPriority, { name: 'TaskPriority' });
