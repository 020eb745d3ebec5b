import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import { requireSyncEngine } from '../access/sync-engine-guard';
import { messageIdHash, bareMessageId } from '../activities/message-id';
import { ApiError, badInput, notFound } from '../common/errors';
import { expectGlobalId, toGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import { repairText } from '../common/text';
import { runClaim } from '../db/lease-claim';
import { forUpdate, lockRow } from '../db/row-locks';
import type { LiveEventLog, MailboxChange } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import type { EmailSettingsService } from './email-settings.service';
import { EmailServerProfile } from './email-server-profile.entity';
import { FolderTrackingRule } from './folder-tracking-rule.entity';
import { AlertSeverity, ChannelTestStatus, EmailApproval, IncomingMethod, MailboxState, OutgoingMethod } from './mail-enums';
import { checkActFolderResults, recordActFolderResults } from './act-folder-alerts';
import { MailboxAlert } from './mailbox-alert.entity';
import { approvedSql, readsIncomingSql, SYNCING_STATES_SQL } from './mailbox-eligibility-sql';
import { recordAlert } from './mailbox-alerts';
import { changeMailboxTimeZone, checkedTimeZone } from './mailbox-time-zone';
import { MailboxItem } from './mailbox-item.entity';
import { folderReportEntries, storeFolderReport } from './mailbox-folder-report';
import { forwardedStates, stageForwardedStateChanges, stageMailboxChanges, type ForwardedStates } from './mailbox-live-events';
import { MAX_RECONCILE_ITEMS, type ChannelTestInput, type ServerFolderInput, type ServerMessageInput, type SyncReportInput } from './mailbox-sync.inputs';
import { MailboxJob, type MailboxWork } from './mailbox-sync.types';
import type { Claimed, MailboxWorkBuilder } from './mailbox-work';
import { Mailbox } from './mailbox.entity';
import type { OrganizationEmailSettings } from './organization-email-settings.entity';
import { QuarantinedMessage } from './quarantined-message.entity';
import { recordSyncRun } from './sync-metric-events';
import { afterSync, afterTest, type AlertLine } from './sync-outcome-policy';

export const MAILBOX_CLAIM_LIMIT = { min: 1, max: 50, default: 5 } as const;
// Short leases (seconds) let tests see a killed engine's mailboxes taken over quickly; engines in production use minutes.
export const MAILBOX_LEASE_SECONDS = { min: 5, max: 3600, default: 120 } as const;
/** The longest wait an engine may ask for after a successful sync. */
const MAX_NEXT_SYNC_SECONDS = 86_400;
const DEFAULT_POLL_SECONDS = 60;
/**
 * A watched mailbox hears of new mail in INBOX at once; this poll catches what IDLE cannot see (Sent, tracked folders, a
 * missed push), as often as the engine's default IDLE_SECONDS re-read a mailbox that IDLE-d inside its claim.
 */
const WATCHED_POLL_SECONDS = 300;

const SYNC_WORK = 'claim mailboxes and report on them';

const conflict = (message: string) => new ApiError('CONFLICT', `leaseId: ${message}`, 'leaseId');
/** The engine's words (quoting a mail server) as stored: repaired (common/text.ts) and cut to fit. */
const clip = (text: string | null | undefined, max: number): string | null => {
  const trimmed = text?.trim();
  return trimmed ? repairText(trimmed.slice(0, max)) : null;
};


/**
 * The sync engine's side of mailboxes: claims under a lease (the database arbitrates, so several
 * engines share the work and none syncs a mailbox another holds), lease renewal, and the reports
 * that end a lease: a sync's outcome (sync-outcome-policy.ts decides state, schedule and alerts), a
 * Test & Enable result, and the reconciler's coverage.
 */
/** How often an idle mailbox's empty sync runs are reported live (its "last sync" time). */
const QUIET_SYNC_EVENT_MS = 60_000;

export class MailboxSyncService {
  constructor(
    private readonly db: DataSource,
    private readonly settings: Pick<EmailSettingsService, 'current'>,
    private readonly work: MailboxWorkBuilder,
    private readonly live: LiveEventLog,
    private readonly clock: Clock,
  ) {}

  /**
   * Claims up to `limit` due mailboxes: Test & Enable requests first, then SYNC work by nextSyncAt
   * (never synced first), each with a free or expired lease, and at most the profile's
   * maxConcurrentConnections live leases per profile.
   */
  async claim(principal: Principal, engineId: string, limit: number = MAILBOX_CLAIM_LIMIT.default, leaseSeconds: number = MAILBOX_LEASE_SECONDS.default): Promise<MailboxWork[]> {
    requireSyncEngine(principal, SYNC_WORK);
    const engine = engineId.trim();
    if (!engine || engine.length > 100) throw badInput('engineId', 'must be 1 to 100 characters');
    if (!Number.isInteger(limit) || limit < MAILBOX_CLAIM_LIMIT.min || limit > MAILBOX_CLAIM_LIMIT.max) {
      throw badInput('limit', `must be from ${MAILBOX_CLAIM_LIMIT.min} to ${MAILBOX_CLAIM_LIMIT.max}`);
    }
    checkLeaseSeconds(leaseSeconds);
    const settings = await this.settings.current();
    const now = this.clock();
    const until = new Date(now.getTime() + leaseSeconds * 1000);
    // READ COMMITTED: the live-lease count sees what claims that held the profile lock before us committed.
    const claimed = await runClaim(this.db, (em) => this.claimIn(em, engine, limit, now, until, settings.processEmailOnlyForApprovedMailboxes), { isolation: 'READ COMMITTED' });
    return this.work.build(engine, claimed, until, settings);
  }

  private async claimIn(em: EntityManager, engineId: string, limit: number, now: Date, until: Date, onlyApproved: boolean): Promise<Claimed[]> {
    const due = `${approvedSql('m', onlyApproved)}
      AND (m.leaseId IS NULL OR m.leaseUntil IS NULL OR m.leaseUntil < :now)
      AND (m.testRequestedAt IS NOT NULL
           OR (m.state IN ${SYNCING_STATES_SQL} AND ${readsIncomingSql('m')} AND (m.nextSyncAt IS NULL OR m.nextSyncAt <= :now)))`;
    const wanted = (await rawQuery<{ profileId: string }>(em, `SELECT DISTINCT m.profileId FROM mailbox m WHERE ${due}`, { now })).map((r) => r.profileId).sort();
    if (!wanted.length) return [];

    // One claim at a time per profile (locked in id order, so claims never deadlock): a second engine waits a
    // moment and then sees the first one's leases, instead of skipping rows the first one's scan locked and
    // coming back empty. It also makes the live-lease count below exact.
    const profiles = await rawQuery<{ id: string; maxConcurrentConnections: number }>(
      em,
      `SELECT id, maxConcurrentConnections FROM email_server_profile WHERE id IN (:...wanted) ORDER BY id${forUpdate(em)}`,
      { wanted },
    );
    const room = new Map(profiles.map((p) => [p.id, Number(p.maxConcurrentConnections)]));
    for (const [profileId, live] of await this.liveLeases(em, wanted, now)) room.set(profileId, (room.get(profileId) ?? 0) - live);
    // Profiles at their connection limit are left out, so their mailboxes, however overdue, do not crowd out everyone else's.
    const open = [...room].filter(([, left]) => left > 0).map(([id]) => id);
    if (!open.length) return [];

    // Read again under the locks (READ COMMITTED: as committed now); SKIP LOCKED passes over a mailbox a
    // trackEmails batch or an administrator holds at this moment.
    const candidates = await rawQuery<{ id: string; profileId: string; testRequestedAt: unknown }>(
      em,
      `SELECT m.id, m.profileId, m.testRequestedAt FROM mailbox m
        WHERE ${due} AND m.profileId IN (:...open)
        ORDER BY CASE WHEN m.testRequestedAt IS NULL THEN 1 ELSE 0 END, m.nextSyncAt, m.id
        LIMIT :take${forUpdate(em, true)}`,
      { now, open, take: limit * 2 },
    );

    const claimed: Claimed[] = [];
    for (const candidate of candidates) {
      if (claimed.length >= limit) break;
      const left = room.get(candidate.profileId) ?? 0;
      if (left <= 0) continue;
      room.set(candidate.profileId, left - 1);
      const leaseId = newId();
      await em
        .createQueryBuilder()
        .update(Mailbox)
        .set({ leaseId, leaseOwner: engineId, leaseUntil: until, watchChangedAt: null, updatedAt: now })
        .where('id = :id', { id: candidate.id })
        .execute();
      const job = candidate.testRequestedAt !== null ? MailboxJob.TEST : MailboxJob.SYNC;
      claimed.push({ id: candidate.id, leaseId, job });
      // A Test & Enable run begins: the mailbox pages say it is under way. A sync run's start shows in no
      // field, and with push (IDLE) a mailbox is claimed every few seconds: its end is the event.
      if (job === MailboxJob.TEST) await stageMailboxChanges(this.live, em, [candidate.id], 'TEST');
    }
    return claimed;
  }

  /** Live (unexpired) leases of these profiles' mailboxes. */
  private async liveLeases(em: EntityManager, profileIds: readonly string[], now: Date): Promise<Map<string, number>> {
    const rows = await rawQuery<{ profileId: string; n: number | string }>(
      em,
      `SELECT profileId, COUNT(*) AS n FROM mailbox WHERE leaseId IS NOT NULL AND leaseUntil >= :now AND profileId IN (:...profileIds) GROUP BY profileId`,
      { now, profileIds },
    );
    return new Map(rows.map((r) => [r.profileId, Number(r.n)]));
  }

  /** Extends a lease the caller still holds (even one that ran out, if no engine claimed the mailbox since). */
  async renew(principal: Principal, mailboxGlobalId: string, leaseId: string, leaseSeconds: number = MAILBOX_LEASE_SECONDS.default): Promise<Date> {
    requireSyncEngine(principal, SYNC_WORK);
    checkLeaseSeconds(leaseSeconds);
    const id = await this.mailboxId(mailboxGlobalId);
    const until = new Date(this.clock().getTime() + leaseSeconds * 1000);
    const result = await this.db.createQueryBuilder().update(Mailbox).set({ leaseUntil: until }).where('id = :id AND leaseId = :leaseId', { id, leaseId }).execute();
    if (result.affected !== 1) throw conflict('this lease is no longer held: another engine claimed the mailbox, or the lease was released');
    return until;
  }

  /** Ends a SYNC lease with its outcome: state, schedule and alert as sync-outcome-policy.ts decides. */
  async release(principal: Principal, mailboxGlobalId: string, leaseId: string, report: SyncReportInput): Promise<Mailbox> {
    requireSyncEngine(principal, SYNC_WORK);
    if (!Number.isInteger(report.itemsProcessed) || report.itemsProcessed < 0) throw badInput('report.itemsProcessed', 'must not be negative');
    const next = report.nextSyncInSeconds;
    if (next !== null && next !== undefined && (!Number.isInteger(next) || next < 0 || next > MAX_NEXT_SYNC_SECONDS)) {
      throw badInput('report.nextSyncInSeconds', `must be from 0 to ${MAX_NEXT_SYNC_SECONDS}`);
    }
    const actFolders = checkActFolderResults(report.actFolders);
    const id = await this.mailboxId(mailboxGlobalId);
    const now = this.clock();
    return this.db.transaction(async (em) => {
      const mailbox = await this.leased(em, id, leaseId);
      const forwarded = await this.forwardedBefore(em, mailbox);
      const profile = mailbox.profileId ? await em.findOneBy(EmailServerProfile, { id: mailbox.profileId }) : null;
      const code = clip(report.code, 48);
      const { after, alert } = afterSync(
        mailbox,
        {
          outcome: report.outcome,
          code,
          message: clip(report.message, 1000),
          itemsProcessed: report.itemsProcessed,
          nextSyncInSeconds: nextAfterWatch(mailbox, next ?? null, now),
        },
        { now, pollIntervalSeconds: profile?.pollIntervalSeconds ?? DEFAULT_POLL_SECONDS, lastAlert: await this.newestAlert(em, id), random: Math.random() },
      );
      const resyncDone = report.resyncCompleted && mailbox.resyncFrom && report.resyncCompleted.getTime() === mailbox.resyncFrom.getTime();
      await em.update(Mailbox, { id }, { ...after, ...(resyncDone ? { resyncFrom: null } : {}), leaseId: null, leaseOwner: null, leaseUntil: null, updatedAt: now });
      // A finished run: STATE when the state, its reason or the failure count (the back-off) moved, else PROGRESS
      // when it read something, or finished a resync, or the last event of an idle mailbox is a minute old:
      // a mailbox in push mode syncs every few seconds, and an event per empty run would flood the log.
      const moved = after.state !== mailbox.state || after.stateReason !== mailbox.stateReason || after.failureCount !== mailbox.failureCount;
      const idleFor = mailbox.lastSyncAt ? now.getTime() - mailbox.lastSyncAt.getTime() : Infinity;
      if (moved || report.itemsProcessed > 0 || resyncDone || alert || idleFor >= QUIET_SYNC_EVENT_MS) await this.staged(em, id, moved ? 'STATE' : 'PROGRESS', forwarded);
      if (alert) await recordAlert(em, this.live, id, alert.severity, alert.code, alert.message, this.clock);
      await recordActFolderResults(em, this.live, id, actFolders, this.clock);
      await recordSyncRun(em, id, now, { outcome: report.outcome, code, items: report.itemsProcessed });
      return em.findOneByOrFail(Mailbox, { id });
    });
  }

  /** Ends a TEST lease: both channels' results, and the mailbox enabled when every tested channel passed. */
  async reportTest(principal: Principal, mailboxGlobalId: string, leaseId: string, incoming: ChannelTestInput, outgoing: ChannelTestInput, act?: ChannelTestInput | null): Promise<Mailbox> {
    requireSyncEngine(principal, SYNC_WORK);
    act ??= { status: ChannelTestStatus.NOT_RUN, code: null, reason: null };
    for (const [field, input] of [['incoming', incoming], ['outgoing', outgoing], ['act', act]] as const) {
      if (input.status === ChannelTestStatus.PENDING) throw badInput(`${field}.status`, 'report SUCCESS, WARNING, FAILURE or NOT_RUN');
    }
    const id = await this.mailboxId(mailboxGlobalId);
    const now = this.clock();
    const result = (c: ChannelTestInput) => ({ status: c.status, code: clip(c.code, 48), reason: clip(c.reason, 1000) });
    const channels = { incoming: result(incoming), outgoing: result(outgoing), act: result(act) };
    return this.db.transaction(async (em) => {
      const mailbox = await this.leased(em, id, leaseId);
      const forwarded = await this.forwardedBefore(em, mailbox);
      const { after, alerts } = afterTest(mailbox, channels, now);
      await em.update(Mailbox, { id }, {
        ...after,
        incomingTestStatus: channels.incoming.status,
        incomingTestCode: channels.incoming.code,
        incomingTestReason: channels.incoming.reason,
        outgoingTestStatus: channels.outgoing.status,
        outgoingTestCode: channels.outgoing.code,
        outgoingTestReason: channels.outgoing.reason,
        actTestStatus: channels.act.status,
        actTestCode: channels.act.code,
        actTestReason: channels.act.reason,
        testedAt: now,
        testRequestedAt: null,
        leaseId: null,
        leaseOwner: null,
        leaseUntil: null,
        updatedAt: now,
      });
      await this.staged(em, id, 'TEST', forwarded);
      for (const alert of alerts) await recordAlert(em, this.live, id, alert.severity, alert.code, alert.message, this.clock);
      return em.findOneByOrFail(Mailbox, { id });
    });
  }

  /**
   * The reconciler's question: which of these server messages were never decided in this mailbox
   * (no mailbox_item for the Message-ID's hash, no quarantine row for the sourceRef)? Returns their
   * sourceRefs in the order given.
   */
  async undecided(principal: Principal, mailboxGlobalId: string, leaseId: string, items: readonly ServerMessageInput[]): Promise<string[]> {
    requireSyncEngine(principal, SYNC_WORK);
    if (items.length > MAX_RECONCILE_ITEMS) throw badInput('items', `at most ${MAX_RECONCILE_ITEMS} per call`);
    const id = await this.mailboxId(mailboxGlobalId);
    await this.leased(this.db.manager, id, leaseId, false);
    const hashOf = new Map<ServerMessageInput, string>();
    for (const item of items) if (item.messageId && bareMessageId(item.messageId)) hashOf.set(item, messageIdHash(item.messageId));
    const decided = new Set<string>();
    const hashes = [...new Set(hashOf.values())];
    for (let i = 0; i < hashes.length; i += 500) {
      const rows = await this.db.getRepository(MailboxItem).find({ where: { mailboxId: id, messageIdHash: In(hashes.slice(i, i + 500)) }, select: { messageIdHash: true } });
      for (const r of rows) decided.add(r.messageIdHash);
    }
    const refs = [...new Set(items.map((i) => i.sourceRef))];
    const quarantined = new Set<string>();
    for (let i = 0; i < refs.length; i += 500) {
      const rows = await this.db.getRepository(QuarantinedMessage).find({ where: { mailboxId: id, sourceRef: In(refs.slice(i, i + 500)) }, select: { sourceRef: true } });
      for (const r of rows) quarantined.add(r.sourceRef);
    }
    const result: string[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      const hash = hashOf.get(item);
      if (quarantined.has(item.sourceRef) || (hash && decided.has(hash)) || seen.has(item.sourceRef)) continue;
      seen.add(item.sourceRef);
      result.push(item.sourceRef);
    }
    return result;
  }

  /** The reconciler's finding: how much of what the server holds was decided, and what it fetched again. */
  async reportCoverage(principal: Principal, mailboxGlobalId: string, leaseId: string, serverCount: number, decidedCount: number, recovered: number): Promise<Mailbox> {
    requireSyncEngine(principal, SYNC_WORK);
    for (const [field, value] of [['serverCount', serverCount], ['decidedCount', decidedCount], ['recovered', recovered]] as const) {
      if (!Number.isInteger(value) || value < 0) throw badInput(field, 'must not be negative');
    }
    const id = await this.mailboxId(mailboxGlobalId);
    const now = this.clock();
    return this.db.transaction(async (em) => {
      await this.leased(em, id, leaseId);
      await em.update(Mailbox, { id }, { coverageServerCount: serverCount, coverageDecidedCount: decidedCount, coverageCheckedAt: now, updatedAt: now });
      await stageMailboxChanges(this.live, em, [id], 'PROGRESS');
      const alerts: AlertLine[] = [];
      if (recovered > 0) {
        alerts.push({ severity: AlertSeverity.INFORMATION, code: 'COVERAGE_RECOVERED', message: `The completeness check found ${recovered} message${recovered === 1 ? '' : 's'} the sync had missed and read ${recovered === 1 ? 'it' : 'them'} again.` });
      }
      if (decidedCount < serverCount) {
        const missing = serverCount - decidedCount;
        alerts.push({ severity: AlertSeverity.WARNING, code: 'COVERAGE_INCOMPLETE', message: `${missing} of ${serverCount} message${serverCount === 1 ? '' : 's'} on the server have not been processed yet.` });
      }
      const newest = await this.newestAlert(em, id);
      for (const alert of alerts) {
        // The same finding on every run is one line, not one an hour.
        if (alert.code === newest?.code && alert.message === newest.message) continue;
        await recordAlert(em, this.live, id, alert.severity, alert.code, alert.message, this.clock);
      }
      return em.findOneByOrFail(Mailbox, { id });
    });
  }

  /**
   * The time zone the mailbox keeps on its server (Exchange), as the engine read it. The hub writes task days and
   * all-day appointments to the server in it; when it changes, the tasks whose days came from Outlook keep their days.
   */
  async reportTimeZone(principal: Principal, mailboxGlobalId: string, leaseId: string, timeZone: string | null): Promise<Mailbox> {
    requireSyncEngine(principal, SYNC_WORK);
    const zone = checkedTimeZone('timeZone', timeZone);
    const id = await this.mailboxId(mailboxGlobalId);
    return this.db.transaction(async (em) => {
      const mailbox = await this.leased(em, id, leaseId);
      if (!(await changeMailboxTimeZone(em, mailbox, zone, this.clock()))) return mailbox;
      await stageMailboxChanges(this.live, em, [id], 'PROGRESS');
      return em.findOneByOrFail(Mailbox, { id });
    });
  }

  /** The folders the mailbox's server lists (IMAP LIST), replacing the last report; the folder picker of folder tracking rules. */
  async reportFolders(principal: Principal, mailboxGlobalId: string, leaseId: string, folders: readonly string[] | null | undefined, serverFolders?: readonly ServerFolderInput[] | null): Promise<Mailbox> {
    requireSyncEngine(principal, SYNC_WORK);
    const entries = folderReportEntries(folders, serverFolders);
    const id = await this.mailboxId(mailboxGlobalId);
    const now = this.clock();
    return this.db.transaction(async (em) => {
      await this.leased(em, id, leaseId);
      const rulesChanged = await storeFolderReport(em, this.live, this.clock, id, entries);
      await em.update(Mailbox, { id }, { serverFoldersReadAt: now, updatedAt: now });
      await stageMailboxChanges(this.live, em, [id], rulesChanged ? 'CONFIGURATION' : 'PROGRESS');
      return em.findOneByOrFail(Mailbox, { id });
    });
  }

  private async mailboxId(globalId: string): Promise<string> {
    const { id } = expectGlobalId('mailboxId', globalId, 'Mailbox');
    if (!(await this.db.getRepository(Mailbox).existsBy({ id }))) throw notFound('mailboxId', globalId);
    return id;
  }

  /** The mailbox, locked for the rest of the transaction, if `leaseId` is its current lease; CONFLICT otherwise. */
  private async leased(em: EntityManager, id: string, leaseId: string, lock = true): Promise<Mailbox> {
    if (lock) await lockRow(em, 'mailbox', id);
    const mailbox = await em.findOneByOrFail(Mailbox, { id });
    if (mailbox.leaseId !== leaseId) {
      throw conflict(mailbox.leaseId ? `another engine holds this mailbox now (${mailbox.leaseOwner ?? 'unknown'}); stop working on it` : 'the lease was released or never existed; claim the mailbox again');
    }
    return mailbox;
  }

  /** A forward mailbox's state is what the mailboxes it files mail for show: their states before its report. */
  private forwardedBefore(em: EntityManager, mailbox: Mailbox): Promise<ForwardedStates | null> {
    return mailbox.isForwardMailbox ? forwardedStates(em) : Promise.resolve(null);
  }

  /** Stages the report's change, and STATE for each mailbox whose shown state followed the forward mailbox's. */
  private async staged(em: EntityManager, id: string, change: MailboxChange, forwarded: ForwardedStates | null): Promise<void> {
    await stageMailboxChanges(this.live, em, [id], change);
    if (forwarded) await stageForwardedStateChanges(this.live, em, forwarded);
  }

  private async newestAlert(em: EntityManager, mailboxId: string): Promise<Pick<AlertLine, 'code' | 'message'> | null> {
    const [newest] = await em.find(MailboxAlert, { where: { mailboxId }, order: { createdAt: 'DESC', id: 'DESC' }, take: 1 });
    return newest ? { code: newest.code, message: newest.message } : null;
  }
}


/**
 * When a mailbox another process watches (IMAP IDLE, EWS notifications; mailbox-watch.service.ts) syncs next: at once when its watcher
 * saw new mail during this run; else when its engine asked, or after WATCHED_POLL_SECONDS.
 */
function nextAfterWatch(mailbox: Mailbox, asked: number | null, now: Date): number | null {
  if (mailbox.watchChangedAt) return 0;
  const watched = mailbox.watchLeaseId !== null && mailbox.watchLeaseUntil !== null && mailbox.watchLeaseUntil >= now;
  return asked ?? (watched ? WATCHED_POLL_SECONDS : null);
}

function checkLeaseSeconds(leaseSeconds: number): void {
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < MAILBOX_LEASE_SECONDS.min || leaseSeconds > MAILBOX_LEASE_SECONDS.max) {
    throw badInput('leaseSeconds', `must be from ${MAILBOX_LEASE_SECONDS.min} to ${MAILBOX_LEASE_SECONDS.max}`);
  }
}

/** A hand-written statement with named parameters (`:name`, `:...list`), Dates converted as each driver stores them. */
export async function rawQuery<T>(em: EntityManager, sql: string, params: Record<string, unknown>): Promise<T[]> {
  const [query, values] = em.connection.driver.escapeQueryWithParameters(sql, params);
  return (await em.query(query, values)) as T[];
}
