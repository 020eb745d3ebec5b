import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EnumColumn, IdColumn } from '../common/columns';
import type { RecordKind } from './record-kind';

/**
 * One email address of an email-enabled record, normalized. The index on `address` is what
 * the tracking engine uses to resolve a message's participants to records.
 */
@Entity('email_address')
@Index(['recordKind', 'recordId', 'address'], { unique: true })
@Index(['recordKind', 'recordId', 'position'])
export class EmailAddress {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  /** Normalized (lower-case). On MySQL the column is utf8mb4_bin (set in the migration): "asa@" and "åsa@" are different mailboxes. */
  @Index()
  @Column('varchar', { length: 320 })
  address: string;

  @EnumColumn(16)
  recordKind: RecordKind;

  @IdColumn()
  recordId: string;

  /** 0 is the primary address; the rest keep the order the user gave. */
  @Column('smallint')
  position: number;
}
