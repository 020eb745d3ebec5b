import { CorrelationMethod, Direction, EmailStatus, ActivityState, type PrivacyLevel } from '../activities/activity-enums';
import type { ActivityMailbox } from '../activities/activity-mailbox.entity';
import type { NewActivity, NewParty } from '../activities/activity-writer';
import type { TrackingDecision, TrackingStep } from '../activities/activity.types';
import { AttachmentSkipReason, type Attachment } from '../activities/attachment.entity';
import type { EmailMessage } from '../activities/email-message.entity';
import { previewOf, textOfHtml } from '../activities/email-preview';
import { emailRows } from '../activities/email-rows';
import { storeDetail } from '../activities/party-view';
import { toGlobalId, type GlobalType } from '../common/global-id';
import { newId } from '../common/ids';
import { MailboxItemOutcome, type MailboxItem } from '../mail/mailbox-item.entity';
import { decideItem, partyResolutionOf, type ItemDecision, type PartyDecision, type TrackingSwitches } from './decide-item';
import type { PreparedItem } from './prepare-item';
import type { Ownership } from './records-for-mail';
import type { RecordRef } from './rules/correlation';
import type { TrackingFilter } from './rules/tracking-filter';
import { findToken, type TokenFormat } from './rules/tracking-token';
import type { TrackedItem } from './track-emails.inputs';
import type { TrackingFacts } from './tracking-facts';

const GLOBAL_TYPE: Record<string, GlobalType> = { user: 'User', queue: 'Queue', contact: 'Contact', account: 'Account', lead: 'Lead', opportunity: 'Opportunity', case: 'Case' };
export const globalIdOf = (kind: string, id: string) => toGlobalId(GLOBAL_TYPE[kind], id);

/** What a tracked item has decided so far: the record steps add to it. */
export interface Tracking {
  readonly steps: TrackingStep[];
  readonly parties: PartyDecision[];
  readonly regarding: RecordRef | null;
  readonly method: CorrelationMethod;
  readonly evidence: string | null;
}

/**
 * The steps of tracking that create records (a contact or lead for an unknown sender, a case from a queue's
 * mail). They write as they go, in batch order, because a later item of the batch resolves to what they
 * created; everything else the plan decides from the facts alone.
 */
export interface RecordSteps {
  apply(item: PreparedItem, tracking: Tracking): Promise<Tracking>;
}

/** What the plan knows of the mailbox, the organization and the batch besides the facts. */
export interface PlanContext {
  readonly mailboxId: string;
  readonly visibility: PrivacyLevel;
  readonly owner: Ownership;
  readonly now: Date;
  readonly tokenFormat: TokenFormat;
  readonly switches: TrackingSwitches;
  readonly trackingFilter: TrackingFilter;
  readonly folderRules: readonly { readonly folder: string; readonly regarding: RecordRef | null }[];
  readonly maxAttachmentBytes: number;
  /** The stored size of each uploaded attachment blob, by sha256: what the attachment row records. */
  readonly storedSizes: ReadonlyMap<string, number>;
  /** Items to reject, by index, with the reason (an attachment that is not uploaded yet). */
  readonly rejections: ReadonlyMap<number, string>;
}

/** A kept email (tracked, linked, or seen before) with what an invitation in it regards. */
export type Kept = { readonly regarding: RecordRef | null } | { readonly duplicateOf: string };

/** The rows a batch writes and the result of each item; the writer applies it (tracking-writer.ts). */
export interface TrackingPlan {
  readonly results: TrackedItem[];
  /** Activities this batch creates. */
  readonly tracked: string[];
  readonly activities: { activity: NewActivity; parties: NewParty[] }[];
  readonly emails: EmailMessage[];
  /** Bodies to store as blobs; their sha256 goes into the email row. The HTML as received: it is sanitized when read. */
  readonly bodies: { row: EmailMessage; text: Buffer | null; html: Buffer | null }[];
  readonly attachments: Partial<Attachment>[];
  /** Attachments that came inside their item, to store as blobs with the bodies; their sha256 goes into the row. */
  readonly attachmentContents: { row: Partial<Attachment>; content: Buffer }[];
  readonly links: ActivityMailbox[];
  readonly ledger: Partial<MailboxItem>[];
  /** Emails tracked before (from another mailbox, or sent from the hub) that this mailbox now carries too. */
  readonly linkedExisting: string[];
  readonly kept: Map<number, Kept>;
  /** The email rows this batch stores, by item index. */
  readonly newEmails: Map<number, EmailMessage>;
}

/**
 * Decides every item of a batch and builds the rows to write, in batch order: a reply later in the
 * batch finds the message it answers (facts.remember). Reads no database; the facts were loaded before.
 */
export async function planBatch(items: readonly PreparedItem[], facts: TrackingFacts, ctx: PlanContext, records: RecordSteps): Promise<TrackingPlan> {
  const plan: TrackingPlan = { results: [], tracked: [], activities: [], emails: [], bodies: [], attachments: [], attachmentContents: [], links: [], ledger: [], linkedExisting: [], kept: new Map(), newEmails: new Map() };
  const seen = new Map<string, string | null>();
  const ledger = (item: PreparedItem, outcome: MailboxItemOutcome, reason: string | null, activityId: string | null) =>
    plan.ledger.push({ mailboxId: ctx.mailboxId, messageIdHash: item.messageIdHash, outcome, reason, activityId, decidedAt: ctx.now });

  for (const item of items) {
    const base = { index: item.index, messageId: item.messageId, salvaged: item.salvage.map((s) => `${s.code}: ${s.detail}`), errorCode: null, errorMessage: null, appointmentId: null };
    const rejection = ctx.rejections.get(item.index);
    if (rejection) {
      plan.results.push({ ...base, outcome: 'REJECTED', activityId: null, errorCode: 'ATTACHMENT_NOT_UPLOADED', errorMessage: rejection, decision: null });
      continue;
    }
    const earlier = facts.decided.get(item.messageIdHash);
    if (earlier || seen.has(item.messageIdHash)) {
      const activityId = earlier ? earlier.activityId : seen.get(item.messageIdHash)!;
      if (activityId) plan.kept.set(item.index, { duplicateOf: activityId });
      plan.results.push({ ...base, outcome: 'DUPLICATE', activityId: activityId ? toGlobalId('Email', activityId) : null, decision: null });
      continue;
    }
    const existing = facts.existing(item.messageIdHash);
    if (existing) {
      // Already tracked from another mailbox (or sent from the hub): one email, linked to each mailbox.
      plan.links.push({ activityId: existing.activityId, mailboxId: ctx.mailboxId, folder: item.folder, seenAt: ctx.now });
      plan.linkedExisting.push(existing.activityId);
      ledger(item, MailboxItemOutcome.TRACKED, null, existing.activityId);
      seen.set(item.messageIdHash, existing.activityId);
      plan.kept.set(item.index, { regarding: existing.regarding });
      plan.results.push({ ...base, outcome: 'LINKED', activityId: toGlobalId('Email', existing.activityId), decision: null });
      continue;
    }

    const decision = decideItem({
      item,
      trackingFilter: ctx.trackingFilter,
      switches: ctx.switches,
      folderRule: ctx.folderRules.find((r) => item.folder !== null && r.folder === item.folder) ?? null,
      resolve: (address) => facts.resolve(address),
      evidence: facts.evidenceFor(item),
    });
    seen.set(item.messageIdHash, null);
    if (!decision.track) {
      ledger(item, MailboxItemOutcome.FILTERED, decision.filterReason, null);
      plan.results.push({ ...base, outcome: 'FILTERED', activityId: null, decision: traceOf('FILTERED', decision, decision) });
      continue;
    }

    const tracking = await records.apply(item, { steps: [...decision.steps], parties: [...decision.parties], regarding: decision.regarding, method: decision.method, evidence: decision.evidence });
    const activityId = newId();
    tracking.steps.push({ step: 'STORE', outcome: 'TRACKED', detail: storeDetail(tracking.regarding) });
    const trace = traceOf('TRACKED', decision, tracking);
    const rows = trackedRows(item, activityId, tracking, trace, ctx);
    plan.activities.push(rows);
    plan.emails.push(rows.email);
    plan.newEmails.set(item.index, rows.email);
    plan.bodies.push({ row: rows.email, text: item.textBody !== null ? Buffer.from(item.textBody, 'utf8') : null, html: item.htmlBody !== null ? Buffer.from(item.htmlBody, 'utf8') : null });
    for (const { row, content } of attachmentRows(item, activityId, ctx)) {
      plan.attachments.push(row);
      if (content) plan.attachmentContents.push({ row, content });
    }
    plan.links.push({ activityId, mailboxId: ctx.mailboxId, folder: item.folder, seenAt: ctx.now });
    ledger(item, MailboxItemOutcome.TRACKED, null, activityId);
    seen.set(item.messageIdHash, activityId);
    facts.remember({
      activityId,
      messageIdHash: item.messageIdHash,
      trackingToken: rows.email.trackingToken,
      conversationRoot: item.conversationRoot,
      subjectHash: rows.email.subjectHash,
      regarding: tracking.regarding,
      occurredAt: item.occurredAt,
      participantAddresses: tracking.parties.map((p) => p.address),
    });
    plan.tracked.push(activityId);
    plan.kept.set(item.index, { regarding: tracking.regarding });
    plan.results.push({ ...base, outcome: 'TRACKED', activityId: toGlobalId('Email', activityId), decision: trace });
  }
  return plan;
}

/** A tracked message's activity, parties and email row (bodies are stored by the writer). */
function trackedRows(item: PreparedItem, activityId: string, tracking: Tracking, trace: TrackingDecision, ctx: PlanContext) {
  return emailRows({
    id: activityId,
    owner: ctx.owner,
    subject: item.subject,
    regarding: tracking.regarding,
    state: ActivityState.COMPLETED,
    direction: item.direction === 'OUTGOING' ? Direction.OUTGOING : Direction.INCOMING,
    occurredAt: item.occurredAt,
    visibility: ctx.visibility,
    parties: tracking.parties.map((p) => ({
      role: p.role,
      address: p.address,
      displayName: p.name,
      partyKind: p.resolution.match?.kind ?? null,
      partyId: p.resolution.match?.id ?? null,
      resolution: partyResolutionOf(p.resolution),
      candidates: p.resolution.resolution === 'AMBIGUOUS' ? p.resolution.candidates.map((c) => `${c.kind}:${c.id}`) : [],
    })),
    messageId: item.messageId,
    inReplyTo: item.inReplyTo,
    references: item.references.length ? item.references : null,
    threadIndex: item.threadIndex,
    conversationRoot: item.conversationRoot,
    trackingToken: findToken(ctx.tokenFormat, item.subject),
    tokenFormat: ctx.tokenFormat,
    status: item.direction === 'OUTGOING' ? EmailStatus.SENT : EmailStatus.RECEIVED,
    sentAt: item.sentAt,
    receivedAt: item.receivedAt,
    fromAddress: item.from?.address ?? null,
    textBodyBlob: null,
    htmlBodyBlob: null,
    preview: previewOf(item.textBody ?? (item.htmlBody !== null ? textOfHtml(item.htmlBody) : null)),
    bodyTruncated: item.bodyTruncated,
    correlationMethod: tracking.method,
    trackingDecision: JSON.stringify(trace),
    salvage: item.salvage.length ? JSON.stringify(item.salvage) : null,
    senderMailboxId: null,
  });
}

/**
 * Attachments over the limit, or not in the blob store, are listed but not stored. One sent as content is stored
 * with the bodies when the limit allows (`content`: the writer sets its row's blobSha256).
 */
function attachmentRows(item: PreparedItem, activityId: string, ctx: PlanContext): { row: Partial<Attachment>; content: Buffer | null }[] {
  const limit = ctx.maxAttachmentBytes;
  return item.attachments.map((a, position) => {
    const content = a.content !== null && a.content.length <= limit ? a.content : null;
    // The blob's own size, not the engine's claim: it is what a download delivers and what `size` promises.
    const storedSize = content !== null ? content.length : a.sha256 !== null && a.size <= limit ? ctx.storedSizes.get(a.sha256) : undefined;
    const stored = storedSize !== undefined && storedSize <= limit;
    const row: Partial<Attachment> = {
      id: newId(),
      activityId,
      fileName: a.fileName,
      contentType: a.contentType,
      size: storedSize ?? a.size,
      blobSha256: stored && content === null ? a.sha256 : null,
      contentId: a.contentId,
      inline: a.inline,
      skippedReason: stored ? null : AttachmentSkipReason.TOO_LARGE,
      position,
    };
    return { row, content };
  });
}

function traceOf(outcome: string, decision: ItemDecision, tracking: { parties: readonly PartyDecision[]; method: CorrelationMethod; evidence: string | null; steps: TrackingStep[] }): TrackingDecision {
  return {
    outcome,
    filterReason: decision.filterReason,
    correlationMethod: tracking.method,
    correlationEvidence: tracking.evidence,
    parties: tracking.parties.map((p) => ({
      role: p.role,
      address: p.address,
      resolution: partyResolutionOf(p.resolution),
      kind: p.resolution.match?.kind ?? null,
      recordId: p.resolution.match ? globalIdOf(p.resolution.match.kind, p.resolution.match.id) : null,
      candidates: p.resolution.resolution === 'AMBIGUOUS' ? p.resolution.candidates.map((c) => globalIdOf(c.kind, c.id)) : [],
    })),
    steps: tracking.steps,
  };
}
