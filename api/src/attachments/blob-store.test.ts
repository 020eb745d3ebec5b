import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import { buffer as readAll } from 'node:stream/consumers';
import { Like, type DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_CHUNK_BYTES, Blob, BlobChunk } from './blob.entity';
import { BlobStore, BlobStoreError, CHUNKS_PER_INSERT, type PutResult } from './blob-store';
import { systemClock } from '../platform/clock';
import { createBlobTestDatabase, StatementCounter, type BlobTestDatabase } from './blob-test-databases';

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const MiB = 1024 * 1024;

/** Yields `data` in pieces of varying size, so chunk boundaries fall inside pieces. */
async function* piecesOf(data: Buffer): AsyncGenerator<Buffer> {
  const sizes = [1, 1000, BLOB_CHUNK_BYTES, 70_001, 4096, 200_000];
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const end = Math.min(data.length, offset + sizes[i % sizes.length]);
    yield data.subarray(offset, end);
    offset = end;
  }
}

function stored(result: PutResult): { sha256: string; size: number; created: boolean } {
  if ('tooLarge' in result) throw new Error(`expected the content to be stored, got ${JSON.stringify(result)}`);
  return result;
}

async function rowCounts(ds: DataSource) {
  return {
    blobs: await ds.getRepository(Blob).count(),
    chunks: await ds.getRepository(BlobChunk).count(),
    temporary: await ds.getRepository(BlobChunk).count({ where: { blobKey: Like('tmp:%') } }),
  };
}

describe.each(['sqlite', 'mariadb'] as const)('BlobStore on %s', (dialect) => {
  let database: BlobTestDatabase;
  let ds: DataSource;
  let counter: StatementCounter;
  let store: BlobStore;

  beforeAll(async () => {
    database = await createBlobTestDatabase(dialect);
    counter = new StatementCounter();
    ds = await database.connect(counter);
    store = new BlobStore(ds, systemClock);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('stores 5 MB streamed in odd pieces and streams it back byte for byte', async () => {
    const data = randomBytes(5 * MiB);
    const result = stored(await store.put(piecesOf(data), { maxBytes: 10 * MiB }));
    expect(result).toEqual({ sha256: sha256Of(data), size: data.length, created: true });
    expect(await ds.getRepository(BlobChunk).count({ where: { blobKey: result.sha256 } })).toBe(Math.ceil(data.length / BLOB_CHUNK_BYTES));

    const back = await readAll(store.open(result.sha256));
    expect(back.length).toBe(data.length);
    expect(sha256Of(back)).toBe(result.sha256);
    expect((await ds.getRepository(Blob).findOneByOrFail({ sha256: result.sha256 })).size).toBe(data.length);
  });

  it('reads a blob out a few chunks per query, never all at once', async () => {
    const data = randomBytes(40 * BLOB_CHUNK_BYTES + 17);
    const { sha256 } = stored(await store.putBuffer(data, { maxBytes: 10 * MiB }));
    counter.statements = 0;
    expect((await readAll(store.open(sha256))).equals(data)).toBe(true);
    // One lookup of the blob row, then 41 chunks in batches.
    expect(counter.statements).toBeGreaterThan(2);
    expect(counter.statements).toBeLessThan(15);
  });

  it('keeps identical content once', async () => {
    const before = await rowCounts(ds);
    const data = randomBytes(3 * BLOB_CHUNK_BYTES + 5);
    const first = stored(await store.put(piecesOf(data), { maxBytes: MiB }));
    const second = stored(await store.put(piecesOf(data), { maxBytes: MiB }));
    expect(first.created).toBe(true);
    expect(second).toEqual({ sha256: first.sha256, size: data.length, created: false });
    expect(await rowCounts(ds)).toEqual({ blobs: before.blobs + 1, chunks: before.chunks + 4, temporary: 0 });
  });

  it('stores one blob when two processes upload the same content at once', async () => {
    const other = new BlobStore(await database.connect(), systemClock);
    for (const size of [10, 5 * BLOB_CHUNK_BYTES + 3]) {
      const before = await rowCounts(ds);
      const data = randomBytes(size);
      const results = (await Promise.all([store.put(piecesOf(data), { maxBytes: MiB }), other.put(piecesOf(data), { maxBytes: MiB })])).map(stored);
      expect(results.map((r) => r.sha256)).toEqual([sha256Of(data), sha256Of(data)]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await rowCounts(ds)).toEqual({ blobs: before.blobs + 1, chunks: before.chunks + Math.max(1, Math.ceil(size / BLOB_CHUNK_BYTES)), temporary: 0 });
      expect((await readAll(other.open(results[0].sha256))).equals(data)).toBe(true);
    }
  });

  it('stops reading at the limit and keeps nothing', async () => {
    const before = await rowCounts(ds);
    let piecesRead = 0;
    let closed = false;
    async function* endless() {
      try {
        for (;;) {
          piecesRead++;
          yield randomBytes(50_000);
        }
      } finally {
        closed = true;
      }
    }
    const result = await store.put(endless(), { maxBytes: 400_000 });
    expect(result).toEqual({ tooLarge: true, size: 450_000 });
    expect(piecesRead).toBe(9);
    expect(closed).toBe(true);
    expect(await rowCounts(ds)).toEqual(before);
  });

  it('accepts strings, Uint8Arrays and empty content', async () => {
    const text = stored(await store.putBuffer('<p>Grüße</p>', { maxBytes: 100 }));
    expect(text.sha256).toBe(sha256Of(Buffer.from('<p>Grüße</p>')));
    const bytes = new Uint8Array([1, 2, 3, 4, 5]).subarray(1, 4);
    expect(stored(await store.put([bytes], { maxBytes: 100 })).sha256).toBe(sha256Of(Buffer.from([2, 3, 4])));

    const empty = stored(await store.put([], { maxBytes: 100 }));
    expect(empty).toMatchObject({ sha256: sha256Of(Buffer.alloc(0)), size: 0 });
    expect((await readAll(store.open(empty.sha256))).length).toBe(0);
    expect((await store.readSmall([empty.sha256], 10)).get(empty.sha256)).toEqual(Buffer.alloc(0));
  });

  it('reads a page of small blobs in one query, and says which exist in one query', async () => {
    const bodies = [Buffer.from('one'), randomBytes(2 * BLOB_CHUNK_BYTES + 1), Buffer.from('three')];
    const keys = [];
    for (const body of bodies) keys.push(stored(await store.putBuffer(body, { maxBytes: MiB })).sha256);
    const missing = sha256Of(Buffer.from('never stored'));

    counter.statements = 0;
    const read = await store.readSmall([...keys, missing, keys[0], 'NOT-A-HASH'], MiB);
    expect(counter.statements).toBe(1);
    expect([...read.keys()].sort()).toEqual([...keys].sort());
    keys.forEach((key, i) => expect(read.get(key)?.equals(bodies[i])).toBe(true));

    counter.statements = 0;
    expect(await store.exists([...keys, missing, keys[0].toUpperCase()])).toEqual(new Set(keys));
    expect(counter.statements).toBe(1);

    await expect(store.readSmall(keys, 1000)).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(await store.readSmall([], 10)).toEqual(new Map());
  });

  it('fails to open a blob that does not exist', async () => {
    const missing = sha256Of(Buffer.from('nothing'));
    await expect(readAll(store.open(missing))).rejects.toBeInstanceOf(BlobStoreError);
    await expect(readAll(store.open(missing))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(readAll(store.open('../../etc/passwd'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sweeps the chunks of an abandoned upload, and that upload then fails instead of storing a truncated blob', async () => {
    const before = await rowCounts(ds);
    // One statement's worth of full chunks is written while the upload streams; the rest waits in memory.
    const data = randomBytes((CHUNKS_PER_INSERT + 1) * BLOB_CHUNK_BYTES + 1);
    let stalled!: () => void;
    const atStall = new Promise<void>((resolve) => (stalled = resolve));
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    async function* stallingSource() {
      for (let offset = 0; offset < data.length; offset += BLOB_CHUNK_BYTES) yield data.subarray(offset, offset + BLOB_CHUNK_BYTES);
      // Asked for more: the first CHUNKS_PER_INSERT full chunks are written under the temporary key by now.
      stalled();
      await resumed;
    }
    const upload = store.put(stallingSource(), { maxBytes: MiB });
    await atStall;
    expect((await rowCounts(ds)).temporary).toBe(CHUNKS_PER_INSERT);

    expect(await store.sweepAbandoned(new Date(Date.now() - 60_000))).toBe(0);
    expect(await store.sweepAbandoned(new Date(Date.now() + 1000))).toBe(CHUNKS_PER_INSERT);
    resume();
    await expect(upload).rejects.toMatchObject({ code: 'INCOMPLETE' });
    expect(await rowCounts(ds)).toEqual(before);
  });

  it('streams 80 MB without holding it in memory', async () => {
    // 80 MB against a 40 MB bound: RSS on a busy machine moves by several MB with GC timing and the driver's buffers.
    const total = 80 * MiB;
    const start = process.memoryUsage().rss;
    let peak = start;
    async function* generated() {
      const piece = Buffer.alloc(64 * 1024);
      for (let sent = 0; sent < total; sent += piece.length) {
        randomFillSync(piece);
        yield piece;
        peak = Math.max(peak, process.memoryUsage().rss);
      }
    }
    const result = stored(await store.put(generated(), { maxBytes: total }));
    expect(result.size).toBe(total);
    // Half the 80 MB streamed; on SQLite the page cache (16 MB, better-sqlite3's default) counts too.
    expect(peak - start).toBeLessThan(40 * MiB);
  });
});
