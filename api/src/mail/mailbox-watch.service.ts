import { type DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import { requireSyncEngine } from '../access/sync-engine-guard';
import { badInput } from '../common/errors';
import { newId } from '../common/ids';
import { runClaim } from '../db/lease-claim';
import { forUpdate } from '../db/row-locks';
import type { Clock } from '../platform/clock';
import type { EmailSettingsService } from './email-settings.service';
import { EmailServerKind, MailboxState } from './mail-enums';
import { readsIncomingSql, syncableSql } from './mailbox-eligibility-sql';
import { rawQuery } from './mailbox-sync.service';
import { MailboxJob, type MailboxWork } from './mailbox-sync.types';
import { CLEARED_WATCH as CLEARED } from './mailbox-watch-drop';
import type { MailboxWorkBuilder } from './mailbox-work';
import { WatchEngine } from './watch-engine.entity';

// At most 200 a call: the query complexity limit counts every field of every mailbox a claim may answer.
export const WATCH_CLAIM_LIMIT = { min: 1, max: 200, default: 100 } as const;
export const WATCH_LEASE_SECONDS = { min: 5, max: 3600, default: 60 } as const;
/** Watch leases named in one renew, release or change call. */
export const MAX_WATCH_LEASES = 1000;

const WATCH_WORK = 'watch mailboxes for new mail';

/**
 * The watch lease: which engine holds a mailbox's push connection (IMAP IDLE, EWS notifications), apart from the work lease,
 * so one engine watches a thousand mailboxes while its few work slots sync the ones that changed. The
 * database arbitrates as for work claims (mailbox-sync.service.ts): two engines never watch one mailbox,
 * and a lease that ran out (a killed engine) is anyone's. A configuration change drops the watch
 * (`dropMailboxWatches`); the engine learns it from its next renewal and connects again as configured.
 */
export class MailboxWatchService {
  constructor(
    private readonly db: DataSource,
    private readonly settings: Pick<EmailSettingsService, 'current'>,
    private readonly work: MailboxWorkBuilder,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes up to `limit` watchable mailboxes whose watch lease is free or ran out, and answers what the engine
   * needs to connect to each: the claim's MailboxWork with `leaseId` standing for the watch lease (job SYNC).
   */
  async claim(principal: Principal, engineId: string, limit: number = WATCH_CLAIM_LIMIT.default, leaseSeconds: number = WATCH_LEASE_SECONDS.default): Promise<MailboxWork[]> {
    requireSyncEngine(principal, WATCH_WORK);
    const engine = checkedEngineId(engineId);
    if (!Number.isInteger(limit) || limit < WATCH_CLAIM_LIMIT.min || limit > WATCH_CLAIM_LIMIT.max) {
      throw badInput('limit', `must be from ${WATCH_CLAIM_LIMIT.min} to ${WATCH_CLAIM_LIMIT.max}`);
    }
    checkLeaseSeconds(leaseSeconds);
    const settings = await this.settings.current();
    const now = this.clock();
    const until = new Date(now.getTime() + leaseSeconds * 1000);
    const onlyApproved = settings.processEmailOnlyForApprovedMailboxes;
    const claimed = await runClaim(
      this.db,
      async (em) => {
        const room = Math.min(limit, (await this.share(em, engine, now, until, onlyApproved)) - (await this.heldBy(em, engine, now)));
        if (room <= 0) return [];
        // SKIP LOCKED: a second engine claiming at the same moment takes other mailboxes instead of waiting.
        const rows = await rawQuery<{ id: string }>(
          em,
          `SELECT m.id FROM mailbox m WHERE ${watchableSql(onlyApproved)} AND (m.watchLeaseId IS NULL OR m.watchLeaseUntil IS NULL OR m.watchLeaseUntil < :now)
            ORDER BY m.id LIMIT :room${forUpdate(em, true)}`,
          { now, room },
        );
        const leases = rows.map((row) => ({ id: row.id, leaseId: newId(), job: MailboxJob.SYNC }));
        for (const lease of leases) {
          await rawQuery(em, 'UPDATE mailbox SET watchLeaseId = :leaseId, watchEngineId = :engine, watchLeaseUntil = :until WHERE id = :id', { ...lease, engine, until });
        }
        return leases;
      },
      { isolation: 'READ COMMITTED' },
    );
    return this.work.build(engine, claimed, until, settings);
  }

  /**
   * Extends the watch leases this engine still holds and returns those it no longer does: taken by another
   * engine after running out, dropped by a configuration change, or of a mailbox that is no longer watchable.
   */
  async renew(principal: Principal, engineId: string, leaseIds: readonly string[], leaseSeconds: number = WATCH_LEASE_SECONDS.default): Promise<string[]> {
    requireSyncEngine(principal, WATCH_WORK);
    const engine = checkedEngineId(engineId);
    const ids = checkedLeaseIds(leaseIds);
    checkLeaseSeconds(leaseSeconds);
    if (!ids.length) return [];
    const { processEmailOnlyForApprovedMailboxes: onlyApproved } = await this.settings.current();
    const now = this.clock();
    const until = new Date(now.getTime() + leaseSeconds * 1000);
    return this.db.transaction(async (em) => {
      const unwatchable = await rawQuery<{ id: string }>(em, `SELECT m.id FROM mailbox m WHERE m.watchLeaseId IN (:...ids) AND NOT (${watchableSql(onlyApproved)})`, { ids });
      if (unwatchable.length) await rawQuery(em, `UPDATE mailbox SET ${CLEARED} WHERE id IN (:...unwatchable)`, { unwatchable: unwatchable.map((r) => r.id) });
      await rawQuery(em, 'UPDATE mailbox SET watchLeaseUntil = :until WHERE watchLeaseId IN (:...ids) AND watchEngineId = :engine', { ids, engine, until });
      // More than its share (another engine started): the excess is handed back, for the engines below theirs to claim.
      const excess = (await this.heldBy(em, engine, now)) - (await this.share(em, engine, now, until, onlyApproved));
      if (excess > 0) {
        const shed = await rawQuery<{ id: string }>(em, 'SELECT id FROM mailbox WHERE watchLeaseId IN (:...ids) AND watchEngineId = :engine ORDER BY id DESC LIMIT :excess', { ids, engine, excess });
        if (shed.length) await rawQuery(em, `UPDATE mailbox SET ${CLEARED} WHERE id IN (:...shed)`, { shed: shed.map((r) => r.id) });
      }
      return this.notHeld(em, engine, ids);
    });
  }

  /** Ends these watch leases (an engine stopping), so other engines may watch the mailboxes at once; returns how many it ended. */
  async release(principal: Principal, engineId: string, leaseIds: readonly string[]): Promise<number> {
    requireSyncEngine(principal, WATCH_WORK);
    const engine = checkedEngineId(engineId);
    const ids = checkedLeaseIds(leaseIds);
    // A stopping engine no longer counts in the even split.
    await this.db.getRepository(WatchEngine).delete({ engineId: engine });
    if (!ids.length) return 0;
    const held = await rawQuery<{ id: string }>(this.db.manager, 'SELECT id FROM mailbox WHERE watchLeaseId IN (:...ids) AND watchEngineId = :engine', { ids, engine });
    if (!held.length) return 0;
    await rawQuery(this.db.manager, `UPDATE mailbox SET ${CLEARED} WHERE id IN (:...held) AND watchEngineId = :engine`, { held: held.map((r) => r.id), engine });
    return held.length;
  }

  /**
   * The watching engine saw new mail in these mailboxes: each is due now (an enabled one; a backing-off one keeps its
   * back-off), and a sync running at this moment is followed by another. Returns the leases no longer held (nothing done for them).
   */
  async changed(principal: Principal, engineId: string, leaseIds: readonly string[]): Promise<string[]> {
    requireSyncEngine(principal, WATCH_WORK);
    const engine = checkedEngineId(engineId);
    const ids = checkedLeaseIds(leaseIds);
    if (!ids.length) return [];
    const now = this.clock();
    // One row per statement, outside a transaction: a row a sync holds locked delays only its own update, and no
    // lock order between rows exists to deadlock on.
    for (const leaseId of ids) {
      await rawQuery(
        this.db.manager,
        `UPDATE mailbox SET watchChangedAt = :now, nextSyncAt = CASE WHEN state = '${MailboxState.ENABLED}' THEN :now ELSE nextSyncAt END
          WHERE watchLeaseId = :leaseId AND watchEngineId = :engine`,
        { leaseId, engine, now },
      );
    }
    return this.notHeld(this.db.manager, engine, ids);
  }

  /**
   * How many mailboxes each engine alive now should watch: the watchable ones split evenly. Counts `engine` as alive
   * until `until` (a new engine is counted from its first claim, and the others hand back their excess at their next renewal).
   */
  private async share(em: EntityManager, engine: string, now: Date, until: Date, onlyApproved: boolean): Promise<number> {
    await em.getRepository(WatchEngine).upsert({ engineId: engine, seenUntil: until }, ['engineId']);
    const [{ n: engines }] = await rawQuery<{ n: number | string }>(em, 'SELECT COUNT(*) AS n FROM watch_engine WHERE seenUntil >= :now', { now });
    const [{ n: watchable }] = await rawQuery<{ n: number | string }>(em, `SELECT COUNT(*) AS n FROM mailbox m WHERE ${watchableSql(onlyApproved)}`, {});
    return Math.ceil(Number(watchable) / Math.max(1, Number(engines)));
  }

  /** Live watch leases `engine` holds. */
  private async heldBy(em: EntityManager, engine: string, now: Date): Promise<number> {
    const [{ n }] = await rawQuery<{ n: number | string }>(em, 'SELECT COUNT(*) AS n FROM mailbox WHERE watchEngineId = :engine AND watchLeaseUntil >= :now', { engine, now });
    return Number(n);
  }

  private async notHeld(em: EntityManager, engine: string, ids: readonly string[]): Promise<string[]> {
    const held = new Set((await rawQuery<{ watchLeaseId: string }>(em, 'SELECT watchLeaseId FROM mailbox WHERE watchLeaseId IN (:...ids) AND watchEngineId = :engine', { ids, engine })).map((r) => r.watchLeaseId));
    return ids.filter((id) => !held.has(id));
  }
}

/** Profile kinds with push: IMAP IDLE, Exchange (EWS) notifications. POP3 has none: it is polled. */
const PUSH_KINDS = [EmailServerKind.IMAP_SMTP, EmailServerKind.EXCHANGE_EWS].map((kind) => `'${kind}'`).join(', ');

/** Mailboxes worth a push connection: syncing incoming mail from their own IMAP or Exchange server. `m` is the mailbox alias; kinds are constants. */
function watchableSql(onlyApproved: boolean): string {
  return `${syncableSql('m', onlyApproved)} AND ${readsIncomingSql('m')}
    AND m.profileId IN (SELECT p.id FROM email_server_profile p WHERE p.kind IN (${PUSH_KINDS}))`;
}

function checkedEngineId(engineId: string): string {
  const engine = engineId.trim();
  if (!engine || engine.length > 100) throw badInput('engineId', 'must be 1 to 100 characters');
  return engine;
}

function checkedLeaseIds(leaseIds: readonly string[]): string[] {
  if (leaseIds.length > MAX_WATCH_LEASES) throw badInput('leaseIds', `at most ${MAX_WATCH_LEASES} per call`);
  if (leaseIds.some((id) => id.length > 36)) throw badInput('leaseIds', 'each is a lease id from claimMailboxWatches (at most 36 characters)');
  return [...new Set(leaseIds)];
}

function checkLeaseSeconds(leaseSeconds: number): void {
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < WATCH_LEASE_SECONDS.min || leaseSeconds > WATCH_LEASE_SECONDS.max) {
    throw badInput('leaseSeconds', `must be from ${WATCH_LEASE_SECONDS.min} to ${WATCH_LEASE_SECONDS.max}`);
  }
}
