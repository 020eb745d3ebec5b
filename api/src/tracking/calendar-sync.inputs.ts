import { ArrayMaxSize, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MailServerText } from '../common/argument-guard';
import { MaxBytes, MaxLength } from '../common/validation';
import { AppointmentInstanceType, RecurrencePattern, RecurrenceWeekday, RecurrenceWeekIndex } from '../activities/appointment-recurrence.enums';
import { CalendarInput } from './track-emails.inputs';

/** The most calendar events one syncMailboxCalendar call takes; the engine sends a SyncFolderItems page at a time. */
export const MAX_CALENDAR_EVENTS = 200;
/** The most recurring series one call takes, and the most occurrences of one series (a daily series over Dynamics' default 15-month window has 457). */
export const MAX_CALENDAR_SERIES = 20;
export const MAX_SERIES_OCCURRENCES = 500;

const DATE = /^\d{4}-\d\d-\d\d$/;

@InputType({ description: 'A recurring series\' rule, as Exchange keeps it (Types.xsd RecurrenceType) and Dynamics\' RecurringAppointmentMaster holds it.' })
export class AppointmentRecurrenceInput {
  @Field(() => RecurrencePattern)
  pattern: RecurrencePattern;

  @Field(() => Int, { description: 'Every how many days, weeks or months (1 for yearly patterns); 1–999.' })
  @IsInt()
  @Min(1)
  @Max(999)
  interval: number;

  @Field(() => [RecurrenceWeekday], { defaultValue: [], description: 'The weekdays (WEEKLY), or the one weekday of a relative pattern.' })
  @ArrayMaxSize(7)
  daysOfWeek: RecurrenceWeekday[];

  @Field(() => Int, { nullable: true, description: '1–31 (ABSOLUTE_MONTHLY, ABSOLUTE_YEARLY).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(31)
  dayOfMonth?: number | null;

  @Field(() => RecurrenceWeekIndex, { nullable: true })
  weekIndex?: RecurrenceWeekIndex | null;

  @Field(() => Int, { nullable: true, description: '1–12 (yearly patterns).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  month?: number | null;

  @Field({ description: 'The range\'s first day, YYYY-MM-DD in the series\' time zone.' })
  @Matches(DATE)
  rangeStart: string;

  @Field(() => String, { nullable: true, description: 'Its last day (YYYY-MM-DD); none: no end or a count.' })
  @IsOptional()
  @Matches(DATE)
  rangeEnd?: string | null;

  @Field(() => Int, { nullable: true, description: 'How many occurrences the series has (1–999); none: no end or an end date.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(999)
  count?: number | null;

  @Field(() => String, { nullable: true, description: 'The Windows time zone id the series keeps its wall-clock time in (at most 64 characters).' })
  @MaxLength(64)
  timeZone?: string | null;
}

// Repaired and cut to fit like events (meeting-invites.ts); its own key is checked.
@MailServerText()
@InputType({ description: 'One occurrence or exception of a recurring series, as an appointment of its own.' })
export class CalendarOccurrenceInput extends CalendarInput {
  @Field(() => AppointmentInstanceType)
  instanceType: AppointmentInstanceType;

  @Field(() => Date, { description: 'When the series\' rule put it: with the series, what identifies it.' })
  originalStart: Date;
}

@MailServerText()
@InputType({ description: 'A recurring series from the Exchange Calendar: its master (absent when only the window moved), its rule, and every occurrence it has from windowFrom to windowTo.' })
export class CalendarSeriesInput {
  @Field({ description: 'The series\' UID (its master\'s).' })
  @MaxLength(2_000)
  uid: string;

  @Field(() => CalendarInput, { nullable: true, description: 'The master: the series\' subject, first occurrence, organizer, attendees, cancellation. Null: the series is unchanged and only new occurrences entered the window.' })
  master?: CalendarInput | null;

  @Field(() => AppointmentRecurrenceInput, { nullable: true })
  @ValidateNested()
  recurrence?: AppointmentRecurrenceInput | null;

  @Field(() => [CalendarOccurrenceInput], { description: `Every occurrence of the series that meets the window, at most ${MAX_SERIES_OCCURRENCES}: one the CRM holds in the window and that is not listed was deleted in Exchange, and is cancelled.` })
  @ArrayMaxSize(MAX_SERIES_OCCURRENCES)
  occurrences: CalendarOccurrenceInput[];

  @Field(() => Date)
  windowFrom: Date;

  @Field(() => Date)
  windowTo: Date;
}

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

  @Field(() => [CalendarSeriesInput], { defaultValue: [], description: `Recurring series created or changed since the cursor (or whose occurrences entered the expansion window), at most ${MAX_CALENDAR_SERIES}.` })
  @ArrayMaxSize(MAX_CALENDAR_SERIES)
  @ValidateNested({ each: true })
  series: CalendarSeriesInput[];

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

  @Field({ description: 'Made in the CRM: an entry deleted in Outlook is made again. False for a meeting its owner organized in Outlook: a deleted entry stays deleted (report it with a null itemId).' })
  createIfMissing: boolean;

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
