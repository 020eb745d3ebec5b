import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EnumColumn, IdColumn } from '../common/columns';

export enum AttachmentSkipReason {
  TOO_LARGE = 'TOO_LARGE',
}

/** A file attached to an email; its bytes are a blob shared by every email that carries the same file. */
@Entity('activity_attachment')
export class Attachment {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index()
  @IdColumn()
  activityId: string;

  @Column('varchar', { length: 255 })
  fileName: string;

  @Column('varchar', { length: 127 })
  contentType: string;

  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  size: number;

  /** Null when the file was not stored (see skippedReason). */
  @Index()
  @Column('varchar', { length: 64, nullable: true })
  blobSha256: string | null;

  @Column('varchar', { length: 255, nullable: true })
  contentId: string | null;

  @Column('boolean', { default: false })
  inline: boolean;

  @EnumColumn(16, { nullable: true })
  skippedReason: AttachmentSkipReason | null;

  @Column('smallint')
  position: number;
}
