import { createUnionType, Field, ID, Int, InterfaceType, ObjectType } from 'type-graphql';
import { RecordAccess } from '../records/record-access.types';
import { User } from '../identity/user.entity';
import { Queue } from '../queues/queue.entity';
import { Account } from '../records/account.entity';
import { CrmCase } from '../records/case.entity';
import { Contact } from '../records/contact.entity';
import { Lead } from '../records/lead.entity';
import { Opportunity } from '../records/opportunity.entity';
import { Node } from '../common/node';
import { AppointmentInstanceType, RecurrencePattern, RecurrenceWeekday, RecurrenceWeekIndex } from './appointment-recurrence.enums';
import {
  ActivityKind,
  ActivityState,
  CorrelationMethod,
  Direction,
  EmailStatus,
  PartyResolution,
  PartyRole,
  PrivacyLevel,
  TaskPriority,
} from './activity-enums';
import { ACTIVITY_TYPE_NAME, type Activity } from './activity.entity';
import { EmailRepair } from './email-repairs';

// GraphQL views of activities. The root value of each is the Activity entity row; per-kind and
// privacy-dependent fields come from field resolvers (activity-fields.resolver.ts) through DataLoaders.

/** What an activity can be regarding. */
export const RegardingRecord = createUnionType({
  name: 'RegardingRecord',
  types: () => [Account, Contact, Lead, Opportunity, CrmCase] as const,
  resolveType: (value) => (value.constructor.name === 'CrmCase' ? 'Case' : value.constructor.name),
});

/** What a party address can resolve to. */
export const PartyRecord = createUnionType({
  name: 'PartyRecord',
  types: () => [User, Queue, Contact, Account, Lead] as const,
  resolveType: (value) => value.constructor.name,
});

@ObjectType('ActivityParty', {
  description:
    'A participant of an activity in one role, as you may see it: a record you may not read counts as if it did not exist, so an address only such records carry is UNRESOLVED, like an unknown one.',
})
export class ActivityPartyView {
  @Field(() => PartyRole)
  role: PartyRole;

  @Field(() => String, { nullable: true })
  address: string | null;

  @Field(() => String, { nullable: true })
  displayName: string | null;

  @Field(() => PartyResolution)
  resolution: PartyResolution;

  partyKind: string | null;
  partyId: string | null;
}

@InterfaceType('Activity', {
  implements: Node,
  resolveType: (value: Activity) => ACTIVITY_TYPE_NAME[value.kind],
  description: 'An email, appointment, task or phone call. Fields hidden by a mailbox privacy level are null.',
})
export abstract class ActivityInterface {
  @Field(() => ID, { name: 'id' })
  globalId: string;

  @Field(() => ActivityKind)
  kind: ActivityKind;

  @Field(() => String, { nullable: true, description: 'Null when the mailbox it was tracked from shows you metadata only.' })
  subject: string | null;

  @Field(() => ActivityState)
  state: ActivityState;

  @Field(() => Direction, { nullable: true })
  direction: Direction | null;

  @Field()
  occurredAt: Date;

  @Field()
  createdAt: Date;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => RegardingRecord, { nullable: true, description: 'Null when it regards nothing or a record you may not read.' })
  regarding: unknown;

  @Field(() => User, { nullable: true })
  owner: User | null;

  @Field(() => [ActivityPartyView])
  parties: ActivityPartyView[];

  @Field(() => PrivacyLevel, { description: 'How much of this activity you see: FULL unless a mailbox privacy level hides part of it from you.' })
  visibleAs: PrivacyLevel;

  @Field(() => RecordAccess, {
    description: 'What you may do with this activity (setActivityState, setActivityRegarding need write), by your roles’ activity privileges and depth, as the mutations check.',
  })
  viewerAccess: RecordAccess;
}

@ObjectType('Attachment', { implements: Node })
export class AttachmentView {
  @Field(() => ID, { name: 'id' })
  globalId: string;

  @Field()
  fileName: string;

  @Field()
  contentType: string;

  @Field(() => Int, { description: 'Bytes (files up to 2 GB): for a stored file, exactly what the download delivers.' })
  size: number;

  @Field({ description: 'False when the file was not stored, e.g. larger than the organization\'s attachment limit.' })
  stored: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'SHA-256 of the stored file\'s bytes, 64 lower-case hex digits: verify a download with it, or see that two emails carry the same file. Null when the file was not stored.',
  })
  sha256: string | null;

  @Field(() => String, { nullable: true })
  skippedReason: string | null;

  @Field(() => String, { nullable: true })
  contentId: string | null;

  @Field()
  inline: boolean;

  @Field(() => String, { nullable: true, description: 'Where to download it (GET, with your bearer token).' })
  downloadUrl: string | null;
}

@ObjectType('TrackingStep')
export class TrackingStep {
  @Field({ description: 'FILTER, PARTIES, CORRELATION:<method>, FOLDER_RULE, QUEUE_RULE, AUTO_CREATE, STORE…' })
  step: string;

  @Field({ description: 'e.g. PASSED, FILTERED, MATCHED, NO_MATCH, DISABLED, CREATED, LINKED.' })
  outcome: string;

  @Field()
  detail: string;
}

@ObjectType('TrackingPartyDecision')
export class TrackingPartyDecision {
  @Field(() => PartyRole)
  role: PartyRole;

  @Field()
  address: string;

  @Field(() => PartyResolution)
  resolution: PartyResolution;

  @Field(() => String, { nullable: true, description: 'user, queue, contact, account or lead.' })
  kind: string | null;

  @Field(() => ID, { nullable: true })
  recordId: string | null;

  @Field(() => [ID], { description: 'Every candidate when AMBIGUOUS.' })
  candidates: string[];
}

@ObjectType('TrackingDecision', { description: 'Why an email was (or was not) tracked, and how its regarding record was found.' })
export class TrackingDecision {
  @Field({ description: 'TRACKED, LINKED (already tracked from another mailbox), DUPLICATE (replayed), FILTERED or REJECTED.' })
  outcome: string;

  @Field(() => String, { nullable: true, description: 'The filter reason code when FILTERED.' })
  filterReason: string | null;

  @Field(() => CorrelationMethod)
  correlationMethod: CorrelationMethod;

  @Field(() => String, { nullable: true })
  correlationEvidence: string | null;

  @Field(() => [TrackingPartyDecision])
  parties: TrackingPartyDecision[];

  @Field(() => [TrackingStep])
  steps: TrackingStep[];
}

@ObjectType('EmailSighting', { description: 'A mailbox an email was tracked from.' })
export class EmailSighting {
  @Field()
  mailboxAddress: string;

  @Field(() => String, { nullable: true })
  folder: string | null;

  @Field()
  seenAt: Date;
}

@ObjectType('Email', { implements: [Node, ActivityInterface] })
export class EmailView extends ActivityInterface {
  @Field(() => EmailStatus)
  status: EmailStatus;

  @Field()
  messageId: string;

  @Field(() => String, { nullable: true })
  inReplyTo: string | null;

  @Field(() => String, { nullable: true })
  trackingToken: string | null;

  @Field(() => Date, { nullable: true })
  sentAt: Date | null;

  @Field(() => Date, { nullable: true })
  receivedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'The text part; for an email with only an HTML part, text derived from the HTML. Null unless you see the whole email.',
  })
  textBody: string | null;

  @Field(() => String, { nullable: true, description: 'Sanitized for display: no scripts; remote images moved to data-remote-src until the reader consents.' })
  htmlBody: string | null;

  @Field(() => String, { nullable: true })
  preview: string | null;

  @Field()
  bodyTruncated: boolean;

  @Field(() => Int)
  blockedRemoteImages: number;

  @Field(() => [AttachmentView])
  attachments: AttachmentView[];

  @Field(() => CorrelationMethod, { nullable: true })
  correlationMethod: CorrelationMethod | null;

  @Field(() => TrackingDecision, { nullable: true })
  trackingDecision: TrackingDecision | null;

  @Field(() => [EmailRepair])
  repairs: EmailRepair[];

  @Field(() => String, { nullable: true })
  failureReason: string | null;

  @Field(() => Int)
  sendAttempts: number;

  @Field(() => [EmailSighting])
  seenIn: EmailSighting[];
}

@ObjectType('Appointment', { implements: [Node, ActivityInterface] })
export class AppointmentView extends ActivityInterface {
  @Field()
  startAt: Date;

  @Field()
  endAt: Date;

  @Field({ description: 'Kept as days, the same in every time zone: startAt is then 00:00 UTC of the first day and endAt 00:00 UTC of the day after the last; show them as UTC dates.' })
  allDay: boolean;

  @Field(() => String, { nullable: true })
  location: string | null;

  @Field(() => String, { nullable: true, description: 'The iCalendar UID of the meeting invitation it came from.' })
  icalUid: string | null;

  @Field(() => AppointmentRecurrenceView, { nullable: true, description: 'A recurring series\' rule; null for a single appointment and for an occurrence (see series).' })
  recurrence: AppointmentRecurrenceView | null;

  @Field(() => AppointmentView, { nullable: true, description: 'The recurring series this appointment is an occurrence of; null for others, and when you may not read the series.' })
  series: AppointmentView | null;

  @Field(() => AppointmentInstanceType, { nullable: true, description: 'OCCURRENCE or EXCEPTION for an occurrence of a series; null otherwise.' })
  instanceType: AppointmentInstanceType | null;

  @Field(() => Date, { nullable: true, description: 'When the series\' rule put this occurrence (an exception may have moved since); null for others.' })
  originalStart: Date | null;
}

@ObjectType('AppointmentRecurrence', { description: 'A recurring series\' rule as Exchange keeps it: one pattern, one range, the time zone its occurrences keep their wall-clock time in.' })
export class AppointmentRecurrenceView {
  @Field(() => RecurrencePattern)
  pattern: RecurrencePattern;

  @Field(() => Int, { description: 'Every how many days, weeks or months.' })
  interval: number;

  @Field(() => [RecurrenceWeekday])
  daysOfWeek: RecurrenceWeekday[];

  @Field(() => Int, { nullable: true })
  dayOfMonth: number | null;

  @Field(() => RecurrenceWeekIndex, { nullable: true })
  weekIndex: RecurrenceWeekIndex | null;

  @Field(() => Int, { nullable: true, description: '1–12.' })
  month: number | null;

  @Field({ description: 'The first day, YYYY-MM-DD in the series\' time zone.' })
  rangeStart: string;

  @Field(() => String, { nullable: true, description: 'The last day, YYYY-MM-DD; null: no end, or a count.' })
  rangeEnd: string | null;

  @Field(() => Int, { nullable: true, description: 'How many occurrences; null: no end, or an end date.' })
  count: number | null;

  @Field(() => String, { nullable: true, description: 'The Windows time zone id (W. Europe Standard Time).' })
  timeZone: string | null;
}

@ObjectType('Task', { implements: [Node, ActivityInterface] })
export class TaskView extends ActivityInterface {
  @Field(() => Date, { nullable: true })
  dueAt: Date | null;

  // Not `startAt`: an appointment's startAt is never null, and one query asking both would not validate.
  @Field(() => Date, { nullable: true, description: 'When work is to start (Dynamics\' scheduled start, Outlook\'s start date).' })
  scheduledStartAt: Date | null;

  @Field(() => Int, { description: 'How much of the task is done, 0 to 100.' })
  percentComplete: number;

  @Field(() => TaskPriority)
  priority: TaskPriority;
}

@ObjectType('PhoneCall', { implements: [Node, ActivityInterface] })
export class PhoneCallView extends ActivityInterface {
  @Field(() => String, { nullable: true })
  phoneNumber: string | null;

  @Field(() => Int, { nullable: true })
  durationMinutes: number | null;
}
