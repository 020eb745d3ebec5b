import type { MailTransport } from '../mail/mailbox-sync.types';

/** An address with the name to show beside it in the header. */
export interface MailAddress {
  readonly address: string;
  readonly name: string | null;
}

export interface OutgoingAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
}

/** Everything a sync engine needs to send one claimed email, and the lease it must quote when it reports back. */
export interface OutgoingEmail {
  readonly emailId: string;
  readonly leaseId: string;
  readonly leaseUntil: Date;
  readonly mailboxId: string;
  readonly from: MailAddress;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly bcc: readonly MailAddress[];
  readonly subject: string;
  readonly messageId: string;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly textBody: string | null;
  readonly htmlBody: string | null;
  readonly attachments: readonly OutgoingAttachment[];
  readonly attempt: number;
  /** The sender mailbox's SMTP server (and IMAP Sent folder), with its decrypted credentials. */
  readonly transport: MailTransport;
}

/** One email a claim took, with the lease it took it under. */
export interface ClaimedEmail {
  readonly id: string;
  readonly leaseId: string;
}

export const CLAIM_LIMIT = { min: 1, max: 100, default: 10 } as const;
export const LEASE_SECONDS = { min: 5, max: 3600, default: 120 } as const;
