import { QueryFailedError } from 'typeorm';

/**
 * What a database error means to the code that got it, the same on either database:
 * - DEADLOCK: the server chose this transaction as a deadlock's victim and rolled it back;
 * - LOCK_TIMEOUT: a lock was held by another transaction for longer than the server waits;
 * - BUSY: SQLite's file lock stayed taken past busy_timeout (another process writing);
 * - DUPLICATE_KEY: a unique or primary key already holds the value (often a race another writer won).
 */
export type DatabaseErrorKind = 'DEADLOCK' | 'LOCK_TIMEOUT' | 'BUSY' | 'DUPLICATE_KEY';

// MySQL/MariaDB server error numbers (mysql2 puts them in `errno`, the symbol in `code`).
const BY_ERRNO: ReadonlyMap<number, DatabaseErrorKind> = new Map([
  [1213, 'DEADLOCK'], // ER_LOCK_DEADLOCK
  [1020, 'DEADLOCK'], // ER_CHECKREAD: MariaDB 11.6+ innodb_snapshot_isolation, a write conflict that asks to restart the transaction
  [1205, 'LOCK_TIMEOUT'], // ER_LOCK_WAIT_TIMEOUT
  [1062, 'DUPLICATE_KEY'], // ER_DUP_ENTRY
]);

// better-sqlite3 puts SQLite's extended result code, by name, in `code`.
const BY_SQLITE_CODE: ReadonlyMap<string, DatabaseErrorKind> = new Map([
  ['SQLITE_BUSY', 'BUSY'],
  ['SQLITE_BUSY_SNAPSHOT', 'BUSY'],
  ['SQLITE_BUSY_RECOVERY', 'BUSY'],
  ['SQLITE_CONSTRAINT_PRIMARYKEY', 'DUPLICATE_KEY'],
  ['SQLITE_CONSTRAINT_UNIQUE', 'DUPLICATE_KEY'],
]);

/** The kind of a driver error (bare, or wrapped in TypeORM's QueryFailedError); null for anything else. */
export function databaseErrorKind(err: unknown): DatabaseErrorKind | null {
  const driverError = (err instanceof QueryFailedError ? err.driverError : err) as { code?: unknown; errno?: unknown } | null | undefined;
  if (!driverError || typeof driverError !== 'object') return null;
  if (typeof driverError.errno === 'number' && BY_ERRNO.has(driverError.errno)) return BY_ERRNO.get(driverError.errno)!;
  if (typeof driverError.code === 'string') return BY_SQLITE_CODE.get(driverError.code) ?? null;
  return null;
}


/** `write`, with a duplicate key (a unique index another writer filled first) answered by `conflict()` instead. */
export async function unlessDuplicate<T>(write: Promise<T>, conflict: () => Error): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (databaseErrorKind(err) === 'DUPLICATE_KEY') throw conflict();
    throw err;
  }
}
