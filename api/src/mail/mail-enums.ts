import { registerEnumType } from 'type-graphql';
import { TrackingFilter } from '../tracking/rules/tracking-filter';

export { TrackingFilter };

export enum MailboxOwnerKind {
  USER = 'USER',
  QUEUE = 'QUEUE',
}

/** Records created for a sender no record matches (off by default, as in Dynamics). */
export enum AutoCreateRecords {
  NONE = 'NONE',
  CONTACT = 'CONTACT',
  LEAD = 'LEAD',
}

/** Dynamics' email server profile types: Exchange Server over EWS, or IMAP/POP3 with SMTP for sending. */
export enum EmailServerKind {
  IMAP_SMTP = 'IMAP_SMTP',
  POP3_SMTP = 'POP3_SMTP',
  EXCHANGE_EWS = 'EXCHANGE_EWS',
}

/** How a connection is secured: none, upgraded with STARTTLS (RFC 3207 / RFC 2595), or TLS from the first byte. */
export enum TlsMode {
  NONE = 'NONE',
  STARTTLS = 'STARTTLS',
  IMPLICIT = 'IMPLICIT',
}

/**
 * PASSWORD: LOGIN/PLAIN (IMAP, POP3, SMTP) or HTTP Basic (EWS); OAUTH_BEARER: XOAUTH2 (IMAP, SMTP) or a bearer token (EWS);
 * NTLM: Windows integrated sign-in, EWS only.
 */
export enum MailAuthMethod {
  PASSWORD = 'PASSWORD',
  OAUTH_BEARER = 'OAUTH_BEARER',
  NTLM = 'NTLM',
}

/** Dynamics' "Incoming Email" synchronization method. */
export enum IncomingMethod {
  NONE = 'NONE',
  SERVER_SIDE_SYNC = 'SERVER_SIDE_SYNC',
  /** Copies arrive in the organization's forward (sink) mailbox, forwarded by a rule in the user's mailbox. */
  FORWARD_MAILBOX = 'FORWARD_MAILBOX',
}

/** Dynamics' "Outgoing Email" synchronization method. */
export enum OutgoingMethod {
  NONE = 'NONE',
  SERVER_SIDE_SYNC = 'SERVER_SIDE_SYNC',
}

/** Dynamics' "Appointments, Contacts, and Tasks" method: Exchange profiles only. */
export enum ActMethod {
  NONE = 'NONE',
  SERVER_SIDE_SYNC = 'SERVER_SIDE_SYNC',
}

/** Dynamics' email address approval status for users and queues. */
export enum EmailApproval {
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
}

/** Result of one Test & Enable channel (Dynamics: not run, success, failure, warning). */
export enum ChannelTestStatus {
  NOT_RUN = 'NOT_RUN',
  PENDING = 'PENDING',
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
  WARNING = 'WARNING',
}

/** Whether the sync engine works on a mailbox, and if not, why. */
export enum MailboxState {
  /** Never enabled: configure it, then Test & Enable. */
  NOT_ENABLED = 'NOT_ENABLED',
  ENABLED = 'ENABLED',
  /** Transient failures: retried with exponential back-off until it recovers. */
  BACKING_OFF = 'BACKING_OFF',
  /** The server refused the credentials: stopped until they change. */
  DISABLED_AUTH = 'DISABLED_AUTH',
  DISABLED_BY_ADMIN = 'DISABLED_BY_ADMIN',
}

export enum AlertSeverity {
  ERROR = 'ERROR',
  WARNING = 'WARNING',
  INFORMATION = 'INFORMATION',
}

registerEnumType(TrackingFilter, {
  name: 'TrackingFilter',
  description: 'Which email a mailbox tracks (Dynamics\' personal option "Track"); RESPONSES_TO_CRM_EMAIL is the default.',
});
registerEnumType(MailboxOwnerKind, { name: 'MailboxOwnerKind' });
registerEnumType(AutoCreateRecords, { name: 'AutoCreateRecords' });
registerEnumType(EmailServerKind, { name: 'EmailServerKind' });
registerEnumType(TlsMode, { name: 'TlsMode' });
registerEnumType(MailAuthMethod, { name: 'MailAuthMethod' });
registerEnumType(IncomingMethod, { name: 'IncomingMethod' });
registerEnumType(OutgoingMethod, { name: 'OutgoingMethod' });
registerEnumType(ActMethod, { name: 'AppointmentsContactsTasksMethod' });
registerEnumType(EmailApproval, { name: 'EmailApproval' });
registerEnumType(ChannelTestStatus, { name: 'ChannelTestStatus' });
registerEnumType(MailboxState, { name: 'MailboxState' });
registerEnumType(AlertSeverity, { name: 'AlertSeverity' });
