import { Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { AccessEntity } from '../access/privileges';
import { securedField } from '../access/secured-field';
import { Column, Entity, Index } from 'typeorm';
import { EnumColumn, IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';
import { OwnedRecord } from './owned-record';

export enum ContactStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
}
registerEnumType(ContactStatus, { name: 'ContactStatus' });

/** A person at a customer, optionally belonging to an account. */
@ObjectType({ implements: Node })
@Entity('contact')
export class Contact extends OwnedRecord {
  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Contact', this.id);
  }

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 100, nullable: true })
  firstName: string | null;

  @Field()
  @Column('varchar', { length: 100 })
  lastName: string;

  /** First and last name joined; what lists sort and search on. */
  @Field()
  @Index()
  @Column('varchar', { length: 201 })
  fullName: string;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 100, nullable: true })
  jobTitle: string | null;

  @Field(() => String, { nullable: true, description: 'Secured: null unless a field permission lets you read it.' })
  @UseMiddleware(securedField(AccessEntity.CONTACT))
  @Column('varchar', { length: 50, nullable: true })
  telephone: string | null;

  @Field(() => String, { nullable: true, description: 'Secured: null unless a field permission lets you read it.' })
  @UseMiddleware(securedField(AccessEntity.CONTACT))
  @Column('varchar', { length: 50, nullable: true })
  mobilePhone: string | null;

  @Field(() => ContactStatus)
  @Index()
  @EnumColumn()
  status: ContactStatus;

  @Index()
  @IdColumn({ nullable: true })
  accountId: string | null;

  /** The lead this contact was made from (Dynamics' originatingleadid), e.g. by email to case for a lead's mail. */
  // Unique: two batches that race to make a contact from one lead cannot both win (the loser's batch re-runs and reuses it).
  @Index({ unique: true })
  @IdColumn({ nullable: true })
  originatingLeadId: string | null;
}
