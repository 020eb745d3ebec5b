import { ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { TrackingDecision } from '../activities/activity.types';

// Items arrive as the sync engine parsed them. Dates and addresses are plain strings on purpose:
// a malformed value must fail its own item (salvaged or rejected with a code), never the whole batch.

@InputType({ description: 'One address as written in a header.' })
export class MailAddressInput {
  @Field()
  address: string;

  @Field(() => String, { nullable: true })
  name?: string | null;
}

@InputType()
export class MailHeaderInput {
  @Field()
  name: string;

  @Field()
  value: string;
}

@InputType({ description: 'An attachment uploaded first with PUT /blobs (by sha256), or skipped (too large) with its name and size.' })
export class TrackAttachmentInput {
  @Field()
  fileName: string;

  @Field({ defaultValue: 'application/octet-stream' })
  contentType: string;

  @Field({ description: 'Bytes.' })
  size: number;

  @Field(() => String, { nullable: true, description: 'The sha256 PUT /blobs returned; null when the engine did not upload it (too large).' })
  sha256?: string | null;

  @Field(() => String, { nullable: true })
  contentId?: string | null;

  @Field({ defaultValue: false })
  inline: boolean;
}

@InputType({ description: 'One message as the sync engine read it from a mailbox.' })
export class TrackEmailItemInput {
  @Field(() => String, { nullable: true, description: 'Message-ID header; a message without one is keyed by a hash of its content.' })
  messageId?: string | null;

  @Field(() => String, { nullable: true, description: 'The folder it was found in (INBOX, Sent, a tracked folder).' })
  folder?: string | null;

  @Field(() => String, { nullable: true, description: 'INCOMING or OUTGOING; by default OUTGOING when it is from the mailbox\'s own address.' })
  direction?: string | null;

  @Field(() => String, { nullable: true })
  subject?: string | null;

  @Field(() => MailAddressInput, { nullable: true })
  from?: MailAddressInput | null;

  @Field(() => [MailAddressInput], { defaultValue: [] })
  to: MailAddressInput[];

  @Field(() => [MailAddressInput], { defaultValue: [] })
  cc: MailAddressInput[];

  @Field(() => [MailAddressInput], { defaultValue: [] })
  bcc: MailAddressInput[];

  @Field(() => String, { nullable: true, description: 'The Date header (RFC 5322 or ISO 8601).' })
  date?: string | null;

  @Field(() => String, { nullable: true, description: 'When the server received it (ISO 8601).' })
  receivedAt?: string | null;

  @Field(() => String, { nullable: true })
  inReplyTo?: string | null;

  @Field(() => [String], { defaultValue: [] })
  references: string[];

  @Field(() => String, { nullable: true, description: 'Outlook\'s Thread-Index header.' })
  threadIndex?: string | null;

  @Field(() => [MailHeaderInput], { defaultValue: [], description: 'Further headers that tracking reads: Auto-Submitted, Precedence, List-Id, X-Autoreply, Content-Type…' })
  headers: MailHeaderInput[];

  @Field(() => String, { nullable: true })
  textBody?: string | null;

  @Field(() => String, { nullable: true, description: 'As received; sanitized before it is stored.' })
  htmlBody?: string | null;

  @Field(() => [TrackAttachmentInput], { defaultValue: [] })
  attachments: TrackAttachmentInput[];
}

/** The largest batch one call takes; the sync engine sends 100. */
export const MAX_BATCH = 200;

@InputType()
export class TrackEmailsInput {
  @Field(() => [TrackEmailItemInput])
  @ArrayMaxSize(MAX_BATCH)
  items: TrackEmailItemInput[];

  @Field(() => String, { nullable: true, description: 'The mailbox\'s new sync cursor, committed with the items; null leaves it unchanged.' })
  cursor?: string | null;
}

@ObjectType('TrackedItem')
export class TrackedItem {
  @Field(() => Int, { description: 'Position in the batch.' })
  index: number;

  @Field(() => String, { nullable: true })
  messageId: string | null;

  @Field({ description: 'TRACKED, LINKED, DUPLICATE, FILTERED or REJECTED.' })
  outcome: string;

  @Field(() => ID, { nullable: true })
  activityId: string | null;

  @Field(() => String, { nullable: true, description: 'For REJECTED: ATTACHMENT_NOT_UPLOADED, …' })
  errorCode: string | null;

  @Field(() => String, { nullable: true })
  errorMessage: string | null;

  @Field(() => [String], { description: 'What was repaired: MISSING_MESSAGE_ID, INVALID_DATE, INVALID_ADDRESS, BODY_TRUNCATED, SUBJECT_TRUNCATED.' })
  salvaged: string[];

  @Field(() => TrackingDecision, { nullable: true })
  decision: TrackingDecision | null;
}

@ObjectType('TrackEmailsResult')
export class TrackEmailsResult {
  @Field(() => [TrackedItem])
  items: TrackedItem[];

  @Field(() => String, { nullable: true })
  cursor: string | null;
}
