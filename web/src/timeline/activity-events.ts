// Live timeline events (schema.graphql: ActivityEvent) and how one changes a list of activities shown in timeline order.

import { ACTIVITY_FRAGMENT, type Activity, type ActivityKind, type Direction } from './activity';
import { graphql } from '../graphql/graphql-tag';
import type { SubscriptionEvent } from '../live/live-subscription';

export type { ActivityChange } from '../graphql/operations.generated';

/**
 * A change to an activity (schema.graphql: ActivityEvent). REMOVED: deleted, or no longer on this record's timeline
 * (or no longer visible to the viewer), with `activity` null. The live feed's myFeed events have the same fields.
 */
export type ActivityEvent = SubscriptionEvent<'ActivityChanged', 'activityChanged'>;

const EVENT_FIELDS = 'cursor change activityId kind at activity { ...ActivityFields }';

export const ACTIVITY_CHANGED_SUBSCRIPTION = graphql('ActivityChanged')`
  subscription ActivityChanged($recordId: ID!, $includeRelated: Boolean!, $kinds: [ActivityKind!], $after: String) {
    activityChanged(recordId: $recordId, includeRelated: $includeRelated, kinds: $kinds, after: $after) { ${EVENT_FIELDS} }
  }
  ${ACTIVITY_FRAGMENT}
`;

export const MY_FEED_SUBSCRIPTION = graphql('MyFeed')`
  subscription MyFeed($kinds: [ActivityKind!], $after: String) {
    myFeed(kinds: $kinds, after: $after) { ${EVENT_FIELDS} }
  }
  ${ACTIVITY_FRAGMENT}
`;

/** The de-duplication key beside the cursor: one change of one activity at one instant is shown once. */
export const eventIdentity = (event: ActivityEvent): string => `${event.activityId}|${event.change}|${event.at}`;

/** The filters a live item must pass to be shown (the timeline's, minus includeRelated, which the server applies). */
export interface ActivityMatch {
  readonly kinds: readonly ActivityKind[];
  readonly direction: Direction | null;
  readonly search: string;
}

/** Lower case without accents, as the API's search compares (api/src/activities/timeline.inputs.ts). */
const folded = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/** Whether the timeline query with these filters would list the activity. */
export function matchesFilters(activity: Activity, filters: ActivityMatch): boolean {
  if (filters.kinds.length > 0 && !filters.kinds.includes(activity.kind)) return false;
  if (filters.direction && activity.direction !== filters.direction) return false;
  const search = filters.search.trim();
  // A subject hidden from the viewer never matches a search, as in the API.
  if (search && (activity.subject === null || !folded(activity.subject).includes(folded(search)))) return false;
  return true;
}

/** Timeline order: newest first; the same instant by id, descending (api/src/activities/timeline.service.ts). */
export function timelineOrder(a: Activity, b: Activity): number {
  const byTime = Date.parse(b.occurredAt) - Date.parse(a.occurredAt);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** What a live event does to the rows shown. */
export interface TimelineChange {
  readonly rows: readonly Activity[];
  /** How totalCount moves. */
  readonly countDelta: number;
  /** The id of an activity newly shown, to highlight; null when none was. */
  readonly inserted: string | null;
}

/**
 * Applies one event to rows in timeline order: new items go in their place, changed ones are replaced in place
 * (moved if their time changed), removed or no-longer-matching ones go. An item older than everything loaded while
 * more pages remain is left to "Load more". Null when nothing shown changes.
 */
export function applyActivityEvent(rows: readonly Activity[], event: ActivityEvent, filters: ActivityMatch, hasMore: boolean): TimelineChange | null {
  const index = rows.findIndex((row) => row.id === event.activityId);
  const activity = event.change === 'REMOVED' ? null : event.activity;
  const without = index >= 0 ? rows.filter((_, i) => i !== index) : rows;

  if (!activity || !matchesFilters(activity, filters)) {
    return index >= 0 ? { rows: without, countDelta: -1, inserted: null } : null;
  }
  let position = without.findIndex((row) => timelineOrder(activity, row) < 0);
  if (position < 0) position = without.length;
  if (index < 0 && position === without.length && hasMore) {
    // Belongs on a page not loaded yet: only the count knows about it (an update there was counted already).
    return event.change === 'UPDATED' ? null : { rows, countDelta: 1, inserted: null };
  }
  const next = [...without.slice(0, position), activity, ...without.slice(position)];
  return index >= 0 ? { rows: next, countDelta: 0, inserted: null } : { rows: next, countDelta: 1, inserted: activity.id };
}
