import type { ChannelCheck } from './mail-source.js';

/** The envelope and the finished RFC 5322 message to send. */
export interface OutgoingMessage {
  readonly from: string;
  /** Every recipient, Bcc included: Bcc goes in the envelope only. */
  readonly recipients: readonly string[];
  readonly raw: Buffer;
}

/** What the server answered when it accepted the message. */
export interface SendReceipt {
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  readonly response: string;
}

/** Sends over one profile's outgoing channel (SMTP today, EWS later); throws MailError ('REJECTED' for 5xx). */
export interface MailSender {
  send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendReceipt>;
  /** Connects, upgrades TLS and logs in without sending anything: Test & Enable's outgoing check. */
  check(signal?: AbortSignal): Promise<ChannelCheck>;
  close(): void;
}
