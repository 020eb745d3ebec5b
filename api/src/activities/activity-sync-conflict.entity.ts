import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';

/**
 * A version of an activity that lost when it was changed both in the CRM and in a mailbox (Exchange) between two
 * syncs: kept so nobody's edit is silently gone (docs/two-way-sync.md, "the later change wins").
 */
@Entity('activity_sync_conflict')
@Index(['activityId', 'occurredAt'])
export class ActivitySyncConflict {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @IdColumn()
  activityId: string;

  @IdColumn()
  mailboxId: string;

  /** When the hub saw both changes. */
  @DateTimeColumn()
  occurredAt: Date;

  /** SyncConflictRule. */
  @EnumColumn(32)
  rule: string;

  /** SyncSide whose version was kept. */
  @EnumColumn(16)
  winner: string;

  @DateTimeColumn()
  crmModifiedAt: Date;

  @DateTimeColumn()
  exchangeModifiedAt: Date;

  /** The losing version as JSON (a TaskShape for tasks). */
  @Column('text')
  losingVersion: string;
}
