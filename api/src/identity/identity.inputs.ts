import { ArrayMaxSize, MinLength } from 'class-validator';
import { MAX_SEARCH_LENGTH } from '../common/like';
import { MaxLength, NotBlank } from '../common/validation';
import { ArgsType, Field, ID, InputType, ObjectType } from 'type-graphql';
import { ApiKey } from './api-key.entity';
import { User } from './user.entity';

@ObjectType()
export class LoginPayload {
  @Field({ description: 'Send as "Authorization: Bearer <token>".' })
  token: string;

  @Field()
  expiresAt: Date;

  @Field(() => User)
  user: User;

  @Field({ description: 'An administrator reset the password: call changePassword before anything else.' })
  mustChangePassword: boolean;
}

@ObjectType()
export class PasswordResetPayload {
  @Field({ description: 'The temporary password. Shown once: give it to the user, who must change it at the next sign-in.' })
  temporaryPassword: string;

  @Field(() => User)
  user: User;
}

@ArgsType()
export class UserListArgs {
  @Field(() => String, { nullable: true, description: 'Matches the full name or the email address anywhere.' })
  @MaxLength(MAX_SEARCH_LENGTH)
  search?: string;
}

@InputType()
export class CreateUserInput {
  @Field({ description: 'Trimmed and stored lower-case.' })
  @MaxLength(330)
  email: string;

  @Field()
  @NotBlank()
  @MaxLength(200)
  fullName: string;

  @Field(() => ID)
  businessUnitId: string;

  @Field(() => String, {
    nullable: true,
    description: 'At least 12 characters, not a commonly breached or easily guessed password. Leave out for a service account that uses API keys.',
  })
  password?: string;

  @Field(() => [ID], { defaultValue: [] })
  @ArrayMaxSize(20)
  roleIds: string[];
}

@InputType()
export class CreateBusinessUnitInput {
  @Field()
  @NotBlank()
  @MaxLength(160)
  name: string;

  @Field(() => ID, { description: 'The parent unit.' })
  parentId: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field({ description: 'What the key is for, e.g. "ERP integration".' })
  @NotBlank()
  @MaxLength(120)
  name: string;

  @Field(() => ID, { nullable: true, description: 'The user the key acts as. Default: you.' })
  userId?: string;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date;
}

@ObjectType()
export class CreatedApiKey {
  @Field({ description: 'The key itself. Shown once: only its hash is stored.' })
  key: string;

  @Field(() => ApiKey)
  apiKey: ApiKey;
}
