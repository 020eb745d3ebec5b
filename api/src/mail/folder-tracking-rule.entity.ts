import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EnumColumn, IdColumn } from '../common/columns';
import type { RecordKind } from '../records/record-kind';

/** Dynamics' folder-level tracking: mail in this folder of this mailbox is tracked regarding this record. */
@ObjectType()
@Entity('folder_tracking_rule')
@Index(['mailboxId', 'folder'], { unique: true })
export class FolderTrackingRule {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @IdColumn()
  mailboxId: string;

  @Field()
  @Column('varchar', { length: 255 })
  folder: string;

  @EnumColumn(16, { nullable: true })
  regardingKind: RecordKind | null;

  @IdColumn({ nullable: true })
  regardingId: string | null;
}
