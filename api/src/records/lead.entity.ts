import { Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { AccessEntity } from '../access/privileges';
import { securedField } from '../access/secured-field';
import { Column, Entity, Index } from 'typeorm';
import { EnumColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';
import { OwnedRecord } from './owned-record';

export enum LeadStatus {
  NEW = 'NEW',
  CONTACTED = 'CONTACTED',
  QUALIFIED = 'QUALIFIED',
  DISQUALIFIED = 'DISQUALIFIED',
}
registerEnumType(LeadStatus, { name: 'LeadStatus' });

/** A prospect not yet qualified into an account, contact and opportunity. */
@ObjectType({ implements: Node })
@Entity('lead')
export class Lead extends OwnedRecord {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Lead', this.id);
  }

  @Field()
  @Column('varchar', { length: 200 })
  topic: string;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 100, nullable: true })
  firstName: string | null;

  @Field()
  @Column('varchar', { length: 100 })
  lastName: string;

  @Field()
  @Index()
  @Column('varchar', { length: 201 })
  fullName: string;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 160, nullable: true })
  companyName: string | null;

  @Field(() => String, { nullable: true, description: 'Secured: null unless a field permission lets you read it.' })
  @UseMiddleware(securedField(AccessEntity.LEAD))
  @Column('varchar', { length: 50, nullable: true })
  telephone: string | null;

  @Field(() => LeadStatus)
  @Index()
  @EnumColumn()
  status: LeadStatus;
}
