import { AsyncLocalStorage } from 'node:async_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';

interface Serial {
  readonly holding: AsyncLocalStorage<true>;
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

const serials = new WeakMap<DataSource, Serial>();

/**
 * TypeORM's better-sqlite3 driver runs every request on ONE connection and one query runner, so
 * two requests' transactions do not wait for each other: the second becomes a savepoint inside
 * the first, and the first one's rollback can undo what the second already reported as saved.
 * This makes SQLite access exclusive: a transaction holds the connection from BEGIN to COMMIT,
 * and a statement outside any transaction waits its turn. Inside a transaction (tracked per async
 * context) statements and nested transactions run directly. SQLite has one writer anyway.
 */
export function serializeSqliteAccess(dataSource: DataSource): void {
  const holding = new AsyncLocalStorage<true>();
  let tail: Promise<void> = Promise.resolve();

  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    const previous = tail;
    let release!: () => void;
    tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await holding.run(true, work);
    } finally {
      release();
    }
  };

  serials.set(dataSource, { holding, exclusive });

  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  manager.transaction = ((...args: unknown[]) =>
    holding.getStore() ? transaction(...args) : exclusive(() => transaction(...args))) as typeof manager.transaction;

  // The driver hands out this one runner to every caller (BetterSqlite3Driver.createQueryRunner).
  const runner = dataSource.driver.createQueryRunner('master');
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  runner.query = ((...args: unknown[]) => (holding.getStore() ? query(...args) : exclusive(() => query(...args)))) as typeof runner.query;
}

/**
 * Runs `work` as one synchronous better-sqlite3 IMMEDIATE transaction on the data source's shared
 * connection, in its turn among TypeORM's transactions and statements (no polling): nothing slips
 * into it, the file's write lock is never held across an await, and it commits before this resolves.
 * Not from inside a TypeORM transaction: it would wait for that transaction's end, which waits for it.
 */
export async function immediateSqliteTransaction<T>(dataSource: DataSource, work: (conn: BetterSqlite3.Database) => T): Promise<T> {
  const serial = serials.get(dataSource);
  if (!serial) throw new Error('immediateSqliteTransaction needs serializeSqliteAccess on the data source first');
  if (serial.holding.getStore()) throw new Error('immediateSqliteTransaction cannot run inside another transaction on the same connection');
  const conn = (dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
  return serial.exclusive(async () => conn.transaction(() => work(conn)).immediate());
}
