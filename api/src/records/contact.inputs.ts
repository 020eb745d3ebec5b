import { ArrayMaxSize } from 'class-validator';
import { MaxLength, NotBlank } from '../common/validation';
import { Field, ID, InputType } from 'type-graphql';
import { ContactStatus } from './contact.entity';
import { listArgsOf, RecordFilterBase } from './record-inputs';

@InputType()
export class ContactFilter extends RecordFilterBase {
  @Field(() => ContactStatus, { nullable: true })
  status?: ContactStatus;

  @Field(() => ID, { nullable: true, description: 'Only contacts of this account.' })
  accountId?: string;
}

export const ContactListArgs = listArgsOf(ContactFilter);

@InputType()
export class CreateContactInput {
  @Field(() => String, { nullable: true })
  @MaxLength(100)
  firstName?: string;

  @Field()
  @NotBlank()
  @MaxLength(100)
  lastName: string;

  @Field(() => [String], { nullable: true, description: 'Email addresses, primary first; stored lower-cased.' })
  @ArrayMaxSize(10)
  emails?: string[];

  @Field(() => String, { nullable: true })
  @MaxLength(100)
  jobTitle?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(50)
  telephone?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(50)
  mobilePhone?: string;

  @Field(() => ContactStatus, { nullable: true, defaultValue: ContactStatus.ACTIVE })
  status?: ContactStatus;

  @Field(() => ID, { nullable: true, description: 'The account the contact works for.' })
  accountId?: string;

  @Field(() => ID, { nullable: true, description: 'Default: you.' })
  ownerId?: string;
}

@InputType()
export class UpdateContactInput {
  @Field(() => String, { nullable: true })
  @MaxLength(100)
  firstName?: string | null;

  @Field({ nullable: true })
  @NotBlank()
  @MaxLength(100)
  lastName?: string;

  @Field(() => [String], { nullable: true, description: 'Replaces all addresses when given.' })
  @ArrayMaxSize(10)
  emails?: string[];

  @Field(() => String, { nullable: true })
  @MaxLength(100)
  jobTitle?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(50)
  telephone?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(50)
  mobilePhone?: string | null;

  @Field(() => ContactStatus, { nullable: true })
  status?: ContactStatus;

  @Field(() => ID, { nullable: true, description: 'null detaches the contact from its account.' })
  accountId?: string | null;
}
