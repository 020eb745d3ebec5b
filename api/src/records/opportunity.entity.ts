import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { EnumColumn, IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';
import { OwnedRecord } from './owned-record';

export enum OpportunityStatus {
  OPEN = 'OPEN',
  WON = 'WON',
  LOST = 'LOST',
}
registerEnumType(OpportunityStatus, { name: 'OpportunityStatus' });

/** A potential sale to a customer (an account or a contact). */
@ObjectType({ implements: Node })
@Entity('opportunity')
export class Opportunity extends OwnedRecord {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Opportunity', this.id);
  }

  @Field()
  @Index()
  @Column('varchar', { length: 200 })
  name: string;

  @Field(() => OpportunityStatus)
  @Index()
  @EnumColumn()
  status: OpportunityStatus;

  /** Exactly one of the two customer columns is set. */
  @Index()
  @IdColumn({ nullable: true })
  customerAccountId: string | null;

  @Index()
  @IdColumn({ nullable: true })
  customerContactId: string | null;

  /** In `currency`; cents are kept exactly. */
  @Field(() => Float, { nullable: true, description: 'In the opportunity’s currency.' })
  @Column('decimal', {
    precision: 19,
    scale: 2,
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) },
  })
  estimatedValue: number | null;

  @Field({ description: 'ISO 4217 code of estimatedValue (e.g. EUR, SEK); set when created, the organization’s base currency unless given.' })
  @Column('varchar', { length: 3, default: 'EUR' })
  currency: string;

  @Field(() => String, { nullable: true, description: 'ISO date (YYYY-MM-DD).' })
  @Column('varchar', { length: 10, nullable: true })
  estimatedCloseDate: string | null;
}
