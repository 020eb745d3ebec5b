import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { immediateSqliteTransaction } from './sqlite-serial';

/** How a claim runs; `sqlite` replaces `claim` on SQLite when it can be written without awaits. */
export interface ClaimOptions<T> {
  /** MariaDB only: e.g. READ COMMITTED, so a claim takes no gap locks and sees what claims before it committed. */
  readonly isolation?: IsolationLevel;
  /** The same claim as synchronous better-sqlite3 statements: one IMMEDIATE transaction with no round trips through TypeORM. */
  readonly sqlite?: (conn: BetterSqlite3.Database) => T;
}

/**
 * Runs a short write transaction that takes rows for this caller: leases of mailboxes or outgoing
 * emails, or a blob's key. `claim` locks what it takes with db/row-locks.ts (FOR UPDATE [SKIP LOCKED]
 * on MariaDB, where a deadlock runs the whole claim again: db/transaction-retry.ts); on SQLite one
 * claim at a time holds the connection (db/sqlite-serial.ts), so the same steps need no locks.
 * Resolves after the commit: a caller answering with what it claimed never hands out an uncommitted lease.
 */
export function runClaim<T>(db: DataSource, claim: (em: EntityManager) => Promise<T>, options: ClaimOptions<T> = {}): Promise<T> {
  if (db.options.type === 'better-sqlite3') return options.sqlite ? immediateSqliteTransaction(db, options.sqlite) : db.transaction(claim);
  return options.isolation ? db.transaction(options.isolation, claim) : db.transaction(claim);
}
