import { Field, ID, InputType } from 'type-graphql';
import { MaxLength, NotBlank } from '../common/validation';
import { MAX_SECRET } from './email-server-profile.inputs';
import { ActMethod, IncomingMethod, OutgoingMethod } from './mail-enums';

@InputType({ description: 'Dynamics\' mailbox form (administrators). Fields left out keep their value; null clears an optional one.' })
export class ConfigureMailboxInput {
  @Field(() => ID, { nullable: true, description: 'The EmailServerProfile; null leaves the mailbox without a server (it cannot sync).' })
  profileId?: string | null;

  @Field(() => IncomingMethod, { nullable: true })
  incomingMethod?: IncomingMethod;

  @Field(() => OutgoingMethod, { nullable: true })
  outgoingMethod?: OutgoingMethod;

  @Field(() => ActMethod, { nullable: true, description: 'SERVER_SIDE_SYNC needs an Exchange profile: refused for IMAP and POP3 profiles.' })
  appointmentsContactsTasksMethod?: ActMethod;

  @Field(() => Date, { nullable: true, description: 'Overrides the profile\'s "process email from"; null: the profile\'s.' })
  processEmailFrom?: Date | null;

  @Field({ nullable: true, description: 'Queue mailboxes only: the organization\'s forward mailbox, receiving copies forwarded by mailboxes whose incoming method is FORWARD_MAILBOX.' })
  isForwardMailbox?: boolean;

  @Field({ nullable: true, description: 'Forward mailboxes only: delete each forwarded copy from the server once processed.' })
  deleteForwardedCopies?: boolean;
}

@InputType({ description: 'Write-only: the password or token is encrypted at rest and never readable. Give password or accessToken, as the profile\'s authMethod asks.' })
export class MailboxCredentialsInput {
  @Field()
  @NotBlank()
  @MaxLength(320)
  username: string;

  @Field(() => String, { nullable: true })
  @MaxLength(MAX_SECRET)
  password?: string | null;

  @Field(() => String, { nullable: true, description: 'For OAUTH_BEARER profiles (XOAUTH2).' })
  @MaxLength(MAX_SECRET)
  accessToken?: string | null;
}
