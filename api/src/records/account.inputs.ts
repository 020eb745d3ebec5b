import { ArrayMaxSize, IsUrl } from 'class-validator';
import { MaxLength, NotBlank } from '../common/validation';
import { Field, ID, InputType } from 'type-graphql';
import { AccountStatus } from './account.entity';
import { listArgsOf, RecordFilterBase } from './record-inputs';

@InputType()
export class AccountFilter extends RecordFilterBase {
  @Field(() => AccountStatus, { nullable: true })
  status?: AccountStatus;
}

export const AccountListArgs = listArgsOf(AccountFilter);

@InputType()
export class CreateAccountInput {
  @Field()
  @NotBlank()
  @MaxLength(160)
  name: string;

  @Field(() => [String], { nullable: true, description: 'Email addresses, primary first; stored lower-cased.' })
  @ArrayMaxSize(10)
  emails?: string[];

  @Field(() => String, { nullable: true })
  @MaxLength(50)
  telephone?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(200)
  @IsUrl({ require_protocol: false })
  website?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(20000)
  description?: string;

  @Field(() => AccountStatus, { nullable: true, defaultValue: AccountStatus.ACTIVE })
  status?: AccountStatus;

  @Field(() => ID, { nullable: true, description: 'Default: you.' })
  ownerId?: string;
}

@InputType()
export class UpdateAccountInput {
  @Field({ nullable: true })
  @NotBlank()
  @MaxLength(160)
  name?: string;

  @Field(() => [String], { nullable: true, description: 'Replaces all addresses when given.' })
  @ArrayMaxSize(10)
  emails?: string[];

  @Field(() => String, { nullable: true })
  @MaxLength(50)
  telephone?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(200)
  @IsUrl({ require_protocol: false })
  website?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(20000)
  description?: string | null;

  @Field(() => AccountStatus, { nullable: true })
  status?: AccountStatus;
}
