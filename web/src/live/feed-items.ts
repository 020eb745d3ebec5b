import type { Activity } from '../timeline/activity';
import type { ActivityChange, ActivityEvent } from '../timeline/activity-events';

/** How many activities the Live feed keeps; older ones drop off the end. */
export const FEED_LIMIT = 200;

/** One activity in the feed: its latest state and what last happened to it. */
export interface FeedItem {
  readonly activity: Activity;
  readonly change: ActivityChange;
  readonly at: string;
}

/**
 * The feed after one event, newest first and one entry per activity: a change moves the activity to the top with its
 * new state, REMOVED takes it out, and only the newest `limit` entries are kept.
 */
export function feedAfter(items: readonly FeedItem[], event: ActivityEvent, limit = FEED_LIMIT): readonly FeedItem[] {
  const others = items.filter((item) => item.activity.id !== event.activityId);
  if (event.change === 'REMOVED' || !event.activity) return others;
  return [{ activity: event.activity, change: event.change, at: event.at }, ...others].slice(0, limit);
}
