import { createHash } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { BLOB_CHUNK_BYTES, Blob, BlobChunk } from '../attachments/blob.entity';

/**
 * Stores small contents (email bodies) as blobs inside the caller's transaction, so untracked mail
 * leaves nothing behind and a rolled-back batch leaves no body. Content-addressed: a body stored
 * before is not stored again. Large files go through the streaming BlobStore instead.
 */
export async function storeSmallBlobs(em: EntityManager, contents: readonly Buffer[]): Promise<string[]> {
  const shas = contents.map((c) => createHash('sha256').update(c).digest('hex'));
  const unique = new Map<string, Buffer>();
  shas.forEach((sha, i) => unique.set(sha, contents[i]));
  if (unique.size === 0) return shas;
  const present = new Set((await em.find(Blob, { where: { sha256: In([...unique.keys()]) }, select: { sha256: true } })).map((b) => b.sha256));
  const now = new Date();
  for (const [sha, content] of unique) {
    if (present.has(sha)) continue;
    const chunks: { blobKey: string; seq: number; data: Buffer }[] = [];
    for (let offset = 0, seq = 0; offset < content.length || seq === 0; offset += BLOB_CHUNK_BYTES, seq++) {
      chunks.push({ blobKey: sha, seq, data: content.subarray(offset, offset + BLOB_CHUNK_BYTES) });
    }
    // Chunks first: a blob row promises every chunk is there (blob.entity.ts).
    for (let i = 0; i < chunks.length; i += 8) await em.insert(BlobChunk, chunks.slice(i, i + 8));
    await em.insert(Blob, { sha256: sha, size: content.length, createdAt: now });
  }
  return shas;
}
