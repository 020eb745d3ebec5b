import { ArrayMaxSize } from 'class-validator';
import { ArgsType, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ActivityKind } from '../activities/activity-enums';
import { ActivityInterface } from '../activities/activity.types';
import type { Activity } from '../activities/activity.entity';
import { Mailbox } from '../mail/mailbox.entity';

export enum ActivityChangeKind {
  TRACKED = 'TRACKED',
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  REMOVED = 'REMOVED',
}
registerEnumType(ActivityChangeKind, {
  name: 'ActivityChange',
  description:
    'TRACKED: the sync engine filed it from a mailbox. CREATED: someone made it. UPDATED: its state, regarding record, parties or send status changed. REMOVED: it was deleted, or is no longer on the timeline you watch.',
});

export enum MailboxChangeKind {
  STATE = 'STATE',
  CONFIGURATION = 'CONFIGURATION',
  TEST = 'TEST',
  ALERT = 'ALERT',
  PROGRESS = 'PROGRESS',
}
registerEnumType(MailboxChangeKind, {
  name: 'MailboxChange',
  description:
    'STATE: state or approval. CONFIGURATION: methods, profile, credentials, rules. TEST: Test & Enable requested or a channel result. ALERT: a new alert. PROGRESS: a synced batch (items, cursor, coverage).',
});

const CURSOR_DESCRIPTION = 'Pass it as `after` when you subscribe again to receive, in order, every event after this one.';
const AFTER_DESCRIPTION =
  'The cursor of the last event you received: what happened since is delivered first, in order, then the live events. CURSOR_EXPIRED when it is too old to replay: load the data again and subscribe without it.';

@ObjectType('ExchangeWritesDueEvent', {
  description:
    'For the sync engine: an appointment, task or contact changed whose owner has Exchange mailboxes synchronizing appointments, contacts and tasks (or a contact paired in such a mailbox). The engine holding one of them writes what is due now rather than at its next look.',
})
export class ExchangeWritesDueView {
  @Field({ description: CURSOR_DESCRIPTION })
  cursor: string;

  @Field(() => ActivityChangeKind)
  change: ActivityChangeKind;

  @Field(() => ActivityKind, { nullable: true, description: 'The activity\'s kind (APPOINTMENT or TASK); null for a contact.' })
  kind: ActivityKind | null;

  @Field(() => [ID], { description: 'The owner’s mailboxes that synchronize appointments, contacts and tasks with Exchange; for a contact also the mailboxes it is paired in.' })
  mailboxIds: string[];

  @Field({ description: 'When the change committed.' })
  at: Date;
}

@ObjectType('ActivityEvent', { description: 'A change to an activity you may read, as it committed.' })
export class ActivityEventView {
  @Field({ description: CURSOR_DESCRIPTION })
  cursor: string;

  @Field(() => ActivityChangeKind)
  change: ActivityChangeKind;

  @Field(() => ID, { description: 'The activity’s id (its `id` in queries).' })
  activityId: string;

  @Field(() => ActivityKind)
  kind: ActivityKind;

  @Field(() => ActivityInterface, { nullable: true, description: 'The activity as you may see it now; null when REMOVED.' })
  activity: Activity | null;

  @Field({ description: 'When the change committed.' })
  at: Date;
}

@ObjectType('MailboxEvent', { description: 'A change to a mailbox you may see (your own, or any for administrators).' })
export class MailboxEventView {
  @Field({ description: CURSOR_DESCRIPTION })
  cursor: string;

  @Field(() => MailboxChangeKind)
  change: MailboxChangeKind;

  @Field(() => ID)
  mailboxId: string;

  @Field(() => Mailbox, { nullable: true, description: 'The mailbox as it is now; null once it was removed.' })
  mailbox: Mailbox | null;

  @Field({ description: 'When the change committed.' })
  at: Date;
}

@ArgsType()
export class ResumeArgs {
  @Field(() => String, { nullable: true, description: AFTER_DESCRIPTION })
  after?: string | null;
}

@ArgsType()
export class FeedArgs extends ResumeArgs {
  @Field(() => [ActivityKind], { nullable: true, description: 'Only these kinds (all when left out; an empty list matches nothing).' })
  @ArrayMaxSize(Object.keys(ActivityKind).length)
  kinds?: ActivityKind[] | null;
}

@ArgsType()
export class ActivityChangedArgs extends FeedArgs {
  @Field(() => ID, { description: 'An Account, Contact, Lead, Opportunity or Case you may read.' })
  recordId: string;

  @Field(() => Boolean, { defaultValue: false, description: 'Also the activities of related records you may read, rolled up as `timeline(includeRelated: true)` does.' })
  includeRelated: boolean;
}

@ArgsType()
export class MailboxChangedArgs extends ResumeArgs {
  @Field(() => ID, { nullable: true, description: 'One mailbox; left out: every mailbox you may see.' })
  mailboxId?: string | null;
}
