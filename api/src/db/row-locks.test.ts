import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseErrorKind } from './database-errors';
import { runClaim } from './lease-claim';
import { createMysqlDatabase, dropMysqlDatabase } from './mysql-admin';
import { forUpdate, lockRow, locksRows } from './row-locks';
import { serializeSqliteAccess } from './sqlite-serial';

const MARIADB = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

describe('row locks on MariaDB (two connections stand for two api processes)', () => {
  const name = `crm_locks_${randomBytes(4).toString('hex')}`;
  let holder: DataSource;
  let other: DataSource;

  beforeAll(async () => {
    await createMysqlDatabase(MARIADB, name);
    [holder, other] = await Promise.all([0, 1].map(() => new DataSource({ type: 'mariadb', url: `${MARIADB}/${name}` }).initialize()));
    await holder.query('CREATE TABLE note (id VARCHAR(16) PRIMARY KEY, text VARCHAR(50)) ENGINE=InnoDB');
    await holder.query("INSERT INTO note VALUES ('a', 'first')");
  });
  afterAll(async () => {
    await Promise.all([holder, other].map((ds) => ds?.destroy()));
    await dropMysqlDatabase(MARIADB, name);
  });

  it('lockRow holds the row until the transaction ends: another locking read is refused as LOCK_TIMEOUT', async () => {
    expect(locksRows(holder)).toBe(true);
    await holder.transaction(async (em) => {
      await lockRow(em, 'note', 'a');
      const refused = await other.query("SELECT id FROM note WHERE id = 'a' FOR UPDATE NOWAIT").catch((err: unknown) => err);
      expect(databaseErrorKind(refused)).toBe('LOCK_TIMEOUT');
    });
    expect(await other.query("SELECT id FROM note WHERE id = 'a' FOR UPDATE NOWAIT")).toEqual([{ id: 'a' }]);
  });

  it('a claim reading with FOR UPDATE SKIP LOCKED passes over rows another claim holds', async () => {
    await holder.query("INSERT INTO note VALUES ('b', 'second')");
    await runClaim(holder, async (em) => {
      const mine = await em.query(`SELECT id FROM note ORDER BY id LIMIT 1${forUpdate(em, true)}`);
      const theirs = await runClaim(other, (em2) => em2.query(`SELECT id FROM note ORDER BY id LIMIT 1${forUpdate(em2, true)}`), { isolation: 'READ COMMITTED' });
      expect([mine, theirs]).toEqual([[{ id: 'a' }], [{ id: 'b' }]]);
    }, { isolation: 'READ COMMITTED' });
  });

  it('the real driver\'s duplicate key is DUPLICATE_KEY', async () => {
    const err = await holder.query("INSERT INTO note VALUES ('a', 'again')").catch((e: unknown) => e);
    expect(databaseErrorKind(err)).toBe('DUPLICATE_KEY');
  });
});

describe('row locks and claims on SQLite', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    serializeSqliteAccess(ds);
    await ds.query("CREATE TABLE note (id TEXT PRIMARY KEY, text TEXT)");
  });
  afterAll(() => ds.destroy());

  it('needs no lock statement: the serialized connection already keeps other writers out', async () => {
    expect(locksRows(ds)).toBe(false);
    expect(forUpdate(ds, true)).toBe('');
    const sent: string[] = [];
    await ds.transaction(async (em) => {
      const query = em.query.bind(em);
      em.query = ((sql: string, params?: unknown[]) => (sent.push(sql), query(sql, params))) as typeof em.query;
      await lockRow(em, 'note', 'a');
    });
    expect(sent).toEqual([]);
  });

  it('a synchronous claim commits before it resolves, and the real driver\'s duplicate key is DUPLICATE_KEY', async () => {
    const claim = (text: string) => runClaim(ds, async () => -1, { sqlite: (conn) => conn.prepare('INSERT INTO note VALUES (?, ?)').run('x', text).changes });
    expect(await claim('first')).toBe(1);
    expect(await ds.query("SELECT text FROM note WHERE id = 'x'")).toEqual([{ text: 'first' }]);
    expect(databaseErrorKind(await claim('again').catch((e: unknown) => e))).toBe('DUPLICATE_KEY');
  });
});
