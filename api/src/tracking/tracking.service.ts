import { SEND_TRANSITIONS } from '../activities/email-send-state';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import { requireSyncEngine } from '../access/sync-engine-guard';
import { ActivityKind, ActivityState, CorrelationMethod, Direction, EmailStatus, PRIVACY_RANK, PartyResolution } from '../activities/activity-enums';
import type { ActivityEvent, ActivityEvents } from '../activities/activity-events';
import { ActivityMailbox } from '../activities/activity-mailbox.entity';
import type { ActivityWriter, NewActivity, NewParty } from '../activities/activity-writer';
import { Activity } from '../activities/activity.entity';
import type { TrackingDecision, TrackingStep } from '../activities/activity.types';
import { Attachment, AttachmentSkipReason } from '../activities/attachment.entity';
import { EmailMessage } from '../activities/email-message.entity';
import { previewOf, textOfHtml } from '../activities/email-preview';
import { timelineTargets } from '../activities/timeline-entries';
import type { BlobStore } from '../attachments/blob-store';
import { ApiError, badInput, notFound } from '../common/errors';
import { expectGlobalId, toGlobalId, type GlobalType } from '../common/global-id';
import { newId } from '../common/ids';
import { repairStrings } from '../common/text';
import { insertChunked } from '../db/insert-chunked';
import { retryingDatabaseWork, type RetryBudget } from '../db/transaction-retry';
import { User } from '../identity/user.entity';
import type { LiveEventLog } from '../live/live-event-log';
import type { EmailSettingsService } from '../mail/email-settings.service';
import { FolderTrackingRule } from '../mail/folder-tracking-rule.entity';
import { AlertSeverity, AutoCreateRecords } from '../mail/mail-enums';
import { recordAlert, recordAlertOnce } from '../mail/mailbox-alerts';
import { MailboxItem, MailboxItemOutcome } from '../mail/mailbox-item.entity';
import { Mailbox } from '../mail/mailbox.entity';
import type { OrganizationEmailSettings } from '../mail/organization-email-settings.entity';
import { QuarantinedMessage } from '../mail/quarantined-message.entity';
import { Queue } from '../queues/queue.entity';
import { CaseStatus, CrmCase } from '../records/case.entity';
import type { Logger } from '../platform/logger';
import { storeSmallBlobs } from './body-blobs';
import { storeDetail } from '../activities/party-view';
import { decideItem, partyResolutionOf, type ItemDecision, type PartyDecision, type TrackingSwitches } from './decide-item';
import { MeetingInvites, prepareInvite, type InviteRequest, type PreparedInvite } from './meeting-invites';
import { prepareItem, type PreparedItem } from './prepare-item';
import { contactFromLead, createCaseFromEmail, createContactForSender, createLeadForSender, type Ownership } from './records-for-mail';
import { caseCustomerFor, noCaseAlert, reopensCase, type NoCaseReason } from './rules/email-to-case';
import type { RecordRef } from './rules/correlation';
import { normalizeSubject, subjectHash } from './rules/subject';
import { findToken, tokenPattern, type TokenFormat } from './rules/tracking-token';
import type { QuarantineInput, TrackEmailsInput, TrackEmailsResult, TrackedItem } from './track-emails.inputs';
import { TrackingFacts } from './tracking-facts';
import { forUpdate } from '../db/row-locks';

const GLOBAL_TYPE: Record<string, GlobalType> = { user: 'User', queue: 'Queue', contact: 'Contact', account: 'Account', lead: 'Lead', opportunity: 'Opportunity', case: 'Case' };
const globalIdOf = (kind: string, id: string) => toGlobalId(GLOBAL_TYPE[kind], id);

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
  readonly tracked: { activityId: string; records: ActivityEvent['records'] }[];
  /** Activities changed besides the tracked ones (appointments from invitations, UNCERTAIN emails found sent), published after commit. */
  readonly changes: { activityId: string; type: 'ACTIVITY_CREATED' | 'ACTIVITY_UPDATED' }[];
}

/**
 * `trackEmails`: the API side of server-side sync. One batch of one mailbox is decided and written
 * in one transaction together with the mailbox's cursor, so a crash re-delivers the batch and a
 * replay changes nothing (mailbox_item remembers every decision).
 */
export class TrackingService {
  private readonly invites: MeetingInvites;

  constructor(
    private readonly db: DataSource,
    private readonly settings: EmailSettingsService,
    private readonly blobs: BlobStore,
    private readonly writer: ActivityWriter,
    private readonly events: ActivityEvents,
    private readonly log: Logger,
    private readonly live: LiveEventLog,
  ) {
    this.invites = new MeetingInvites(writer);
  }

  async trackEmails(principal: Principal, mailboxGlobalId: string, input: TrackEmailsInput): Promise<TrackEmailsResult> {
    requireSyncEngine(principal, 'track email');
    const { id: mailboxId } = expectGlobalId('mailboxId', mailboxGlobalId, 'Mailbox');
    const mailbox = await this.db.getRepository(Mailbox).findOneBy({ id: mailboxId });
    if (!mailbox) throw notFound('mailboxId', mailboxGlobalId);
    const settings = await this.settings.current();
    const ownerUser = await this.db.getRepository(User).findOneByOrFail({ id: mailbox.ownerUserId });
    const queue = mailbox.queueId ? await this.db.getRepository(Queue).findOneBy({ id: mailbox.queueId }) : null;
    const now = new Date();
    const invites = new Map<number, PreparedInvite>();
    input.items.forEach((item, index) => {
      if (item.calendar) invites.set(index, prepareInvite(repairStrings(item.calendar)));
    });
    const prepared = input.items.map((item, index) => prepareItem(item, index, { mailboxAddress: mailbox.address, maxBodyBytes: settings.maxBodyKb * 1024, now }));
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
      invites,
      quarantine: checkQuarantine(input.quarantine ?? []),
      storedSizes,
    };

    const outcome = await retryingDatabaseWork(
      () => this.db.transaction((em) => this.runBatch(em, ctx, prepared, rejections, input.cursor ?? null)),
      BATCH_RETRIES,
      (kind, attempt) => this.log.debug({ kind, attempt, mailboxId }, 'trackEmails conflicted with another writer; running the batch again'),
    );
    for (const t of outcome.tracked) {
      this.events.publish({ type: 'ACTIVITY_TRACKED', activityId: t.activityId, mailboxId, records: t.records });
    }
    for (const a of outcome.changes) await this.events.publishChange(this.db, a.type, a.activityId);
    return { items: outcome.items, cursor: outcome.cursor };
  }

  /**
   * The stored size of every uploaded attachment, and the items to reject because a file that should be in
   * the blob store is not (the engine uploads it and sends the item again).
   */
  private async uploadedAttachments(items: readonly PreparedItem[], limit: number): Promise<{ rejections: Map<number, string>; storedSizes: Map<string, number> }> {
    const wanted = items.flatMap((i) => i.attachments.filter((a) => a.sha256 && a.size <= limit).map((a) => a.sha256!));
    const storedSizes = wanted.length ? await this.blobs.sizes(wanted) : new Map<string, number>();
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
    const [{ syncCursor: currentCursor, leaseId: currentLease }] = (await em.query(`SELECT syncCursor, leaseId FROM mailbox WHERE id = ?${forUpdate(em)}`, [mailbox.id])) as { syncCursor: string | null; leaseId: string | null }[];
    // Checked under the row lock: a claim cannot take the mailbox over between this check and the commit.
    if (ctx.leaseId !== null && currentLease !== ctx.leaseId) {
      throw new ApiError('CONFLICT', 'input.leaseId: this lease is no longer the mailbox\'s (another engine claimed it, or it was released); nothing was written', 'input.leaseId');
    }
    this.log.debug({ mailboxId: mailbox.id, items: items.length }, 'trackEmails batch started');
    // One PROGRESS event per batch (cursor, lastBatchAt, counts, quarantine): the alert lines it writes yield to it.
    await this.live.stage(em, { topic: 'MAILBOX', mailboxId: mailbox.id, change: 'PROGRESS' });
    const folderRules = await em.findBy(FolderTrackingRule, { mailboxId: mailbox.id });
    const inviteAddresses = [...ctx.invites.values()].flatMap((i) => i.parties.map((p) => p.address));
    const facts = await TrackingFacts.load(em, { mailboxId: mailbox.id, items, tokenFormat: ctx.tokenFormat, smartMatching: ctx.switches.smartMatching, extraAddresses: inviteAddresses });

    const results: TrackedItem[] = [];
    const tracked: BatchOutcome['tracked'] = [];
    const newActivities: { activity: NewActivity; parties: NewParty[] }[] = [];
    const emailRows: Partial<EmailMessage>[] = [];
    const attachmentRows: Partial<Attachment>[] = [];
    const links: ActivityMailbox[] = [];
    const ledger: Partial<MailboxItem>[] = [];
    const linkedExisting: string[] = [];
    const bodies: { row: Partial<EmailMessage>; text: Buffer | null; html: Buffer | null }[] = [];
    /** The email rows this batch stores, by item index. */
    const newEmails = new Map<number, Partial<EmailMessage>>();
    const seen = new Map<string, string | null>();
    /** Items whose email is kept (tracked, linked, or already seen tracked), with the regarding record an invitation in it takes. */
    const kept = new Map<number, { regarding: RecordRef | null } | { duplicateOf: string }>();

    for (const item of items) {
      const base = { index: item.index, messageId: item.messageId, salvaged: item.salvage.map((s) => `${s.code}: ${s.detail}`), errorCode: null, errorMessage: null, appointmentId: null };
      const rejection = rejections.get(item.index);
      if (rejection) {
        results.push({ ...base, outcome: 'REJECTED', activityId: null, errorCode: 'ATTACHMENT_NOT_UPLOADED', errorMessage: rejection, decision: null });
        continue;
      }
      const earlier = facts.decided.get(item.messageIdHash);
      if (earlier || seen.has(item.messageIdHash)) {
        const activityId = earlier ? earlier.activityId : seen.get(item.messageIdHash)!;
        if (activityId) kept.set(item.index, { duplicateOf: activityId });
        results.push({ ...base, outcome: 'DUPLICATE', activityId: activityId ? toGlobalId('Email', activityId) : null, decision: null });
        continue;
      }
      const existing = facts.existing(item.messageIdHash);
      if (existing) {
        // Already tracked from another mailbox (or sent from the hub): one email, linked to each mailbox.
        links.push({ activityId: existing.activityId, mailboxId: mailbox.id, folder: item.folder, seenAt: ctx.now });
        linkedExisting.push(existing.activityId);
        ledger.push({ mailboxId: mailbox.id, messageIdHash: item.messageIdHash, outcome: MailboxItemOutcome.TRACKED, reason: null, activityId: existing.activityId, decidedAt: ctx.now });
        seen.set(item.messageIdHash, existing.activityId);
        kept.set(item.index, { regarding: existing.regarding });
        results.push({ ...base, outcome: 'LINKED', activityId: toGlobalId('Email', existing.activityId), decision: null });
        continue;
      }

      const rule = folderRules.find((r) => item.folder !== null && r.folder === item.folder);
      const decision = decideItem({
        item,
        trackingFilter: mailbox.trackingFilter,
        switches: ctx.switches,
        folderRule: rule ? { folder: rule.folder, regarding: rule.regardingKind && rule.regardingId ? ({ kind: rule.regardingKind, id: rule.regardingId } as RecordRef) : null } : null,
        resolve: (address) => facts.resolve(address),
        evidence: facts.evidenceFor(item),
      });
      seen.set(item.messageIdHash, null);
      if (!decision.track) {
        ledger.push({ mailboxId: mailbox.id, messageIdHash: item.messageIdHash, outcome: MailboxItemOutcome.FILTERED, reason: decision.filterReason, activityId: null, decidedAt: ctx.now });
        results.push({ ...base, outcome: 'FILTERED', activityId: null, decision: traceOf('FILTERED', decision, decision.parties, decision.method, decision.evidence, decision.steps) });
        continue;
      }

      const steps = [...decision.steps];
      const parties = [...decision.parties];
      let regarding = decision.regarding;
      let method = decision.method;
      let evidence = decision.evidence;
      const sender = parties.find((p) => p.role === 'FROM');

      // Records for an unknown sender (user mailboxes; off by default).
      if (item.direction === 'INCOMING' && sender && sender.resolution.resolution === 'UNRESOLVED' && mailbox.autoCreateRecords !== AutoCreateRecords.NONE && !ctx.queue) {
        const kind = mailbox.autoCreateRecords === AutoCreateRecords.LEAD ? 'lead' : 'contact';
        const id = kind === 'lead' ? await createLeadForSender(em, sender, item.subject, ctx.owner) : await createContactForSender(em, sender, ctx.owner);
        this.resolveCreated(facts, parties, [sender.address], id, kind);
        steps.push({ step: 'AUTO_CREATE', outcome: 'CREATED', detail: `${kind} ${globalIdOf(kind, id)} for unknown sender ${sender.address}` });
      }

      // Email to case (queue mailboxes).
      if (ctx.queue && ctx.settings.queueCaseRulesEnabled && ctx.queue.createCaseFromEmail && item.direction === 'INCOMING') {
        const queued = await this.applyQueueRule(em, ctx, ctx.queue, item, parties, regarding, facts);
        steps.push(queued.step);
        if (queued.regarding) {
          regarding = queued.regarding;
          if (queued.created) {
            method = CorrelationMethod.QUEUE_RULE;
            evidence = `queue "${ctx.queue.name}" opened a case`;
          }
        }
      }

      const activityId = newId();
      const attachmentIds = item.attachments.map(() => newId());
      const token = findToken(ctx.tokenFormat, item.subject);
      steps.push({ step: 'STORE', outcome: 'TRACKED', detail: storeDetail(regarding) });
      const trace = traceOf('TRACKED', decision, parties, method, evidence, steps);
      const newParties: NewParty[] = parties.map((p) => ({
        role: p.role,
        address: p.address,
        displayName: p.name,
        partyKind: p.resolution.match?.kind ?? null,
        partyId: p.resolution.match?.id ?? null,
        resolution: partyResolutionOf(p.resolution),
        candidates: p.resolution.resolution === 'AMBIGUOUS' ? p.resolution.candidates.map((c) => `${c.kind}:${c.id}`) : [],
      }));
      const activity: NewActivity = {
        id: activityId,
        kind: ActivityKind.EMAIL,
        subject: item.subject,
        regardingKind: regarding?.kind ?? null,
        regardingId: regarding?.id ?? null,
        ownerId: ctx.owner.ownerId,
        businessUnitId: ctx.owner.businessUnitId,
        createdById: ctx.owner.actorId,
        modifiedById: ctx.owner.actorId,
        state: ActivityState.COMPLETED,
        direction: item.direction === 'OUTGOING' ? Direction.OUTGOING : Direction.INCOMING,
        occurredAt: item.occurredAt,
        description: null,
        visibility: mailbox.privacyLevel,
      };
      newActivities.push({ activity, parties: newParties });
      const row: Partial<EmailMessage> = {
        activityId,
        messageId: item.messageId,
        messageIdHash: item.messageIdHash,
        inReplyTo: item.inReplyTo,
        referenceIds: item.references.length ? JSON.stringify(item.references) : null,
        threadIndex: item.threadIndex,
        conversationRoot: item.conversationRoot,
        trackingToken: token,
        subjectHash: subjectHash(normalizeSubject(item.subject, tokenPattern(ctx.tokenFormat))),
        status: item.direction === 'OUTGOING' ? EmailStatus.SENT : EmailStatus.RECEIVED,
        sentAt: item.sentAt,
        receivedAt: item.receivedAt,
        fromAddress: item.from?.address ?? null,
        preview: previewOf(item.textBody ?? (item.htmlBody !== null ? textOfHtml(item.htmlBody) : null)),
        bodyTruncated: item.bodyTruncated,
        correlationMethod: method,
        trackingDecision: JSON.stringify(trace),
        salvage: item.salvage.length ? JSON.stringify(item.salvage) : null,
        sendAttempts: 0,
      };
      emailRows.push(row);
      newEmails.set(item.index, row);
      // The HTML as received: it is sanitized when someone reads it, so ingest does not pay for it.
      bodies.push({ row, text: item.textBody !== null ? Buffer.from(item.textBody, 'utf8') : null, html: item.htmlBody !== null ? Buffer.from(item.htmlBody, 'utf8') : null });
      const limit = ctx.settings.maxAttachmentKb * 1024;
      item.attachments.forEach((a, position) => {
        // The blob's own size, not the engine's claim: it is what a download delivers and what `size` promises.
        const storedSize = a.sha256 !== null && a.size <= limit ? ctx.storedSizes.get(a.sha256) : undefined;
        const stored = storedSize !== undefined && storedSize <= limit;
        attachmentRows.push({
          id: attachmentIds[position],
          activityId,
          fileName: a.fileName,
          contentType: a.contentType,
          size: storedSize ?? a.size,
          blobSha256: stored ? a.sha256 : null,
          contentId: a.contentId,
          inline: a.inline,
          skippedReason: stored ? null : AttachmentSkipReason.TOO_LARGE,
          position,
        });
      });
      links.push({ activityId, mailboxId: mailbox.id, folder: item.folder, seenAt: ctx.now });
      ledger.push({ mailboxId: mailbox.id, messageIdHash: item.messageIdHash, outcome: MailboxItemOutcome.TRACKED, reason: null, activityId, decidedAt: ctx.now });
      seen.set(item.messageIdHash, activityId);
      facts.remember({
        activityId,
        messageIdHash: item.messageIdHash,
        trackingToken: token,
        conversationRoot: item.conversationRoot,
        subjectHash: row.subjectHash ?? null,
        regarding,
        occurredAt: item.occurredAt,
        participantAddresses: parties.map((p) => p.address),
      });
      tracked.push({
        activityId,
        records: timelineTargets({ kind: activity.regardingKind, id: activity.regardingId }, newParties.filter((p) => p.resolution === PartyResolution.RESOLVED)).map(({ recordKind, recordId }) => ({ recordKind, recordId })),
      });
      kept.set(item.index, { regarding });
      results.push({ ...base, outcome: 'TRACKED', activityId: toGlobalId('Email', activityId), decision: trace });
    }

    // Bodies: content-addressed blobs written in this transaction (untracked mail stores nothing).
    const contents = bodies.flatMap((b) => [b.text, b.html].filter((c): c is Buffer => c !== null));
    const shas = await storeSmallBlobs(em, contents);
    let next = 0;
    for (const b of bodies) {
      if (b.text) b.row.textBodyBlob = shas[next++];
      if (b.html) b.row.htmlBodyBlob = shas[next++];
    }

    await this.writer.insert(em, newActivities);
    await insertChunked(em, EmailMessage, emailRows);
    await insertChunked(em, Attachment, attachmentRows);
    const alreadyLinked = linkedExisting.length
      ? new Set((await em.findBy(ActivityMailbox, { mailboxId: mailbox.id, activityId: In(linkedExisting) })).map((l) => l.activityId))
      : new Set<string>();
    await insertChunked(em, ActivityMailbox, links.filter((l) => !alreadyLinked.has(l.activityId)));
    await this.raiseVisibility(em, linkedExisting, mailbox);
    await insertChunked(em, MailboxItem, ledger);
    const appointments = await this.applyInvites(em, ctx, items, kept, results, facts, newEmails);
    const foundSent = await this.settleUncertain(em, linkedExisting, mailbox.id, ctx.now);
    await this.quarantine(em, ctx);
    await em.update(Mailbox, { id: mailbox.id }, { ...(cursor !== null ? { syncCursor: cursor } : {}), lastBatchAt: ctx.now, updatedAt: ctx.now });
    const changes = [...appointments, ...foundSent];
    const changedIds = new Set([...tracked.map((t) => t.activityId), ...changes.map((c) => c.activityId)]);
    await this.events.stageMany(em, [
      ...tracked.map((t) => ({ change: 'TRACKED' as const, activityId: t.activityId })),
      ...changes.map((c) => ({ change: c.type === 'ACTIVITY_CREATED' ? ('CREATED' as const) : ('UPDATED' as const), activityId: c.activityId })),
      // Seen again from another mailbox: its visibility may have opened up (raiseVisibility).
      ...linkedExisting.filter((id) => !changedIds.has(id) && !alreadyLinked.has(id)).map((activityId) => ({ change: 'UPDATED' as const, activityId })),
    ]);
    return { items: results, tracked, cursor: cursor ?? currentCursor, changes };
  }

  /**
   * An email the hub sent that went UNCERTAIN (the engine went quiet after handing it to the server) and now
   * shows up in its sender's own mailbox (the Sent copy, or a server that files sent mail itself) was delivered:
   * SENT, the FOUND_IN_SENT transition of email-send-state.ts, without anyone sending it again.
   */
  private async settleUncertain(em: EntityManager, linked: readonly string[], mailboxId: string, now: Date): Promise<BatchOutcome['changes']> {
    if (!linked.length) return [];
    const uncertain = await em.find(EmailMessage, {
      where: { activityId: In([...linked]), status: SEND_TRANSITIONS.FOUND_IN_SENT.from[0], senderMailboxId: mailboxId },
      select: { activityId: true, sentAt: true },
    });
    for (const email of uncertain) {
      const sentAt = email.sentAt ?? now;
      await em.update(
        EmailMessage,
        { activityId: email.activityId, status: SEND_TRANSITIONS.FOUND_IN_SENT.from[0] },
        { status: SEND_TRANSITIONS.FOUND_IN_SENT.to, sentAt, failureReason: null, sendLeaseId: null, sendLeaseUntil: null },
      );
      // As when the engine reports it sent: the activity is done, dated when it went out.
      await em.update(Activity, { id: email.activityId }, { state: ActivityState.COMPLETED, occurredAt: sentAt, updatedAt: now });
      await this.writer.rebuildTimeline(em, email.activityId);
    }
    return uncertain.map((e) => ({ activityId: e.activityId, type: 'ACTIVITY_UPDATED' as const }));
  }

  /** Meeting invitations of kept emails become or change Appointments (meeting-invites.ts); filtered and rejected mail changes nothing. */
  private async applyInvites(
    em: EntityManager,
    ctx: BatchContext,
    items: readonly PreparedItem[],
    kept: ReadonlyMap<number, { regarding: RecordRef | null } | { duplicateOf: string }>,
    results: TrackedItem[],
    facts: TrackingFacts,
    newEmails: ReadonlyMap<number, Partial<EmailMessage>>,
  ): Promise<BatchOutcome['changes']> {
    const withInvite = items.filter((i) => ctx.invites.has(i.index) && kept.has(i.index));
    if (!withInvite.length) return [];
    // An email seen before: its invitation regards what the email regards now.
    const duplicateIds = withInvite.map((i) => kept.get(i.index)!).flatMap((k) => ('duplicateOf' in k ? [k.duplicateOf] : []));
    const earlier = duplicateIds.length
      ? new Map((await em.find(Activity, { where: { id: In(duplicateIds) }, select: { id: true, regardingKind: true, regardingId: true } })).map((a) => [a.id, a]))
      : new Map<string, Activity>();
    const requests: InviteRequest[] = withInvite.map((item) => {
      const k = kept.get(item.index)!;
      let regarding: RecordRef | null;
      if ('duplicateOf' in k) {
        const a = earlier.get(k.duplicateOf);
        regarding = a?.regardingKind && a.regardingId ? ({ kind: a.regardingKind, id: a.regardingId } as RecordRef) : null;
      } else {
        regarding = k.regarding;
      }
      return { index: item.index, invite: ctx.invites.get(item.index)!, regarding, subject: item.subject };
    });
    const outcomes = await this.invites.apply(em, { ...ctx.owner, visibility: ctx.mailbox.privacyLevel, now: ctx.now, resolve: (address) => facts.resolve(address) }, requests);
    const appointments: BatchOutcome['changes'] = [];
    for (const outcome of outcomes) {
      const result = results.find((r) => r.index === outcome.index)!;
      result.appointmentId = outcome.appointmentId ? toGlobalId('Appointment', outcome.appointmentId) : null;
      if (outcome.note) {
        result.salvaged = [...result.salvaged, `INVALID_CALENDAR: ${outcome.note}`];
        // Kept with the email too, beside the repairs prepare-item made (a replayed email keeps what it has).
        const row = newEmails.get(outcome.index);
        if (row) {
          const salvage = [...(row.salvage ? (JSON.parse(row.salvage) as unknown[]) : []), { code: 'INVALID_CALENDAR', detail: outcome.note }];
          await em.update(EmailMessage, { activityId: row.activityId }, { salvage: JSON.stringify(salvage) });
        }
      }
      if (outcome.change && outcome.appointmentId && !appointments.some((a) => a.activityId === outcome.appointmentId)) {
        appointments.push({ activityId: outcome.appointmentId, type: outcome.change });
      }
    }
    return appointments;
  }

  /** Messages the engine could not track, recorded once per sourceRef with a warning line each in the alert log. */
  private async quarantine(em: EntityManager, ctx: BatchContext): Promise<void> {
    if (!ctx.quarantine.length) return;
    const mailboxId = ctx.mailbox.id;
    const refs = [...new Set(ctx.quarantine.map((q) => q.sourceRef))];
    const known = new Set((await em.find(QuarantinedMessage, { where: { mailboxId, sourceRef: In(refs) }, select: { sourceRef: true } })).map((q) => q.sourceRef));
    for (const q of ctx.quarantine) {
      if (known.has(q.sourceRef)) continue;
      known.add(q.sourceRef);
      const row = {
        id: newId(),
        mailboxId,
        sourceRef: q.sourceRef,
        folder: clip(q.folder, 255),
        code: q.code.trim().slice(0, 48),
        reason: clip(q.reason, 2000) ?? 'no reason given',
        messageId: clip(q.messageId, 998),
        subject: clip(q.subject, 400),
        fromAddress: clip(q.fromAddress, 320),
        size: Number.isInteger(q.size) && q.size! >= 0 ? q.size! : null,
        quarantinedAt: ctx.now,
      };
      await em.insert(QuarantinedMessage, row);
      const what = `${row.subject ? `"${row.subject}"` : 'a message without subject'}${row.fromAddress ? ` from ${row.fromAddress}` : ''}`;
      await recordAlert(em, this.live, mailboxId, AlertSeverity.WARNING, 'MESSAGE_QUARANTINED', `Quarantined ${what} (${row.code}): ${row.reason}. The rest of the mailbox keeps syncing.`);
    }
  }

  /** A record made during the batch carries these addresses: they resolve to it from now on, in this item's parties too. */
  private resolveCreated(facts: TrackingFacts, parties: PartyDecision[], addresses: readonly string[], id: string, kind: 'contact' | 'lead' = 'contact'): void {
    for (const address of new Set(addresses)) {
      facts.addMatch(address, { kind, id });
      const resolved = facts.resolve(address);
      parties.forEach((p, i) => {
        if (p.address === address) parties[i] = { ...p, resolution: resolved };
      });
    }
  }

  /**
   * Dynamics' email-to-case: replies land on their case (reopened if the rule says so); a new conversation
   * opens one for its sender (rules/email-to-case.ts decides who the customer is). When it opens none, the
   * step says why and so, once per reason and day, does the queue mailbox's alert log.
   */
  private async applyQueueRule(
    em: EntityManager,
    ctx: BatchContext,
    queue: Queue,
    item: PreparedItem,
    parties: PartyDecision[],
    regarding: RecordRef | null,
    facts: TrackingFacts,
  ): Promise<{ step: TrackingStep; regarding: RecordRef | null; created: boolean }> {
    const owner: Ownership = { ...ctx.owner };
    if (regarding?.kind === 'case') {
      const existingCase = await em.findOneBy(CrmCase, { id: regarding.id });
      const hours = queue.reopenResolvedWithinHours;
      if (existingCase && reopensCase({ resolved: existingCase.status === CaseStatus.RESOLVED, resolvedAt: existingCase.updatedAt }, hours, ctx.now)) {
        await em.update(CrmCase, { id: existingCase.id }, { status: CaseStatus.ACTIVE, modifiedById: owner.actorId, updatedAt: ctx.now });
        return { step: { step: 'QUEUE_RULE', outcome: 'REOPENED', detail: `case ${existingCase.ticketNumber} was resolved less than ${hours} h ago` }, regarding, created: false };
      }
      return { step: { step: 'QUEUE_RULE', outcome: 'EXISTING_CASE', detail: `reply to case ${existingCase?.ticketNumber ?? regarding.id}` }, regarding, created: false };
    }
    if (regarding) return { step: { step: 'QUEUE_RULE', outcome: 'SKIPPED', detail: `already regarding a ${regarding.kind}` }, regarding, created: false };
    const sender = parties.find((p) => p.role === 'FROM') ?? null;
    const decision = caseCustomerFor(sender?.resolution ?? null, queue);
    let customer: { kind: 'contact' | 'account'; id: string };
    let made = '';
    switch (decision.action) {
      case 'NO_CASE': {
        const alert = noCaseAlert(decision.reason);
        await recordAlertOnce(em, this.live, ctx.mailbox.id, AlertSeverity[alert.severity], alert.code, alert.message, ALERT_REPEAT_MS, ctx.now);
        return { step: { step: 'QUEUE_RULE', outcome: 'NO_CUSTOMER', detail: noCaseDetail(decision.reason, sender) }, regarding: null, created: false };
      }
      case 'CASE_FOR':
        customer = decision.customer;
        break;
      case 'CONTACT_FOR_UNKNOWN': {
        const id = await createContactForSender(em, sender!, owner);
        this.resolveCreated(facts, parties, [sender!.address], id);
        customer = { kind: 'contact', id };
        made = `, a new contact for unknown sender ${sender!.address}`;
        break;
      }
      case 'CONTACT_FROM_LEAD': {
        const { contactId, addresses } = await contactFromLead(em, decision.leadId, owner);
        this.resolveCreated(facts, parties, [sender!.address, ...addresses], contactId);
        customer = { kind: 'contact', id: contactId };
        made = `, made from lead ${globalIdOf('lead', decision.leadId)}`;
        break;
      }
    }
    const caseId = await createCaseFromEmail(em, item.subject, customer, owner);
    return {
      step: { step: 'QUEUE_RULE', outcome: 'CASE_CREATED', detail: `case ${globalIdOf('case', caseId)} for ${customer.kind} ${globalIdOf(customer.kind, customer.id)}${made}` },
      regarding: { kind: 'case', id: caseId },
      created: true,
    };
  }

  /** An email linked to one more mailbox is as visible as the most open of them. */
  private async raiseVisibility(em: EntityManager, activityIds: readonly string[], mailbox: Mailbox): Promise<void> {
    if (!activityIds.length) return;
    const rows = await em.find(Activity, { where: { id: In([...activityIds]) }, select: { id: true, visibility: true } });
    const lower = rows.filter((r) => PRIVACY_RANK[r.visibility] < PRIVACY_RANK[mailbox.privacyLevel]).map((r) => r.id);
    if (lower.length) await em.update(Activity, { id: In(lower) }, { visibility: mailbox.privacyLevel });
  }
}


/** A queue's "could not open a case" line is repeated at most once a day per reason. */
const ALERT_REPEAT_MS = 24 * 3_600_000;

/** The QUEUE_RULE step's detail for a new conversation that opened no case. */
function noCaseDetail(reason: NoCaseReason, sender: PartyDecision | null): string {
  switch (reason) {
    case 'NO_SENDER':
      return 'no valid sender address';
    case 'AMBIGUOUS_SENDER':
      return `sender ${sender!.address} is ambiguous: ${sender!.resolution.candidates.map((c) => `${c.kind} ${globalIdOf(c.kind, c.id)}`).join(', ')}`;
    case 'INTERNAL_SENDER':
      return `sender ${sender!.address} is a ${sender!.resolution.match!.kind} of this organization, not a customer`;
    case 'UNKNOWN_SENDER':
      return `sender ${sender!.address} is unknown; the queue creates no contact for unknown senders`;
    case 'LEAD_SENDER':
      return `sender ${sender!.address} is a lead; the queue creates no contact for leads`;
  }
}

const clip = (text: string | null | undefined, max: number): string | null => {
  const trimmed = text?.trim();
  return trimmed ? [...trimmed].slice(0, max).join('') : null;
};

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


function traceOf(outcome: string, decision: ItemDecision, parties: readonly PartyDecision[], method: CorrelationMethod, evidence: string | null, steps: TrackingStep[]): TrackingDecision {
  return {
    outcome,
    filterReason: decision.filterReason,
    correlationMethod: method,
    correlationEvidence: evidence,
    parties: parties.map((p) => ({
      role: p.role,
      address: p.address,
      resolution: partyResolutionOf(p.resolution),
      kind: p.resolution.match?.kind ?? null,
      recordId: p.resolution.match ? globalIdOf(p.resolution.match.kind, p.resolution.match.id) : null,
      candidates: p.resolution.resolution === 'AMBIGUOUS' ? p.resolution.candidates.map((c) => globalIdOf(c.kind, c.id)) : [],
    })),
    steps,
  };
}

