import { Field, ObjectType } from 'type-graphql';
import { Account } from './account.entity';
import { Contact } from './contact.entity';
import { Lead } from './lead.entity';
import { Opportunity } from './opportunity.entity';

@ObjectType({ description: 'The qualified lead and the records made from it (null for those not asked for or linked instead).' })
export class QualifyLeadPayload {
  @Field(() => Lead)
  lead: Lead;

  @Field(() => Account, { nullable: true })
  account: Account | null;

  @Field(() => Contact, { nullable: true })
  contact: Contact | null;

  @Field(() => Opportunity, { nullable: true })
  opportunity: Opportunity | null;
}
