import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';
import type { CorrelationMethod, EmailStatus } from './activity-enums';

/** The email part of an activity: headers that correlate, bodies (in the blob store), and the send state machine. */
@Entity('email_message')
@Index(['status', 'nextAttemptAt'])
export class EmailMessage {
  @PrimaryColumn('varchar', { length: 36 })
  activityId: string;

  /** The Message-ID without angle brackets; a synthetic one (see tracking) when the message had none. */
  @Column('text')
  messageId: string;

  /** sha256 of messageId: one email per message however many mailboxes carry it. Fixed length, so one index serves both databases. */
  @Index({ unique: true })
  @Column('varchar', { length: 64 })
  messageIdHash: string;

  @Column('text', { nullable: true })
  inReplyTo: string | null;

  /** JSON array of the References message ids, oldest first. */
  @Column('text', { nullable: true })
  referenceIds: string | null;

  @Column('text', { nullable: true })
  threadIndex: string | null;

  /** The first 22 bytes of Thread-Index (base64): Outlook's conversation. */
  @Index()
  @Column('varchar', { length: 40, nullable: true })
  conversationRoot: string | null;

  @Index()
  @Column('varchar', { length: 64, nullable: true })
  trackingToken: string | null;

  /** sha256 of the subject without reply/forward prefixes, for smart matching. */
  @Index()
  @Column('varchar', { length: 64, nullable: true })
  subjectHash: string | null;

  @EnumColumn(16)
  status: EmailStatus;

  @DateTimeColumn({ nullable: true })
  sentAt: Date | null;

  @DateTimeColumn({ nullable: true })
  receivedAt: Date | null;

  @Column('varchar', { length: 320, nullable: true })
  fromAddress: string | null;

  /** Blob sha256 of the plain-text body (indexed for the sweep of unreferenced blobs). */
  @Index()
  @Column('varchar', { length: 64, nullable: true })
  textBodyBlob: string | null;

  /** Blob sha256 of the HTML body as the message carries it: never served as is, sanitized when read (email-display.ts). */
  @Index()
  @Column('varchar', { length: 64, nullable: true })
  htmlBodyBlob: string | null;

  /** The start of the text body, for lists and search. */
  @Column('varchar', { length: 300, nullable: true })
  preview: string | null;

  /** The body was longer than the organization's limit and was cut. */
  @Column('boolean', { default: false })
  bodyTruncated: boolean;

  @EnumColumn(16, { nullable: true })
  correlationMethod: CorrelationMethod | null;

  /** JSON: the tracking decision trace (filter outcome, parties, correlation and evidence). */
  @Column('text', { nullable: true })
  trackingDecision: string | null;

  /** What tracking had to repair in a malformed message, JSON array of {code, detail}. */
  @Column('text', { nullable: true })
  salvage: string | null;

  // --- outgoing ---

  /** The mailbox an outgoing email is sent from. */
  @IdColumn({ nullable: true })
  senderMailboxId: string | null;

  /** The claim of the sync engine that is sending it; a report must quote it. */
  @IdColumn({ nullable: true })
  sendLeaseId: string | null;

  @DateTimeColumn({ nullable: true })
  sendLeaseUntil: Date | null;

  @Column('int', { default: 0 })
  sendAttempts: number;

  /** A PENDING_SEND email is not claimed before this time (retry back-off). */
  @DateTimeColumn({ nullable: true })
  nextAttemptAt: Date | null;

  @Column('text', { nullable: true })
  failureReason: string | null;
}
