import { CorrelationMethod, PartyResolution, PartyRole } from '../activities/activity-enums';
import type { TrackingStep } from '../activities/activity.types';
import { partiesDetail } from '../activities/party-view';
import type { PreparedAddress, PreparedItem } from './prepare-item';
import { classifyAutomatedMail } from './rules/automated-mail';
import { blockedBy } from './rules/blocklist';
import { correlate, type CorrelationEvidence, type CorrelationResult, type CorrelationSwitches, type RecordRef } from './rules/correlation';
import type { PartyResolution as Resolved } from './rules/party-resolution';
import { applyTrackingFilter, type PartyKind, type TrackingFilter } from './rules/tracking-filter';

/** The organization switches decide-item reads. */
export interface TrackingSwitches extends CorrelationSwitches {
  readonly folderTracking: boolean;
  readonly skipAutoReplies: boolean;
  readonly skipBounces: boolean;
  readonly skipBulkMail: boolean;
  readonly blockedAddresses: readonly string[];
  readonly blockedDomains: readonly string[];
}

export interface DecisionInput {
  readonly item: PreparedItem;
  readonly trackingFilter: TrackingFilter;
  readonly switches: TrackingSwitches;
  /** The folder tracking rule for the item's folder, if any. */
  readonly folderRule: { folder: string; regarding: RecordRef | null } | null;
  readonly resolve: (address: string) => Resolved;
  readonly evidence: CorrelationEvidence;
}

export interface PartyDecision extends PreparedAddress {
  readonly resolution: Resolved;
}

export interface ItemDecision {
  readonly track: boolean;
  /** A filter reason code when not tracked (BLOCKED_ADDRESS, AUTO_REPLY, NOT_A_RESPONSE_TO_CRM_EMAIL…). */
  readonly filterReason: string | null;
  readonly parties: readonly PartyDecision[];
  readonly correlation: CorrelationResult;
  readonly regarding: RecordRef | null;
  readonly method: CorrelationMethod;
  readonly evidence: string | null;
  readonly steps: TrackingStep[];
}

const step = (name: string, outcome: string, detail: string): TrackingStep => ({ step: name, outcome, detail });

const kindsOf = (parties: readonly PartyDecision[]): PartyKind[] =>
  parties.flatMap((p) => (p.resolution.resolution === 'RESOLVED' && p.resolution.match ? [p.resolution.match.kind] : []));

/**
 * Steps 1–3 of tracking for one message, as pure data: the filter, the parties, the regarding
 * record. What it cannot decide without writing (email to case, records for unknown senders) the
 * service does after, adding its own steps.
 */
export function decideItem(input: DecisionInput): ItemDecision {
  const { item, switches } = input;
  const steps: TrackingStep[] = [];
  const parties: PartyDecision[] = [...(item.from ? [item.from] : []), ...item.recipients].map((p) => ({ ...p, resolution: input.resolve(p.address) }));
  // Told by the same function that tells a reader their view of it (party-view.ts).
  steps.push(step('PARTIES', 'RESOLVED', partiesDetail(parties.map((p) => ({ address: p.address, resolution: partyResolutionOf(p.resolution) })))));

  const correlation = correlate({
    occurredAt: item.occurredAt,
    participantAddresses: parties.map((p) => p.address),
    evidence: input.evidence,
    switches,
  });
  for (const considered of correlation.considered) steps.push(step(`CORRELATION:${considered.method}`, considered.outcome, considered.detail));

  let regarding = correlation.regarding;
  let method = correlation.method as CorrelationMethod;
  let evidence: string | null = correlation.method === 'NONE' ? null : correlation.evidence;
  const folderRule = switches.folderTracking ? input.folderRule : null;
  if (folderRule) {
    // Dynamics: a folder mapped to a record overrides every other regarding decision (the user filed it there).
    steps.push(step('FOLDER_RULE', 'MATCHED', `folder "${folderRule.folder}"${folderRule.regarding ? ` maps to ${folderRule.regarding.kind} ${folderRule.regarding.id}` : ' is tracked'}`));
    if (folderRule.regarding) {
      regarding = folderRule.regarding;
      method = CorrelationMethod.FOLDER_RULE;
      evidence = `folder "${folderRule.folder}"`;
    }
  }

  const filtered = (reason: string, detail: string): ItemDecision => {
    steps.unshift(step('FILTER', 'FILTERED', `${reason}: ${detail}`));
    return { track: false, filterReason: reason, parties, correlation, regarding, method, evidence, steps };
  };

  const external = item.direction === 'INCOMING' ? (item.from ? [item.from.address] : []) : item.recipients.map((r) => r.address);
  const blockList = { addresses: switches.blockedAddresses, domains: switches.blockedDomains };
  const blocks = external.map((a) => ({ address: a, entry: blockedBy(a, blockList) }));
  // Incoming: the sender decides. Outgoing: blocked only when every recipient is.
  if (blocks.length > 0 && blocks.every((b) => b.entry)) return filtered('BLOCKED', blocks.map((b) => `${b.address} (${b.entry})`).join(', '));

  const automated = classifyAutomatedMail({ headers: item.headers, fromAddress: item.from?.address ?? null });
  if (automated) {
    const skip =
      (automated.kind === 'AUTO_REPLY' && switches.skipAutoReplies) ||
      (automated.kind === 'BOUNCE' && switches.skipBounces) ||
      (automated.kind === 'BULK' && switches.skipBulkMail);
    if (skip) return filtered(automated.kind, automated.evidence);
    steps.push(step('AUTOMATED', 'ALLOWED', `${automated.kind} (${automated.evidence}), skipping is switched off`));
  }

  if (folderRule) {
    steps.unshift(step('FILTER', 'PASSED', `in tracked folder "${folderRule.folder}"`));
  } else {
    const senderParties = parties.filter((p) => p.role === PartyRole.FROM);
    const recipientParties = parties.filter((p) => p.role !== PartyRole.FROM);
    const verdict = applyTrackingFilter(input.trackingFilter, {
      direction: item.direction,
      senderKinds: kindsOf(senderParties),
      recipientKinds: kindsOf(recipientParties),
      respondsToTrackedEmail: correlation.respondsToTrackedEmail,
    });
    if (!verdict.track) return filtered(verdict.reason, `mailbox tracks ${input.trackingFilter}`);
    steps.unshift(step('FILTER', 'PASSED', `${verdict.reason} (mailbox tracks ${input.trackingFilter})`));
  }
  return { track: true, filterReason: null, parties, correlation, regarding, method, evidence, steps };
}

export const partyResolutionOf = (r: Resolved): PartyResolution =>
  r.resolution === 'RESOLVED' ? PartyResolution.RESOLVED : r.resolution === 'AMBIGUOUS' ? PartyResolution.AMBIGUOUS : PartyResolution.UNRESOLVED;
