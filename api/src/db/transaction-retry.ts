import { setTimeout as delay } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { Logger } from '../platform/logger';
import { databaseErrorKind, type DatabaseErrorKind } from './database-errors';

/** How many times in all work may run when it fails with each kind; kinds not named are not retried. */
export type RetryBudget = Readonly<Partial<Record<DatabaseErrorKind, number>>>;

/**
 * What every transaction gets. A deadlock victim was rolled back whole, so running it again is safe
 * and usually succeeds at once. A lock wait already cost the server's wait (50 s by default on
 * InnoDB), so it is tried once more only.
 */
export const TRANSIENT_RETRIES: RetryBudget = { DEADLOCK: 6, LOCK_TIMEOUT: 2, BUSY: 3 };

/**
 * Runs `work`, and runs it again while it fails with a kind of database error the budget allows,
 * after a short random pause so writers that collided do not collide again. `work` must be safe to
 * repeat: a whole transaction, or one statement.
 */
export async function retryingDatabaseWork<T>(work: () => Promise<T>, budget: RetryBudget, onRetry?: (kind: DatabaseErrorKind, attempt: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const kind = databaseErrorKind(err);
      if (!kind || attempt >= (budget[kind] ?? 0)) throw err;
      onRetry?.(kind, attempt);
      await delay(Math.random() * 20 * attempt);
    }
  }
}

/**
 * Every mutation is one transaction, so a transaction the database gave up on (deadlock, lock wait,
 * SQLite busy) can run again whole: callers never see such a failure unless it persists. Wraps the
 * data source's own `transaction` (which `DataSource.transaction` and repositories use); nested
 * transactions run on a transaction's manager and are retried only as part of the outer one.
 */
export function retryTransientTransactions(dataSource: DataSource, log: Logger): void {
  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  manager.transaction = ((...args: unknown[]) =>
    retryingDatabaseWork(
      () => transaction(...args),
      TRANSIENT_RETRIES,
      (kind, attempt) => log.debug({ kind, attempt }, 'a transaction met another writer and runs again'),
    )) as typeof manager.transaction;
}
