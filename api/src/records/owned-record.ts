import { Field, ObjectType } from 'type-graphql';
import { CreateDateColumn, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { IdColumn } from '../common/columns';

/** Columns every user-owned CRM record has: who owns it, in which unit, and when it changed. */
// Decorated so subclasses inherit its fields; type-graphql 2 emits only reachable types, so it is not in the schema.
@ObjectType()
export abstract class OwnedRecord {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index()
  @IdColumn()
  ownerId: string;

  /** The owner's business unit, copied on create and assign, so depth filters need no join. */
  @Index()
  @IdColumn()
  businessUnitId: string;

  @IdColumn()
  createdById: string;

  @IdColumn()
  modifiedById: string;

  @Field()
  @Index()
  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
