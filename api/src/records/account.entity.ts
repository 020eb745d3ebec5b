import { Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { AccessEntity } from '../access/privileges';
import { securedField } from '../access/secured-field';
import { Column, Entity, Index } from 'typeorm';
import { EnumColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';
import { OwnedRecord } from './owned-record';

export enum AccountStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
}
registerEnumType(AccountStatus, { name: 'AccountStatus' });

/** A customer organization. */
@ObjectType({ implements: Node })
@Entity('account')
export class Account extends OwnedRecord {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Account', this.id);
  }

  @Field()
  @Index()
  @Column('varchar', { length: 160 })
  name: string;

  @Field(() => AccountStatus)
  @Index()
  @EnumColumn()
  status: AccountStatus;

  @Field(() => String, { nullable: true, description: 'Secured: null unless a field permission lets you read it.' })
  @UseMiddleware(securedField(AccessEntity.ACCOUNT))
  @Column('varchar', { length: 50, nullable: true })
  telephone: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 200, nullable: true })
  website: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;
}
