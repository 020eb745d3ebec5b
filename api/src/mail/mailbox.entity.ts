import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { PrivacyLevel } from '../activities/activity-enums';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';
import { ActMethod, AutoCreateRecords, ChannelTestStatus, EmailApproval, IncomingMethod, MailboxOwnerKind, MailboxState, OutgoingMethod, TrackingFilter } from './mail-enums';

/** The mail account of one user or queue, as Dynamics' mailbox record: what to track, how to connect, and the sync state. */
@ObjectType({ implements: Node })
@Entity('mailbox')
export class Mailbox {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Mailbox', this.id);
  }

  @Field(() => MailboxOwnerKind)
  @EnumColumn(8)
  ownerKind: MailboxOwnerKind;

  /** The user for a user mailbox; the queue's owner for a queue mailbox (who counts as "the mailbox owner" for privacy). */
  @Index()
  @IdColumn()
  ownerUserId: string;

  @Index({ unique: true })
  @IdColumn({ nullable: true })
  queueId: string | null;

  @Field()
  @Index()
  @Column('varchar', { length: 320 })
  address: string;

  @Field(() => TrackingFilter)
  @EnumColumn(32, { default: TrackingFilter.RESPONSES_TO_CRM_EMAIL })
  trackingFilter: TrackingFilter;

  @Field(() => PrivacyLevel)
  @EnumColumn(16, { default: PrivacyLevel.FULL })
  privacyLevel: PrivacyLevel;

  /** Dynamics' personal option: create a contact or lead for a sender no record matches. */
  @Field(() => AutoCreateRecords)
  @EnumColumn(8, { default: AutoCreateRecords.NONE })
  autoCreateRecords: AutoCreateRecords;

  /** Opaque to the api: the sync engine's position, committed with the batch that reached it. */
  @Field(() => String, { nullable: true, description: 'The sync engine\'s position in the mailbox, committed with the batch that reached it.' })
  @Column('text', { nullable: true })
  syncCursor: string | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  lastBatchAt: Date | null;

  // --- Configuration (administrators; Dynamics' mailbox form) ---

  @IdColumn({ nullable: true })
  profileId: string | null;

  @Field(() => IncomingMethod)
  @EnumColumn(24, { default: IncomingMethod.NONE })
  incomingMethod: IncomingMethod;

  @Field(() => OutgoingMethod)
  @EnumColumn(24, { default: OutgoingMethod.NONE })
  outgoingMethod: OutgoingMethod;

  @Field(() => ActMethod, { name: 'appointmentsContactsTasksMethod' })
  @EnumColumn(24, { default: ActMethod.NONE })
  actMethod: ActMethod;

  @Field(() => EmailApproval)
  @EnumColumn(24, { default: EmailApproval.PENDING_APPROVAL })
  approval: EmailApproval;

  /** The organization's forward (sink) mailbox: receives copies forwarded from mailboxes whose incoming method is FORWARD_MAILBOX. */
  @Field()
  @Column('boolean', { default: false })
  isForwardMailbox: boolean;

  /** For a forward mailbox: delete each forwarded copy from the server once it is processed. */
  @Field()
  @Column('boolean', { default: false })
  deleteForwardedCopies: boolean;

  /** Overrides the profile's "process email from" for this mailbox. */
  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  processEmailFrom: Date | null;

  @Column('varchar', { length: 320, nullable: true })
  credentialUsername: string | null;

  /** Encrypted (credential-cipher.ts); write-only in the API. */
  @Column('text', { nullable: true })
  credentialSecret: string | null;

  // --- Test & Enable ---

  @EnumColumn(16, { default: ChannelTestStatus.NOT_RUN })
  incomingTestStatus: ChannelTestStatus;

  @Column('varchar', { length: 48, nullable: true })
  incomingTestCode: string | null;

  @Column('varchar', { length: 1000, nullable: true })
  incomingTestReason: string | null;

  @EnumColumn(16, { default: ChannelTestStatus.NOT_RUN })
  outgoingTestStatus: ChannelTestStatus;

  @Column('varchar', { length: 48, nullable: true })
  outgoingTestCode: string | null;

  @Column('varchar', { length: 1000, nullable: true })
  outgoingTestReason: string | null;

  /** Appointments, contacts and tasks (Exchange profiles with that method SERVER_SIDE_SYNC). */
  @EnumColumn(16, { default: ChannelTestStatus.NOT_RUN })
  actTestStatus: ChannelTestStatus;

  @Column('varchar', { length: 48, nullable: true })
  actTestCode: string | null;

  @Column('varchar', { length: 1000, nullable: true })
  actTestReason: string | null;

  @DateTimeColumn({ nullable: true })
  testedAt: Date | null;

  /** Set by Test & Enable; a sync engine claims the test and clears it with its result. */
  @DateTimeColumn({ nullable: true })
  testRequestedAt: Date | null;

  // --- Sync state (written by the api on the sync engine's reports) ---

  /** The mailbox's own sync state; GraphQL shows the true state (forwarded-state.ts: a FORWARD_MAILBOX mailbox's is the forward mailbox's). */
  @EnumColumn(24, { default: MailboxState.NOT_ENABLED })
  state: MailboxState;

  @Column('varchar', { length: 1000, nullable: true })
  stateReason: string | null;

  /** An administrator's "resync from": re-read mail received since then (duplicates are recognized). */
  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  resyncFrom: Date | null;

  @Index()
  @DateTimeColumn({ nullable: true })
  nextSyncAt: Date | null;

  @Column('varchar', { length: 36, nullable: true })
  leaseId: string | null;

  /** Which engine holds the lease (its ENGINE_ID), for the dashboard and logs. */
  @Column('varchar', { length: 100, nullable: true })
  leaseOwner: string | null;

  @DateTimeColumn({ nullable: true })
  leaseUntil: Date | null;

  // --- The watch lease (mailbox-watch.service.ts): one engine holds the mailbox's IMAP IDLE or EWS notifications, apart from the work lease ---

  @Index()
  @Column('varchar', { length: 36, nullable: true })
  watchLeaseId: string | null;

  /** Which engine watches the mailbox (its ENGINE_ID). */
  @Column('varchar', { length: 100, nullable: true })
  watchEngineId: string | null;

  @DateTimeColumn({ nullable: true })
  watchLeaseUntil: Date | null;

  /** When the watching engine last saw new mail; cleared by the next work claim, so a change during a sync is not lost. */
  @DateTimeColumn({ nullable: true })
  watchChangedAt: Date | null;

  @Field(() => Int, { description: 'Transient failures in a row; reset by a successful sync.' })
  @Column('int', { default: 0 })
  failureCount: number;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  lastSyncAt: Date | null;

  @Field(() => Int, { description: 'Items the last sync processed.' })
  @Column('int', { default: 0 })
  lastSyncItems: number;

  @Column('int', { default: 0 })
  consecutiveEmptyPolls: number;

  // --- Completeness (the reconciler) ---

  @Column('int', { nullable: true })
  coverageServerCount: number | null;

  @Column('int', { nullable: true })
  coverageDecidedCount: number | null;

  @DateTimeColumn({ nullable: true })
  coverageCheckedAt: Date | null;

  // --- The owner's time zone, as the mail server keeps it ---

  @Field(() => String, {
    nullable: true,
    description: 'The IANA time zone the mailbox keeps in Exchange (its working hours, else its Outlook on the web options), as the sync engine last read it; all-day appointments and task days are written to the server in it. Null: not known (not Exchange, or not read yet); then UTC.',
  })
  @Column('varchar', { length: 64, nullable: true })
  timeZone: string | null;

  // --- The server's folders (mailbox_server_folder; shown to the owner and administrators only) ---

  /** When the sync engine last reported the server's folder list; null: never (POP3, or not synced yet). */
  @DateTimeColumn({ nullable: true })
  serverFoldersReadAt: Date | null;

  @Field()
  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
