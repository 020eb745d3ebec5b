import type { CalendarInput } from '../mime/track-email-item.js';
import type { SeriesInput } from './ews/ews-calendar-series.js';
import type { CalendarWriteRequest, CalendarWriteResult } from './ews/ews-calendar.js';
import type { TaskBatch, TaskWriteRequest, TaskWriteResult } from './ews/ews-tasks.js';
import type { ContactBatch, ContactWriteRequest, ContactWriteResult } from './ews/ews-contacts.js';
import type { MailErrorCode } from './mail-error.js';
import type { SpooledMessage } from './spooled-message.js';

/** Where and how to connect: one channel (incoming or outgoing) of an email server profile. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly tls: 'NONE' | 'STARTTLS' | 'IMPLICIT';
  /** Accept certificates that do not verify (self-signed test servers). */
  readonly allowInvalidCertificates: boolean;
}

export type Credentials =
  | { readonly method: 'PASSWORD'; readonly username: string; readonly password: string }
  | { readonly method: 'OAUTH_BEARER'; readonly username: string; readonly accessToken: string };

/** One folder the server lists (the hub's folder picker), with the id that survives a rename where the server has one. */
export interface ServerFolder {
  readonly path: string;
  /** Exchange's FolderId; null for IMAP, whose names are its only handle. */
  readonly folderId: string | null;
  /** Below the Inbox: Exchange folder tracking takes only those, as Dynamics does. */
  readonly underInbox: boolean;
}

/** Why a folder is read: its messages' direction and folder rule follow from it. */
export type FolderRole = 'INBOX' | 'SENT' | 'TRACKED';

/** One message as stored on the server. */
export interface RawMessage {
  /** Where it sits: "imap:<folder>:<uidvalidity>:<uid>" or "pop3:<uidl>"; stable until the server renumbers. */
  readonly sourceRef: string;
  readonly folder: string;
  readonly role: FolderRole;
  /** IMAP INTERNALDATE; null for POP3. */
  readonly receivedAt: Date | null;
  readonly size: number;
  /**
   * The RFC 5322 bytes as the server holds them (POP3: dot-unstuffed); a large message is spooled to a file
   * instead of held in memory, and whoever prepares it disposes of the file.
   */
  readonly source: Buffer | SpooledMessage;
}

/** Messages fetched together and the cursor that covers them: commit both, or neither. */
export interface FetchedBatch {
  readonly messages: readonly RawMessage[];
  /** Opaque to everyone but the adapter; serialized with `JSON.stringify`. */
  readonly cursor: string;
}

/** One message the server holds, as the reconciler compares it with what the hub decided. */
export interface InventoryItem {
  readonly sourceRef: string;
  readonly folder: string;
  readonly role: FolderRole;
  /** The Message-ID header without angle brackets; null when the message has none. */
  readonly messageId: string | null;
}

export interface FetchOptions {
  /** At most this many messages per batch. */
  readonly batchSize: number;
  /** And at most about this many bytes per batch (a single larger message still comes alone). */
  readonly maxBatchBytes: number;
  /** Mail received before this is skipped ("process email from"). */
  readonly notBefore: Date | null;
  /** An administrator's "resync from": read again everything received since, whatever the cursor says. */
  readonly resyncFrom: Date | null;
}

/**
 * One mailbox on one server (IMAP or POP3). The adapter owns its connection; every method throws
 * MailError. Nothing is ever swallowed into an empty result: "no new mail" must mean exactly that.
 */
export interface MailSource {
  /** Connects and logs in. */
  open(signal?: AbortSignal): Promise<void>;
  /** The folders the server listed when open() ran (IMAP: selectable ones, at most 1,000); null: the protocol has no folders (POP3). */
  readonly serverFolders: readonly ServerFolder[] | null;
  /**
   * New messages after `cursor` (null: first sync), oldest first, in batches. Each batch carries the cursor to
   * commit with it. A folder whose UIDVALIDITY changed is read again from the start (the hub drops duplicates).
   */
  fetchNew(cursor: string | null, options: FetchOptions, signal?: AbortSignal): AsyncIterable<FetchedBatch>;
  /** Every message received since `notBefore`, without bodies, for the reconciler. */
  inventory(notBefore: Date | null, signal?: AbortSignal): AsyncIterable<readonly InventoryItem[]>;
  /** The messages at these references (from `inventory`); a reference that vanished meanwhile is skipped. */
  fetchRefs(refs: readonly string[], signal?: AbortSignal): AsyncIterable<RawMessage>;
  /** Removes these messages from the server (forward mailbox copies after processing). */
  remove(refs: readonly string[]): Promise<void>;
  /**
   * Resolves 'changed' as soon as new mail may have arrived (IMAP IDLE, RFC 2177), or 'timeout' after `maxMs`;
   * sources without push simply wait. Resolves 'timeout' early when `signal` aborts.
   */
  waitForChange(maxMs: number, signal?: AbortSignal): Promise<'changed' | 'timeout'>;
  close(): Promise<void>;
}

/** What the IMAP source adds for outgoing mail: a copy in Sent, and a lookup for UNCERTAIN emails. */
export interface SentFolder {
  appendSent(raw: Buffer, signal?: AbortSignal): Promise<void>;
  /** Whether a message with this Message-ID (no brackets) is in the Sent folder. */
  hasSent(messageId: string, signal?: AbortSignal): Promise<boolean>;
}

/** A channel check for Test & Enable: success, or the code and a sentence a person can act on. */
export type ChannelCheck = { readonly ok: true; readonly detail: string; /** IMAP: the folders the server listed (MailSource.serverFolders). */ readonly folders?: readonly ServerFolder[] } | { readonly ok: false; readonly code: MailErrorCode; readonly reason: string };

/** Appointments from a mailbox's calendar (Exchange), in batches, each with the mailbox cursor to commit with it. */
export interface CalendarSource {
  read(cursor: string | null, signal?: AbortSignal): AsyncIterable<{ readonly events: readonly CalendarInput[]; readonly series?: readonly SeriesInput[]; readonly deletedItemIds: readonly string[]; readonly skipped: number; readonly cursor: string }>;
  /** Writes appointments made or changed in the CRM to the calendar; one changed there since the hub read it is left out (not written). */
  write(writes: readonly CalendarWriteRequest[], signal?: AbortSignal): Promise<CalendarWriteResult[]>;
}

/** Tasks from a mailbox's Tasks folder (Exchange), in batches, each with the mailbox cursor to commit with it. */
export interface TaskSource {
  read(cursor: string | null, signal?: AbortSignal): AsyncIterable<TaskBatch>;
  /** Writes tasks made, changed or cancelled in the CRM to the Tasks folder. */
  write(writes: readonly TaskWriteRequest[], signal?: AbortSignal): Promise<TaskWriteResult[]>;
}

/** Contacts from a mailbox's Contacts folder (Exchange), in batches, each with the mailbox cursor to commit with it. */
export interface ContactSource {
  read(cursor: string | null, signal?: AbortSignal): AsyncIterable<ContactBatch>;
  /** Writes the CRM's contacts to the Contacts folder, or releases them there. */
  write(writes: readonly ContactWriteRequest[], signal?: AbortSignal): Promise<ContactWriteResult[]>;
}
