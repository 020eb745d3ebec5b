import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EnumColumn } from '../common/columns';
import type { RecordKind } from '../records/record-kind';
import type { ActivityKind, ActivityState, Direction, PrivacyLevel } from './activity-enums';

/**
 * One activity on one record's timeline: the record is the activity's regarding record, a party of
 * it, or both. Its primary key is the page order, (record, occurredAt, activityId), so the rows of a
 * timeline page lie side by side and a page is one range scan of the table itself, with no union and
 * no filesort. Each entry carries copies of what a page of activities usually shows and what the
 * caller's read scope tests (LEAN_ACTIVITY_COLUMNS), so such a page never reads the activity table.
 * The copies are kept in step with `activity` by the only code that writes activities
 * (ActivityWriter, changeActivities), in the same transaction.
 */
@Entity('timeline_entry')
@Index(['activityId'])
export class TimelineEntry {
  @PrimaryColumn('varchar', { length: 16 })
  recordKind: RecordKind;

  @PrimaryColumn('varchar', { length: 36 })
  recordId: string;

  /** A copy of the activity's occurredAt: the sort key. */
  @PrimaryColumn({ type: 'datetime', precision: 3 })
  occurredAt: Date;

  @PrimaryColumn('varchar', { length: 36 })
  activityId: string;

  @Column('boolean')
  viaRegarding: boolean;

  @Column('boolean')
  viaParty: boolean;

  /** Copies of the activity's ownerId and businessUnitId: the read scope is applied to the entries themselves. */
  @Column('varchar', { length: 36 })
  ownerId: string;

  @Column('varchar', { length: 36 })
  businessUnitId: string;

  /** Copies of the activity's columns a lean page shows (see ENTRY_COPIES). */
  @EnumColumn(16)
  kind: ActivityKind;

  @Column('varchar', { length: 400 })
  subject: string;

  @EnumColumn(16)
  state: ActivityState;

  @EnumColumn(16, { nullable: true })
  direction: Direction | null;

  @EnumColumn(16)
  visibility: PrivacyLevel;
}
