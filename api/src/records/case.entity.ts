import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { EnumColumn, IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';
import { OwnedRecord } from './owned-record';

export enum CaseStatus {
  ACTIVE = 'ACTIVE',
  RESOLVED = 'RESOLVED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(CaseStatus, { name: 'CaseStatus' });

export enum CasePriority {
  LOW = 'LOW',
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
}
registerEnumType(CasePriority, { name: 'CasePriority' });

/** A customer service case (Dynamics' incident), for an account or a contact. */
@ObjectType('Case', { implements: Node })
@Entity('crm_case')
export class CrmCase extends OwnedRecord {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Case', this.id);
  }

  @Field()
  @Index()
  @Column('varchar', { length: 200 })
  title: string;

  @Field({ description: 'Human-friendly case number, unique, e.g. CAS-261204-7KQ2M9XD (the day it was opened, then 8 random characters).' })
  @Index({ unique: true })
  @Column('varchar', { length: 32 })
  ticketNumber: string;

  @Field(() => CaseStatus)
  @Index()
  @EnumColumn()
  status: CaseStatus;

  @Field(() => CasePriority)
  @EnumColumn()
  priority: CasePriority;

  @Index()
  @IdColumn({ nullable: true })
  customerAccountId: string | null;

  @Index()
  @IdColumn({ nullable: true })
  customerContactId: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description: string | null;
}
