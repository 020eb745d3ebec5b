import { toGlobalId, parseGlobalId, type GlobalType } from '../common/global-id';
import type { PartyKind } from '../tracking/rules/party-resolution';
import { PartyResolution } from './activity-enums';
import type { TrackingDecision, TrackingPartyDecision, TrackingStep } from './activity.types';

// What a reader sees of an activity's parties and tracking decision: exactly what a query would
// show them. A record they may not read counts as if it did not exist, so the party of an address
// that belongs only to hidden records looks like the party of an unknown address (UNRESOLVED, no
// record, no candidates, no name taken from the record). The stored rows keep the truth; only the
// view is filtered. Pure functions: the caller decides what is readable.

/** A record an activity refers to: a party's record or candidate, the regarding record, an earlier email. */
export interface Ref {
  readonly kind: PartyKind | 'opportunity' | 'case' | 'email';
  readonly id: string;
}

/** How a party resolved: the stored truth, or the reader's view of it. */
export interface PartyLink {
  readonly resolution: PartyResolution;
  readonly match: Ref | null;
  readonly candidates: readonly Ref[];
}

export type Readable = (ref: Ref) => boolean;

export const refKey = (ref: Ref): string => `${ref.kind}:${ref.id}`;

/**
 * The link as the reader sees it: resolved again among the candidates they may read, as the
 * tracking engine would have resolved it had the others not existed. None readable: UNRESOLVED.
 */
export function seenLink(link: PartyLink, readable: Readable): PartyLink {
  const stored = link.resolution === PartyResolution.RESOLVED && link.match ? [link.match] : link.resolution === PartyResolution.AMBIGUOUS ? link.candidates : [];
  const visible = stored.filter(readable);
  if (visible.length === 0) return { resolution: PartyResolution.UNRESOLVED, match: null, candidates: [] };
  if (visible.length === 1) return { resolution: PartyResolution.RESOLVED, match: visible[0], candidates: visible };
  return { resolution: PartyResolution.AMBIGUOUS, match: null, candidates: visible };
}

/** Whether the reader sees the link as stored (then its stored name stands as well). */
export const sameLink = (x: PartyLink, y: PartyLink): boolean =>
  x.resolution === y.resolution && (x.match === null) === (y.match === null) && (x.match === null || refKey(x.match) === refKey(y.match!)) &&
  x.candidates.map(refKey).join() === y.candidates.map(refKey).join();

/**
 * The name shown beside a party the reader sees otherwise than stored. Names written from the
 * message (tracked mail, meeting invitations) belong to the activity and stay. Names copied from a
 * record belong to that record and go: parties picked by record are never ambiguous, and a typed
 * address carries a name only from a record its sender could read (email-recipients.ts), so
 * an unknown address and a re-resolved one show none either.
 */
export function seenName(stored: string | null, namesFromMessage: boolean): string | null {
  return namesFromMessage ? stored : null;
}

/** The ids a TrackingDecision names records by. */
const GLOBAL_TYPE: Record<Ref['kind'], GlobalType> = {
  user: 'User',
  queue: 'Queue',
  contact: 'Contact',
  account: 'Account',
  lead: 'Lead',
  opportunity: 'Opportunity',
  case: 'Case',
  email: 'Email',
};
const KIND_OF_TYPE = new Map(Object.entries(GLOBAL_TYPE).map(([kind, type]) => [type, kind as Ref['kind']]));

export const globalIdOfRef = (ref: Ref): string => toGlobalId(GLOBAL_TYPE[ref.kind], ref.id);

export function refOfGlobalId(globalId: string): Ref | null {
  const parsed = parseGlobalId(globalId);
  const kind = parsed && KIND_OF_TYPE.get(parsed.type);
  return parsed && kind ? { kind, id: parsed.id } : null;
}

/** A party of a stored decision as its link. */
export function decisionLink(p: TrackingPartyDecision): PartyLink {
  const match = p.recordId ? refOfGlobalId(p.recordId) : null;
  const candidates = p.resolution === PartyResolution.AMBIGUOUS ? p.candidates.map(refOfGlobalId).filter((r): r is Ref => r !== null) : match ? [match] : [];
  return { resolution: p.resolution, match, candidates };
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const GLOBAL_ID = /[A-Za-z0-9_-]{24,}/g;
const RECORD_KINDS = 'user|queue|contact|account|lead|opportunity|case';

/** Every record or email a step's text names: global ids, "<kind> <raw id>", "tracked email <raw id>". */
export function refsIn(text: string): Ref[] {
  const refs: Ref[] = [];
  for (const token of text.match(GLOBAL_ID) ?? []) {
    const ref = refOfGlobalId(token);
    if (ref) refs.push(ref);
  }
  for (const m of text.matchAll(new RegExp(`\\b(${RECORD_KINDS}|email) (${UUID.source.slice(2, -2)})\\b`, 'g'))) {
    refs.push({ kind: m[1] as Ref['kind'], id: m[2] });
  }
  return refs;
}

/** "tracked email <id>" of an email the reader may not read loses the id: the earlier email stays unnamed. */
function unnameEmails(text: string, readable: Readable): string {
  return text.replace(new RegExp(`tracked email (${UUID.source.slice(2, -2)})`, 'g'), (whole, id: string) => (readable({ kind: 'email', id }) ? whole : 'a tracked email'));
}

/** The PARTIES step's text, from the parties' resolutions (decide-item writes it the same way). */
export function partiesDetail(parties: readonly { address: string; resolution: PartyResolution }[]): string {
  const resolved = parties.filter((p) => p.resolution === PartyResolution.RESOLVED).length;
  const ambiguous = parties.filter((p) => p.resolution === PartyResolution.AMBIGUOUS).map((p) => p.address);
  return `${resolved} of ${parties.length} addresses resolved${ambiguous.length ? `; ambiguous: ${ambiguous.join(', ')}` : ''}`;
}

/** The STORE step's text for a regarding record (tracking.service writes it the same way). */
export const storeDetail = (regarding: Ref | null): string => (regarding ? `regarding ${regarding.kind} ${globalIdOfRef(regarding)}` : 'regarding nothing');

/**
 * The decision as the reader sees it: parties resolved among what they may read; the PARTIES and
 * STORE steps told from that view; a step that names a record they may not read is left out
 * (the rule that wrote it acted on that record); an earlier email they may not read goes unnamed.
 */
export function seenDecision(decision: TrackingDecision, readable: Readable, regarding: Ref | null): TrackingDecision {
  const parties = decision.parties.map((p) => {
    const link = seenLink(decisionLink(p), readable);
    return {
      ...p,
      resolution: link.resolution,
      kind: link.match?.kind ?? null,
      recordId: link.match ? globalIdOfRef(link.match) : null,
      candidates: link.resolution === PartyResolution.AMBIGUOUS ? link.candidates.map(globalIdOfRef) : [],
    };
  });
  const visibleRegarding = regarding && readable(regarding) ? regarding : null;
  // Email to case judges the sender's record: its step says what the reader may not know.
  const senderHidden = decision.parties.some((p, i) => p.role === 'FROM' && (p.resolution !== parties[i].resolution || p.recordId !== parties[i].recordId));
  const hidesRecord = (text: string) => refsIn(text).some((ref) => ref.kind !== 'email' && !readable(ref));
  const steps: TrackingStep[] = [];
  for (const step of decision.steps) {
    if (step.step === 'PARTIES') steps.push({ ...step, detail: partiesDetail(parties) });
    else if (step.step === 'STORE') steps.push({ ...step, detail: storeDetail(visibleRegarding) });
    // Its case is the email's regarding record, named by ticket number.
    else if (step.step === 'QUEUE_RULE' && ((regarding && !visibleRegarding) || senderHidden)) continue;
    else if (hidesRecord(step.detail)) continue;
    else steps.push({ ...step, detail: unnameEmails(step.detail, readable) });
  }
  const evidence = decision.correlationEvidence;
  return {
    ...decision,
    parties,
    steps,
    correlationEvidence: evidence === null ? null : hidesRecord(evidence) ? null : unnameEmails(evidence, readable),
  };
}
