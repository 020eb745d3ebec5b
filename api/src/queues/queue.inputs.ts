import { Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MaxLength, NotBlank } from '../common/validation';

@InputType()
export class CreateQueueInput {
  @Field()
  @NotBlank()
  @MaxLength(200)
  name: string;

  @Field()
  @MaxLength(330)
  emailAddress: string;

  @Field(() => ID, { nullable: true, description: 'Defaults to you.' })
  ownerId?: string;

  @Field({ defaultValue: false })
  createCaseFromEmail: boolean;

  @Field({ defaultValue: false })
  createContactForUnknownSender: boolean;

  @Field({ defaultValue: true, description: 'Make a contact from a lead who writes, so their case has a customer (Queue.createContactForLeadSender).' })
  createContactForLeadSender: boolean;

  @Field(() => Int, { nullable: true })
  @Min(0)
  @Max(24 * 365)
  reopenResolvedWithinHours?: number | null;
}

@InputType({ description: 'Fields left out keep their value.' })
export class UpdateQueueInput {
  @Field({ nullable: true })
  @NotBlank()
  @MaxLength(200)
  name?: string;

  @Field({ nullable: true, description: "The queue's mailbox follows: its address awaits approval again, and it needs Test & Enable again (as in Dynamics)." })
  @MaxLength(330)
  emailAddress?: string;

  @Field(() => ID, { nullable: true, description: 'A new owner, under the rules of assigning a record (QUEUE assign); the queue moves to their business unit.' })
  ownerId?: string;

  @Field({ nullable: true })
  createCaseFromEmail?: boolean;

  @Field({ nullable: true })
  createContactForUnknownSender?: boolean;

  @Field({ nullable: true })
  createContactForLeadSender?: boolean;

  @Field(() => Int, { nullable: true })
  @Min(0)
  @Max(24 * 365)
  reopenResolvedWithinHours?: number | null;
}
