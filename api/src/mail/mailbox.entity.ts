import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { PrivacyLevel } from '../activities/activity-enums';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { Node } from '../graphql/node';
import { AutoCreateRecords, MailboxOwnerKind, TrackingFilter } from './mail-enums';

/** The mail account of one user or queue, as Dynamics' mailbox record; protocol settings come with the sync engine. */
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

  @Field()
  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
