import { ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { TrackingDecision } from '../activities/activity.types';
import { MailServerText } from '../common/argument-guard';
import { MaxBytes } from '../common/validation';
import { INLINE_ATTACHMENT_BYTES } from './inline-attachments';

// Items arrive as the sync engine parsed them. Dates and addresses are plain strings on purpose:
// a malformed value must fail its own item (salvaged or rejected with a code), never the whole batch.
// For the same reason they are MailServerText: NUL bytes and broken characters are repaired, not refused.

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

@InputType({
  description: `An attachment sent with its item (content, base64, at most ${INLINE_ATTACHMENT_BYTES} bytes decoded), uploaded first with PUT /blobs (sha256), or skipped (too large: neither) with its name and size.`,
})
export class TrackAttachmentInput {
  @Field()
  fileName: string;

  @Field({ defaultValue: 'application/octet-stream' })
  contentType: string;

  @Field({ description: 'Bytes.' })
  size: number;

  @Field(() => String, { nullable: true, description: 'The sha256 PUT /blobs returned; null when the file is sent as content, or not at all (too large).' })
  sha256?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `The file itself, base64 (RFC 4648, padded, no line breaks), at most ${INLINE_ATTACHMENT_BYTES} bytes decoded: stored in the batch's transaction, so a small file needs no upload of its own. Not together with sha256. Unlike malformed mail, a malformed or oversized content refuses the whole call (BAD_USER_INPUT naming it): the bytes would otherwise be lost.`,
  })
  content?: string | null;

  @Field(() => String, { nullable: true })
  contentId?: string | null;

  @Field({ defaultValue: false })
  inline: boolean;
}

@InputType({ description: 'An attendee of a meeting (RFC 5545 ATTENDEE).' })
export class CalendarAttendeeInput {
  @Field()
  address: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'REQ-PARTICIPANT (default), OPT-PARTICIPANT, CHAIR or NON-PARTICIPANT.' })
  role?: string | null;

  @Field(() => String, { nullable: true, description: 'NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE, DELEGATED.' })
  partstat?: string | null;
}

// Also syncMailboxCalendar's events: repaired and cut to fit by meeting-invites.ts, like the invitation in an item.
@MailServerText()
@InputType({ description: 'The iCalendar event of a meeting invitation (RFC 5545 VEVENT, RFC 5546 METHOD), as the sync engine parsed it.' })
export class CalendarInput {
  @Field({ description: 'REQUEST, CANCEL, REPLY, PUBLISH, …' })
  method: string;

  @Field({ description: 'The event\'s UID: one Appointment per UID however many messages carry it.' })
  uid: string;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'SEQUENCE: an invitation older than the one applied changes nothing.' })
  sequence?: number | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => String, { nullable: true })
  location?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'DTSTART as ISO 8601 (a date alone for all-day events).' })
  start?: string | null;

  @Field(() => String, { nullable: true, description: 'DTEND as ISO 8601; default: the start (an all-day event: one day).' })
  end?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  allDay?: boolean | null;

  @Field(() => MailAddressInput, { nullable: true })
  organizer?: MailAddressInput | null;

  @Field(() => [CalendarAttendeeInput], { nullable: true, defaultValue: [] })
  attendees?: CalendarAttendeeInput[] | null;

  @Field(() => String, { nullable: true, description: 'CONFIRMED, TENTATIVE or CANCELLED.' })
  status?: string | null;

  @Field(() => String, { nullable: true, description: 'syncMailboxCalendar only: the Exchange ItemId of the calendar entry (at most 512 characters; a longer one is ignored).' })
  itemId?: string | null;

  @Field(() => String, { nullable: true, description: 'syncMailboxCalendar only: the entry\'s ChangeKey, the version read, which a change from the CRM may overwrite (at most 512 characters; a longer one is ignored).' })
  changeKey?: string | null;

  @Field(() => Date, { nullable: true, description: 'syncMailboxCalendar only: the entry\'s LastModifiedTime. When the entry and its CRM appointment both changed since they last agreed, the later change wins (none given: the CRM\'s).' })
  lastModifiedAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'syncMailboxCalendar only: Exchange says the mailbox organizes this meeting (MyResponseType Organizer). A single meeting the mailbox organizes follows changes made to it in the CRM, as one made in the CRM does.' })
  mailboxOrganizes?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'syncMailboxCalendar only: the entry\'s invitations were sent (MeetingRequestWasSent), so a change written from the CRM goes to its attendees.' })
  invitationsSent?: boolean | null;
}

@MailServerText()
@InputType({ description: 'A message the sync engine could not track (unparseable, unknown forwarder…): recorded with the batch so the mailbox moves on and nothing vanishes silently.' })
export class QuarantineInput {
  @Field({ description: 'Where it is on the server: "imap:INBOX:<uidvalidity>:<uid>" or "pop3:<uidl>".' })
  sourceRef: string;

  @Field(() => String, { nullable: true })
  folder?: string | null;

  @Field({ description: 'INVALID_MESSAGE, TOO_LARGE, FORWARDER_UNKNOWN, …' })
  code: string;

  @Field()
  reason: string;

  @Field(() => String, { nullable: true })
  messageId?: string | null;

  @Field(() => String, { nullable: true })
  subject?: string | null;

  @Field(() => String, { nullable: true })
  fromAddress?: string | null;

  @Field(() => Int, { nullable: true, description: 'Bytes.' })
  size?: number | null;
}

@MailServerText()
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

  @Field(() => CalendarInput, { nullable: true, description: 'A meeting invitation (text/calendar part) in the message: it becomes or changes the Appointment with its UID.' })
  calendar?: CalendarInput | null;
}

/** The largest batch one call takes; the sync engine sends 100. */
export const MAX_BATCH = 200;

@InputType()
export class TrackEmailsInput {
  @Field(() => [TrackEmailItemInput])
  @ArrayMaxSize(MAX_BATCH)
  items: TrackEmailItemInput[];

  @Field(() => String, { nullable: true, description: 'The mailbox\'s new sync cursor, committed with the items; null leaves it unchanged. At most 65,535 bytes.' })
  @MaxBytes(65_535)
  cursor?: string | null;

  @Field(() => ID, { nullable: true, description: 'The lease from claimMailboxes: the batch commits only while it is the mailbox\'s current lease (CONFLICT otherwise, and nothing is written).' })
  leaseId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The cursor the batch before this one commits: this batch commits only once the mailbox\'s sync cursor is that one (CONFLICT otherwise, and nothing is written). Lets the engine send a batch while the one before is still committing, and keeps them in order. At most 65,535 bytes.',
  })
  @MaxBytes(65_535)
  afterCursor?: string | null;

  @Field(() => [QuarantineInput], { nullable: true, defaultValue: [], description: 'Messages that could not be tracked, committed with the cursor; one already recorded (same sourceRef) is left as it is.' })
  @ArrayMaxSize(MAX_BATCH)
  quarantine?: QuarantineInput[] | null;
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

  @Field(() => ID, { nullable: true, description: 'The Appointment the meeting invitation in the message concerns: created, changed, or (an older copy, a reply) left as it was.' })
  appointmentId: string | null;

  @Field(() => String, { nullable: true, description: 'For REJECTED: ATTACHMENT_NOT_UPLOADED, …' })
  errorCode: string | null;

  @Field(() => String, { nullable: true })
  errorMessage: string | null;

  @Field(() => [String], { description: 'What was repaired: MISSING_MESSAGE_ID, INVALID_DATE, INVALID_ADDRESS, INVALID_CHARACTERS, BODY_TRUNCATED, SUBJECT_TRUNCATED, FOLDER_TRUNCATED, TOO_MANY_RECIPIENTS.' })
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
