import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../common/columns';
import type { RecordKind } from '../records/record-kind';

/**
 * One activity on one record's timeline: the record is the activity's regarding record, a party of
 * it, or both. Kept in step with `activity` by the code that writes activities (ActivityWriter), so a
 * timeline page is one range scan of (record, occurredAt desc, activityId desc), with no union and no
 * filesort. The index also carries the activity's owner and business unit, so a caller's read scope
 * is applied to index entries before any activity row is read.
 */
@Entity('timeline_entry')
@Index(['recordKind', 'recordId', 'occurredAt', 'activityId', 'businessUnitId', 'ownerId'])
@Index(['activityId'])
export class TimelineEntry {
  @PrimaryColumn('varchar', { length: 16 })
  recordKind: RecordKind;

  @PrimaryColumn('varchar', { length: 36 })
  recordId: string;

  @PrimaryColumn('varchar', { length: 36 })
  activityId: string;

  /** A copy of the activity's occurredAt: the sort key. */
  @DateTimeColumn()
  occurredAt: Date;

  @Column('boolean')
  viaRegarding: boolean;

  @Column('boolean')
  viaParty: boolean;

  /**
   * Copies of the activity's ownerId and businessUnitId, for the read scope in the index. An activity's owner
   * is set when it is written and never changed (no mutation reassigns activities): a feature that does must
   * rewrite these too (ActivityWriter.rebuildTimeline does). The page still checks the activity's own columns.
   */
  @Column('varchar', { length: 36 })
  ownerId: string;

  @Column('varchar', { length: 36 })
  businessUnitId: string;
}
