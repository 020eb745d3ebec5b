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
