import type { EntityManager } from 'typeorm';
import type { ActivityChange, LiveEventLog } from '../live/live-event-log';
import type { LiveTail } from '../live/live-tail';

/**
 * A committed activity change as this process reads it back from the live event log. TRACKED: the sync
 * engine delivered it; CREATED: a user made it (a call, a task, an email to send); UPDATED: its regarding
 * record, state or send status changed.
 */
export type ActivityEvent = {
  readonly type: 'ACTIVITY_TRACKED' | 'ACTIVITY_CREATED' | 'ACTIVITY_UPDATED';
  readonly activityId: string;
  /** The records whose timelines show it after the change. */
  readonly records: readonly { readonly recordKind: string; readonly recordId: string }[];
};

/**
 * Activity changes have one way in: `stage`, inside the transaction that makes them, into the live event
 * outbox (what subscriptions deliver, in commit order, across processes). `subscribe` is the in-process
 * view of the same log after commit, for code and tests in this process; no second look-up.
 */
export class ActivityEvents {
  constructor(
    /** The outbox itself, for the mailbox changes and alert lines a writer stages beside its activities. */
    readonly log: LiveEventLog,
    private readonly tail: LiveTail,
  ) {}

  /** Call inside the transaction, before changing regarding or parties, so the timelines it leaves are known. */
  stage(em: EntityManager, change: ActivityChange, activityId: string): Promise<void> {
    return this.log.stage(em, { topic: 'ACTIVITY', activityId, change });
  }

  stageMany(em: EntityManager, changes: readonly { change: ActivityChange; activityId: string }[]): Promise<void> {
    return this.log.stageMany(em, changes.map(({ change, activityId }) => ({ topic: 'ACTIVITY' as const, activityId, change })));
  }

  /** Committed TRACKED, CREATED and UPDATED changes, in commit order; returns the unsubscribe function. */
  subscribe(listener: (event: ActivityEvent) => void): () => void {
    return this.tail.listen((e) => {
      if (e.topic !== 'ACTIVITY' || !e.activityId || e.change === 'REMOVED') return;
      const records = (JSON.parse(e.records) as string[]).map((key) => {
        const [recordKind, recordId] = key.split(':');
        return { recordKind, recordId };
      });
      listener({ type: `ACTIVITY_${e.change as 'TRACKED' | 'CREATED' | 'UPDATED'}`, activityId: e.activityId, records });
    });
  }
}
