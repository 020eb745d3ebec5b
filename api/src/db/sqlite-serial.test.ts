import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { immediateSqliteTransaction, serializeSqliteAccess } from './sqlite-serial';

// Lets other requests run, as awaiting real I/O would, without sleeping.
const yieldTurns = async (turns = 20) => {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
};

async function open(serialized: boolean): Promise<DataSource> {
  const ds = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
  await ds.initialize();
  if (serialized) serializeSqliteAccess(ds);
  await ds.query('CREATE TABLE note (text TEXT)');
  return ds;
}

const notes = async (ds: DataSource) => ((await ds.query('SELECT text FROM note ORDER BY text')) as { text: string }[]).map((r) => r.text);

/** One request's transaction fails after a pause while two others write. */
async function race(ds: DataSource): Promise<void> {
  const failing = ds
    .transaction(async (em) => {
      await em.query("INSERT INTO note VALUES ('rolled back')");
      await yieldTurns();
      throw new Error('this request fails');
    })
    .catch(() => undefined);
  const committing = ds.transaction(async (em) => {
    await em.query("INSERT INTO note VALUES ('committed in a transaction')");
  });
  const plain = ds.query("INSERT INTO note VALUES ('committed alone')");
  await Promise.all([failing, committing, plain]);
}

describe('SQLite access through one TypeORM connection', () => {
  let ds: DataSource | undefined;
  afterEach(() => ds?.destroy());

  it('without serialization, one request\'s rollback takes other requests\' saved writes with it (the bug)', async () => {
    ds = await open(false);
    await race(ds).catch(() => undefined);
    expect(await notes(ds)).not.toEqual(['committed alone', 'committed in a transaction']);
  });

  it('serialized, a rollback undoes only its own transaction', async () => {
    ds = await open(true);
    await race(ds);
    expect(await notes(ds)).toEqual(['committed alone', 'committed in a transaction']);
  });

  it('nested transactions inside one request still work as savepoints', async () => {
    ds = await open(true);
    await ds.transaction(async (em) => {
      await em.query("INSERT INTO note VALUES ('outer')");
      await em.transaction(async (inner) => inner.query("INSERT INTO note VALUES ('inner')"));
    });
    expect(await notes(ds)).toEqual(['inner', 'outer']);
  });
});

describe('immediateSqliteTransaction', () => {
  let ds: DataSource | undefined;
  afterEach(() => ds?.destroy());

  it('waits for an open transaction to end instead of joining it, so that transaction\'s rollback leaves it alone', async () => {
    ds = await open(true);
    const db = ds;
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => (inside = resolve));
    const failing = db
      .transaction(async (em) => {
        await em.query("INSERT INTO note VALUES ('rolled back')");
        inside();
        await yieldTurns();
        throw new Error('this request fails');
      })
      .catch(() => undefined);
    await opened;
    const immediate = immediateSqliteTransaction(db, (conn) => conn.prepare("INSERT INTO note VALUES ('immediate')").run().changes);
    await Promise.all([failing, immediate]);
    expect(await notes(db)).toEqual(['immediate']);
  });

  it('refuses to run inside a transaction on the same connection (it would wait for itself)', async () => {
    ds = await open(true);
    const db = ds;
    await expect(db.transaction(() => immediateSqliteTransaction(db, () => 1))).rejects.toThrow(/inside another transaction/);
  });
});
