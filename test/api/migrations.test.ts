import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { BINARY_DIGEST_COLUMNS, BINARY_KIND_COLUMNS, isBinaryKeyColumn, KEY_COLLATION, withBinaryKeys } from '../../api/src/db/key-collation';
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
    it('creates every table as utf8mb4, and compares every id, record kind and key digest byte by byte', async () => {
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
        const columns: { TABLE_NAME: string; COLUMN_NAME: string; CHARACTER_MAXIMUM_LENGTH: number | string; COLLATION_NAME: string }[] = await ds.query(
          "SELECT TABLE_NAME, COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND DATA_TYPE = 'varchar'",
        );
        const keys = columns.filter((c) => isBinaryKeyColumn(c.COLUMN_NAME, Number(c.CHARACTER_MAXIMUM_LENGTH)));
        expect(keys.length).toBeGreaterThan(100);
        for (const c of keys) expect(c.COLLATION_NAME, `${c.TABLE_NAME}.${c.COLUMN_NAME}`).toBe(KEY_COLLATION);
        // The lists name columns that exist.
        for (const name of [...BINARY_KIND_COLUMNS, ...BINARY_DIGEST_COLUMNS]) expect(keys.some((c) => c.COLUMN_NAME === name), name).toBe(true);
      } finally {
        await ds.destroy();
      }
    });
  }
});

/** A timeline_entry row in the table's first shape, by plain SQL, whatever columns later migrations added. */
async function insertTimelineEntry(ds: DataSource, dialect: 'sqlite' | 'mariadb', row: { recordKind: string; recordId: string; activityId: string; occurredAt: Date }): Promise<void> {
  const q = (name: string) => (dialect === 'mariadb' ? `\`${name}\`` : `"${name}"`);
  const columns = ['recordKind', 'recordId', 'activityId', 'occurredAt', 'viaRegarding', 'viaParty'];
  // Both drivers store datetime(3) as 'YYYY-MM-DD HH:MM:SS.mmm' in UTC.
  const at = row.occurredAt.toISOString().replace('T', ' ').replace('Z', '');
  await ds.query(`INSERT INTO ${q('timeline_entry')} (${columns.map(q).join(', ')}) VALUES (?, ?, ?, ?, 1, 0)`, [row.recordKind, row.recordId, row.activityId, at]);
}

/**
 * A fresh database with the migrations run, then undone back to just before the one whose name starts with `name`;
 * `use` gets its data source, destroyed afterwards.
 */
async function beforeMigration(dialect: 'sqlite' | 'mariadb', name: string, use: (ds: DataSource) => Promise<void>): Promise<void> {
  const url = await freshDatabase(dialect);
  const ds = new DataSource({ ...dataSourceOptions(url, dialect === 'mariadb' ? await detectMysqlFlavor(url) : undefined), logging: false });
  await ds.initialize();
  try {
    await migratedUpTo(ds, name);
    await use(ds);
  } finally {
    await ds.destroy();
  }
}

/** Runs just the pending migration whose name starts with `name` (the next one), not those after it. */
async function runOnly(ds: DataSource, name: string): Promise<void> {
  const migration = ds.migrations.find((m) => m.name?.startsWith(name));
  if (!migration) throw new Error(`no migration ${name}`);
  const runner = ds.createQueryRunner();
  try {
    await migration.up(runner);
  } finally {
    await runner.release();
  }
}

async function migratedUpTo(ds: DataSource, name: string): Promise<void> {
  await ds.runMigrations();
  const position = ds.migrations.findIndex((m) => m.name?.startsWith(name));
  expect(position).toBeGreaterThan(0);
  for (let i = ds.migrations.length; i > position; i--) await ds.undoLastMigration();
}

describe.each(['sqlite', 'mariadb'] as const)('the timeline scope migration on %s', (dialect) => {
  it('copies each entry’s activity owner and business unit, so scoped pages keep every row they had', async () => {
    await beforeMigration(dialect, 'TimelineEntryOwnerScope', async (ds) => {
      const activity = async (id: string, ownerId: string, businessUnitId: string) => {
        const common = { kind: 'EMAIL', subject: id, state: 'COMPLETED', occurredAt: new Date('2026-12-01T10:00:00Z'), visibility: 'FULL', createdById: ownerId, modifiedById: ownerId };
        await ds.getRepository('Activity').insert({ id, ownerId, businessUnitId, ...common });
      };
      await activity('act-1', 'user-a', 'unit-a');
      await activity('act-2', 'user-b', 'unit-b');
      for (const [recordKind, recordId, activityId] of [['contact', 'c1', 'act-1'], ['account', 'x1', 'act-1'], ['contact', 'c1', 'act-2']]) {
        await insertTimelineEntry(ds, dialect, { recordKind, recordId, activityId, occurredAt: new Date('2026-12-01T10:00:00Z') });
      }
      // An entry whose activity is gone (the writer never leaves one) still migrates, in no owner's or unit's scope.
      await insertTimelineEntry(ds, dialect, { recordKind: 'contact', recordId: 'c1', activityId: 'gone', occurredAt: new Date('2026-12-01T09:00:00Z') });
      await runOnly(ds, 'TimelineEntryOwnerScope');
      // Read as that migration leaves the table (later ones change it).
      const rows: { recordKind: string; activityId: string; ownerId: string; businessUnitId: string }[] = await ds.query(
        'SELECT recordKind, activityId, ownerId, businessUnitId FROM timeline_entry ORDER BY recordKind, activityId',
      );
      expect(rows.map((r) => [r.recordKind, r.activityId, r.ownerId, r.businessUnitId])).toEqual([
        ['account', 'act-1', 'user-a', 'unit-a'],
        ['contact', 'act-1', 'user-a', 'unit-a'],
        ['contact', 'act-2', 'user-b', 'unit-b'],
        ['contact', 'gone', '', ''],
      ]);
    });
  });
});

describe.each(['sqlite', 'mariadb'] as const)('the timeline copies migration on %s', (dialect) => {
  it('copies each entry’s activity columns, puts the entries in page order and drops an entry without its activity', async () => {
    await beforeMigration(dialect, 'TimelineEntryCopies', async (ds) => {
      const q = (name: string) => (dialect === 'mariadb' ? `\`${name}\`` : `"${name}"`);
      const activity = async (id: string, occurredAt: string, subject: string, direction: string | null) => {
        const row = { id, kind: 'EMAIL', subject, state: 'COMPLETED', direction, occurredAt: new Date(occurredAt), visibility: 'PRIVATE', ownerId: 'user-a', businessUnitId: 'unit-a', createdById: 'user-a', modifiedById: 'user-a' };
        await ds.getRepository('Activity').insert(row);
      };
      await activity('act-1', '2026-12-01T10:00:00Z', 'Offert – Volvo', 'INCOMING');
      await activity('act-2', '2026-12-02T10:00:00Z', 'Möte', null);
      // Written as that migration found the table: act-2's entry with a stale time, which the copy corrects.
      const entry = (recordId: string, activityId: string, at: string) =>
        ds.query(
          `INSERT INTO ${q('timeline_entry')} (${['recordKind', 'recordId', 'activityId', 'occurredAt', 'viaRegarding', 'viaParty', 'ownerId', 'businessUnitId'].map(q).join(', ')}) VALUES ('contact', ?, ?, ?, 1, 0, 'user-a', 'unit-a')`,
          [recordId, activityId, at],
        );
      await entry('c1', 'act-1', '2026-12-01 10:00:00.000');
      await entry('c1', 'act-2', '2026-12-01 08:00:00.000');
      await entry('c2', 'act-2', '2026-12-02 10:00:00.000');
      await entry('c1', 'gone', '2026-12-01 09:00:00.000');
      await runOnly(ds, 'TimelineEntryCopies');
      const rows: Record<string, unknown>[] = await ds.query(
        `SELECT ${['recordId', 'activityId', 'occurredAt', 'kind', 'subject', 'state', 'direction', 'visibility', 'ownerId'].map(q).join(', ')} FROM ${q('timeline_entry')} ORDER BY ${q('recordId')}, ${q('occurredAt')} DESC`,
      );
      // MariaDB's driver answers a Date, SQLite's the stored UTC text.
      const iso = (at: unknown) => (at instanceof Date ? at : new Date(`${String(at).replace(' ', 'T')}Z`)).toISOString();
      expect(rows.map((r) => ({ ...r, occurredAt: iso(r.occurredAt) }))).toEqual([
        { recordId: 'c1', activityId: 'act-2', occurredAt: '2026-12-02T10:00:00.000Z', kind: 'EMAIL', subject: 'Möte', state: 'COMPLETED', direction: null, visibility: 'PRIVATE', ownerId: 'user-a' },
        { recordId: 'c1', activityId: 'act-1', occurredAt: '2026-12-01T10:00:00.000Z', kind: 'EMAIL', subject: 'Offert – Volvo', state: 'COMPLETED', direction: 'INCOMING', visibility: 'PRIVATE', ownerId: 'user-a' },
        { recordId: 'c2', activityId: 'act-2', occurredAt: '2026-12-02T10:00:00.000Z', kind: 'EMAIL', subject: 'Möte', state: 'COMPLETED', direction: null, visibility: 'PRIVATE', ownerId: 'user-a' },
      ]);
      const key: { name: string }[] =
        dialect === 'mariadb'
          ? await ds.query("SELECT COLUMN_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'timeline_entry' AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX")
          : (await ds.query("SELECT name, pk FROM pragma_table_info('timeline_entry') WHERE pk > 0 ORDER BY pk")).map((c: { name: string }) => ({ name: c.name }));
      expect(key.map((c) => c.name)).toEqual(['recordKind', 'recordId', 'occurredAt', 'activityId']);
    });
  });
});

describe.each(['sqlite', 'mariadb'] as const)('the all-day migration on %s', (dialect) => {
  it('moves all-day appointments stored at a browser\'s local midnight to whole UTC days, with their timeline places', async () => {
    // Back to just before the all-day migration, whatever came after it.
    await beforeMigration(dialect, 'AllDayDaysAndMailboxTimeZone', async (ds) => {
      const at = (iso: string) => new Date(iso);
      const appointment = async (id: string, startAt: string, endAt: string, allDay: boolean) => {
        const common = { kind: 'APPOINTMENT', subject: id, state: 'OPEN', occurredAt: at(startAt), visibility: 'PUBLIC', ownerId: 'u1', businessUnitId: 'b1', createdById: 'u1', modifiedById: 'u1' };
        await ds.getRepository('Activity').insert({ id, ...common });
        await ds.getRepository('AppointmentDetail').insert({ activityId: id, startAt: at(startAt), endAt: at(endAt), allDay, location: null, icalUid: null });
        // Written as that migration found the table (later ones add columns the entity has now).
        await insertTimelineEntry(ds, dialect, { recordKind: 'contact', recordId: 'c1', activityId: id, occurredAt: at(startAt) });
      };
      // Stockholm in winter (UTC+1) and summer (UTC+2), New York (UTC−5), already whole days, and a timed meeting.
      await appointment('a-sthlm', '2026-12-04T23:00:00Z', '2026-12-05T23:00:00Z', true);
      await appointment('a-summer', '2026-07-04T22:00:00Z', '2026-07-06T22:00:00Z', true);
      await appointment('a-ny', '2026-12-05T05:00:00Z', '2026-12-06T05:00:00Z', true);
      await appointment('a-utc', '2026-12-05T00:00:00Z', '2026-12-06T00:00:00Z', true);
      await appointment('a-timed', '2026-12-04T23:00:00Z', '2026-12-04T23:30:00Z', false);
      await ds.runMigrations();
      const iso = (d: Date | string) => new Date(d).toISOString();
      const detail = async (id: string) => {
        const row = (await ds.getRepository('AppointmentDetail').findOneByOrFail({ activityId: id })) as { startAt: Date; endAt: Date };
        const activity = (await ds.getRepository('Activity').findOneByOrFail({ id })) as { occurredAt: Date };
        const entry = (await ds.getRepository('TimelineEntry').findOneByOrFail({ activityId: id })) as { occurredAt: Date };
        return [iso(row.startAt), iso(row.endAt), iso(activity.occurredAt), iso(entry.occurredAt)];
      };
      expect(await detail('a-sthlm')).toEqual(['2026-12-05T00:00:00.000Z', '2026-12-06T00:00:00.000Z', '2026-12-05T00:00:00.000Z', '2026-12-05T00:00:00.000Z']);
      expect(await detail('a-summer')).toEqual(['2026-07-05T00:00:00.000Z', '2026-07-07T00:00:00.000Z', '2026-07-05T00:00:00.000Z', '2026-07-05T00:00:00.000Z']);
      expect(await detail('a-ny')).toEqual(['2026-12-05T00:00:00.000Z', '2026-12-06T00:00:00.000Z', '2026-12-05T00:00:00.000Z', '2026-12-05T00:00:00.000Z']);
      expect(await detail('a-utc')).toEqual(['2026-12-05T00:00:00.000Z', '2026-12-06T00:00:00.000Z', '2026-12-05T00:00:00.000Z', '2026-12-05T00:00:00.000Z']);
      expect(await detail('a-timed')).toEqual(['2026-12-04T23:00:00.000Z', '2026-12-04T23:30:00.000Z', '2026-12-04T23:00:00.000Z', '2026-12-04T23:00:00.000Z']);
    });
  });
});

describe('the binary keys migration on mariadb', () => {
  it('keeps every row and its id, and then matches ids byte by byte as SQLite does', async () => {
    await beforeMigration('mariadb', 'BinaryKeys', async (ds) => {
      const id = '0190a6f2-3b1c-7d4e-8f00-00000000abcd';
      const common = { kind: 'EMAIL', subject: 'Offert', state: 'COMPLETED', occurredAt: new Date('2026-12-01T10:00:00Z'), visibility: 'FULL', createdById: 'u1', modifiedById: 'u1' };
      await ds.getRepository('Activity').insert({ id, ownerId: 'u1', businessUnitId: 'b1', regardingKind: 'contact', regardingId: 'c1', ...common });
      // Written as that migration found the table (later ones add columns the entity has now).
      await ds.query("INSERT INTO timeline_entry (recordKind, recordId, activityId, occurredAt, viaRegarding, viaParty, ownerId, businessUnitId) VALUES ('contact', 'c1', ?, '2026-12-01 10:00:00.000', 1, 0, 'u1', 'b1')", [id]);
      // Before: the table's unicode collation ignored case.
      expect(await ds.query('SELECT id FROM activity WHERE id = ?', [id.toUpperCase()])).toHaveLength(1);
      await ds.runMigrations();
      expect(await ds.query('SELECT id, subject, regardingKind FROM activity WHERE id = ?', [id])).toEqual([{ id, subject: 'Offert', regardingKind: 'contact' }]);
      expect(await ds.query('SELECT activityId FROM timeline_entry WHERE recordKind = ? AND recordId = ?', ['contact', 'c1'])).toEqual([{ activityId: id }]);
      expect(await ds.query('SELECT id FROM activity WHERE id = ?', [id.toUpperCase()])).toEqual([]);
      // A parameter outside ASCII (no id is) finds nothing, and is no error.
      expect(await ds.query('SELECT id FROM activity WHERE id = ?', ['ä' + id.slice(1)])).toEqual([]);
    });
  });
});

describe('migrations written by generate-migration', () => {
  it('declare id and kind columns binary, once, and leave the others alone', () => {
    const created = withBinaryKeys(
      'CREATE TABLE `note` (`id` varchar(36) NOT NULL, `recordKind` varchar(16) NOT NULL, `title` varchar(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL, `kind` varchar(16) NOT NULL, `body` varchar(400) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    expect(created).toBe(
      'CREATE TABLE `note` (`id` varchar(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, `recordKind` varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, `title` varchar(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL, `kind` varchar(16) NOT NULL, `body` varchar(400) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    expect(withBinaryKeys('ALTER TABLE `note` ADD `ownerId` varchar(36) NOT NULL')).toBe('ALTER TABLE `note` ADD `ownerId` varchar(36) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL');
  });
});
