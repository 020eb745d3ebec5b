import type { RecordKind } from '../records/record-kind';

const TIMELINE_KINDS = new Set<string>(['account', 'contact', 'lead', 'opportunity', 'case']);

export interface TimelineTarget {
  readonly recordKind: RecordKind;
  readonly recordId: string;
  readonly viaRegarding: boolean;
  readonly viaParty: boolean;
}

/**
 * The records whose timelines show an activity: its regarding record and every party resolved to a
 * record (users and queues have no timeline), each once.
 */
export function timelineTargets(
  regarding: { kind: string | null; id: string | null },
  parties: readonly { partyKind: string | null; partyId: string | null }[],
): TimelineTarget[] {
  const targets = new Map<string, { recordKind: RecordKind; recordId: string; viaRegarding: boolean; viaParty: boolean }>();
  const add = (kind: string | null, id: string | null, via: 'viaRegarding' | 'viaParty') => {
    if (!kind || !id || !TIMELINE_KINDS.has(kind)) return;
    const key = `${kind}:${id}`;
    const target = targets.get(key) ?? { recordKind: kind as RecordKind, recordId: id, viaRegarding: false, viaParty: false };
    target[via] = true;
    targets.set(key, target);
  };
  add(regarding.kind, regarding.id, 'viaRegarding');
  for (const party of parties) add(party.partyKind, party.partyId, 'viaParty');
  return [...targets.values()];
}
