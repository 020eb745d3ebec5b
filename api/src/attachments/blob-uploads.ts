import { LessThan, type DataSource } from 'typeorm';
import { newId } from '../common/ids';
import type { Clock } from '../platform/clock';
import type { BlobReference, BlobStore } from './blob-store';
import { BlobUpload } from './blob.entity';

/** What people's uploads may hold, and for how long nothing needs to reference a blob. */
export interface BlobUploadPolicy {
  /** Bytes one person's uploads may hold at once (BLOB_UPLOAD_QUOTA_MB). */
  readonly quotaBytes: number;
  /** How long an unreferenced blob is kept (UNREFERENCED_BLOB_GRACE_HOURS): longer than any upload-to-commit delay. */
  readonly graceMs: number;
}

/** The documented defaults: 100 MB per person, kept 24 hours. */
export const DEFAULT_UPLOAD_POLICY: BlobUploadPolicy = Object.freeze({ quotaBytes: 100 * 1024 * 1024, graceMs: 24 * 3_600_000 });

/**
 * People's uploads through PUT /blobs: each is theirs (for their own drafts), counts in full
 * against their quota whether or not the content was stored already, and holds its blob until
 * the grace period ends. The sync engine's uploads are not recorded here: the mail it feeds
 * references them within minutes, and a touch keeps them meanwhile.
 */
export class BlobUploads {
  constructor(
    private readonly db: DataSource,
    private readonly store: Pick<BlobStore, 'sweepUnreferenced'>,
    /** The columns that name blobs (blob-references.ts). */
    private readonly references: readonly BlobReference[],
    readonly policy: BlobUploadPolicy,
    private readonly clock: Clock,
  ) {}

  /**
   * Collects what nothing needs any more: uploads older than the grace period stop holding their
   * blobs, then blobs created and touched before it that nothing references are removed.
   */
  async collect(now = this.clock()): Promise<{ uploadsExpired: number; blobsRemoved: number }> {
    const cutoff = new Date(now.getTime() - this.policy.graceMs);
    const uploadsExpired = await this.expire(cutoff);
    return { uploadsExpired, blobsRemoved: await this.store.sweepUnreferenced(cutoff, this.references) };
  }

  /** Bytes `userId` may still upload, counting uploads in progress. */
  async remaining(userId: string): Promise<number> {
    return Math.max(0, this.policy.quotaBytes - (await this.used(userId)));
  }

  /**
   * Reserves `bytes` of the quota for an upload about to stream in; returns the reservation, or
   * null when the quota has not that much left. Written first and checked after, so uploads
   * running at the same time can never pass the quota together (at worst both are refused).
   */
  async reserve(userId: string, bytes: number): Promise<string | null> {
    const id = newId();
    await this.db.getRepository(BlobUpload).insert({ id, userId, sha256: '', size: bytes, uploadedAt: this.clock() });
    if ((await this.used(userId)) <= this.policy.quotaBytes) return id;
    await this.release(id);
    return null;
  }

  /** The upload finished: the reservation becomes the upload of this content, at its real size. */
  async settle(reservation: string, sha256: string, size: number): Promise<void> {
    await this.db.getRepository(BlobUpload).update({ id: reservation }, { sha256, size });
  }

  /** The upload failed or was refused: its reservation no longer counts. */
  async release(reservation: string): Promise<void> {
    await this.db.getRepository(BlobUpload).delete({ id: reservation });
  }

  private async used(userId: string): Promise<number> {
    const row = await this.db
      .getRepository(BlobUpload)
      .createQueryBuilder('u')
      .select('COALESCE(SUM(u.size), 0)', 'used')
      .where('u.userId = :userId', { userId })
      .getRawOne<{ used: string | number }>();
    return Number(row?.used ?? 0);
  }

  /** Ends the hold of uploads older than `olderThan` (their bytes no longer count); returns how many. */
  async expire(olderThan: Date): Promise<number> {
    return (await this.db.getRepository(BlobUpload).delete({ uploadedAt: LessThan(olderThan) })).affected ?? 0;
  }
}
