import { ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { MaxLength } from '../common/validation';
import { MAX_RECIPIENTS } from './outgoing-email-rules';

@InputType({ description: 'An email to send from your mailbox (or a queue\'s). Recipients by address, by record id, or both; at least one, at most 500.' })
export class SendEmailInput {
  @Field(() => ID, { nullable: true, description: 'A queue mailbox you may use, or your own. Default: your own mailbox.' })
  fromMailboxId?: string | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(MAX_RECIPIENTS)
  to?: string[] | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(MAX_RECIPIENTS)
  cc?: string[] | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(MAX_RECIPIENTS)
  bcc?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Contacts, leads, accounts or users, sent to at their primary address.' })
  @ArrayMaxSize(MAX_RECIPIENTS)
  toRecordIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  @ArrayMaxSize(MAX_RECIPIENTS)
  ccRecordIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  @ArrayMaxSize(MAX_RECIPIENTS)
  bccRecordIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Default for a reply: "RE: " and the subject of the email replied to. A tracking token is appended when the organization uses them.' })
  @MaxLength(400)
  subject?: string | null;

  @Field(() => String, { nullable: true })
  textBody?: string | null;

  @Field(() => String, { nullable: true, description: 'Scripts and other unsafe content are removed before it is stored and sent.' })
  htmlBody?: string | null;

  @Field(() => ID, { nullable: true, description: 'An account, contact, lead, opportunity or case. Default for a reply: what the email replied to is regarding.' })
  regardingId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The email this one answers: sets In-Reply-To and References so the conversation stays together.' })
  inReplyToId?: string | null;
}
