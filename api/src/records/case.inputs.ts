import { MaxLength, NotBlank } from '../common/validation';
import { Field, ID, InputType } from 'type-graphql';
import { CasePriority, CaseStatus } from './case.entity';
import { listArgsOf, RecordFilterBase } from './record-inputs';

@InputType()
export class CaseFilter extends RecordFilterBase {
  @Field(() => CaseStatus, { nullable: true })
  status?: CaseStatus;

  @Field(() => ID, { nullable: true, description: 'Only cases of this customer (account or contact).' })
  customerId?: string;
}

export const CaseListArgs = listArgsOf(CaseFilter);

@InputType()
export class CreateCaseInput {
  @Field()
  @NotBlank()
  @MaxLength(200)
  title: string;

  @Field(() => ID, { description: 'An account or a contact.' })
  customerId: string;

  @Field(() => CasePriority, { nullable: true, defaultValue: CasePriority.NORMAL })
  priority?: CasePriority;

  @Field(() => String, { nullable: true })
  @MaxLength(20000)
  description?: string;

  @Field(() => ID, { nullable: true, description: 'Default: you.' })
  ownerId?: string;
}

@InputType()
export class UpdateCaseInput {
  @Field({ nullable: true })
  @NotBlank()
  @MaxLength(200)
  title?: string;

  @Field(() => ID, { nullable: true })
  customerId?: string;

  @Field(() => CasePriority, { nullable: true })
  priority?: CasePriority;

  @Field(() => CaseStatus, { nullable: true })
  status?: CaseStatus;

  @Field(() => String, { nullable: true })
  @MaxLength(20000)
  description?: string | null;
}
