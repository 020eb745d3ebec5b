import { ArrayMaxSize, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { MaxLength } from '../common/validation';
import { MAX_ATTACHMENTS, MAX_CONTENT_TYPE_LENGTH, MAX_FILE_NAME_LENGTH, MAX_RECIPIENTS } from './outgoing-email-rules';

@InputType({ description: 'A file to send: one you uploaded with PUT /blobs within the grace period, or an attachment of the email named in forwardOfId.' })
export class OutgoingAttachmentInput {
  @Field({ description: 'What PUT /blobs answered (hex).' })
  @MaxLength(100)
  sha256: string;

  @Field({ description: `The name recipients see: at most ${MAX_FILE_NAME_LENGTH} characters, no "/", "\\" or control characters.` })
  @MaxLength(MAX_FILE_NAME_LENGTH)
  fileName: string;

  @Field({ description: 'A media type, `type/subtype` (RFC 6838), without parameters.' })
  @MaxLength(MAX_CONTENT_TYPE_LENGTH)
  contentType: string;
}

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

  @Field(() => [OutgoingAttachmentInput], { nullable: true, description: `At most ${MAX_ATTACHMENTS}, together no larger than the organization's attachment limit (emailSettings.maxAttachmentKb).` })
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @ValidateNested()
  attachments?: OutgoingAttachmentInput[] | null;

  @Field(() => ID, { nullable: true, description: 'The email this one forwards: its attachments may then be sent by sha256 too, when you may read it whole.' })
  forwardOfId?: string | null;
}
