import type { MailboxWork, OutgoingEmail } from '../hub-types.js';
import type { OpenPush } from './mailbox-watcher.js';
import type { MailSender } from '../mail/mail-sender.js';
import type { CalendarSource, ChannelCheck, ContactSource, MailSource, SentFolder, TaskSource } from '../mail/mail-source.js';

/**
 * How the engine reaches mail servers: the real adapters in production (mail-connectors.ts),
 * fakes in unit tests. One object so the sync loop never imports a protocol library.
 */
export interface MailConnectors {
  /** The mailbox's incoming source (IMAP, POP3 or Exchange over EWS), not yet opened. */
  incoming(work: MailboxWork): MailSource;
  /** Test & Enable's incoming check: log in and open every folder the mailbox reads. */
  checkIncoming(work: MailboxWork, signal?: AbortSignal): Promise<ChannelCheck>;
  /** The pooled sender for a profile's outgoing server and these credentials; `mailbox` is the sending mailbox's address (EWS Autodiscover). */
  sender(transport: OutgoingEmail['transport'], mailbox: string): MailSender;
  /** Test & Enable's outgoing check. */
  checkOutgoing(work: MailboxWork, signal?: AbortSignal): Promise<ChannelCheck>;
  /** The mailbox's calendar when it synchronizes appointments with Exchange; null otherwise. */
  calendar(work: MailboxWork): CalendarSource | null;
  /** The mailbox's Tasks folder when it synchronizes tasks with Exchange; null otherwise. */
  tasks(work: MailboxWork): TaskSource | null;
  /** The mailbox's Contacts folder when it synchronizes contacts with Exchange; null otherwise. */
  contacts(work: MailboxWork): ContactSource | null;
  /**
   * Reads the time zone the mailbox keeps on its server (EXCHANGE_EWS with appointments, contacts and tasks synced);
   * absent or null where there is none to read. `zone` (IANA) is null when the mailbox holds none, with `problem` saying why.
   */
  timeZone?(work: MailboxWork): { read(signal?: AbortSignal): Promise<{ zone: string | null; problem: string | null }> } | null;
  /** Test & Enable's appointments, contacts and tasks check (EXCHANGE_EWS): Calendar, Contacts and Tasks open. */
  checkAct(work: MailboxWork, signal?: AbortSignal): Promise<ChannelCheck>;
  /**
   * An IMAP connection to the Sent folder of the sender's mailbox, for the copy of what was sent; null for POP3
   * profiles and for Exchange, which files the copy itself (SendAndSaveCopy).
   */
  sentFolder(transport: OutgoingEmail['transport']): (MailSource & SentFolder) | null;
  /** The push connection of a watched mailbox (IMAP IDLE on INBOX, EWS notifications; mailbox-watcher.ts); absent where none is built. */
  push?: OpenPush;
  /**
   * Drops what the connectors keep of a mailbox between syncs (Exchange's resolved folders): it is served by
   * another engine now, or its settings or credentials changed. Absent where nothing is kept.
   */
  forget?(mailboxId: string): void;
  /** Closes pooled connections (shutdown). */
  closeAll(): Promise<void>;
}
