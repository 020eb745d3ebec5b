import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { dataSourceOptions, detectMysqlFlavor } from '../../api/src/db/data-source';
import { createMysqlDatabase, dropMysqlDatabase } from '../../api/src/db/mysql-admin';
import { MARIADB_SERVER_URL } from '../support/hub';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function freshDatabase(dialect: 'sqlite' | 'mariadb'): Promise<string> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-mig-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    return `sqlite:${path.join(dir, 'm.sqlite')}`;
  }
  const name = `crm_mig_${randomBytes(4).toString('hex')}`;
  await createMysqlDatabase(MARIADB_SERVER_URL, name);
  cleanups.push(() => dropMysqlDatabase(MARIADB_SERVER_URL, name));
  return `${MARIADB_SERVER_URL}/${name}`;
}

describe.each(['sqlite', 'mariadb'] as const)('versioned migrations on %s', (dialect) => {
  it('build exactly the schema the entities describe, and run down and up again', async () => {
    const url = await freshDatabase(dialect);
    const ds = new DataSource({ ...dataSourceOptions(url, dialect === 'mariadb' ? await detectMysqlFlavor(url) : undefined), logging: false });
    await ds.initialize();
    try {
      expect(ds.options.synchronize).toBe(false);
      const applied = await ds.runMigrations();
      expect(applied.length).toBeGreaterThan(0);
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      for (let i = 0; i < applied.length; i++) await ds.undoLastMigration();
      expect((await ds.runMigrations()).length).toBe(applied.length);
      expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  if (dialect === 'mariadb') {
    it('creates every table as utf8mb4', async () => {
      const url = await freshDatabase(dialect);
      const ds = new DataSource({ ...dataSourceOptions(url), logging: false });
      await ds.initialize();
      try {
        await ds.runMigrations();
        const rows: { TABLE_NAME: string; TABLE_COLLATION: string }[] = await ds.query(
          'SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
        );
        expect(rows.length).toBeGreaterThan(10);
        for (const row of rows) expect(row.TABLE_COLLATION, row.TABLE_NAME).toMatch(/^utf8mb4_/);
      } finally {
        await ds.destroy();
      }
    });
  }
});
