import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';

/**
 * One committed change, in commit order: the outbox the realtime layer reads. Its id is the event's
 * cursor; ids become visible in increasing order (live-event-log.ts), so "everything after cursor N"
 * is one range read and a client that resumes from N misses nothing.
 */
@Entity('live_event')
export class LiveEvent {
  /** Taken from live_event_sequence.lastId under its row lock, not auto-incremented: see live-event-log.ts. */
  @PrimaryColumn('bigint')
  id: string;

  /** ACTIVITY, MAILBOX or CONTACT (a contact changed, for the sync engine's writes to Exchange). */
  @EnumColumn(16)
  topic: string;

  /** ACTIVITY: TRACKED, CREATED, UPDATED, REMOVED. MAILBOX: STATE, CONFIGURATION, TEST, ALERT, PROGRESS. */
  @EnumColumn(16)
  change: string;

  @IdColumn({ nullable: true })
  activityId: string | null;

  @EnumColumn(16, { nullable: true })
  activityKind: string | null;

  @IdColumn({ nullable: true })
  mailboxId: string | null;

  /** The activity's or mailbox's owner and unit when the change committed: what access is checked against once the row is gone. */
  @IdColumn({ nullable: true })
  ownerId: string | null;

  @IdColumn({ nullable: true })
  businessUnitId: string | null;

  /** JSON: the records ("kind:id") whose timelines show the activity after the change. */
  @Column('text')
  records: string;

  /** JSON: the records whose timelines showed it before the change and no longer do. */
  @Column('text')
  formerRecords: string;

  /** JSON: [parent, child] pairs, a record whose timeline rolls up one of the above with includeRelated (a contact's account, an opportunity's customer…). */
  @Column('text')
  rollups: string;

  @DateTimeColumn()
  createdAt: Date;
}

/** The single row every writer of live events updates (and so locks until commit), so events become visible in id order. */
@Entity('live_event_sequence')
export class LiveEventSequence {
  @PrimaryColumn('int')
  id: number;

  /** The last id given to an event. */
  @Column('bigint', { default: 0 })
  lastId: string;

  /** Events up to this id were pruned: a cursor before it can no longer be replayed. */
  @Column('bigint', { default: 0 })
  prunedThrough: string;
}
