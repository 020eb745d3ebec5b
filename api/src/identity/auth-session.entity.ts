import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../common/columns';

/** A signed-in browser or client; only the sha256 of the token is kept. */
@Entity('auth_session')
export class AuthSession {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index({ unique: true })
  @Column('varchar', { length: 64 })
  tokenHash: string;

  @Index()
  @IdColumn()
  userId: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @DateTimeColumn()
  expiresAt: Date;

  @DateTimeColumn({ nullable: true })
  revokedAt: Date | null;
}
