// Shapes the hub's GraphQL API exchanges with the engine (see schema.graphql: MailboxWork, TrackEmailsInput, OutgoingEmail).

export type TlsMode = 'NONE' | 'STARTTLS' | 'IMPLICIT';
export type ServerKind = 'IMAP_SMTP' | 'POP3_SMTP' | 'EXCHANGE_EWS';

export interface WireEndpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsMode;
  readonly allowInvalidCertificates: boolean;
}

/** How the engine reaches an Exchange server over EWS (schema.graphql EwsConnection). */
export interface EwsConnection {
  /** The EWS endpoint; null: Autodiscover from the mailbox address. */
  readonly url: string | null;
  /** The SMTP address to act as through ExchangeImpersonation; null: sign in as the mailbox itself. */
  readonly impersonateAddress: string | null;
  readonly allowInvalidCertificates: boolean;
  readonly maxConnections: number;
}

/**
 * A claim's credentials, checked on entry (wire-credentials.ts): why they are absent is part of the value
 * (schema.graphql: `credentials` with `credentialsStatus`).
 */
export type MailboxCredentials =
  | { readonly status: 'NONE' }
  | { readonly status: 'UNREADABLE' }
  | { readonly status: 'PRESENT'; readonly method: 'PASSWORD' | 'NTLM' | 'OAUTH_BEARER'; readonly username: string; readonly secret: string };

/** A mailbox claimed under a lease: SYNC it, or TEST its channels (Test & Enable). */
export interface MailboxWork {
  readonly mailboxId: string;
  readonly leaseId: string;
  readonly leaseUntil: string;
  readonly job: 'SYNC' | 'TEST';
  readonly address: string;
  readonly kind: ServerKind;
  /** The IMAP or POP3 server; null for EXCHANGE_EWS. */
  readonly incoming: WireEndpoint | null;
  /** Null when the profile has no SMTP server (always for EXCHANGE_EWS, which sends through `ews`). */
  readonly outgoing: WireEndpoint | null;
  /** The Exchange server of an EXCHANGE_EWS profile; null for the others. */
  readonly ews: EwsConnection | null;
  readonly credentials: MailboxCredentials;
  readonly incomingEnabled: boolean;
  readonly outgoingEnabled: boolean;
  /** Appointments, contacts and tasks are SERVER_SIDE_SYNC (EXCHANGE_EWS only): Test & Enable checks that channel too. */
  readonly actEnabled: boolean;
  readonly isForwardMailbox: boolean;
  readonly deleteForwardedCopies: boolean;
  readonly forwardSources: readonly { readonly mailboxId: string; readonly address: string }[];
  readonly cursor: string | null;
  readonly processEmailFrom: string | null;
  readonly resyncFrom: string | null;
  readonly sentFolder: string | null;
  readonly trackedFolders: readonly string[];
  /** The server's id of each tracked folder, in the same order, where a folder report named it (Exchange); null: by path. */
  readonly trackedFolderIds: readonly (string | null)[];
  readonly pollIntervalSeconds: number;
  /** The organization's body limit: trackEmails keeps this many KB of each body and records the cut. */
  readonly maxBodyKb: number;
  /** The organization's expansion windows (Dynamics' PastExpansionWindow and FutureExpansionWindow), in months. */
  readonly pastExpansionWindowMonths: number;
  readonly futureExpansionWindowMonths: number;
  /** The mailbox's IANA time zone as the hub has it (Exchange's, reported by an engine); null: not known, UTC. */
  readonly timeZone: string | null;
}

export type SyncOutcome = 'SUCCESS' | 'TEMPORARY_FAILURE' | 'AUTH_FAILED' | 'CONFIG_ERROR';

/** An Exchange folder synchronized besides mail. */
export type ActFolder = 'CALENDAR' | 'TASKS' | 'CONTACTS';

export interface SyncReport {
  readonly outcome: SyncOutcome;
  readonly code?: string | null;
  readonly message?: string | null;
  readonly itemsProcessed: number;
  readonly resyncCompleted?: string | null;
  readonly nextSyncInSeconds?: number | null;
  /** For a mailbox synchronizing appointments, contacts and tasks: how each of those folders fared (failure null: synchronized). */
  readonly actFolders?: readonly { readonly folder: ActFolder; readonly failure: string | null }[];
}

export interface ChannelTestResult {
  readonly status: 'NOT_RUN' | 'SUCCESS' | 'FAILURE' | 'WARNING';
  readonly code?: string | null;
  readonly reason?: string | null;
}

/** One message for trackEmails and its parts: defined with the parser that produces them (mime/track-email-item.ts). */
export type { CalendarInput as CalendarItem, MailAddress as WireAddress, TrackEmailItem as TrackItem } from './mime/track-email-item.js';
import type { MailAddress as WireAddress, TrackEmailItem as TrackItem } from './mime/track-email-item.js';

export interface QuarantineItem {
  readonly sourceRef: string;
  readonly folder: string | null;
  readonly code: string;
  readonly reason: string;
  readonly messageId?: string | null;
  readonly subject?: string | null;
  readonly fromAddress?: string | null;
  readonly size?: number | null;
}

export interface TrackBatch {
  readonly items: readonly TrackItem[];
  readonly cursor: string | null;
  readonly leaseId: string | null;
  readonly quarantine: readonly QuarantineItem[];
  /** The cursor the batch before commits: the hub writes this one only after it (sent while that one still commits). */
  readonly afterCursor?: string;
}

export interface TrackedItemResult {
  readonly index: number;
  readonly messageId: string | null;
  readonly outcome: 'TRACKED' | 'LINKED' | 'DUPLICATE' | 'FILTERED' | 'REJECTED';
  readonly activityId: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
}

export interface OutgoingEmail {
  readonly emailId: string;
  readonly leaseId: string;
  readonly leaseUntil: string;
  readonly mailboxId: string;
  readonly from: WireAddress;
  readonly to: readonly WireAddress[];
  readonly cc: readonly WireAddress[];
  readonly bcc: readonly WireAddress[];
  readonly subject: string;
  readonly messageId: string;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly textBody: string | null;
  readonly htmlBody: string | null;
  readonly attachments: readonly { readonly fileName: string; readonly contentType: string; readonly size: number; readonly sha256: string }[];
  readonly attempt: number;
  readonly transport: {
    readonly kind: ServerKind;
    /** Null for EXCHANGE_EWS, which sends through `ews`. */
    readonly smtp: WireEndpoint | null;
    readonly ews: EwsConnection | null;
    readonly imap: WireEndpoint | null;
    readonly sentFolder: string | null;
    readonly credentials: MailboxCredentials;
  };
}

/** The user the API key belongs to (for the engine: the Sync Service user). */
export interface Viewer {
  readonly id: string;
  readonly fullName: string;
  readonly roles: readonly { readonly name: string }[];
}
