import { In, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Activity } from './activity.entity';
import { TimelineEntry } from './timeline-entry.entity';

/**
 * The activity columns every timeline entry of it copies: the sort key, the read scope's owner and unit, and what a
 * lean page shows (LEAN_ACTIVITY_COLUMNS, the id being the entry's activityId). A lean timeline page reads them from
 * the entries alone, so they must never lag behind the activity: every change of an activity goes through
 * changeActivities (a code test holds that), and new entries take them from the activity (ActivityWriter).
 */
export const ENTRY_COPIES = ['occurredAt', 'ownerId', 'businessUnitId', 'kind', 'subject', 'state', 'direction', 'visibility'] as const satisfies readonly (keyof Activity & keyof TimelineEntry)[];

type EntryCopies = Pick<TimelineEntry, (typeof ENTRY_COPIES)[number]>;

/** The copies an entry of `activity` holds. */
export function entryCopies(activity: Pick<Activity, (typeof ENTRY_COPIES)[number]>): EntryCopies {
  return {
    occurredAt: activity.occurredAt,
    ownerId: activity.ownerId,
    businessUnitId: activity.businessUnitId,
    kind: activity.kind,
    subject: activity.subject,
    state: activity.state,
    direction: activity.direction,
    visibility: activity.visibility,
  };
}

/**
 * Changes these activities' columns, and their timeline entries' copies of any of them, in the caller's transaction.
 * A changed occurredAt moves the entries within their timelines (it is part of their primary key).
 */
export async function changeActivities(em: EntityManager, ids: string | readonly string[], changes: QueryDeepPartialEntity<Activity>): Promise<void> {
  const list = typeof ids === 'string' ? [ids] : ids;
  if (list.length === 0) return;
  const which = list.length === 1 ? list[0] : In([...list]);
  await em.update(Activity, { id: which }, changes);
  const copies: QueryDeepPartialEntity<TimelineEntry> = {};
  for (const column of ENTRY_COPIES) if (changes[column] !== undefined) Object.assign(copies, { [column]: changes[column] });
  if (Object.keys(copies).length === 0) return;
  await em.update(TimelineEntry, { activityId: which }, copies);
}
