import { Entity, Index } from 'typeorm';
import { IdColumn } from '../common/columns';
import { SyncConflictColumns } from '../tracking/sync-conflict-columns';

/**
 * A version of an activity that lost when it was changed both in the CRM and in a mailbox (Exchange) between two
 * syncs: kept so nobody's edit is silently gone (docs/two-way-sync.md, "the later change wins"). The loser is a
 * TaskShape or an appointment's shape.
 */
@Entity('activity_sync_conflict')
@Index(['activityId', 'occurredAt'])
export class ActivitySyncConflict extends SyncConflictColumns {
  @IdColumn()
  activityId: string;
}
