import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { databaseErrorKind, type DatabaseErrorKind } from './database-errors';
import { retryingDatabaseWork } from './transaction-retry';

/** Errors shaped as the drivers throw them: mysql2 sets errno and code, better-sqlite3 sets code. */
const mysql2 = (errno: number, code: string) => Object.assign(new Error(code), { errno, code, sqlState: '40001' });
const sqlite = (code: string) => Object.assign(new Error(code), { code });
const wrapped = (driverError: Error) => new QueryFailedError('INSERT …', [], driverError);

const CASES: [string, unknown, DatabaseErrorKind | null][] = [
  ['MariaDB deadlock', mysql2(1213, 'ER_LOCK_DEADLOCK'), 'DEADLOCK'],
  ['MariaDB deadlock through TypeORM', wrapped(mysql2(1213, 'ER_LOCK_DEADLOCK')), 'DEADLOCK'],
  ['MariaDB snapshot-isolation write conflict', wrapped(mysql2(1020, 'ER_CHECKREAD')), 'DEADLOCK'],
  ['MariaDB lock wait timeout', wrapped(mysql2(1205, 'ER_LOCK_WAIT_TIMEOUT')), 'LOCK_TIMEOUT'],
  ['MariaDB duplicate key', wrapped(mysql2(1062, 'ER_DUP_ENTRY')), 'DUPLICATE_KEY'],
  ['SQLite busy', wrapped(sqlite('SQLITE_BUSY')), 'BUSY'],
  ['SQLite busy snapshot', sqlite('SQLITE_BUSY_SNAPSHOT'), 'BUSY'],
  ['SQLite duplicate primary key, bare', sqlite('SQLITE_CONSTRAINT_PRIMARYKEY'), 'DUPLICATE_KEY'],
  ['SQLite unique index', wrapped(sqlite('SQLITE_CONSTRAINT_UNIQUE')), 'DUPLICATE_KEY'],
  ['SQLite foreign key', wrapped(sqlite('SQLITE_CONSTRAINT_FOREIGNKEY')), null],
  ['MariaDB syntax error', wrapped(mysql2(1064, 'ER_PARSE_ERROR')), null],
  ['MariaDB data too long', wrapped(mysql2(1406, 'ER_DATA_TOO_LONG')), null],
  ['a plain error', new Error('boom'), null],
  ['nothing', undefined, null],
  ['a string', 'ER_LOCK_DEADLOCK', null],
];

describe('databaseErrorKind', () => {
  it.each(CASES)('%s', (_label, err, kind) => expect(databaseErrorKind(err)).toBe(kind));
});

describe('retryingDatabaseWork', () => {
  /** Work that fails with `errors` in turn, then answers how many runs it took. */
  const failingWith = (...errors: unknown[]) => {
    let runs = 0;
    return async () => {
      runs++;
      if (runs <= errors.length) throw errors[runs - 1];
      return runs;
    };
  };
  const deadlock = () => wrapped(mysql2(1213, 'ER_LOCK_DEADLOCK'));

  it('runs work again while its budget for that kind lasts', async () => {
    expect(await retryingDatabaseWork(failingWith(deadlock(), deadlock()), { DEADLOCK: 3 })).toBe(3);
  });

  it('gives up with the last error once the budget is spent', async () => {
    const last = deadlock();
    await expect(retryingDatabaseWork(failingWith(deadlock(), last), { DEADLOCK: 2 })).rejects.toBe(last);
  });

  it('never retries a kind the budget does not name, nor an error that is not the database\'s', async () => {
    const duplicate = wrapped(mysql2(1062, 'ER_DUP_ENTRY'));
    await expect(retryingDatabaseWork(failingWith(duplicate), { DEADLOCK: 5 })).rejects.toBe(duplicate);
    const refusal = new Error('FORBIDDEN');
    await expect(retryingDatabaseWork(failingWith(refusal), { DEADLOCK: 5 })).rejects.toBe(refusal);
  });
});
