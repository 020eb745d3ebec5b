import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';
import type { RecordKind } from '../records/record-kind';

/** Exchange FolderIds are base64 of about 120 bytes; room for servers that make them longer. */
export const SERVER_FOLDER_ID_LENGTH = 512;

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

  /**
   * The server's own id of the folder (Exchange FolderId), once a folder report named it: a folder renamed or
   * moved keeps its id, so the rule follows it to its new path. Null for servers without stable ids (IMAP).
   */
  @Column('varchar', { length: SERVER_FOLDER_ID_LENGTH, nullable: true })
  folderId: string | null;

  @Field(() => Date, { nullable: true, description: 'Since when the server no longer has this folder (deleted in Outlook, say): mail filed there is not tracked until the folder is back or the rule names another one. Null: the folder exists, or the server was not asked yet.' })
  @DateTimeColumn({ nullable: true })
  missingSince: Date | null;
}
