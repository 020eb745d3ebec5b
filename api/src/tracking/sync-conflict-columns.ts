import { Column, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';

/**
 * What every kept losing version records, whatever lost (an activity, a contact): when the hub saw both changes,
 * by which rule, who won, both sides' modification times, and the loser as JSON.
 */
export abstract class SyncConflictColumns {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @IdColumn()
  mailboxId: string;

  /** When the hub saw both changes. */
  @DateTimeColumn()
  occurredAt: Date;

  /** SyncConflictRule. */
  @EnumColumn(32)
  rule: string;

  /** SyncSide whose version was kept. */
  @EnumColumn(16)
  winner: string;

  @DateTimeColumn()
  crmModifiedAt: Date;

  @DateTimeColumn()
  exchangeModifiedAt: Date;

  /** The losing version as JSON. */
  @Column('text')
  losingVersion: string;
}
