import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';

/** A shared inbox (support@…) with Dynamics' email-to-case rule. */
@ObjectType({ implements: Node })
@Entity('queue')
export class Queue {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('Queue', this.id);
  }

  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 200 })
  name: string;

  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 320 })
  emailAddress: string;

  @Index()
  @IdColumn()
  ownerId: string;

  @IdColumn()
  businessUnitId: string;

  @Field({ description: 'Email to case: a new conversation sent to the queue opens a case for the sender.' })
  @Column('boolean', { default: false })
  createCaseFromEmail: boolean;

  @Field({ description: 'Create a contact for a sender no record matches, so their case has a customer.' })
  @Column('boolean', { default: false })
  createContactForUnknownSender: boolean;

  @Field({
    description:
      'Email to case for a sender who is a lead: a case\'s customer is a contact or an account, so the lead\'s name and addresses become a new contact (linked to the lead as its originatingLead) and the case is opened for it. On by default; off, such mail opens no case and the alert log says so.',
  })
  @Column('boolean', { default: true })
  createContactForLeadSender: boolean;

  @Field(() => Int, { nullable: true, description: 'A reply reopens a case resolved less than this many hours ago; null never reopens.' })
  @Column('int', { nullable: true })
  reopenResolvedWithinHours: number | null;

  @Field()
  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}
