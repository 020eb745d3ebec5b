import { EventEmitter } from 'node:events';
import type { DataSource, EntityManager } from 'typeorm';
import type { ActivityChange, LiveEventLog } from '../live/live-event-log';
import type { TimelineTarget } from './timeline-entries';
import { TimelineEntry } from './timeline-entry.entity';

/**
 * Published after commit, never before: a subscriber may read the activity at once. TRACKED: the
 * sync engine delivered it; CREATED: a user made it (a call, a task, an email to send); UPDATED:
 * its regarding record, state or send status changed.
 */
export type ActivityEvent = {
  readonly type: 'ACTIVITY_TRACKED' | 'ACTIVITY_CREATED' | 'ACTIVITY_UPDATED';
  readonly activityId: string;
  readonly mailboxId: string | null;
  /** The records whose timelines now show it. */
  readonly records: readonly Pick<TimelineTarget, 'recordKind' | 'recordId'>[];
};

/**
 * Activity changes. `stage` records one in the live event outbox inside the transaction that makes it
 * (what subscriptions deliver, in commit order, across processes); `publish` is the in-process hook
 * called after commit, for code in the same process (tests observe it).
 */
export class ActivityEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  constructor(private readonly live: LiveEventLog) {}

  /** Call inside the transaction, before changing regarding or parties, so the timelines it leaves are known. */
  stage(em: EntityManager, change: ActivityChange, activityId: string): Promise<void> {
    return this.live.stage(em, { topic: 'ACTIVITY', activityId, change });
  }

  stageMany(em: EntityManager, changes: readonly { change: ActivityChange; activityId: string }[]): Promise<void> {
    return this.live.stageMany(em, changes.map(({ change, activityId }) => ({ topic: 'ACTIVITY' as const, activityId, change })));
  }

  publish(event: ActivityEvent): void {
    this.emitter.emit('event', event);
  }

  /** Publishes a change to an activity with the records whose timelines show it now (one look-up). */
  async publishChange(db: DataSource, type: 'ACTIVITY_CREATED' | 'ACTIVITY_UPDATED', activityId: string): Promise<void> {
    const records = await db.getRepository(TimelineEntry).find({ where: { activityId }, select: { recordKind: true, recordId: true } });
    this.publish({ type, activityId, mailboxId: null, records: records.map((r) => ({ recordKind: r.recordKind, recordId: r.recordId })) });
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: (event: ActivityEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
