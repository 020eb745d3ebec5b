import type { LiveEvent } from './live-event.entity';
import type { ActivityChange } from './live-event-log';

/** An event's JSON columns, parsed once per event object however many subscriptions look at it. */
export interface ParsedEvent {
  readonly records: ReadonlySet<string>;
  readonly formerRecords: ReadonlySet<string>;
  /** parent → the event's records it rolls up. */
  readonly rollups: ReadonlyMap<string, readonly string[]>;
}

const parsed = new WeakMap<LiveEvent, ParsedEvent>();

export function parseEvent(event: LiveEvent): ParsedEvent {
  let p = parsed.get(event);
  if (!p) {
    const rollups = new Map<string, string[]>();
    for (const [parent, child] of JSON.parse(event.rollups) as [string, string][]) rollups.set(parent, [...(rollups.get(parent) ?? []), child]);
    p = { records: new Set(JSON.parse(event.records) as string[]), formerRecords: new Set(JSON.parse(event.formerRecords) as string[]), rollups };
    parsed.set(event, p);
  }
  return p;
}

/** What an activityChanged subscriber of one record sees of an event. */
export interface TimelineMatch {
  readonly change: ActivityChange;
  /** The related records through which it reaches the record's timeline (empty: directly on it); one must be readable. */
  readonly via: readonly string[];
}

/**
 * Whether an activity event concerns a record's timeline, as `timeline(recordId, includeRelated)`
 * would show it: on the record itself, or (includeRelated) on a record that rolls up into it. An
 * activity that left the timeline with this change is REMOVED for that subscriber.
 */
export function matchTimeline(event: LiveEvent, record: string, includeRelated: boolean, kinds: ReadonlySet<string> | null): TimelineMatch | null {
  if (event.topic !== 'ACTIVITY') return null;
  if (kinds && event.activityKind && !kinds.has(event.activityKind)) return null;
  const p = parseEvent(event);
  const change = event.change as ActivityChange;
  if (p.records.has(record)) return { change, via: [] };
  const viaNow = includeRelated ? (p.rollups.get(record) ?? []).filter((child) => p.records.has(child)) : [];
  if (viaNow.length) return { change, via: viaNow };
  if (p.formerRecords.has(record)) return { change: 'REMOVED', via: [] };
  const viaBefore = includeRelated ? (p.rollups.get(record) ?? []).filter((child) => p.formerRecords.has(child)) : [];
  if (viaBefore.length) return { change: 'REMOVED', via: viaBefore };
  return null;
}

/** myFeed and outgoingEmailChanged: every activity event of the wanted kinds (access is checked after). */
export function matchFeed(event: LiveEvent, kinds: ReadonlySet<string> | null): boolean {
  return event.topic === 'ACTIVITY' && (!kinds || !event.activityKind || kinds.has(event.activityKind));
}

/** mailboxChanged: one mailbox, or (null) every mailbox (access is checked after). */
export function matchMailbox(event: LiveEvent, mailboxId: string | null): boolean {
  return event.topic === 'MAILBOX' && (mailboxId === null || event.mailboxId === mailboxId);
}
