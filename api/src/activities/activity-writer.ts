import type { EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import { insertChunked } from '../db/insert-chunked';
import type { Clock } from '../platform/clock';
import type { RecordKind } from '../records/record-kind';
import { PartyResolution, type PartyRole } from './activity-enums';
import { ActivityParty } from './activity-party.entity';
import { Activity } from './activity.entity';
import { changeActivities, entryCopies } from './timeline-copies';
import { timelineTargets, type TimelineTarget } from './timeline-entries';
import { TimelineEntry } from './timeline-entry.entity';

export type NewActivity = Omit<Activity, 'globalId' | 'createdAt' | 'updatedAt'>;

export interface NewParty {
  readonly role: PartyRole;
  readonly address: string | null;
  readonly displayName: string | null;
  readonly partyKind: string | null;
  readonly partyId: string | null;
  readonly resolution: PartyResolution;
  readonly candidates?: readonly string[];
}

/**
 * Writes activities with their parties and their timeline entries (with the entries' copies of the activity's
 * columns, timeline-copies.ts), for tracked, sent and hand-made activities alike; changes to existing activities go
 * through changeActivities. Callers own the transaction and the access checks.
 */
export class ActivityWriter {
  constructor(private readonly clock: Clock) {}

  /** Inserts several activities in a few multi-row statements. */
  async insert(em: EntityManager, items: readonly { activity: NewActivity; parties: readonly NewParty[] }[]): Promise<void> {
    if (items.length === 0) return;
    const now = this.clock();
    await insertChunked(em, Activity, items.map(({ activity }) => ({ ...activity, createdAt: now, updatedAt: now })));
    const parties = items.flatMap(({ activity, parties }) =>
      parties.map((p, position) => ({
        id: newId(),
        activityId: activity.id,
        role: p.role,
        address: p.address,
        displayName: p.displayName?.slice(0, 200) ?? null,
        partyKind: p.resolution === PartyResolution.RESOLVED ? p.partyKind : null,
        partyId: p.resolution === PartyResolution.RESOLVED ? p.partyId : null,
        resolution: p.resolution,
        candidates: p.candidates?.length ? p.candidates.join(',').slice(0, 1000) : null,
        position,
      })),
    );
    await insertChunked(em, ActivityParty, parties);
    const entries = items.flatMap(({ activity, parties }) =>
      timelineTargets(
        { kind: activity.regardingKind, id: activity.regardingId },
        parties.filter((p) => p.resolution === PartyResolution.RESOLVED),
      ).map((t) => entryOf(t, activity)),
    );
    await insertChunked(em, TimelineEntry, entries);
  }

  /** Changes what an activity is regarding and moves it between timelines accordingly. */
  async setRegarding(em: EntityManager, activity: Activity, regarding: { kind: RecordKind; id: string } | null, modifiedById: string): Promise<void> {
    await changeActivities(em, activity.id, { regardingKind: regarding?.kind ?? null, regardingId: regarding?.id ?? null, modifiedById, updatedAt: this.clock() });
    await this.rebuildTimeline(em, activity.id);
  }

  /** Recomputes an activity's timeline entries from its regarding record and parties. */
  async rebuildTimeline(em: EntityManager, activityId: string): Promise<void> {
    const activity = await em.findOneByOrFail(Activity, { id: activityId });
    const parties = await em.findBy(ActivityParty, { activityId });
    await em.delete(TimelineEntry, { activityId });
    const entries = timelineTargets({ kind: activity.regardingKind, id: activity.regardingId }, parties).map((t) => entryOf(t, activity));
    await insertChunked(em, TimelineEntry, entries);
  }
}

/** A timeline entry of `activity` on one target record: its sort key and its copies of the activity's columns (ENTRY_COPIES). */
function entryOf(target: TimelineTarget, activity: NewActivity): TimelineEntry {
  return { ...target, activityId: activity.id, ...entryCopies(activity) };
}
