import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';

/** An API key for an integration or the sync engine: acts as its user, with that user's roles. */
@ObjectType()
@Entity('api_key')
export class ApiKey {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('ApiKey', this.id);
  }

  @Field()
  @Column('varchar', { length: 120 })
  name: string;

  @Field({ description: 'The first characters of the key, to recognise it; the key itself is shown once.' })
  @Column('varchar', { length: 16 })
  prefix: string;

  @Index({ unique: true })
  @Column('varchar', { length: 64 })
  keyHash: string;

  @Index()
  @IdColumn()
  userId: string;

  @IdColumn()
  createdById: string;

  @Field()
  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @DateTimeColumn({ nullable: true })
  lastUsedAt: Date | null;
}
