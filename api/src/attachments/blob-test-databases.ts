import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource, type Logger } from 'typeorm';
import { createMysqlDatabase, dropMysqlDatabase } from '../db/mysql-admin';
import { serializeSqliteAccess } from '../db/sqlite-serial';
import { Blob, BlobChunk } from './blob.entity';

// Test fixture: a throwaway database holding just the blob tables, on either real database.

export type TestDialect = 'sqlite' | 'mariadb';

export const MARIADB_SERVER_URL = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

export interface BlobTestDatabase {
  /** A new DataSource on the database (each one stands for a separate api process). */
  connect(logger?: Logger): Promise<DataSource>;
  /** Closes every DataSource and deletes the database. */
  drop(): Promise<void>;
}

/** Counts the statements a DataSource sends, to check batching. */
export class StatementCounter implements Logger {
  statements = 0;
  logQuery(): void {
    this.statements++;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

export async function createBlobTestDatabase(dialect: TestDialect): Promise<BlobTestDatabase> {
  const opened: DataSource[] = [];
  let options: ConstructorParameters<typeof DataSource>[0];
  let remove: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-blob-'));
    options = {
      type: 'better-sqlite3',
      database: path.join(dir, 'blobs.sqlite'),
      entities: [Blob, BlobChunk],
      synchronize: true,
      // As in production (db/data-source.ts).
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
      },
    };
    remove = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `crm_blob_${randomBytes(4).toString('hex')}`;
    await createMysqlDatabase(MARIADB_SERVER_URL, name);
    options = {
      type: 'mariadb',
      url: `${MARIADB_SERVER_URL}/${name}`,
      entities: [Blob, BlobChunk],
      synchronize: true,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
    };
    remove = () => dropMysqlDatabase(MARIADB_SERVER_URL, name);
  }
  return {
    async connect(logger) {
      const ds = new DataSource({ ...options, ...(logger ? { logger, logging: true } : {}) });
      await ds.initialize();
      // As in production (db/data-source.ts): one transaction at a time on the shared connection.
      if (ds.options.type === 'better-sqlite3') serializeSqliteAccess(ds);
      opened.push(ds);
      return ds;
    },
    async drop() {
      for (const ds of opened) if (ds.isInitialized) await ds.destroy();
      await remove();
    },
  };
}
