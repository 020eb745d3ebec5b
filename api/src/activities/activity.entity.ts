import { Column, Entity, Index } from 'typeorm';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';
import { toGlobalId, type GlobalType } from '../common/global-id';
import { OwnedRecord } from '../records/owned-record';
import type { RecordKind } from '../records/record-kind';
import { ActivityKind, type ActivityState, type Direction, type PrivacyLevel } from './activity-enums';

/** The GraphQL type (and global-id type) of each activity kind. */
export const ACTIVITY_TYPE_NAME: Record<ActivityKind, GlobalType> = {
  [ActivityKind.EMAIL]: 'Email',
  [ActivityKind.APPOINTMENT]: 'Appointment',
  [ActivityKind.TASK]: 'Task',
  [ActivityKind.PHONE_CALL]: 'PhoneCall',
};

export const ACTIVITY_GLOBAL_TYPES: readonly GlobalType[] = Object.values(ACTIVITY_TYPE_NAME);

/**
 * What every email, appointment, task and phone call has in common (Dynamics' activitypointer).
 * Per-kind detail lives in its own table keyed by the activity id.
 */
@Entity('activity')
@Index(['regardingKind', 'regardingId'])
// The activity search (activity-search.service.ts) reads newest first within the caller's scope:
// organization-wide, by owner (USER depth) or by business unit, each a backward range scan.
@Index(['occurredAt', 'id'])
@Index(['ownerId', 'occurredAt', 'id'])
@Index(['businessUnitId', 'occurredAt', 'id'])
export class Activity extends OwnedRecord {
  @EnumColumn(16)
  kind: ActivityKind;

  @Column('varchar', { length: 400 })
  subject: string;

  @EnumColumn(16, { nullable: true })
  regardingKind: RecordKind | null;

  @IdColumn({ nullable: true })
  regardingId: string | null;

  @EnumColumn(16)
  state: ActivityState;

  @EnumColumn(16, { nullable: true })
  direction: Direction | null;

  /** When it happened: an email's sent or received time, an appointment's start, a task's due or creation time. */
  @DateTimeColumn()
  occurredAt: Date;

  /** Notes of a call, task or appointment (emails keep their bodies in the blob store). */
  @Column('text', { nullable: true })
  description: string | null;

  /** For people other than the owners of the mailboxes it was tracked from: the most open privacy level of those mailboxes. */
  @EnumColumn(16)
  visibility: PrivacyLevel;

  get globalId(): string {
    return toGlobalId(ACTIVITY_TYPE_NAME[this.kind], this.id);
  }
}
