import type { EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import type { Clock } from '../platform/clock';
import { LiveEventLog } from './live-event-log';

/**
 * TypeORM's transaction hooks for the live event outbox: the events a transaction staged are
 * written as its last statements, and subscribers are woken only once it has committed.
 */
export class LiveCommitHooks implements EntitySubscriberInterface {
  private readonly committing = new WeakSet<object>();

  constructor(
    /** Called after a transaction that wrote events committed: another process or this one may read them now. */
    private readonly committed: () => void,
    private readonly clock: Clock,
  ) {}

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const runner = event.queryRunner;
    // Savepoints (nested transactions) commit into their parent: only the outermost COMMIT writes.
    if (depthOf(runner) !== 1 || !LiveEventLog.hasStaged(runner)) return;
    this.committing.add(runner);
    await LiveEventLog.flush(runner, this.clock());
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const runner = event.queryRunner;
    if (runner.isTransactionActive || !this.committing.has(runner)) return;
    this.committing.delete(runner);
    this.committed();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const runner = event.queryRunner;
    if (runner.isTransactionActive) return;
    this.committing.delete(runner);
    LiveEventLog.discard(runner);
  }
}

/** TypeORM keeps the nesting depth protected; 1 is the outermost transaction, deeper ones are savepoints. */
const depthOf = (runner: object): number => (runner as { transactionDepth?: number }).transactionDepth ?? 1;
