import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';

/**
 * A Task activity paired with a task in one mailbox's Exchange Tasks folder: the task's ItemId and the fingerprint
 * (task-shape.ts) both sides had when they last agreed. A side whose fingerprint differs from it has changed.
 */
@Entity('exchange_task_link')
@Index(['mailboxId', 'itemId'])
export class ExchangeTaskLink {
  @PrimaryColumn('varchar', { length: 36 })
  mailboxId: string;

  @PrimaryColumn('varchar', { length: 36 })
  activityId: string;

  /** Null while the task is to be made again in Exchange (deleted there after a change in the CRM). */
  @Column('varchar', { length: 512, nullable: true })
  itemId: string | null;

  @Column('varchar', { length: 64 })
  fingerprint: string;

  /** The Exchange task's ChangeKey when the hub last read or wrote it: a write over a newer version is held back. */
  @Column('varchar', { length: 512, nullable: true })
  changeKey: string | null;

  @DateTimeColumn()
  updatedAt: Date;
}
