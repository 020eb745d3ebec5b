// Choosing the record an email is "regarding", in Dynamics' order: In-Reply-To, tracking
// token, Outlook Thread-Index, smart matching. The caller looks up the evidence; this
// decides, and says how, so a wrong guess can be traced and undone.

/** A record an email can be regarding. */
export type RecordRef = { kind: 'account' | 'contact' | 'lead' | 'opportunity' | 'case'; id: string };

/** An email already tracked, as correlation needs it. */
export interface KnownEmail {
  activityId: string;
  regarding: RecordRef | null;
  occurredAt: Date;
  participantAddresses: readonly string[];
}

/** Which correlation methods are on, and how strict smart matching is. */
export interface CorrelationSwitches {
  inReplyTo: boolean;
  trackingToken: boolean;
  threadIndex: boolean;
  smartMatching: boolean;
  smartMatchMinSharedRecipients: number;
  smartMatchWindowDays: number;
}

/** Dynamics' defaults: smart matching off; when on, 2 shared addresses within the last 90 days. */
export const DEFAULT_CORRELATION: CorrelationSwitches = Object.freeze({
  inReplyTo: true,
  trackingToken: true,
  threadIndex: true,
  smartMatching: false,
  smartMatchMinSharedRecipients: 2,
  smartMatchWindowDays: 90,
});

/** What the caller found for one email, method by method. */
export interface CorrelationEvidence {
  /** The tracked email found through In-Reply-To or else References (newest reference first). */
  inReplyTo: KnownEmail | null;
  /** The Message-ID that found `inReplyTo`, or when none did, the one looked up first; null without either header. */
  referenceMessageId: string | null;
  /** The token in the subject and the tracked email that carries it; null when the subject has none. */
  token: { token: string; email: KnownEmail | null } | null;
  /** The Thread-Index conversation root and the tracked email that shares it; null without a valid Thread-Index. */
  threadIndex: { root: string; email: KnownEmail | null } | null;
  /** Tracked emails with the same subject hash, of any age. */
  smartCandidates: readonly KnownEmail[];
}

/** How the regarding record was chosen; NONE when no method found a tracked email. */
export type CorrelationMethod = 'IN_REPLY_TO' | 'TRACKING_TOKEN' | 'THREAD_INDEX' | 'SMART_MATCHING' | 'NONE';

/** One method's part in the decision. */
export interface ConsideredMethod {
  method: CorrelationMethod;
  outcome: 'MATCHED' | 'NO_MATCH' | 'DISABLED';
  detail: string;
}

/** The email being correlated. */
export interface CorrelationInput {
  occurredAt: Date;
  participantAddresses: readonly string[];
  evidence: CorrelationEvidence;
  switches: CorrelationSwitches;
}

/** The decision: the tracked email found, its regarding record, and every method tried up to the winner. */
export interface CorrelationResult {
  method: CorrelationMethod;
  email: KnownEmail | null;
  regarding: RecordRef | null;
  evidence: string;
  respondsToTrackedEmail: boolean;
  considered: ConsideredMethod[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

type Attempt = { email: KnownEmail; detail: string } | { email: null; detail: string };
type Method = Exclude<CorrelationMethod, 'NONE'>;

/**
 * Picks the regarding record for one email: the first enabled method that finds a tracked
 * email wins, even when that email is regarding nothing (the conversation is still known,
 * so the email is a response to tracked mail). `considered` lists methods up to the winner.
 */
export function correlate(input: CorrelationInput): CorrelationResult {
  const { evidence, switches } = input;
  const methods: [Method, boolean, () => Attempt][] = [
    ['IN_REPLY_TO', switches.inReplyTo, () => byInReplyTo(evidence)],
    ['TRACKING_TOKEN', switches.trackingToken, () => byToken(evidence)],
    ['THREAD_INDEX', switches.threadIndex, () => byThreadIndex(evidence)],
    ['SMART_MATCHING', switches.smartMatching, () => bySmartMatching(input)],
  ];
  const considered: ConsideredMethod[] = [];
  for (const [method, enabled, attempt] of methods) {
    if (!enabled) {
      considered.push({ method, outcome: 'DISABLED', detail: 'switched off' });
      continue;
    }
    const found = attempt();
    considered.push({ method, outcome: found.email ? 'MATCHED' : 'NO_MATCH', detail: found.detail });
    if (found.email) {
      return { method, email: found.email, regarding: found.email.regarding, evidence: found.detail, respondsToTrackedEmail: true, considered };
    }
  }
  return { method: 'NONE', email: null, regarding: null, evidence: 'no method found a tracked email', respondsToTrackedEmail: false, considered };
}

function byInReplyTo(e: CorrelationEvidence): Attempt {
  if (e.inReplyTo) return { email: e.inReplyTo, detail: `${e.referenceMessageId ?? 'a referenced Message-ID'} is tracked email ${e.inReplyTo.activityId}` };
  if (e.referenceMessageId === null) return { email: null, detail: 'no In-Reply-To or References header' };
  return { email: null, detail: `no tracked email has a referenced Message-ID (first: ${e.referenceMessageId})` };
}

function byToken(e: CorrelationEvidence): Attempt {
  if (!e.token) return { email: null, detail: 'no tracking token in the subject' };
  if (!e.token.email) return { email: null, detail: `token ${e.token.token} belongs to no tracked email` };
  // A token can be typed or pasted by hand; the detail names it so a wrong match is traceable.
  return { email: e.token.email, detail: `token ${e.token.token} is on tracked email ${e.token.email.activityId}` };
}

function byThreadIndex(e: CorrelationEvidence): Attempt {
  if (!e.threadIndex) return { email: null, detail: 'no valid Thread-Index header' };
  if (!e.threadIndex.email) return { email: null, detail: `Thread-Index conversation ${e.threadIndex.root} has no tracked email` };
  return { email: e.threadIndex.email, detail: `Thread-Index conversation ${e.threadIndex.root} contains tracked email ${e.threadIndex.email.activityId}` };
}

// Smart matching merges threads on generic subjects ("Invoice", "Hello"), so it also needs
// shared participants and a recent earlier email, and its detail lists exactly what matched.
function bySmartMatching(input: CorrelationInput): Attempt {
  const { switches, evidence } = input;
  const minShared = Math.max(1, switches.smartMatchMinSharedRecipients); // 0 would be a subject-only match
  const ours = new Set(input.participantAddresses.map(canonical));
  const latest = input.occurredAt.getTime();
  const earliest = latest - switches.smartMatchWindowDays * DAY_MS;

  const eligible = evidence.smartCandidates
    .filter((c) => c.occurredAt.getTime() <= latest && c.occurredAt.getTime() >= earliest)
    .map((c) => ({ email: c, shared: [...new Set(c.participantAddresses.map(canonical))].filter((a) => ours.has(a)).sort() }))
    .filter((c) => c.shared.length >= minShared)
    .sort((a, b) => b.email.occurredAt.getTime() - a.email.occurredAt.getTime() || a.email.activityId.localeCompare(b.email.activityId));

  const best = eligible[0];
  if (!best) {
    return {
      email: null,
      detail: `${evidence.smartCandidates.length} same-subject email(s), none within ${switches.smartMatchWindowDays} days before sharing ${minShared} address(es)`,
    };
  }
  return {
    email: best.email,
    detail: `same subject as tracked email ${best.email.activityId} of ${best.email.occurredAt.toISOString()}, sharing ${best.shared.join(', ')}`,
  };
}

function canonical(address: string): string {
  return address.trim().toLowerCase();
}
