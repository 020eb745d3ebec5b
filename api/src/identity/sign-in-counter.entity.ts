import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../common/columns';

/**
 * Sign-in attempts in one fixed window, per client address or for the whole hub. Kept in the
 * database so every api process counts against the same limit; rows of past windows are deleted.
 */
@Entity('sign_in_counter')
export class SignInCounter {
  /** `client:<address>@<window start ms>` or `all@<window start ms>`. */
  @PrimaryColumn('varchar', { length: 120 })
  bucket: string;

  @Column('int', { default: 0 })
  attempts: number;

  /** When the window ends: the row is of no use after that. */
  @Index()
  @DateTimeColumn()
  windowEndsAt: Date;
}
