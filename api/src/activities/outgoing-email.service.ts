import type BetterSqlite3 from 'better-sqlite3';
import type { ActivityEvents } from './activity-events';
import { In, LessThan, type DataSource, type EntityManager } from 'typeorm';
import { type OwnedRow, type Principal } from '../access/principal';
import { requireSyncEngine } from '../access/sync-engine-guard';
import { Privilege } from '../access/privileges';
import type { BlobStore } from '../attachments/blob-store';
import { ApiError, badInput, forbidden, notFound } from '../common/errors';
import { expectGlobalId, toGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import { runClaim } from '../db/lease-claim';
import { repairText } from '../common/text';
import { User } from '../identity/user.entity';
import type { EmailSettingsService } from '../mail/email-settings.service';
import type { MailTransports } from '../mail/mail-transport';
import { sendsSql } from '../mail/mailbox-eligibility-sql';
import type { MailTransport } from '../mail/mailbox-sync.types';
import { MailboxOwnerKind } from '../mail/mail-enums';
import { Mailbox } from '../mail/mailbox.entity';
import { mayUseMailbox } from '../mail/mailbox.service';
import type { OrganizationEmailSettings } from '../mail/organization-email-settings.entity';
import { TrackingTokenCounters } from '../mail/tracking-token-counter';
import { Queue } from '../queues/queue.entity';
import { EmailAddress } from '../records/email-address.entity';
import { RECORD_GLOBAL_TYPE, type RecordKind } from '../records/record-kind';
import { resolveParty, type PartyKind, type PartyMatch } from '../tracking/rules/party-resolution';
import { formatToken, tokenPattern, type TokenFormat } from '../tracking/rules/tracking-token';
import { mayOnActivity } from './activity-access';
import { ActivityState, CorrelationMethod, Direction, EmailStatus, PartyResolution, PartyRole } from './activity-enums';
import { ActivityMailbox } from './activity-mailbox.entity';
import { ActivityParty } from './activity-party.entity';
import type { ActivityWriter, NewParty } from './activity-writer';
import { Activity } from './activity.entity';
import { partyOf, REGARDING_TYPES, type ActivityService, type LinkRequest, type LinkTarget } from './activity.service';
import { Attachment } from './attachment.entity';
import { sanitizeEmailHtml } from './email-html';
import { EmailMessage } from './email-message.entity';
import { emailRows } from './email-rows';
import { afterFailure, judgeLeaseReport, SEND_TRANSITIONS, type SendEvent } from './email-send-state';
import {
  checkRecipientCount,
  htmlForSending,
  newMessageId,
  previewOf,
  RECIPIENT_LISTS,
  replyReferences,
  replySubject,
  subjectWithToken,
  textOfHtml,
  typedRecipients,
  type RecipientRole,
} from './outgoing-email-rules';
import type { SendEmailInput } from './outgoing-email.inputs';
import { privacyFor, showsSubject } from './activity-privacy';

/** An address with the name to show beside it in the header. */
export interface MailAddress {
  readonly address: string;
  readonly name: string | null;
}

export interface OutgoingAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
}

/** Everything a sync engine needs to send one claimed email, and the lease it must quote when it reports back. */
export interface OutgoingEmail {
  readonly emailId: string;
  readonly leaseId: string;
  readonly leaseUntil: Date;
  readonly mailboxId: string;
  readonly from: MailAddress;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly bcc: readonly MailAddress[];
  readonly subject: string;
  readonly messageId: string;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly textBody: string | null;
  readonly htmlBody: string | null;
  readonly attachments: readonly OutgoingAttachment[];
  readonly attempt: number;
  /** The sender mailbox's SMTP server (and IMAP Sent folder), with its decrypted credentials. */
  readonly transport: MailTransport;
}

export const CLAIM_LIMIT = { min: 1, max: 100, default: 10 } as const;
export const LEASE_SECONDS = { min: 5, max: 3600, default: 120 } as const;

export const LEASE_EXPIRED_REASON = 'the sync engine stopped reporting while sending; it may or may not have been delivered';
const MAX_REASON_LENGTH = 2000;
/** Bodies handed to the sync engine: well above any organization's body limit. */
const MAX_SEND_BODY_BYTES = 16 * 1024 * 1024;

const isSqlite = (db: DataSource) => db.options.type === 'better-sqlite3';

const tokenFormatOf = (s: OrganizationEmailSettings): TokenFormat => ({
  prefix: s.tokenPrefix,
  baseNumber: s.tokenBaseNumber,
  userDigits: s.tokenUserDigits,
  counterDigits: s.tokenCounterDigits,
});

const TYPED_KINDS: readonly PartyKind[] = ['contact', 'account', 'lead'];

/**
 * Email sent from the hub: composed by users (PENDING_SEND), claimed by sync engines under a lease,
 * and reported back, every change of status through the transition table in email-send-state.ts
 * applied by one conditional UPDATE. Nothing is sent twice without a person (or the Sent folder)
 * deciding so, and nothing queued is lost: an engine that goes quiet leaves its email UNCERTAIN.
 */
export class OutgoingEmailService {
  /** The per-user tracking token numbers live beside the email they number. */
  private readonly counters: TrackingTokenCounters;

  constructor(
    private readonly db: DataSource,
    private readonly activities: ActivityService,
    private readonly writer: ActivityWriter,
    private readonly blobs: Pick<BlobStore, 'putBuffer' | 'readSmall'>,
    private readonly settings: Pick<EmailSettingsService, 'current'>,
    private readonly events: ActivityEvents,
    private readonly transports: MailTransports,
  ) {
    this.counters = new TrackingTokenCounters(db);
  }

  // --- composing -------------------------------------------------------------------------------

  /** Queues an email for sending: one activity with its parties, message row and mailbox link, in one transaction. */
  async send(principal: Principal, input: SendEmailInput): Promise<Activity> {
    const caller = await this.db.getRepository(User).findOneByOrFail({ id: principal.userId });
    const row: OwnedRow = { ownerId: caller.id, businessUnitId: caller.businessUnitId };
    if (!mayOnActivity(principal, Privilege.CREATE, row)) throw forbidden('you may not create activities, so you may not send email');
    const settings = await this.settings.current();
    const mailbox = await this.senderMailbox(principal, input.fromMailboxId);

    const parent = input.inReplyToId ? await this.parentOf(principal, input.inReplyToId) : null;
    const typed = typedRecipients(input);

    const requests: LinkRequest[] = [];
    if (input.regardingId) requests.push({ field: 'input.regardingId', globalId: input.regardingId, types: REGARDING_TYPES });
    const recordRoles: RecipientRole[] = [];
    const recordIds = { to: input.toRecordIds, cc: input.ccRecordIds, bcc: input.bccRecordIds };
    for (const { role, list } of RECIPIENT_LISTS) {
      (recordIds[list] ?? []).forEach((globalId, index) => {
        requests.push({ field: `input.${list}RecordIds[${index}]`, globalId, types: ['Contact', 'Lead', 'Account', 'User'] });
        recordRoles.push(role);
      });
    }
    const targets = await this.activities.linkTargets(principal, row, requests);
    let regarding: LinkTarget | null = input.regardingId ? targets[0] : null;
    const recordTargets = targets.slice(input.regardingId ? 1 : 0);
    for (const target of recordTargets) {
      if (!target.address) throw badInput(target.field, 'this record has no email address');
    }
    let correlation: CorrelationMethod | null = regarding ? CorrelationMethod.MANUAL : null;
    if (!regarding && parent?.regarding) {
      // The reply stays on the thread's record when the caller may link to it; otherwise it regards nothing.
      regarding = await this.activities.linkTargets(principal, row, [parent.regarding]).then(([t]) => t, (err) => {
        if (err instanceof ApiError) return null;
        throw err;
      });
      if (regarding) correlation = CorrelationMethod.IN_REPLY_TO;
    }

    // Typed addresses first, then records' addresses; each address once.
    const seen = new Set(typed.map((r) => r.address));
    const byRecord: { target: LinkTarget; role: RecipientRole }[] = [];
    recordTargets.forEach((target, i) => {
      if (seen.has(target.address!)) return;
      seen.add(target.address!);
      byRecord.push({ target, role: recordRoles[i] });
    });
    checkRecipientCount(typed.length + byRecord.length);
    const recipients: NewParty[] = [...(await this.resolveTyped(principal, typed)), ...byRecord.map(({ target, role }) => partyOf(target, role))];
    const sender = await this.senderParty(mailbox);

    const bodies = await this.storeBodies(input, settings);
    const format = tokenFormatOf(settings);
    const userNumber = settings.trackingTokenEnabled ? await this.counters.userNumber(caller.id) : null;
    const baseSubject = input.subject ?? (parent ? parent.replySubject : '');

    const id = newId();
    const now = new Date();
    const messageId = newMessageId(newId(), mailbox.address);
    return this.published(id, 'ACTIVITY_CREATED', this.db.transaction(async (em) => {
      let token: string | null = null;
      if (userNumber !== null) {
        const { counter } = await this.counters.next(em, caller.id, format.counterDigits);
        // More users than the user digits can number share digits: a token is a hint, never proof.
        token = formatToken(format, userNumber % 10 ** format.userDigits, counter);
      }
      const subject = subjectWithToken(baseSubject, token, tokenPattern(format));
      const rows = emailRows({
        id,
        owner: { ownerId: caller.id, businessUnitId: caller.businessUnitId, actorId: caller.id },
        subject,
        regarding: regarding ? { kind: regarding.kind as RecordKind, id: regarding.id } : null,
        state: ActivityState.OPEN,
        direction: Direction.OUTGOING,
        occurredAt: now,
        visibility: mailbox.privacyLevel,
        parties: [sender, ...recipients],
        messageId,
        inReplyTo: parent?.messageId ?? null,
        references: parent ? parent.references : null,
        threadIndex: null,
        conversationRoot: null,
        trackingToken: token,
        tokenFormat: format,
        status: EmailStatus.PENDING_SEND,
        sentAt: null,
        receivedAt: null,
        fromAddress: mailbox.address,
        textBodyBlob: bodies.textBlob,
        htmlBodyBlob: bodies.htmlBlob,
        preview: bodies.preview,
        bodyTruncated: false,
        correlationMethod: correlation,
        trackingDecision: null,
        salvage: null,
        senderMailboxId: mailbox.id,
      });
      await this.writer.insert(em, [rows]);
      await em.insert(EmailMessage, rows.email);
      await em.insert(ActivityMailbox, { activityId: id, mailboxId: mailbox.id, folder: null, seenAt: now });
      await this.events.stage(em, 'CREATED', id);
      return em.findOneByOrFail(Activity, { id });
    }));
  }

  /** The caller's own user mailbox, or the one named: their own or a queue's they may use. */
  private async senderMailbox(principal: Principal, globalId: string | null | undefined): Promise<Mailbox> {
    const repo = this.db.getRepository(Mailbox);
    if (globalId) {
      const field = 'input.fromMailboxId';
      const { id } = expectGlobalId(field, globalId, 'Mailbox');
      const mailbox = await repo.findOneBy({ id });
      if (!mailbox || !mayUseMailbox(principal, mailbox, Privilege.READ)) throw notFound(field, globalId);
      const allowed = mailbox.ownerKind === MailboxOwnerKind.USER ? mailbox.ownerUserId === principal.userId : mayUseMailbox(principal, mailbox, Privilege.WRITE);
      if (!allowed) throw new ApiError('FORBIDDEN', `${field}: you may send only from your own mailbox or a queue's mailbox you manage`, field);
      return mailbox;
    }
    const [own] = await repo.find({ where: { ownerKind: MailboxOwnerKind.USER, ownerUserId: principal.userId }, order: { createdAt: 'ASC' }, take: 1 });
    if (!own) throw badInput('input.fromMailboxId', 'you have no mailbox to send from; name a queue mailbox or ask an administrator for one');
    return own;
  }

  private async senderParty(mailbox: Mailbox): Promise<NewParty> {
    if (mailbox.ownerKind === MailboxOwnerKind.QUEUE && mailbox.queueId) {
      const queue = await this.db.getRepository(Queue).findOneBy({ id: mailbox.queueId });
      return partyOf({ kind: 'queue', id: mailbox.queueId, address: mailbox.address, displayName: queue?.name ?? null }, PartyRole.FROM);
    }
    const user = await this.db.getRepository(User).findOneBy({ id: mailbox.ownerUserId });
    return partyOf({ kind: 'user', id: mailbox.ownerUserId, address: mailbox.address, displayName: user?.fullName ?? null }, PartyRole.FROM);
  }

  /** The email replied to, if the caller may read it, with what the reply takes from it. */
  private async parentOf(principal: Principal, globalId: string) {
    const activity = await this.activities.activity(principal, 'input.inReplyToId', globalId, Privilege.READ, ['Email']);
    const message = await this.db.getRepository(EmailMessage).findOneByOrFail({ activityId: activity.id });
    const ownerIds = (await this.db.getRepository(ActivityMailbox).find({ where: { activityId: activity.id } })).map((l) => l.mailboxId);
    const mailboxOwners = ownerIds.length ? (await this.db.getRepository(Mailbox).findBy({ id: In(ownerIds) })).map((m) => m.ownerUserId) : [];
    // A subject the mailbox's privacy level hides from the caller is not copied into their reply.
    const subjectVisible = showsSubject(privacyFor(principal.userId, activity, mailboxOwners));
    const earlier: string[] = message.referenceIds ? (JSON.parse(message.referenceIds) as string[]) : [];
    return {
      messageId: message.messageId,
      references: replyReferences(earlier, message.messageId),
      replySubject: subjectVisible ? replySubject(activity.subject) : '',
      regarding:
        activity.regardingKind && activity.regardingId
          ? { field: 'input.inReplyToId', globalId: toGlobalId(RECORD_GLOBAL_TYPE[activity.regardingKind], activity.regardingId), types: REGARDING_TYPES }
          : null,
    };
  }

  /**
   * Parties for typed addresses, resolved as tracking resolves them (party-resolution.ts): the
   * records that carry the address, user before queue before contact, account and lead; several
   * of the winning kind are AMBIGUOUS and none is guessed. What the sender sees of the answer is
   * filtered by their access when read (party-view.ts), like every party.
   */
  private async resolveTyped(principal: Principal, recipients: readonly { role: RecipientRole; address: string }[]): Promise<NewParty[]> {
    const addresses = recipients.map((r) => r.address);
    const matches = new Map<string, PartyMatch[]>();
    const add = (address: string, match: PartyMatch) => matches.set(address, [...(matches.get(address) ?? []), match]);
    for (let i = 0; i < addresses.length; i += 500) {
      const chunk = addresses.slice(i, i + 500);
      for (const u of await this.db.getRepository(User).find({ where: { email: In(chunk) }, select: { id: true, email: true } })) add(u.email, { kind: 'user', id: u.id });
      for (const q of await this.db.getRepository(Queue).find({ where: { emailAddress: In(chunk) }, select: { id: true, emailAddress: true } })) add(q.emailAddress, { kind: 'queue', id: q.id });
      for (const e of await this.db.getRepository(EmailAddress).find({ where: { address: In(chunk) } })) {
        if (TYPED_KINDS.includes(e.recordKind as PartyKind)) add(e.address, { kind: e.recordKind as PartyKind, id: e.recordId });
      }
    }
    const resolved = recipients.map((r) => ({ ...r, resolution: resolveParty(r.address, matches.get(r.address) ?? []) }));
    // A name only from a record the sender may read: it travels in the header to their Sent folder.
    const named = resolved.flatMap((r) => (r.resolution.match && r.resolution.match.kind !== 'queue' ? [{ kind: r.resolution.match.kind as 'user' | RecordKind, id: r.resolution.match.id }] : []));
    const names = await this.activities.readableNames(principal, named);
    return resolved.map(({ role, address, resolution }) => ({
      role,
      address,
      displayName: resolution.match ? (names.get(`${resolution.match.kind}:${resolution.match.id}`) ?? null) : null,
      partyKind: resolution.match?.kind ?? null,
      partyId: resolution.match?.id ?? null,
      resolution: PartyResolution[resolution.resolution],
      candidates: resolution.resolution === 'AMBIGUOUS' ? resolution.candidates.map((c) => `${c.kind}:${c.id}`) : undefined,
    }));
  }

  /** Bodies into the blob store (before the transaction: blobs are content-addressed, so a rolled-back send only leaves an unreferenced blob). */
  private async storeBodies(input: SendEmailInput, settings: OrganizationEmailSettings) {
    const maxBytes = settings.maxBodyKb * 1024;
    const put = async (field: string, content: string) => {
      const result = await this.blobs.putBuffer(content, { maxBytes });
      if ('tooLarge' in result) throw badInput(field, `is larger than the organization's limit of ${settings.maxBodyKb} KB`);
      return result.sha256;
    };
    const text = input.textBody ? input.textBody : null;
    // Stored as it will be sent: made safe (no scripts, handlers, forms), remote images as written.
    // Readers see it through the display sanitizer, like any tracked email.
    const html = input.htmlBody ? htmlForSending(sanitizeEmailHtml(input.htmlBody).html) : null;
    return {
      textBlob: text !== null ? await put('input.textBody', text) : null,
      htmlBlob: html !== null ? await put('input.htmlBody', html) : null,
      preview: previewOf(text ?? (html ? textOfHtml(html) : null)),
    };
  }

  // --- the sync engine's side -------------------------------------------------------------------

  /**
   * Claims up to `limit` emails that are due under a fresh lease each: never-deferred ones first,
   * oldest first, then retries in the order they fell due. Only email whose sender mailbox may send
   * (configured, approved, enabled, outgoing method SERVER_SIDE_SYNC) is handed out. Expired leases
   * are settled first (UNCERTAIN, never back to PENDING_SEND). Two engines claiming at once never
   * get the same email: MySQL/MariaDB skip rows another claim has locked; on SQLite the claim runs
   * as one synchronous write transaction that nothing can interleave with.
   */
  async claim(principal: Principal, limit: number = CLAIM_LIMIT.default, leaseSeconds: number = LEASE_SECONDS.default): Promise<OutgoingEmail[]> {
    requireSyncEngine(principal, 'claim and report outgoing email');
    if (!Number.isInteger(limit) || limit < CLAIM_LIMIT.min || limit > CLAIM_LIMIT.max) throw badInput('limit', `must be from ${CLAIM_LIMIT.min} to ${CLAIM_LIMIT.max}`);
    if (!Number.isInteger(leaseSeconds) || leaseSeconds < LEASE_SECONDS.min || leaseSeconds > LEASE_SECONDS.max) {
      throw badInput('leaseSeconds', `must be from ${LEASE_SECONDS.min} to ${LEASE_SECONDS.max}`);
    }
    const now = new Date();
    await this.expireSendLeases(now);
    const until = new Date(now.getTime() + leaseSeconds * 1000);
    const onlyApproved = (await this.settings.current()).processEmailOnlyForApprovedMailboxes;
    // READ COMMITTED: no gap locks, so a claim does not block composing or reporting on other emails.
    const claimed = await runClaim(this.db, (em) => this.claimOnMysql(em, now, until, limit, onlyApproved), {
      isolation: 'READ COMMITTED',
      sqlite: (conn) => this.claimOnSqlite(conn, now, until, limit, onlyApproved),
    });
    // The SQLite claim ran outside TypeORM (see claimOnSqlite): its SENDING events are written right after it.
    if (isSqlite(this.db)) for (const { id } of claimed) await this.events.stage(this.db.manager, 'UPDATED', id);
    return this.outgoing(claimed);
  }

  /** SENDING emails whose lease ran out become UNCERTAIN; returns how many. */
  async expireSendLeases(now = new Date()): Promise<number> {
    const expired = await this.db.getRepository(EmailMessage).find({
      where: { status: In([...SEND_TRANSITIONS.LEASE_EXPIRED.from]), sendLeaseUntil: LessThan(now) },
      select: { activityId: true },
    });
    let changed = 0;
    for (const { activityId } of expired) {
      // One transaction per email, so each change is staged with the update that made it.
      await this.db.transaction(async (em) => {
        const result = await em
          .createQueryBuilder()
          .update(EmailMessage)
          .set({ status: SEND_TRANSITIONS.LEASE_EXPIRED.to, failureReason: LEASE_EXPIRED_REASON })
          .where('activityId = :id AND status IN (:...from) AND sendLeaseUntil < :now', { id: activityId, from: SEND_TRANSITIONS.LEASE_EXPIRED.from, now })
          .execute();
        if (result.affected === 1) {
          changed++;
          await this.events.stage(em, 'UPDATED', activityId);
        }
      });
    }
    return changed;
  }

  async markSent(principal: Principal, emailGlobalId: string, leaseId: string, sentAt: Date | null | undefined): Promise<Activity> {
    requireSyncEngine(principal, 'claim and report outgoing email');
    const id = await this.outgoingId(emailGlobalId);
    const now = new Date();
    const at = sentAt ?? now;
    return this.published(id, 'ACTIVITY_UPDATED', this.db.transaction(async (em) => {
      const applied = await this.applyLeased(em, id, leaseId, 'SENT', now, { sentAt: at, failureReason: null, nextAttemptAt: null });
      if (applied) await this.completed(em, id, at);
      return em.findOneByOrFail(Activity, { id });
    }));
  }

  /** `retryable`: the engine knows the message was not delivered (e.g. refused before DATA). */
  async markFailed(principal: Principal, emailGlobalId: string, leaseId: string, reason: string, retryable: boolean): Promise<Activity> {
    requireSyncEngine(principal, 'claim and report outgoing email');
    const id = await this.outgoingId(emailGlobalId);
    const now = new Date();
    const attempts = (await this.db.getRepository(EmailMessage).findOneByOrFail({ activityId: id })).sendAttempts;
    const outcome = afterFailure(attempts, retryable, now);
    // The reason quotes the mail server's reply: repaired, not refused (see MailServerText).
    const text = repairText(reason.trim().slice(0, MAX_REASON_LENGTH)) || 'no reason given';
    const failureReason = outcome.event === 'GAVE_UP' && retryable ? `${text} (gave up after ${attempts} attempts)` : text;
    await this.db.transaction((em) =>
      this.applyLeased(em, id, leaseId, outcome.event, now, {
        failureReason,
        nextAttemptAt: outcome.event === 'FAILED_RETRYABLE' ? outcome.nextAttemptAt : null,
      }, attempts),
    );
    return this.published(id, 'ACTIVITY_UPDATED', this.db.getRepository(Activity).findOneByOrFail({ id }));
  }

  /** The engine looked for the Message-ID in the Sent folder of an UNCERTAIN email's mailbox. */
  async resolveUncertain(principal: Principal, emailGlobalId: string, delivered: boolean, sentAt: Date | null | undefined): Promise<Activity> {
    requireSyncEngine(principal, 'claim and report outgoing email');
    const id = await this.outgoingId(emailGlobalId);
    const now = new Date();
    await this.expireSendLeases(now);
    const at = sentAt ?? now;
    return this.published(id, 'ACTIVITY_UPDATED', this.db.transaction(async (em) => {
      const event: SendEvent = delivered ? 'FOUND_IN_SENT' : 'NOT_FOUND_IN_SENT';
      const changed = await this.apply(
        em,
        id,
        event,
        delivered ? { sentAt: at, failureReason: null } : { sendLeaseId: null, nextAttemptAt: null, failureReason: null },
      );
      if (changed && delivered) await this.completed(em, id, at);
      return em.findOneByOrFail(Activity, { id });
    }));
  }

  /** The sender chose to send a FAILED or UNCERTAIN email again (accepting, for UNCERTAIN, that it may arrive twice). */
  async retry(principal: Principal, emailGlobalId: string): Promise<Activity> {
    const activity = await this.activities.activity(principal, 'emailId', emailGlobalId, Privilege.WRITE, ['Email']);
    await this.expireSendLeases();
    await this.db.transaction((em) =>
      // A person's retry starts a fresh budget of attempts.
      this.apply(em, activity.id, 'RETRY', { sendLeaseId: null, sendLeaseUntil: null, nextAttemptAt: null, failureReason: null, sendAttempts: 0 }),
    );
    return this.published(activity.id, 'ACTIVITY_UPDATED', this.db.getRepository(Activity).findOneByOrFail({ id: activity.id }));
  }

  /** The sender withdraws an email that no engine is sending (a SENDING one may already be on the wire). */
  async cancel(principal: Principal, emailGlobalId: string): Promise<Activity> {
    const activity = await this.activities.activity(principal, 'emailId', emailGlobalId, Privilege.WRITE, ['Email']);
    await this.outgoingId(emailGlobalId);
    await this.expireSendLeases();
    await this.db.transaction(async (em) => {
      if (await this.apply(em, activity.id, 'CANCEL', { sendLeaseId: null, sendLeaseUntil: null, nextAttemptAt: null })) {
        await em.update(Activity, { id: activity.id }, { state: ActivityState.CANCELLED, modifiedById: principal.userId, updatedAt: new Date() });
      }
    });
    return this.published(activity.id, 'ACTIVITY_UPDATED', this.db.getRepository(Activity).findOneByOrFail({ id: activity.id }));
  }

  /**
   * A pass-through now: the change's live event is staged in its transaction (activity-events.ts), so nothing
   * is published after commit. Left in place so the call sites stay as they are until this service is split.
   */
  private published<T>(_activityId: string, _type: 'ACTIVITY_CREATED' | 'ACTIVITY_UPDATED', result: Promise<T>): Promise<T> {
    return result;
  }


  /** The raw id of an email sent from the hub. */
  private async outgoingId(globalId: string): Promise<string> {
    const { id } = expectGlobalId('emailId', globalId, 'Email');
    const message = await this.db.getRepository(EmailMessage).findOne({ where: { activityId: id }, select: { activityId: true, senderMailboxId: true } });
    if (!message?.senderMailboxId) throw notFound('emailId', globalId);
    return id;
  }

  /**
   * A lease holder's report, as one UPDATE conditional on the status, the lease and its expiry.
   * Returns true when this call changed the email; false when the same report was applied before
   * (a repeated request); throws CONFLICT otherwise.
   */
  private async applyLeased(
    em: EntityManager,
    id: string,
    leaseId: string,
    event: SendEvent,
    now: Date,
    values: Partial<EmailMessage>,
    attempts?: number,
  ): Promise<boolean> {
    const transition = SEND_TRANSITIONS[event];
    const qb = em
      .createQueryBuilder()
      .update(EmailMessage)
      .set({ ...values, status: transition.to, sendLeaseUntil: null })
      .where('activityId = :id AND status IN (:...from) AND sendLeaseId = :leaseId AND sendLeaseUntil >= :now', { id, from: transition.from, leaseId, now });
    // The failure decision was made for this attempt: a claim in between must not inherit it.
    if (attempts !== undefined) qb.andWhere('sendAttempts = :attempts', { attempts });
    if ((await qb.execute()).affected === 1) {
      await this.events.stage(em, 'UPDATED', id);
      return true;
    }
    const current = await em.findOneByOrFail(EmailMessage, { activityId: id });
    const done = event === 'SENT' ? [SEND_TRANSITIONS.SENT.to] : [SEND_TRANSITIONS.FAILED_RETRYABLE.to, SEND_TRANSITIONS.GAVE_UP.to];
    const verdict = judgeLeaseReport(current, leaseId, done, now);
    if (verdict.kind === 'ALREADY_APPLIED') return false;
    throw new ApiError('CONFLICT', `leaseId: ${verdict.kind === 'CONFLICT' ? verdict.reason : 'the email changed while this report was applied; report again'}`, 'leaseId');
  }

  /** A transition that needs no lease, as one UPDATE conditional on the status; idempotent when already there. */
  private async apply(em: EntityManager, id: string, event: SendEvent, values: Partial<EmailMessage>): Promise<boolean> {
    const transition = SEND_TRANSITIONS[event];
    const result = await em
      .createQueryBuilder()
      .update(EmailMessage)
      .set({ ...values, status: transition.to })
      .where('activityId = :id AND status IN (:...from)', { id, from: transition.from })
      .execute();
    if (result.affected === 1) {
      await this.events.stage(em, 'UPDATED', id);
      return true;
    }
    const current = await em.findOneByOrFail(EmailMessage, { activityId: id });
    if (current.status === transition.to) return false;
    throw new ApiError(
      'CONFLICT',
      `emailId: the email is ${current.status}; this applies only to ${transition.from.join(' or ')} email`,
      'emailId',
    );
  }

  /** A sent email is a completed activity that happened when it was sent; its timeline entries move with it. */
  private async completed(em: EntityManager, id: string, sentAt: Date): Promise<void> {
    await em.update(Activity, { id }, { state: ActivityState.COMPLETED, occurredAt: sentAt, updatedAt: new Date() });
    await this.writer.rebuildTimeline(em, id);
  }

  private async claimOnMysql(em: EntityManager, now: Date, until: Date, limit: number, onlyApproved: boolean): Promise<{ id: string; leaseId: string }[]> {
    // The order is the (status, nextAttemptAt) index's own (ids are UUIDv7, so by age within a due
    // time): no filesort, so InnoDB locks only the rows it returns and a concurrent claim takes the next ones.
    const table = em.connection.getMetadata(EmailMessage).tableName;
    // The senders that may send, read without locks first: joined into the locking read below,
    // the mailbox rows would be locked too and mailbox claims would skip them.
    const senders = (
      (await em.query(
        `SELECT DISTINCT e.senderMailboxId AS id FROM ${table} e JOIN mailbox m ON m.id = e.senderMailboxId JOIN email_server_profile p ON p.id = m.profileId
          WHERE e.status = ? AND (e.nextAttemptAt IS NULL OR e.nextAttemptAt <= ?) AND ${sendsSql('m', onlyApproved)}`,
        [EmailStatus.PENDING_SEND, now],
      )) as { id: string }[]
    ).map((r) => r.id);
    if (!senders.length) return [];
    const rows: { activityId: string }[] = await em.query(
      `SELECT activityId FROM ${table} WHERE status = ? AND (nextAttemptAt IS NULL OR nextAttemptAt <= ?) AND senderMailboxId IN (?) ORDER BY nextAttemptAt, activityId LIMIT ? FOR UPDATE SKIP LOCKED`,
      [EmailStatus.PENDING_SEND, now, senders, limit],
    );
    const claimed: { id: string; leaseId: string }[] = [];
    for (const { activityId } of rows) {
      const leaseId = newId();
      const result = await em
        .createQueryBuilder()
        .update(EmailMessage)
        .set({ status: SEND_TRANSITIONS.CLAIM.to, sendLeaseId: leaseId, sendLeaseUntil: until, sendAttempts: () => 'sendAttempts + 1', nextAttemptAt: null, failureReason: null })
        .where('activityId = :id AND status IN (:...from)', { id: activityId, from: SEND_TRANSITIONS.CLAIM.from })
        .execute();
      if (result.affected === 1) {
        claimed.push({ id: activityId, leaseId });
        await this.events.stage(em, 'UPDATED', activityId);
      }
    }
    return claimed;
  }

  /**
   * TypeORM shares one SQLite connection among all requests, so an awaited transaction could take in
   * another request's statements, or be committed or rolled back by it. These statements run
   * synchronously in one IMMEDIATE transaction, in their turn on the connection (db/lease-claim.ts).
   */
  private claimOnSqlite(conn: BetterSqlite3.Database, now: Date, until: Date, limit: number, onlyApproved: boolean): { id: string; leaseId: string }[] {
    const meta = this.db.getMetadata(EmailMessage);
    const dateValue = (date: Date) => this.db.driver.preparePersistentValue(date, meta.findColumnWithPropertyName('sendLeaseUntil')!) as string;
    const select = conn.prepare(
      `SELECT activityId FROM ${meta.tableName} WHERE status = ? AND (nextAttemptAt IS NULL OR nextAttemptAt <= ?)
         AND senderMailboxId IN (SELECT m.id FROM mailbox m JOIN email_server_profile p ON p.id = m.profileId WHERE ${sendsSql('m', onlyApproved)})
         ORDER BY nextAttemptAt, activityId LIMIT ?`,
    );
    const update = conn.prepare(
      `UPDATE ${meta.tableName} SET status = ?, sendLeaseId = ?, sendLeaseUntil = ?, sendAttempts = sendAttempts + 1, nextAttemptAt = NULL, failureReason = NULL WHERE activityId = ? AND status = ?`,
    );
    const [from] = SEND_TRANSITIONS.CLAIM.from;
    const rows = select.all(from, dateValue(now), limit) as { activityId: string }[];
    const claimed: { id: string; leaseId: string }[] = [];
    for (const { activityId } of rows) {
      const leaseId = newId();
      if (update.run(SEND_TRANSITIONS.CLAIM.to, leaseId, dateValue(until), activityId, from).changes === 1) claimed.push({ id: activityId, leaseId });
    }
    return claimed;
  }

  /** What the engine needs to send each claimed email, in a fixed number of statements. */
  private async outgoing(claimed: readonly { id: string; leaseId: string }[]): Promise<OutgoingEmail[]> {
    if (claimed.length === 0) return [];
    const ids = claimed.map((c) => c.id);
    const [activities, messages, parties, attachments] = await Promise.all([
      this.db.getRepository(Activity).findBy({ id: In(ids) }),
      this.db.getRepository(EmailMessage).findBy({ activityId: In(ids) }),
      this.db.getRepository(ActivityParty).find({ where: { activityId: In(ids) }, order: { position: 'ASC' } }),
      this.db.getRepository(Attachment).find({ where: { activityId: In(ids) }, order: { position: 'ASC' } }),
    ]);
    const activityById = new Map(activities.map((a) => [a.id, a]));
    const messageById = new Map(messages.map((m) => [m.activityId, m]));
    const shas = messages.flatMap((m) => [m.textBodyBlob, m.htmlBodyBlob]).filter((s): s is string => !!s);
    const bodies = await this.blobs.readSmall([...new Set(shas)], MAX_SEND_BODY_BYTES);
    const transports = await this.transports.forMailboxes(messages.map((m) => m.senderMailboxId!));
    const text = (sha: string | null) => (sha ? (bodies.get(sha)?.toString('utf8') ?? null) : null);
    return claimed.map(({ id, leaseId }) => {
      const activity = activityById.get(id)!;
      const message = messageById.get(id)!;
      const own = parties.filter((p) => p.activityId === id);
      const addresses = (role: PartyRole) => own.filter((p) => p.role === role && p.address).map((p) => ({ address: p.address!, name: p.displayName }));
      const from = own.find((p) => p.role === PartyRole.FROM);
      const html = text(message.htmlBodyBlob);
      return {
        emailId: toGlobalId('Email', id),
        leaseId,
        leaseUntil: message.sendLeaseUntil!,
        mailboxId: toGlobalId('Mailbox', message.senderMailboxId!),
        from: { address: message.fromAddress ?? from?.address ?? '', name: from?.displayName ?? null },
        to: addresses(PartyRole.TO),
        cc: addresses(PartyRole.CC),
        bcc: addresses(PartyRole.BCC),
        subject: activity.subject,
        messageId: message.messageId,
        inReplyTo: message.inReplyTo,
        references: message.referenceIds ? (JSON.parse(message.referenceIds) as string[]) : [],
        textBody: text(message.textBodyBlob),
        htmlBody: html,
        attachments: attachments
          .filter((a) => a.activityId === id && a.blobSha256)
          .map((a) => ({ fileName: a.fileName, contentType: a.contentType, size: a.size, sha256: a.blobSha256! })),
        attempt: message.sendAttempts,
        transport: transports.get(message.senderMailboxId!)!,
      };
    });
  }
}
