import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';

/** A person (or service account) who signs in; owns records and mailboxes. */
@ObjectType({ implements: Node })
@Entity('app_user')
export class User {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('User', this.id);
  }

  /** Normalized (trimmed, lower-case); the sign-in name and the user's mail address. */
  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 320 })
  email: string;

  @Field()
  @Column('varchar', { length: 200 })
  fullName: string;

  @Index()
  @IdColumn()
  businessUnitId: string;

  /** scrypt hash; null for service accounts, which sign in with API keys only. */
  @Column('varchar', { length: 255, nullable: true })
  passwordHash: string | null;

  @Field({ description: 'A service account (such as the sync engine) that cannot sign in with a password.' })
  @Column('boolean', { default: false })
  isService: boolean;

  @Field()
  @Column('boolean', { default: false })
  disabled: boolean;

  /** Wrong passwords since the last successful sign-in or lock-out. */
  @Column('int', { default: 0 })
  failedLoginCount: number;

  /** Password sign-in refused until then, after too many wrong passwords. */
  @DateTimeColumn({ nullable: true })
  loginLockedUntil: Date | null;

  /** Set by an administrator's password reset: the user's sessions may only change the password until they do. Shown by UserResolver to the user alone. */
  @Column('boolean', { default: false })
  mustChangePassword: boolean;

  @Field()
  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
