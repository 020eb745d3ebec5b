import type { DataSource, EntityManager } from 'typeorm';
import { retryingDatabaseWork, type RetryBudget } from '../db/transaction-retry';
import { TrackingTokenCounter } from './tracking-token-counter.entity';

/** A user's number in tracking tokens and the counter value to write into the next token. */
export interface TokenNumbers {
  readonly userNumber: number;
  readonly counter: number;
}

/** Unique-key violations and deadlocks on either database: the numbering race another process won; try again. */
const NUMBERING_RETRIES: RetryBudget = { DUPLICATE_KEY: 8, DEADLOCK: 8 };

/**
 * The tracking_token_counter table: each user's token number (Dynamics' "user digits") and message
 * counter. Numbers are unique across every api process sharing the database: the unique index on
 * userNumber decides races, and the loser picks the next free number.
 */
export class TrackingTokenCounters {
  private readonly table: string;

  constructor(private readonly db: DataSource) {
    this.table = db.getMetadata(TrackingTokenCounter).tableName;
  }

  /** The user's number, assigned on first use as the highest number so far + 1 (the first user gets 1). */
  async userNumber(userId: string): Promise<number> {
    const repo = this.db.getRepository(TrackingTokenCounter);
    return retryingDatabaseWork(async () => {
      const existing = await repo.findOneBy({ userId });
      if (existing) return existing.userNumber;
      // One statement, so the number cannot be taken between reading the maximum and inserting it
      // by this process; another process may still take it first, which the unique index reports.
      await this.db.query(
        `INSERT INTO ${this.table} (userId, userNumber, counter) SELECT ?, COALESCE(MAX(userNumber), 0) + 1, 0 FROM ${this.table}`,
        [userId],
      );
      return (await repo.findOneByOrFail({ userId })).userNumber;
    }, NUMBERING_RETRIES);
  }

  /**
   * Advances the user's counter inside the caller's transaction and returns the new value: the SQL
   * form of tracking-token.ts `nextCounter` ((counter + 1) mod 10^digits, so 999 wraps to 0). The
   * row stays locked (MySQL) or the statement is atomic (SQLite), so two sends never share a value.
   * The user must have a number already (`userNumber`).
   */
  async next(em: EntityManager, userId: string, counterDigits: number): Promise<TokenNumbers> {
    const modulus = 10 ** counterDigits;
    const update = `UPDATE ${this.table} SET counter = (counter + 1) % ? WHERE userId = ?`;
    let rows: { userNumber: number | string; counter: number | string }[];
    if (em.connection.options.type === 'better-sqlite3') {
      rows = await em.query(`${update} RETURNING userNumber, counter`, [modulus, userId]);
    } else {
      // MySQL has no UPDATE … RETURNING; the transaction sees its own change and holds the row lock until it ends.
      await em.query(update, [modulus, userId]);
      rows = await em.query(`SELECT userNumber, counter FROM ${this.table} WHERE userId = ?`, [userId]);
    }
    if (rows.length !== 1) throw new Error(`user ${userId} has no tracking token number yet`);
    return { userNumber: Number(rows[0].userNumber), counter: Number(rows[0].counter) };
  }
}
