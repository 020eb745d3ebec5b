import { ArrayMaxSize } from 'class-validator';
import { MaxLength, NotBlank } from '../common/validation';
import { Field, ID, InputType } from 'type-graphql';
import { LeadStatus } from './lead.entity';
import { listArgsOf, RecordFilterBase } from './record-inputs';

@InputType()
export class LeadFilter extends RecordFilterBase {
  @Field(() => LeadStatus, { nullable: true })
  status?: LeadStatus;
}

export const LeadListArgs = listArgsOf(LeadFilter);

@InputType()
export class CreateLeadInput {
  @Field({ description: 'What the prospect is interested in.' })
  @NotBlank()
  @MaxLength(200)
  topic: string;

  @Field(() => String, { nullable: true })
  @MaxLength(100)
  firstName?: string;

  @Field()
  @NotBlank()
  @MaxLength(100)
  lastName: string;

  @Field(() => String, { nullable: true })
  @MaxLength(160)
  companyName?: string;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(10)
  emails?: string[];

  @Field(() => String, { nullable: true })
  @MaxLength(50)
  telephone?: string;

  @Field(() => LeadStatus, { nullable: true, defaultValue: LeadStatus.NEW })
  status?: LeadStatus;

  @Field(() => ID, { nullable: true, description: 'Default: you.' })
  ownerId?: string;
}

@InputType()
export class UpdateLeadInput {
  @Field({ nullable: true })
  @NotBlank()
  @MaxLength(200)
  topic?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(100)
  firstName?: string | null;

  @Field({ nullable: true })
  @NotBlank()
  @MaxLength(100)
  lastName?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(160)
  companyName?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces all addresses when given.' })
  @ArrayMaxSize(10)
  emails?: string[];

  @Field(() => String, { nullable: true })
  @MaxLength(50)
  telephone?: string | null;

  @Field(() => LeadStatus, { nullable: true })
  status?: LeadStatus;
}

@InputType({ description: 'Dynamics\' "Qualify": what the lead becomes. Everything created is owned by you.' })
export class QualifyLeadInput {
  @Field(() => ID)
  leadId: string;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'An account named after the lead\'s company; none when the lead names no company.' })
  createAccount?: boolean;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'A contact with the lead\'s name, addresses and telephone, linked to the account and to the lead (originatingLead).' })
  createContact?: boolean;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'An open opportunity named after the lead\'s topic, for the account, else the contact.' })
  createOpportunity?: boolean;

  @Field(() => ID, { nullable: true, description: 'Use this account instead of creating one.' })
  existingAccountId?: string;

  @Field(() => ID, { nullable: true, description: 'Use this contact instead of creating one.' })
  existingContactId?: string;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Create the account and contact even when one of the same name, or with one of the lead\'s addresses, exists (otherwise CONFLICT naming it).',
  })
  allowDuplicates?: boolean;
}
