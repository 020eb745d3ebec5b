import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTimeColumn } from '../common/columns';
import { insertByteRows } from './binary-insert';
import { insertChunked } from './insert-chunked';
import { createMysqlDatabase, dropMysqlDatabase } from './mysql-admin';
import { serializeSqliteAccess } from './sqlite-serial';

const MARIADB = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

@Entity('insert_probe')
class InsertProbe {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { length: 200 }) name!: string;
  @Column('int', { default: 7 }) count!: number;
  @Column('boolean', { default: false }) flag!: boolean;
  @Column('text', { nullable: true }) note!: string | null;
  @Column('simple-json', { nullable: true }) extra!: unknown;
  @DateTimeColumn() at!: Date;
}

@Entity('byte_probe')
class ByteProbe {
  @PrimaryColumn('varchar', { length: 80 }) key!: string;
  @PrimaryColumn('int') seq!: number;
  @Column('blob') data!: Buffer;
}

const at = new Date('2026-12-06T01:02:03.456Z');
// Awkward text on purpose: quotes, backslashes, NUL-free Unicode, SQL-looking words.
const rowOf = (i: number) => ({ id: `r${String(i).padStart(5, '0')}`, name: `O'Brien \\ "${i}" ; DROP 😀 å`, count: i, flag: i % 2 === 0, note: i % 3 ? null : `note ${i}`, extra: { i, list: [1, 'x'] }, at });

async function roundTrips(ds: DataSource): Promise<void> {
  const rows = Array.from({ length: 1203 }, (_, i) => rowOf(i));
  await ds.transaction((em) => insertChunked(em, InsertProbe, rows));
  // Missing values take the column's default, as TypeORM's own insert gives them.
  await ds.transaction((em) => insertChunked(em, InsertProbe, [{ id: 'zz-defaults', name: 'd', at }]));
  const stored = await ds.getRepository(InsertProbe).find({ order: { id: 'ASC' } });
  expect(stored).toHaveLength(1204);
  expect(stored.slice(0, 1203).map((r) => ({ ...r }))).toEqual(rows);
  expect(stored[1203]).toMatchObject({ id: 'zz-defaults', count: 7, flag: false, note: null, extra: null });

  const bytes = Array.from({ length: 89 }, (_, i) => ['k', i, randomBytes(i * 37)] as const); // 64 + 16 + 4 + 4×1 statements
  await ds.transaction((em) => insertByteRows(em, ByteProbe, ['key', 'seq', 'data'], bytes));
  await insertByteRows(ds.manager, ByteProbe, ['key', 'seq', 'data'], [['outside', 0, Buffer.from([0, 39, 92, 255])]]);
  const chunks = await ds.getRepository(ByteProbe).find({ order: { key: 'ASC', seq: 'ASC' } });
  expect(chunks.map((c) => [c.key, c.seq, Buffer.from(c.data).toString('hex')])).toEqual([
    ...bytes.map(([key, seq, data]) => [key, seq, data.toString('hex')]),
    ['outside', 0, '00275cff'],
  ]);
}

describe('insertChunked and insertByteRows on MariaDB', () => {
  const name = `ingest_rate_insert_${randomBytes(4).toString('hex')}`;
  let ds: DataSource;
  beforeAll(async () => {
    await createMysqlDatabase(MARIADB, name);
    ds = await new DataSource({ type: 'mariadb', url: `${MARIADB}/${name}`, entities: [InsertProbe, ByteProbe], synchronize: true, charset: 'utf8mb4_unicode_ci', timezone: 'Z' }).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await dropMysqlDatabase(MARIADB, name);
  });

  it('store rows as TypeORM would (values converted, defaults for what is missing, 500 rows a statement) and bytes as sent', () => roundTrips(ds));

  it('a failed byte insert names its statement but not the bytes', async () => {
    const err = (await insertByteRows(ds.manager, ByteProbe, ['key', 'seq', 'data'], [['outside', 0, Buffer.from('secret body')]]).catch((e: unknown) => e)) as Error & { parameters?: unknown[] };
    expect(err.message).toMatch(/Duplicate/);
    expect(err.parameters).toEqual([]);
  });
});

describe('insertChunked and insertByteRows on SQLite', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [InsertProbe, ByteProbe], synchronize: true }).initialize();
    serializeSqliteAccess(ds);
  });
  afterAll(() => ds?.destroy());

  it('store rows as TypeORM would and bytes as sent', () => roundTrips(ds));
});
