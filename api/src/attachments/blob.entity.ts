import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../common/columns';

/**
 * MySQL's BLOB holds at most 65,535 bytes, and MEDIUMBLOB/LONGBLOB do not exist on SQLite, so
 * content is cut into chunks that fit a plain BLOB on both; 60 KiB leaves room below the limit.
 */
export const BLOB_CHUNK_BYTES = 60 * 1024;

/** mysql2 returns BIGINT as a string (TypeORM asks for big-number strings); sizes stay far below 2^53. */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/**
 * Stored content, named by the lower-case hex SHA-256 of its bytes. The row exists only once
 * every chunk is stored under `sha256` (both are written in one transaction).
 */
// Not "blob": a reserved word in MySQL, which every hand-written query would have to quote.
@Entity('blob_content')
export class Blob {
  @PrimaryColumn('varchar', { length: 64 })
  sha256: string;

  @Column('bigint', { transformer: bigintAsNumber })
  size: number;

  @DateTimeColumn()
  createdAt: Date;

  /**
   * The last time this content was uploaded again, or claimed by a writer about to reference it;
   * null: not since createdAt. The sweep of unreferenced blobs spares content touched within its
   * grace period, and a touch waits for (or beats) a sweep's conditional delete of the row.
   */
  @DateTimeColumn({ nullable: true })
  touchedAt: Date | null;
}

/**
 * One upload by a person (not the sync engine) through PUT /blobs: it counts against their quota
 * and keeps its blob for them until the sweep's grace period ends. Every upload counts in full,
 * even of content already stored, so the quota tells nobody what others stored.
 */
@Entity('blob_upload')
@Index(['userId', 'uploadedAt'])
export class BlobUpload {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @IdColumn()
  userId: string;

  @Index()
  @Column('varchar', { length: 64 })
  sha256: string;

  @Column('bigint', { transformer: bigintAsNumber })
  size: number;

  @Index()
  @DateTimeColumn()
  uploadedAt: Date;
}

/**
 * One piece of a blob's content, in order from `seq` 0. `blobKey` is the blob's sha256 once
 * stored, or `tmp:<ms since epoch, 13 digits>:<uuid>` while an upload is in progress: the time in
 * the key lets a sweep remove abandoned uploads with a range delete on the primary key.
 */
@Entity('blob_chunk')
export class BlobChunk {
  @PrimaryColumn('varchar', { length: 80 })
  blobKey: string;

  @PrimaryColumn('int')
  seq: number;

  @Column('blob')
  data: Buffer;
}
