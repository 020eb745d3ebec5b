import { createHash } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { BLOB_CHUNK_BYTES, Blob, BlobChunk } from '../attachments/blob.entity';
import { touch } from '../attachments/blob-store';
import { insertByteRows } from '../db/binary-insert';
import { insertChunked } from '../db/insert-chunked';
import { rowLock } from '../db/row-locks';

/** Bytes of chunk data per INSERT: a few statements per batch, well below MySQL's 16 MB max_allowed_packet. */
const BYTES_PER_INSERT = 4 * 1024 * 1024;
const ROWS_PER_INSERT = 500;

/**
 * Stores small contents (email bodies, attachments sent inside trackEmails items) as blobs inside the caller's transaction, so untracked mail
 * leaves nothing behind and a rolled-back batch leaves no body. Content-addressed: a body stored
 * before is not stored again. A batch's bodies go in a handful of multi-row INSERTs, not one or two
 * per body. Large files go through the streaming BlobStore instead.
 */
export async function storeSmallBlobs(em: EntityManager, contents: readonly Buffer[], now: Date): Promise<string[]> {
  const shas = contents.map((c) => createHash('sha256').update(c).digest('hex'));
  const unique = new Map<string, Buffer>();
  shas.forEach((sha, i) => unique.set(sha, contents[i]));
  if (unique.size === 0) return shas;
  // Touched first, so the sweep of unreferenced blobs cannot remove one this batch is about to name;
  // then read under lock (MySQL/MariaDB), so a row a sweep removed meanwhile is stored again.
  await touch(em, [...unique.keys()], now);
  const present = new Set((await em.find(Blob, { where: { sha256: In([...unique.keys()]) }, select: { sha256: true }, lock: rowLock(em) })).map((b) => b.sha256));
  const missing = [...unique].filter(([sha]) => !present.has(sha));
  if (missing.length === 0) return shas;

  // The blob rows first, then their chunks, in the order BlobStore commits: two writers storing the
  // same content then conflict on the blob's key (and the batch re-runs) instead of deadlocking.
  await insertChunked(em, Blob, missing.map(([sha256, content]) => ({ sha256, size: content.length, createdAt: now })));
  let rows: { blobKey: string; seq: number; data: Buffer }[] = [];
  let bytes = 0;
  const flush = async () => {
    await insertByteRows(em, BlobChunk, ['blobKey', 'seq', 'data'], rows.map((r) => [r.blobKey, r.seq, r.data]));
    rows = [];
    bytes = 0;
  };
  for (const [sha, content] of missing) {
    for (let offset = 0, seq = 0; offset < content.length || seq === 0; offset += BLOB_CHUNK_BYTES, seq++) {
      const data = content.subarray(offset, offset + BLOB_CHUNK_BYTES);
      if (rows.length >= ROWS_PER_INSERT || (rows.length > 0 && bytes + data.length > BYTES_PER_INSERT)) await flush();
      rows.push({ blobKey: sha, seq, data });
      bytes += data.length;
    }
  }
  await flush();
  return shas;
}
