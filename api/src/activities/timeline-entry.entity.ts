import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../common/columns';
import type { RecordKind } from '../records/record-kind';

/**
 * One activity on one record's timeline: the record is the activity's regarding record, a party of
 * it, or both. Kept in step with `activity` by the code that writes activities, so a timeline page is
 * one range scan of (record, occurredAt desc, activityId desc), with no union and no filesort.
 */
@Entity('timeline_entry')
@Index(['recordKind', 'recordId', 'occurredAt', 'activityId'])
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
}
