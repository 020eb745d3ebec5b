import type { MailboxWork, OutgoingEmail } from '../hub-types.js';
import type { MailSender } from '../mail/mail-sender.js';
import type { ChannelCheck, MailSource, SentFolder } from '../mail/mail-source.js';

/**
 * How the engine reaches mail servers: the real adapters in production (mail-connectors.ts),
 * fakes in unit tests. One object so the sync loop never imports a protocol library.
 */
export interface MailConnectors {
  /** The mailbox's incoming source (IMAP or POP3), not yet opened. */
  incoming(work: MailboxWork): MailSource;
  /** Test & Enable's incoming check: log in and open every folder the mailbox reads. */
  checkIncoming(work: MailboxWork, signal?: AbortSignal): Promise<ChannelCheck>;
  /** The pooled sender for a profile's outgoing server and these credentials. */
  sender(transport: OutgoingEmail['transport']): MailSender;
  /** Test & Enable's outgoing check. */
  checkOutgoing(work: MailboxWork, signal?: AbortSignal): Promise<ChannelCheck>;
  /** An IMAP connection to the Sent folder of the sender's mailbox, for the copy of what was sent; null for POP3 profiles. */
  sentFolder(transport: OutgoingEmail['transport']): (MailSource & SentFolder) | null;
  /** Closes pooled connections (shutdown). */
  closeAll(): Promise<void>;
}
