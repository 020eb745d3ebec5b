import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource, EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import { runClaim } from '../db/lease-claim';
import type { EmailSettingsService } from '../mail/email-settings.service';
import { sendsSql } from '../mail/mailbox-eligibility-sql';
import type { Clock } from '../platform/clock';
import type { ActivityEvents } from './activity-events';
import { EmailStatus } from './activity-enums';
import { EmailMessage } from './email-message.entity';
import { SEND_TRANSITIONS } from './email-send-state';
import type { EmailSendTransitions } from './email-send-transitions';
import type { ClaimedEmail } from './outgoing-email.types';

const isSqlite = (db: DataSource) => db.options.type === 'better-sqlite3';

/**
 * Takes due PENDING_SEND emails under fresh leases: never-deferred ones first, oldest first, then
 * retries in the order they fell due, and only from sender mailboxes that may send. Two engines
 * claiming at once never get the same email: MySQL/MariaDB skip rows another claim has locked; on
 * SQLite the claim runs as one synchronous write transaction that nothing can interleave with.
 */
export class OutgoingClaims {
  constructor(
    private readonly db: DataSource,
    private readonly settings: Pick<EmailSettingsService, 'current'>,
    private readonly transitions: EmailSendTransitions,
    private readonly events: ActivityEvents,
    private readonly clock: Clock,
  ) {}

  /** Settles expired leases (UNCERTAIN, never back to PENDING_SEND), then claims up to `limit` emails for `leaseSeconds`. */
  async take(limit: number, leaseSeconds: number): Promise<ClaimedEmail[]> {
    const now = this.clock();
    await this.transitions.expireLeases(now);
    const until = new Date(now.getTime() + leaseSeconds * 1000);
    const onlyApproved = (await this.settings.current()).processEmailOnlyForApprovedMailboxes;
    // READ COMMITTED: no gap locks, so a claim does not block composing or reporting on other emails.
    const claimed = await runClaim(this.db, (em) => this.claimOnMysql(em, now, until, limit, onlyApproved), {
      isolation: 'READ COMMITTED',
      sqlite: (conn) => this.claimOnSqlite(conn, now, until, limit, onlyApproved),
    });
    // The SQLite claim ran outside TypeORM (see claimOnSqlite): its SENDING events are written right after it.
    if (isSqlite(this.db)) for (const { id } of claimed) await this.events.stage(this.db.manager, 'UPDATED', id);
    return claimed;
  }

  private async claimOnMysql(em: EntityManager, now: Date, until: Date, limit: number, onlyApproved: boolean): Promise<ClaimedEmail[]> {
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
    const claimed: ClaimedEmail[] = [];
    for (const { activityId } of rows) {
      const leaseId = newId();
      if (await this.transitions.claimOne(em, activityId, leaseId, until)) claimed.push({ id: activityId, leaseId });
    }
    return claimed;
  }

  /**
   * TypeORM shares one SQLite connection among all requests, so an awaited transaction could take in
   * another request's statements, or be committed or rolled back by it. These statements run
   * synchronously in one IMMEDIATE transaction, in their turn on the connection (db/lease-claim.ts).
   */
  private claimOnSqlite(conn: BetterSqlite3.Database, now: Date, until: Date, limit: number, onlyApproved: boolean): ClaimedEmail[] {
    const meta = this.db.getMetadata(EmailMessage);
    const dateValue = (date: Date) => this.db.driver.preparePersistentValue(date, meta.findColumnWithPropertyName('sendLeaseUntil')!) as string;
    const select = conn.prepare(
      `SELECT activityId FROM ${meta.tableName} WHERE status = ? AND (nextAttemptAt IS NULL OR nextAttemptAt <= ?)
         AND senderMailboxId IN (SELECT m.id FROM mailbox m JOIN email_server_profile p ON p.id = m.profileId WHERE ${sendsSql('m', onlyApproved)})
         ORDER BY nextAttemptAt, activityId LIMIT ?`,
    );
    // The CLAIM transition (SEND_TRANSITIONS.CLAIM, as EmailSendTransitions.claimOne writes it) without an await.
    const update = conn.prepare(
      `UPDATE ${meta.tableName} SET status = ?, sendLeaseId = ?, sendLeaseUntil = ?, sendAttempts = sendAttempts + 1, nextAttemptAt = NULL, failureReason = NULL WHERE activityId = ? AND status = ?`,
    );
    const [from] = SEND_TRANSITIONS.CLAIM.from;
    const rows = select.all(from, dateValue(now), limit) as { activityId: string }[];
    const claimed: ClaimedEmail[] = [];
    for (const { activityId } of rows) {
      const leaseId = newId();
      if (update.run(SEND_TRANSITIONS.CLAIM.to, leaseId, dateValue(until), activityId, from).changes === 1) claimed.push({ id: activityId, leaseId });
    }
    return claimed;
  }
}
