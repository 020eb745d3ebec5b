import { ArrayMaxSize } from 'class-validator';
import { ArgsType, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { MaxBytes } from '../common/validation';
import { CalendarInput } from './track-emails.inputs';

/** The most calendar events one syncMailboxCalendar call takes; the engine sends a SyncFolderItems page at a time. */
export const MAX_CALENDAR_EVENTS = 200;

export enum CalendarEventOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  /** Not in the CRM, and no organizer or attendee is a CRM record: it stays in Outlook. */
  NOT_TRACKED = 'NOT_TRACKED',
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
