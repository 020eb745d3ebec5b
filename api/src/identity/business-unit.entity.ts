import { Field, ID, ObjectType } from 'type-graphql';
import { CreateDateColumn, Entity, Index, PrimaryColumn, Column } from 'typeorm';
import { IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';

/** A business unit: the unit of record ownership that BUSINESS_UNIT and PARENT_CHILD depths are measured against. */
@ObjectType({ implements: Node })
@Entity('business_unit')
export class BusinessUnit {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('BusinessUnit', this.id);
  }

  @Field()
  @Column('varchar', { length: 160 })
  name: string;

  /** Null for the root unit (the organization). */
  @Index()
  @IdColumn({ nullable: true })
  parentId: string | null;

  @Field()
  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
