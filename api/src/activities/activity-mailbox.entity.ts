import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../common/columns';

/** A mailbox an email was seen in (one email, many mailboxes); decides privacy and who counts as its owner. */
@Entity('activity_mailbox')
@Index(['mailboxId', 'activityId'])
export class ActivityMailbox {
  @PrimaryColumn('varchar', { length: 36 })
  activityId: string;

  @PrimaryColumn('varchar', { length: 36 })
  mailboxId: string;

  @Column('varchar', { length: 255, nullable: true })
  folder: string | null;

  @DateTimeColumn()
  seenAt: Date;
}
