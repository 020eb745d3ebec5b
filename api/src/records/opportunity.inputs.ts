import { Matches, Max, Min } from 'class-validator';
import { MaxLength, NotBlank } from '../common/validation';
import { Field, Float, ID, InputType } from 'type-graphql';
import { OpportunityStatus } from './opportunity.entity';
import { listArgsOf, RecordFilterBase } from './record-inputs';

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** The largest amount whose cents a double still holds exactly (DECIMAL(19,2) holds more). */
const MAX_AMOUNT = 999_999_999_999.99;

@InputType()
export class OpportunityFilter extends RecordFilterBase {
  @Field(() => OpportunityStatus, { nullable: true })
  status?: OpportunityStatus;

  @Field(() => ID, { nullable: true, description: 'Only opportunities of this customer (account or contact).' })
  customerId?: string;
}

export const OpportunityListArgs = listArgsOf(OpportunityFilter);

@InputType()
export class CreateOpportunityInput {
  @Field()
  @NotBlank()
  @MaxLength(200)
  name: string;

  @Field(() => ID, { description: 'An account or a contact.' })
  customerId: string;

  @Field(() => Float, { nullable: true, description: '0 to 999,999,999,999.99.' })
  @Min(0)
  @Max(MAX_AMOUNT)
  estimatedValue?: number;

  @Field(() => String, { nullable: true, description: 'ISO 4217 code, e.g. SEK. Default: the organization’s base currency.' })
  @MaxLength(3)
  currency?: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @Matches(ISO_DATE, { message: 'must be a date as YYYY-MM-DD' })
  estimatedCloseDate?: string;

  @Field(() => OpportunityStatus, { nullable: true, defaultValue: OpportunityStatus.OPEN })
  status?: OpportunityStatus;

  @Field(() => ID, { nullable: true, description: 'Default: you.' })
  ownerId?: string;
}

@InputType()
export class UpdateOpportunityInput {
  @Field({ nullable: true })
  @NotBlank()
  @MaxLength(200)
  name?: string;

  @Field(() => ID, { nullable: true })
  customerId?: string;

  @Field(() => Float, { nullable: true, description: '0 to 999,999,999,999.99.' })
  @Min(0)
  @Max(MAX_AMOUNT)
  estimatedValue?: number | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217 code; the amount is not converted.' })
  @MaxLength(3)
  currency?: string;

  @Field(() => String, { nullable: true })
  @Matches(ISO_DATE, { message: 'must be a date as YYYY-MM-DD' })
  estimatedCloseDate?: string | null;

  @Field(() => OpportunityStatus, { nullable: true })
  status?: OpportunityStatus;
}
