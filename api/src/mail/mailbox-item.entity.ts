import { Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';

export enum MailboxItemOutcome {
  TRACKED = 'TRACKED',
  FILTERED = 'FILTERED',
}

/**
 * What was decided for each message of a mailbox, tracked or not: makes a replayed batch a no-op,
 * counts untracked mail per reason for the dashboard, and is what the reconciler compares with the server.
 */
@Entity('mailbox_item')
@Index(['mailboxId', 'outcome', 'reason'])
export class MailboxItem {
  @PrimaryColumn('varchar', { length: 36 })
  mailboxId: string;

  /** sha256 of the message id (the same key as email_message.messageIdHash). */
  @PrimaryColumn('varchar', { length: 64 })
  messageIdHash: string;

  @EnumColumn(16)
  outcome: MailboxItemOutcome;

  /** The filter reason code for FILTERED items. */
  @EnumColumn(48, { nullable: true })
  reason: string | null;

  @IdColumn({ nullable: true })
  activityId: string | null;

  @DateTimeColumn()
  decidedAt: Date;
}
