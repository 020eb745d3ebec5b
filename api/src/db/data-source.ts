import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Logger } from '../platform/logger';
import { createPrivateDirectory, makePrivate } from '../platform/private-files';
import { ENTITIES } from './entities';
import { MYSQL_MIGRATIONS } from './migrations/mysql';
import { wrapPoolConnectionsWithoutRequire } from './mysql2-promise-wrapper';
import { SQLITE_MIGRATIONS } from './migrations/sqlite';
import { CountingQueryLogger } from './query-counter';
import { serializeSqliteAccess } from './sqlite-serial';
import { retryTransientTransactions } from './transaction-retry';

export type Dialect = 'mysql' | 'sqlite';

interface SqliteHandle {
  pragma(sql: string): unknown;
  function(name: string, options: { deterministic: boolean }, fn: (value: unknown) => unknown): unknown;
}

/** Case and accent folding, as MySQL's utf8mb4_unicode_ci compares: SQLite's LIKE and ORDER BY fold ASCII only. */
export const foldText = (text: string): string => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** MySQL and MariaDB speak one protocol, but TypeORM reads their catalogs differently. */
export type MysqlFlavor = 'mysql' | 'mariadb';

/** Asks the server what it is, so `mysql://` URLs work against MariaDB too. */
export async function detectMysqlFlavor(databaseUrl: string): Promise<MysqlFlavor> {
  const conn = await mysql.createConnection(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v');
    return String((rows as { v: string }[])[0].v).includes('MariaDB') ? 'mariadb' : 'mysql';
  } finally {
    await conn.end();
  }
}

export function dialectOf(databaseUrl: string): Dialect {
  return databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'mysql';
}

/**
 * The SQLite file holds bodies and attachments in clear: created for the service user only (600, in
 * a new directory 700), and an existing one narrowed to that at start. SQLite gives its -wal and
 * -shm files the database file's mode; those left by an older version are narrowed too.
 */
function createPrivateDatabaseFile(file: string): void {
  createPrivateDirectory(path.dirname(path.resolve(file)));
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const part of [file, `${file}-wal`, `${file}-shm`]) makePrivate(part);
}

/** Options for either database; `synchronize` is never on: the schema comes from versioned migrations. */
export function dataSourceOptions(databaseUrl: string, flavor: MysqlFlavor = 'mariadb', logger?: CountingQueryLogger): DataSourceOptions {
  const common = { entities: ENTITIES, synchronize: false, logging: true as const, logger, maxQueryExecutionTime: 1000 };
  if (dialectOf(databaseUrl) === 'sqlite') {
    const file = databaseUrl.slice('sqlite:'.length);
    if (file !== ':memory:') createPrivateDatabaseFile(file);
    return {
      ...common,
      type: 'better-sqlite3',
      database: file,
      migrations: SQLITE_MIGRATIONS,
      // WAL lets readers run beside the one writer; busy_timeout waits for the lock instead of failing.
      prepareDatabase: (db: SqliteHandle) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
        db.function('crm_fold', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldText(text) : text));
      },
    };
  }
  return {
    ...common,
    type: flavor,
    url: databaseUrl.replace(/^mariadb:/, 'mysql:'),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    migrations: MYSQL_MIGRATIONS,
    // mysql2 otherwise captures a stack trace on every query for its errors' sake (a few % of the api's CPU under
    // ingest); a failed query still carries its SQL and error code.
    trace: false,
    extra: { connectionLimit: 20 },
  };
}

export interface Database {
  readonly dataSource: DataSource;
  readonly dialect: Dialect;
  readonly queries: CountingQueryLogger;
}

/** Connects, applies pending migrations, then runs `initialize` (first-start seeding) under the same startup lock. */
export async function openDatabase(databaseUrl: string, log: Logger, initialize: (ds: DataSource) => Promise<void> = async () => {}): Promise<Database> {
  const queries = new CountingQueryLogger(log);
  const flavor = dialectOf(databaseUrl) === 'mysql' ? await detectMysqlFlavor(databaseUrl) : undefined;
  if (flavor) wrapPoolConnectionsWithoutRequire();
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, flavor, queries));
  await dataSource.initialize();
  if (dataSource.options.type === 'better-sqlite3') serializeSqliteAccess(dataSource);
  retryTransientTransactions(dataSource, log);
  await underStartupLock(dataSource, async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    await initialize(dataSource);
  });
  return { dataSource, dialect: dialectOf(databaseUrl), queries };
}

/**
 * Several api processes may start at once (replicas): on MySQL/MariaDB a named lock lets one
 * migrate and seed while the others wait. SQLite serializes writers through its file lock.
 */
async function underStartupLock(dataSource: DataSource, work: () => Promise<void>): Promise<void> {
  if (dataSource.options.type === 'better-sqlite3') {
    await work();
    return;
  }
  const runner = dataSource.createQueryRunner();
  try {
    const [row] = await runner.query("SELECT GET_LOCK('crm_hub_startup', 120) AS locked");
    if (Number(row.locked) !== 1) throw new Error('timed out waiting for another api process to finish migrating');
    try {
      await work();
    } finally {
      await runner.query("SELECT RELEASE_LOCK('crm_hub_startup')");
    }
  } finally {
    await runner.release();
  }
}
