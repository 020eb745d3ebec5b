import { EventEmitter } from 'node:events';
import type { TimelineTarget } from './timeline-entries';

/** Published after commit, never before: a subscriber may read the activity at once. */
export type ActivityEvent = {
  readonly type: 'ACTIVITY_TRACKED';
  readonly activityId: string;
  readonly mailboxId: string;
  /** The records whose timelines now show it. */
  readonly records: readonly Pick<TimelineTarget, 'recordKind' | 'recordId'>[];
};

/** In-process publication of activity events; the realtime layer (graphql-ws, Redis) subscribes here. */
export class ActivityEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(event: ActivityEvent): void {
    this.emitter.emit('event', event);
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: (event: ActivityEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
