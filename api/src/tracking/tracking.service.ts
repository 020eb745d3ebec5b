import { type DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import { requireSyncEngine } from '../access/sync-engine-guard';
import { ApiError, badInput, notFound } from '../common/errors';
import { expectGlobalId } from '../common/global-id';
import { repairStrings } from '../common/text';
import { retryingDatabaseWork, type RetryBudget } from '../db/transaction-retry';
import { User } from '../identity/user.entity';
import type { EmailSettingsService } from '../mail/email-settings.service';
import { FolderTrackingRule } from '../mail/folder-tracking-rule.entity';
import { Mailbox } from '../mail/mailbox.entity';
import type { OrganizationEmailSettings } from '../mail/organization-email-settings.entity';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { Queue } from '../queues/queue.entity';
import type { TrackingSwitches } from './decide-item';
import { recordIngest } from '../mail/sync-metric-events';
import { ingestFigures } from './ingest-figures';
import { prepareInvite, type PreparedInvite } from './meeting-invites';
import { prepareItem, type PreparedItem } from './prepare-item';
import type { Ownership } from './records-for-mail';
import type { RecordRef } from './rules/correlation';
import type { TokenFormat } from './rules/tracking-token';
import type { QuarantineInput, TrackEmailsInput, TrackEmailsResult, TrackedItem } from './track-emails.inputs';
import { decodeInlineAttachments } from './inline-attachments';
import { TrackingFacts } from './tracking-facts';
import { planBatch } from './tracking-plan';
import type { TrackingWriter } from './tracking-writer';
import { forUpdate } from '../db/row-locks';

/**
 * Another engine stored the same message first (a unique key decided the race): the whole batch
 * re-runs and then sees the other's rows. Deadlocks and lock waits are retried beneath, like every
 * transaction's (db/transaction-retry.ts).
 */
const BATCH_RETRIES: RetryBudget = { DUPLICATE_KEY: 6 };

interface BatchContext {
  readonly principal: Principal;
  readonly mailbox: Mailbox;
  readonly owner: Ownership;
  readonly queue: Queue | null;
  readonly settings: OrganizationEmailSettings;
  readonly switches: TrackingSwitches;
  readonly tokenFormat: TokenFormat;
  readonly now: Date;
  /** The lease the engine quotes: the batch commits only while it is the mailbox's. */
  readonly leaseId: string | null;
  /** The cursor the batch before commits (input.afterCursor): this one commits only after it. */
  readonly afterCursor: string | null;
  /** Each item's meeting invitation, by index. */
  readonly invites: ReadonlyMap<number, PreparedInvite>;
  readonly quarantine: readonly QuarantineInput[];
  /** The stored size of each uploaded attachment blob, by sha256: what the attachment row records. */
  readonly storedSizes: ReadonlyMap<string, number>;
}

interface BatchOutcome {
  readonly items: TrackedItem[];
  /** The mailbox's cursor as this batch committed it. */
  readonly cursor: string | null;
}

/**
 * `trackEmails`: the API side of server-side sync. One batch of one mailbox is decided and written
 * in one transaction together with the mailbox's cursor, so a crash re-delivers the batch and a
 * replay changes nothing (mailbox_item remembers every decision). The service orchestrates: load the
 * facts, plan (tracking-plan.ts, no database), write the plan (tracking-writer.ts), stage live events.
 */
export class TrackingService {
  constructor(
    private readonly db: DataSource,
    private readonly settings: EmailSettingsService,
    private readonly writer: TrackingWriter,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  async trackEmails(principal: Principal, mailboxGlobalId: string, input: TrackEmailsInput): Promise<TrackEmailsResult> {
    requireSyncEngine(principal, 'track email');
    const { id: mailboxId } = expectGlobalId('mailboxId', mailboxGlobalId, 'Mailbox');
    const mailbox = await this.db.getRepository(Mailbox).findOneBy({ id: mailboxId });
    if (!mailbox) throw notFound('mailboxId', mailboxGlobalId);
    const settings = await this.settings.current();
    const ownerUser = await this.db.getRepository(User).findOneByOrFail({ id: mailbox.ownerUserId });
    const queue = mailbox.queueId ? await this.db.getRepository(Queue).findOneBy({ id: mailbox.queueId }) : null;
    const now = this.clock();
    const invites = new Map<number, PreparedInvite>();
    input.items.forEach((item, index) => {
      if (item.calendar) invites.set(index, prepareInvite(repairStrings(item.calendar)));
    });
    const contents = decodeInlineAttachments(input.items);
    const prepared = input.items.map((item, index) => prepareItem(item, index, { mailboxAddress: mailbox.address, maxBodyBytes: settings.maxBodyKb * 1024, now }, contents[index]));
    const { rejections, storedSizes } = await this.uploadedAttachments(prepared, settings.maxAttachmentKb * 1024);
    const ctx: BatchContext = {
      principal,
      mailbox,
      owner: { ownerId: ownerUser.id, businessUnitId: ownerUser.businessUnitId, actorId: principal.userId },
      queue,
      settings,
      switches: switchesOf(settings),
      tokenFormat: { prefix: settings.tokenPrefix, baseNumber: settings.tokenBaseNumber, userDigits: settings.tokenUserDigits, counterDigits: settings.tokenCounterDigits },
      now,
      leaseId: input.leaseId ?? null,
      afterCursor: input.afterCursor ?? null,
      invites,
      quarantine: checkQuarantine(input.quarantine ?? []),
      storedSizes,
    };

    const outcome = await retryingDatabaseWork(
      () => this.db.transaction((em) => this.runBatch(em, ctx, prepared, rejections, input.cursor ?? null)),
      BATCH_RETRIES,
      (kind, attempt) => this.log.debug({ kind, attempt, mailboxId }, 'trackEmails conflicted with another writer; running the batch again'),
    );
    return { items: outcome.items, cursor: outcome.cursor };
  }

  /**
   * The stored size of every uploaded attachment, and the items to reject because a file that should be in
   * the blob store is not (the engine uploads it and sends the item again).
   */
  private async uploadedAttachments(items: readonly PreparedItem[], limit: number): Promise<{ rejections: Map<number, string>; storedSizes: Map<string, number> }> {
    const wanted = items.flatMap((i) => i.attachments.filter((a) => a.sha256 && a.size <= limit).map((a) => a.sha256!));
    const storedSizes = await this.writer.storedSizes(wanted);
    const rejections = new Map<number, string>();
    for (const item of items) {
      const missing = item.attachments.filter((a) => a.sha256 && a.size <= limit && !storedSizes.has(a.sha256));
      if (missing.length) rejections.set(item.index, `attachments not uploaded (PUT /blobs first): ${missing.map((a) => a.fileName).join(', ')}`);
    }
    return { rejections, storedSizes };
  }

  private async runBatch(em: EntityManager, ctx: BatchContext, items: readonly PreparedItem[], rejections: ReadonlyMap<number, string>, cursor: string | null): Promise<BatchOutcome> {
    const { mailbox } = ctx;
    // One batch per mailbox at a time: the cursor must move in order (SQLite serializes writers anyway).
    const [locked] = (await em.query(`SELECT syncCursor, leaseId, lastSyncAt, resyncFrom FROM mailbox WHERE id = ?${forUpdate(em)}`, [mailbox.id])) as {
      syncCursor: string | null;
      leaseId: string | null;
      lastSyncAt: unknown;
      resyncFrom: unknown;
    }[];
    const { syncCursor: currentCursor, leaseId: currentLease } = locked;
    // Checked under the row lock: a claim cannot take the mailbox over between this check and the commit.
    if (ctx.leaseId !== null && currentLease !== ctx.leaseId) {
      throw new ApiError('CONFLICT', 'input.leaseId: this lease is no longer the mailbox\'s (another engine claimed it, or it was released); nothing was written', 'input.leaseId');
    }
    // An engine sends a batch while the one before still commits: this one waited for the row lock behind it, and goes
    // on only if that one committed its cursor (the one before failed, or this one got the lock first: refused).
    if (ctx.afterCursor !== null && currentCursor !== ctx.afterCursor) {
      throw new ApiError('CONFLICT', 'input.afterCursor: the mailbox\'s sync cursor is not this one (the batch before has not committed); nothing was written', 'input.afterCursor');
    }
    this.log.debug({ mailboxId: mailbox.id, items: items.length }, 'trackEmails batch started');
    await this.writer.progress(em, mailbox.id);
    const folderRules = await em.findBy(FolderTrackingRule, { mailboxId: mailbox.id });
    const inviteAddresses = [...ctx.invites.values()].flatMap((i) => i.parties.map((p) => p.address));
    const facts = await TrackingFacts.load(em, { mailboxId: mailbox.id, items, tokenFormat: ctx.tokenFormat, smartMatching: ctx.switches.smartMatching, extraAddresses: inviteAddresses });
    const caseQueue = ctx.queue && ctx.settings.queueCaseRulesEnabled && ctx.queue.createCaseFromEmail ? ctx.queue : null;
    const plan = await planBatch(
      items,
      facts,
      {
        mailboxId: mailbox.id,
        visibility: mailbox.privacyLevel,
        owner: ctx.owner,
        now: ctx.now,
        tokenFormat: ctx.tokenFormat,
        switches: ctx.switches,
        trackingFilter: mailbox.trackingFilter,
        folderRules: folderRules.map((r) => ({ folder: r.folder, regarding: r.regardingKind && r.regardingId ? ({ kind: r.regardingKind, id: r.regardingId } as RecordRef) : null })),
        maxAttachmentBytes: ctx.settings.maxAttachmentKb * 1024,
        storedSizes: ctx.storedSizes,
        rejections,
      },
      this.writer.recordSteps(em, facts, { mailbox, owner: ctx.owner, queue: ctx.queue, caseQueue, now: ctx.now, clock: this.clock }),
    );

    const alreadyLinked = await this.writer.write(em, plan, mailbox);
    const inviteContext = { ...ctx.owner, visibility: mailbox.privacyLevel, now: ctx.now, resolve: (address: string) => facts.resolve(address) };
    const appointments = await this.writer.applyInvites(em, inviteContext, ctx.invites, items, plan);
    const foundSent = await this.writer.settleUncertain(em, plan.linkedExisting, mailbox.id, ctx.now);
    const quarantined = await this.writer.quarantine(em, mailbox.id, ctx.quarantine, ctx.now);
    // Never synced to the end yet, or re-reading on an administrator's request: backfill, not waiting mail.
    const backfill = locked.lastSyncAt === null || locked.resyncFrom !== null;
    await recordIngest(em, mailbox.id, ctx.now, ingestFigures(plan.results, items, quarantined, { now: ctx.now, backfill }));
    await em.update(Mailbox, { id: mailbox.id }, { ...(cursor !== null ? { syncCursor: cursor } : {}), lastBatchAt: ctx.now, updatedAt: ctx.now });
    await this.writer.stageChanges(em, plan, [...appointments, ...foundSent], alreadyLinked);
    return { items: plan.results, cursor: cursor ?? currentCursor };
  }
}

/** Quarantine entries must name where the message is; everything else is repaired (as prepareItem does) and cut to fit. */
function checkQuarantine(entries: readonly QuarantineInput[]): QuarantineInput[] {
  entries.forEach((q, i) => {
    if (!q.sourceRef.trim() || q.sourceRef.length > 400) throw badInput(`input.quarantine[${i}].sourceRef`, 'must be 1 to 400 characters');
    if (!q.code.trim()) throw badInput(`input.quarantine[${i}].code`, 'must not be empty');
  });
  return entries.map((q) => repairStrings(q));
}

function switchesOf(s: OrganizationEmailSettings): TrackingSwitches {
  return {
    inReplyTo: s.correlateByInReplyTo,
    trackingToken: s.correlateByTrackingToken,
    threadIndex: s.correlateByThreadIndex,
    smartMatching: s.smartMatchingEnabled,
    smartMatchMinSharedRecipients: s.smartMatchMinSharedRecipients,
    smartMatchWindowDays: s.smartMatchWindowDays,
    folderTracking: s.folderTrackingEnabled,
    skipAutoReplies: s.skipAutoReplies,
    skipBounces: s.skipBounces,
    skipBulkMail: s.skipBulkMail,
    blockedAddresses: s.blockedAddresses,
    blockedDomains: s.blockedDomains,
  };
}
