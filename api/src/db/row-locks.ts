import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * "Lock these rows for the rest of the transaction", the same call on either database. MariaDB
 * needs the lock (InnoDB row locks, held to COMMIT); SQLite needs none, because sqlite-serial.ts
 * lets one transaction at a time hold the connection, and SQLite has one writer anyway.
 */
export const locksRows = (db: DataSource | EntityManager): boolean => ('connection' in db ? db.connection : db).options.type !== 'better-sqlite3';

/** The locking clause to end a raw SELECT with: ` FOR UPDATE` (or `… SKIP LOCKED`) on MariaDB, nothing on SQLite. */
export function forUpdate(db: DataSource | EntityManager, skipLocked = false): string {
  if (!locksRows(db)) return '';
  return skipLocked ? ' FOR UPDATE SKIP LOCKED' : ' FOR UPDATE';
}

/** Locks the row of `table` whose id is `id` for the rest of `em`'s transaction (exclusively on MariaDB). */
export async function lockRow(em: EntityManager, table: string, id: string): Promise<void> {
  if (locksRows(em)) await em.query(`SELECT id FROM ${table} WHERE id = ?${forUpdate(em)}`, [id]);
}

/** The `lock` option for TypeORM's find: a write (exclusive) or read (shared) row lock on MariaDB, none on SQLite. */
export function rowLock(em: EntityManager, mode: 'pessimistic_write' | 'pessimistic_read' = 'pessimistic_write'): { mode: typeof mode } | undefined {
  return locksRows(em) ? { mode } : undefined;
}

/** `qb` reading its rows FOR UPDATE on MariaDB; unchanged on SQLite. */
export function lockedForUpdate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): SelectQueryBuilder<T> {
  return locksRows(qb.connection) ? qb.setLock('pessimistic_write') : qb;
}
