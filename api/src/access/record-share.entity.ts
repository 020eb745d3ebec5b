import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { EnumColumn, IdColumn } from '../common/columns';
import type { RecordKind } from '../records/record-kind';

/** A record shared with one user beyond what their roles' depth reaches (Dynamics' "share"). */
@Entity('record_share')
@Index(['userId', 'recordKind', 'recordId'], { unique: true })
@Index(['recordKind', 'recordId'])
export class RecordShare {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @EnumColumn(16)
  recordKind: RecordKind;

  @IdColumn()
  recordId: string;

  @IdColumn()
  userId: string;

  @Column('boolean', { default: false })
  canWrite: boolean;

  @IdColumn()
  sharedById: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
