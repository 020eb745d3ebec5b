import { ArrayMaxSize, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MaxBytes, MaxLength } from '../common/validation';
import { CalendarInput } from './track-emails.inputs';

/** The most calendar events one syncMailboxCalendar call takes; the engine sends a SyncFolderItems page at a time. */
export const MAX_CALENDAR_EVENTS = 200;

export enum CalendarEventOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  /** Not in the CRM, and no organizer or attendee is a CRM record: it stays in Outlook. */
  NOT_TRACKED = 'NOT_TRACKED',
  /** Changed in the CRM and in Outlook since they last agreed, and the CRM's change was later: the CRM keeps its version and writes it to the Calendar. */
  CRM_VERSION_KEPT = 'CRM_VERSION_KEPT',
}
registerEnumType(CalendarEventOutcome, { name: 'CalendarEventOutcome' });

@ArgsType()
export class SyncMailboxCalendarArgs {
  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID, { description: 'The lease from claimMailboxes: the events and the cursor commit only while it is the mailbox\'s (CONFLICT otherwise, and nothing is written).' })
  leaseId: string;

  @Field(() => [CalendarInput], { description: `The calendar's appointments created or changed since the cursor, as calendar events (method PUBLISH), at most ${MAX_CALENDAR_EVENTS}.` })
  // Like trackEmails' invitations, events are repaired and cut to fit (meeting-invites.ts), never refused for a bad field.
  @ArrayMaxSize(MAX_CALENDAR_EVENTS)
  events: CalendarInput[];

  @Field(() => [String], { defaultValue: [], description: `ItemIds of Calendar entries deleted since the cursor, at most ${MAX_CALENDAR_EVENTS}. An entry the hub wrote that was deleted after a change in the CRM is written again (the change wins); otherwise a deletion changes nothing in the CRM.` })
  @ArrayMaxSize(MAX_CALENDAR_EVENTS)
  @MaxLength(512, { each: true })
  deletedItemIds: string[];

  @Field(() => String, { nullable: true, description: 'The mailbox\'s new sync cursor, committed with the events; null leaves it unchanged. At most 65,535 bytes.' })
  @MaxBytes(65_535)
  cursor?: string | null;
}

@ObjectType('CalendarEventResult')
export class CalendarEventResult {
  @Field()
  uid: string;

  @Field(() => CalendarEventOutcome)
  outcome: CalendarEventOutcome;

  @Field(() => ID, { nullable: true, description: 'The Appointment the event is, when it is in the CRM.' })
  appointmentId: string | null;

  @Field(() => String, { nullable: true, description: 'What was repaired or ignored in the event, or why it changed nothing.' })
  note: string | null;
}

/** The most appointments one claimCalendarWrites call hands out. */
export const MAX_CALENDAR_WRITES = 50;

@ObjectType('CalendarWriteAttendee')
export class CalendarWriteAttendee {
  @Field()
  address: string;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field()
  required: boolean;
}

@ObjectType('CalendarWrite', { description: 'An appointment made or changed in the CRM that the mailbox\'s Exchange Calendar does not show yet.' })
export class CalendarWrite {
  @Field(() => ID)
  appointmentId: string;

  @Field({ description: 'The iCalendar UID to give the Calendar entry: read back, it is this appointment.' })
  uid: string;

  @Field(() => String, { nullable: true, description: 'The Calendar entry written before, to change in place; null: create one.' })
  itemId: string | null;

  @Field(() => String, { nullable: true, description: 'The ChangeKey of the entry\'s version the hub last saw: if the Calendar holds a newer one, write nothing (the next read settles it).' })
  changeKey: string | null;

  @Field()
  subject: string;

  @Field()
  startAt: Date;

  @Field()
  endAt: Date;

  @Field()
  allDay: boolean;

  @Field(() => String, { nullable: true })
  location: string | null;

  @Field({ description: 'Cancelled in the CRM: remove the Calendar entry.' })
  cancelled: boolean;

  @Field(() => [CalendarWriteAttendee])
  attendees: CalendarWriteAttendee[];

  @Field({ description: 'Give it back in reportCalendarWrites once written.' })
  fingerprint: string;
}

@ArgsType()
export class ClaimCalendarWritesArgs {
  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID)
  leaseId: string;

  @Field(() => Int, { defaultValue: 20, description: `At most ${MAX_CALENDAR_WRITES}.` })
  first: number;
}

@InputType({ description: 'One appointment the engine wrote to the Exchange Calendar.' })
export class CalendarWriteInput {
  @Field(() => ID)
  appointmentId: string;

  @Field(() => String, { nullable: true, description: 'The Calendar entry\'s ItemId; null when the entry was removed.' })
  @MaxLength(512)
  itemId?: string | null;

  @Field(() => String, { nullable: true, description: 'Its ChangeKey after the write.' })
  @MaxLength(512)
  changeKey?: string | null;

  @Field({ description: 'The fingerprint claimCalendarWrites gave.' })
  @MaxLength(64)
  fingerprint: string;
}

@ArgsType()
export class ReportCalendarWritesArgs {
  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID)
  leaseId: string;

  @Field(() => [CalendarWriteInput])
  @ArrayMaxSize(MAX_CALENDAR_WRITES)
  @ValidateNested({ each: true })
  writes: CalendarWriteInput[];
}
