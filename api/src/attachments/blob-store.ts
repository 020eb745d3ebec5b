import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type BetterSqlite3 from 'better-sqlite3';
import { In, MoreThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { BLOB_CHUNK_BYTES, Blob, BlobChunk, BlobUpload } from './blob.entity';
import { databaseErrorKind } from '../db/database-errors';
import { insertByteRows } from '../db/binary-insert';
import { locksRows } from '../db/row-locks';
import { runClaim } from '../db/lease-claim';
import type { Clock } from '../platform/clock';

/** Chunks fetched per query when streaming a blob out: a few hundred KiB in memory at most. */
const OPEN_BATCH_CHUNKS = 8;

export type BlobStoreErrorCode =
  /** No blob has this sha256. */
  | 'NOT_FOUND'
  /** The blob's chunks do not add up to its size (a sweep removed an upload in progress, or rows were lost). */
  | 'INCOMPLETE'
  /** `readSmall` was asked for a blob above its byte limit. */
  | 'TOO_LARGE'
  /** Sweeps kept removing the content while this upload stored it again: upload it again. */
  | 'BUSY';

export class BlobStoreError extends Error {
  constructor(
    readonly code: BlobStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BlobStoreError';
  }
}

type Piece = Buffer | Uint8Array | string;

/** What `put` reads: a stream, an async iterable, or pieces already in memory. */
export type BlobSource = AsyncIterable<Piece> | NodeJS.ReadableStream | readonly Piece[];

/** A column that names blobs by sha256: what keeps a blob from the sweep of unreferenced ones. */
export interface BlobReference {
  readonly table: string;
  readonly column: string;
}

/** Blobs the sweep removes per run at most; the next run takes the rest. */
const SWEEP_BATCH = 500;
/** Attempts to either touch stored content or commit it, should a sweep and another upload race with this one. */
const KEEP_ATTEMPTS = 3;

export type PutResult =
  /** `created` is false when identical content was already stored (by this or another process); it is then touched (see Blob.touchedAt). */
  | { sha256: string; size: number; created: boolean }
  /** Nothing is kept; `size` counts the bytes read before stopping, so it exceeds the limit. */
  | { tooLarge: true; size: number };

/** A blob's name: lower-case hex SHA-256, the only spelling the store accepts. */
export const isSha256Hex = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);

/** Full chunks written per INSERT while an upload streams in (about 1 MB held per upload). */
export const CHUNKS_PER_INSERT = 16;

const CHUNK_COLUMNS = ['blobKey', 'seq', 'data'];

/** `tmp:<13-digit ms>:<uuid>`: fixed width, so keys sort by time and a sweep is one range delete. */
const temporaryKey = (now: Date): string => `tmp:${String(now.getTime()).padStart(13, '0')}:${randomUUID()}`;

const asBuffer = (piece: Piece): Buffer =>
  typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);

/** The primary-key violation on either database (another upload stored the same content first). */
const isDuplicateKey = (err: unknown): boolean => databaseErrorKind(err) === 'DUPLICATE_KEY';

/**
 * Content-addressed storage of attachments and email bodies in the database, in chunks of at most
 * 60 KiB (see `BLOB_CHUNK_BYTES`), so every api process sharing the database sees the same blobs.
 * Identical content is stored once, however many processes upload it at the same time.
 */
export class BlobStore {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Streams `source` into the store while hashing it; holds at most CHUNKS_PER_INSERT + 1 chunks in memory. Stops
   * reading once more than `maxBytes` arrived (a Node stream given directly is then destroyed, as
   * `for await` does; pass `stream.iterator({ destroyOnReturn: false })` to keep it open).
   */
  async put(source: BlobSource, options: { maxBytes: number }): Promise<PutResult> {
    const tempKey = temporaryKey(this.clock());
    const hash = createHash('sha256');
    let size = 0;
    let written = 0;
    const chunk = Buffer.allocUnsafe(BLOB_CHUNK_BYTES);
    let fill = 0;
    let tooLarge = false;
    // Full chunks go out several to a statement: one autocommit (one log flush) per ~1 MB instead of per 60 KiB.
    const pending: Buffer[] = [];
    const flush = async () => {
      if (!pending.length) return;
      await this.insertChunks(this.db.manager, tempKey, written, pending);
      written += pending.length;
      pending.length = 0;
    };
    try {
      for await (const piece of source as AsyncIterable<Piece> | readonly Piece[]) {
        const bytes = asBuffer(piece);
        size += bytes.length;
        if (size > options.maxBytes) {
          tooLarge = true;
          break;
        }
        hash.update(bytes);
        for (let offset = 0; offset < bytes.length; ) {
          // A full chunk goes out only when more bytes follow: the last one is written by `commit`.
          if (fill === BLOB_CHUNK_BYTES) {
            pending.push(Buffer.from(chunk));
            fill = 0;
            if (pending.length === CHUNKS_PER_INSERT) await flush();
          }
          const copied = bytes.copy(chunk, fill, offset);
          fill += copied;
          offset += copied;
        }
      }
      if (tooLarge) {
        await this.discard(tempKey, written);
        return { tooLarge: true, size };
      }
      // The chunks not written yet go in the commit's transaction: an upload under CHUNKS_PER_INSERT chunks (most
      // attachments) is never written under its temporary key and moved, so its bytes are written once.
      const sha256 = hash.digest('hex');
      const tail = fill > 0 ? [...pending, chunk.subarray(0, fill)] : [...pending];
      const created = await this.keep(tempKey, written, sha256, size, tail);
      if (!created) await this.discard(tempKey, written);
      return { sha256, size, created };
    } catch (err) {
      // The caller gets the original error; chunks this cleanup cannot remove are left to sweepAbandoned.
      await this.discard(tempKey, written).catch(() => undefined);
      throw err;
    }
  }

  /** `put` for content already in memory (email bodies). */
  putBuffer(data: Buffer | string, options: { maxBytes: number }): Promise<PutResult> {
    return this.put([asBuffer(data)], options);
  }

  /**
   * The blob's bytes in order, fetched a few chunks per query as the reader pulls. The stream
   * fails with BlobStoreError NOT_FOUND when no such blob exists, INCOMPLETE when chunks are missing.
   */
  open(sha256: string): Readable {
    return Readable.from(this.chunksOf(sha256), { objectMode: false });
  }

  /**
   * Several small blobs (a page of email bodies) in one query, keyed by sha256; blobs that do not
   * exist are absent from the map. Throws BlobStoreError TOO_LARGE if one is above `maxBytes`.
   */
  async readSmall(sha256s: readonly string[], maxBytes: number): Promise<Map<string, Buffer>> {
    const keys = [...new Set(sha256s.filter(isSha256Hex))];
    const result = new Map<string, Buffer>();
    if (keys.length === 0) return result;
    const rows = await this.db
      .createQueryBuilder()
      .select('b.sha256', 'sha256')
      .addSelect('b.size', 'size')
      .addSelect('c.seq', 'seq')
      .addSelect('c.data', 'data')
      .from(Blob, 'b')
      // Chunks of an oversized blob are not fetched at all; its one row (with null data) reports it.
      .leftJoin(BlobChunk, 'c', 'c.blobKey = b.sha256 AND b.size <= :maxBytes', { maxBytes })
      .where('b.sha256 IN (:...keys)', { keys })
      .orderBy('b.sha256')
      .addOrderBy('c.seq')
      .getRawMany<{ sha256: string; size: string | number; seq: number | null; data: Buffer | null }>();
    const parts = new Map<string, { size: number; chunks: Buffer[] }>();
    for (const row of rows) {
      const size = Number(row.size);
      if (size > maxBytes) throw new BlobStoreError('TOO_LARGE', `blob ${row.sha256} has ${size} bytes, more than the ${maxBytes} asked for`);
      let entry = parts.get(row.sha256);
      if (!entry) parts.set(row.sha256, (entry = { size, chunks: [] }));
      if (row.data === null) continue;
      if (Number(row.seq) !== entry.chunks.length) throw incomplete(row.sha256);
      entry.chunks.push(row.data);
    }
    for (const [sha256, { size, chunks }] of parts) {
      const content = Buffer.concat(chunks);
      if (content.length !== size) throw incomplete(sha256);
      result.set(sha256, content);
    }
    return result;
  }

  /** The stored size of each of these blobs that is stored, in one query (what an attachment row records, whatever its sender claimed). */
  async sizes(sha256s: readonly string[]): Promise<Map<string, number>> {
    const keys = [...new Set(sha256s.filter(isSha256Hex))];
    if (keys.length === 0) return new Map();
    const rows = await this.db.getRepository(Blob).find({ select: { sha256: true, size: true }, where: { sha256: In(keys) } });
    return new Map(rows.map((row) => [row.sha256, row.size]));
  }

  /** Which of these blobs are stored, in one query. */
  async exists(sha256s: readonly string[]): Promise<Set<string>> {
    const keys = [...new Set(sha256s.filter(isSha256Hex))];
    if (keys.length === 0) return new Set();
    const rows = await this.db.getRepository(Blob).find({ select: { sha256: true }, where: { sha256: In(keys) } });
    return new Set(rows.map((row) => row.sha256));
  }

  /**
   * Removes chunks of uploads that started before `olderThan` and never finished (the process
   * died mid-upload). Choose a time well beyond the longest upload; returns the chunks removed.
   */
  async sweepAbandoned(olderThan: Date): Promise<number> {
    const result = await this.db
      .createQueryBuilder()
      .delete()
      .from(BlobChunk)
      .where('blobKey LIKE :prefix AND blobKey < :cutoff', { prefix: 'tmp:%', cutoff: `tmp:${String(olderThan.getTime()).padStart(13, '0')}` })
      .execute();
    return result.affected ?? 0;
  }

  private async *chunksOf(sha256: string): AsyncGenerator<Buffer> {
    const blob = isSha256Hex(sha256) ? await this.db.getRepository(Blob).findOne({ where: { sha256 } }) : null;
    if (!blob) throw new BlobStoreError('NOT_FOUND', `no blob ${sha256}`);
    let seq = 0;
    let bytes = 0;
    for (;;) {
      const rows = await this.db.getRepository(BlobChunk).find({
        where: { blobKey: sha256, seq: MoreThanOrEqual(seq) },
        order: { seq: 'ASC' },
        take: OPEN_BATCH_CHUNKS,
      });
      for (const row of rows) {
        if (row.seq !== seq) throw incomplete(sha256);
        seq++;
        bytes += row.data.length;
        yield row.data;
      }
      if (rows.length < OPEN_BATCH_CHUNKS) break;
    }
    if (bytes !== blob.size) throw incomplete(sha256);
  }

  /**
   * Touches the content if it is stored (the common duplicate, one body synced from two mailboxes,
   * costs no failed insert), else commits the upload. A sweep that deletes the row between the two
   * makes the touch miss, and the upload is committed instead; never is a stored answer given for a
   * row that a sweep is deleting. Returns whether this upload created the blob.
   */
  private async keep(tempKey: string, written: number, sha256: string, size: number, tail: readonly Buffer[]): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      if ((await touch(this.db.manager, [sha256], this.clock())) === 1) return false;
      if (await this.commit(tempKey, written, sha256, size, tail)) return true;
      if (attempt >= KEEP_ATTEMPTS) throw new BlobStoreError('BUSY', `blob ${sha256} was removed and stored again while this upload finished; upload it again`);
    }
  }

  /**
   * Removes blobs that nothing references: created and last touched before `olderThan`, named by no
   * row of `references` and by no person's upload still held for them (BlobUpload). Each blob goes
   * in its own transaction by one conditional DELETE, so content touched or referenced meanwhile
   * stays: a writer that touches a blob in its transaction before referencing it (`touch`) either
   * waits for the delete and stores the content again, or makes the delete skip it. Returns how many
   * blobs were removed (at most SWEEP_BATCH per call).
   */
  async sweepUnreferenced(olderThan: Date, references: readonly BlobReference[]): Promise<number> {
    const blobTable = this.db.getMetadata(Blob).tableName;
    const uploadTable = this.db.getMetadata(BlobUpload).tableName;
    const q = (name: string) => this.db.driver.escape(name);
    // `owner` is how the row under judgement is named: `b` in the search, the table itself in the DELETE.
    const condition = (owner: string) =>
      [
        `${owner}.createdAt < ?`,
        `(${owner}.touchedAt IS NULL OR ${owner}.touchedAt < ?)`,
        ...[...references, { table: uploadTable, column: 'sha256' }].map((r) => `NOT EXISTS (SELECT 1 FROM ${q(r.table)} r WHERE r.${q(r.column)} = ${owner}.sha256)`),
      ].join(' AND ');
    const cutoff = this.db.driver.preparePersistentValue(olderThan, this.db.getMetadata(Blob).findColumnWithPropertyName('createdAt')!) as string | Date;
    const candidates = ((await this.db.query(`SELECT b.sha256 AS sha256 FROM ${q(blobTable)} b WHERE ${condition('b')} LIMIT ${SWEEP_BATCH}`, [cutoff, cutoff])) as { sha256: string }[]).map(
      (r) => r.sha256,
    );
    const chunkTable = this.db.getMetadata(BlobChunk).tableName;
    // Judged again under the row's lock: a touch or a reference since the search spares the blob.
    const remove = `DELETE FROM ${q(blobTable)} WHERE sha256 = ? AND ${condition(q(blobTable))}`;
    const removeChunks = `DELETE FROM ${q(chunkTable)} WHERE blobKey = ?`;
    let removed = 0;
    for (const sha256 of candidates) {
      const params = [sha256, cutoff, cutoff];
      const done = await runClaim(
        this.db,
        async (em) => {
          const result = (await em.query(remove, params)) as { affectedRows?: number };
          if (result.affectedRows !== 1) return false;
          await em.query(removeChunks, [sha256]);
          return true;
        },
        {
          sqlite: (conn) => {
            if (conn.prepare(remove).run(...params).changes !== 1) return false;
            conn.prepare(removeChunks).run(sha256);
            return true;
          },
        },
      );
      if (done) removed++;
    }
    return removed;
  }

  /** Consecutive chunks from `firstSeq` on, in a few multi-row INSERTs. */
  private async insertChunks(em: EntityManager, blobKey: string, firstSeq: number, data: readonly Buffer[]): Promise<void> {
    await insertByteRows(em, BlobChunk, CHUNK_COLUMNS, data.map((d, i) => [blobKey, firstSeq + i, d]));
  }

  private async discard(tempKey: string, written: number): Promise<void> {
    if (written > 0) await this.db.getRepository(BlobChunk).delete({ blobKey: tempKey });
  }

  /**
   * Inserts the blob row, moves the uploaded chunks from `tempKey` to `sha256` and writes the chunks
   * still in memory (`tail`), all or nothing. Returns false when another upload stored the same content first.
   */
  private async commit(tempKey: string, written: number, sha256: string, size: number, tail: readonly Buffer[]): Promise<boolean> {
    const createdAt = this.clock();
    return runClaim(this.db, (em) => this.commitIn(em, tempKey, written, sha256, size, tail, createdAt), {
      sqlite: (conn) => this.commitOnSqlite(conn, tempKey, written, sha256, size, tail, createdAt),
    });
  }

  private async commitIn(em: EntityManager, tempKey: string, written: number, sha256: string, size: number, tail: readonly Buffer[], createdAt: Date): Promise<boolean> {
    const blob = em.connection.getMetadata(Blob);
    try {
      await em.query(`INSERT INTO \`${blob.tableName}\` (\`sha256\`, \`size\`, \`createdAt\`) VALUES (?, ?, ?)`, [
        sha256,
        size,
        em.connection.driver.preparePersistentValue(createdAt, blob.findColumnWithPropertyName('createdAt')!),
      ]);
    } catch (err) {
      // A concurrent transaction inserting the same key waits for the first to commit, then fails here.
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    if (written > 0) {
      const moved = (await em.query(`UPDATE \`${em.connection.getMetadata(BlobChunk).tableName}\` SET \`blobKey\` = ? WHERE \`blobKey\` = ?`, [sha256, tempKey])) as { affectedRows: number };
      if (moved.affectedRows !== written) throw incomplete(sha256);
    }
    await this.insertChunks(em, sha256, written, tail);
    return true;
  }

  /**
   * The commit as synchronous better-sqlite3 statements (db/lease-claim.ts runs them as one IMMEDIATE
   * transaction in their turn): the file's write lock is never held across an await, which would
   * stall every other connection.
   */
  private commitOnSqlite(conn: BetterSqlite3.Database, tempKey: string, written: number, sha256: string, size: number, tail: readonly Buffer[], createdAt: Date): boolean {
    const blobMeta = this.db.getMetadata(Blob);
    const chunkTable = this.db.getMetadata(BlobChunk).tablePath;
    const createdAtValue = this.db.driver.preparePersistentValue(createdAt, blobMeta.findColumnWithPropertyName('createdAt')!);
    try {
      conn.prepare(`INSERT INTO "${blobMeta.tablePath}" ("sha256", "size", "createdAt") VALUES (?, ?, ?)`).run(sha256, size, createdAtValue);
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    const moved = written > 0 ? conn.prepare(`UPDATE "${chunkTable}" SET "blobKey" = ? WHERE "blobKey" = ?`).run(sha256, tempKey).changes : 0;
    if (moved !== written) throw incomplete(sha256);
    const insertChunk = conn.prepare(`INSERT INTO "${chunkTable}" ("blobKey", "seq", "data") VALUES (?, ?, ?)`);
    tail.forEach((data, i) => insertChunk.run(sha256, written + i, data));
    return true;
  }
}

/**
 * Marks stored content as wanted now, inside the caller's transaction when `em` is one; returns
 * how many of `sha256s` are stored. A writer about to reference existing blobs touches them first:
 * on MySQL/MariaDB the touch locks the rows, so a sweep's delete waits and then spares them.
 */
export async function touch(em: EntityManager, sha256s: readonly string[], now: Date): Promise<number> {
  const keys = [...new Set(sha256s.filter(isSha256Hex))];
  if (keys.length === 0) return 0;
  if (!locksRows(em)) {
    const result = await em.createQueryBuilder().update(Blob).set({ touchedAt: now }).where('sha256 IN (:...keys)', { keys }).updateEntity(false).execute();
    return result.affected ?? 0;
  }
  // Written out on MariaDB: every upload touches, and the query builder cost more CPU than the statement.
  const metadata = em.connection.getMetadata(Blob);
  const touchedAt = em.connection.driver.preparePersistentValue(now, metadata.findColumnWithPropertyName('touchedAt')!) as unknown;
  const result = (await em.query(`UPDATE \`${metadata.tableName}\` SET \`touchedAt\` = ? WHERE \`sha256\` IN (${keys.map(() => '?').join(', ')})`, [touchedAt, ...keys])) as {
    affectedRows: number;
  };
  return result.affectedRows;
}

const incomplete = (sha256: string) => new BlobStoreError('INCOMPLETE', `blob ${sha256}: chunks are missing`);
