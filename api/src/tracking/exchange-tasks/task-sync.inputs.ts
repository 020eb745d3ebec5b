import { ArrayMaxSize, ValidateNested } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TaskPriority } from '../../activities/activity-enums';
import { MailServerText } from '../../common/argument-guard';
import { MaxBytes, MaxLength } from '../../common/validation';
import { MAX_EXCHANGE_WRITES } from '../exchange-writes.inputs';
import { ExchangeTaskStatus } from './task-shape';

/** The most tasks (and deleted ids) one syncMailboxTasks call takes; the engine sends a SyncFolderItems page at a time. */
export const MAX_TASKS_PER_SYNC = 200;
/** The most tasks one claim hands out, and one report takes. */
export const MAX_TASK_WRITES = MAX_EXCHANGE_WRITES;

registerEnumType(ExchangeTaskStatus, { name: 'ExchangeTaskStatus', description: 'Outlook\'s task status (Types.xsd TaskStatusType).' });

export enum TaskSyncOutcome {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  /** Not linked, and not marked with the Outlook category "Tracked to CRM": it stays in Outlook. */
  NOT_TRACKED = 'NOT_TRACKED',
  /** Changed on both sides and the CRM's change was later: the CRM keeps its version and writes it to Exchange. */
  CRM_VERSION_KEPT = 'CRM_VERSION_KEPT',
  /** Deleted in Outlook while open and unchanged in the CRM: cancelled in the CRM, and no longer linked. */
  CANCELLED = 'CANCELLED',
  /** Deleted in Outlook when already completed or cancelled: only the link is dropped. */
  UNLINKED = 'UNLINKED',
  /** Deleted in Outlook after a change in the CRM: the change wins and the task is made again in Exchange. */
  RECREATED = 'RECREATED',
  /** Linked to a CRM task that now belongs to someone else, or was deleted: changes nothing, and is removed from this Outlook. */
  HANDED_OVER = 'HANDED_OVER',
}
registerEnumType(TaskSyncOutcome, { name: 'TaskSyncOutcome' });

// Strings are repaired and cut to fit (task-shape.ts), never refused: a task with a broken subject still syncs.
@MailServerText()
@InputType({ description: 'A task from the mailbox\'s Exchange Tasks folder, as the sync engine read it.' })
export class ExchangeTaskInput {
  @Field({ description: 'Its EWS ItemId.' })
  @MaxLength(512)
  itemId: string;

  @Field(() => String, { nullable: true, description: 'Its ChangeKey: the version read, which a write from the CRM may overwrite.' })
  @MaxLength(512)
  changeKey?: string | null;

  @Field(() => String, { nullable: true })
  @MaxBytes(100_000)
  subject?: string | null;

  @Field(() => String, { nullable: true, description: 'The body as text; the CRM keeps the first 20,000 characters.' })
  @MaxBytes(1_000_000)
  notes?: string | null;

  @Field(() => Date, { nullable: true, description: 'The due day as Exchange sends it: midnight where the mailbox is.' })
  dueAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'The start day as Exchange sends it: midnight where the mailbox is.' })
  startAt?: Date | null;

  @Field(() => Float, { nullable: true, description: 'PercentComplete, 0 to 100; the CRM keeps it rounded (a value outside is taken as the nearest end).' })
  percentComplete?: number | null;

  @Field(() => ExchangeTaskStatus)
  status: ExchangeTaskStatus;

  @Field(() => TaskPriority, { description: 'Outlook\'s importance.' })
  importance: TaskPriority;

  @Field({ description: 'The user gave it the Outlook category "Tracked to CRM": an unlinked task enters the CRM only then.' })
  tracked: boolean;

  @Field({ description: 'LastModifiedTime: the later change wins when both sides changed.' })
  lastModifiedAt: Date;

  @Field(() => ID, { nullable: true, description: 'The Task the hub wrote this Exchange task from (its extended property), when it carries one: an engine that stopped before reporting a write finds its task again here, not a new one.' })
  @MaxLength(100)
  crmTaskId?: string | null;
}

@ArgsType()
export class SyncMailboxTasksArgs {
  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID, { description: 'The lease from claimMailboxes: the tasks and the cursor commit only while it is the mailbox\'s.' })
  leaseId: string;

  @Field(() => [ExchangeTaskInput], { description: `Tasks created or changed since the cursor, at most ${MAX_TASKS_PER_SYNC}.` })
  @ArrayMaxSize(MAX_TASKS_PER_SYNC)
  @ValidateNested({ each: true })
  tasks: ExchangeTaskInput[];

  @Field(() => [String], { defaultValue: [], description: `ItemIds of tasks deleted since the cursor, at most ${MAX_TASKS_PER_SYNC}.` })
  @ArrayMaxSize(MAX_TASKS_PER_SYNC)
  @MaxLength(512, { each: true })
  deletedItemIds: string[];

  @Field(() => String, { nullable: true, description: 'The mailbox\'s new sync cursor, committed with the tasks; null leaves it unchanged. At most 65,535 bytes.' })
  @MaxBytes(65_535)
  cursor?: string | null;
}

@ObjectType('TaskSyncResult')
export class TaskSyncResult {
  @Field()
  itemId: string;

  @Field(() => TaskSyncOutcome)
  outcome: TaskSyncOutcome;

  @Field(() => ID, { nullable: true, description: 'The Task it is, when it is in the CRM.' })
  taskId: string | null;
}

@ObjectType('TaskWrite', { description: 'A task of the mailbox\'s owner made or changed in the CRM that the Exchange Tasks folder does not show yet.' })
export class TaskWrite {
  @Field(() => ID)
  taskId: string;

  @Field(() => String, { nullable: true, description: 'The Exchange task written before; null: create one.' })
  itemId: string | null;

  @Field(() => String, { nullable: true, description: 'The ChangeKey of the version the hub last saw: if Exchange holds a newer one, write nothing (the next read settles it).' })
  changeKey: string | null;

  @Field({ description: 'Remove the Exchange task (the CRM task was cancelled).' })
  remove: boolean;

  @Field()
  subject: string;

  @Field(() => String, { nullable: true })
  notes: string | null;

  @Field(() => String, { nullable: true, description: 'The due day, YYYY-MM-DD: Outlook tasks have a day, not a time.' })
  dueDay: string | null;

  @Field(() => String, { nullable: true, description: 'The start day, YYYY-MM-DD.' })
  startDay: string | null;

  @Field(() => Int, { description: 'How much is done, 0 to 100 (100 for a completed task).' })
  percentComplete: number;

  @Field(() => TaskPriority)
  importance: TaskPriority;

  @Field()
  completed: boolean;

  @Field({ description: 'Give it back in reportTaskWrites once written.' })
  fingerprint: string;
}

@InputType({ description: 'One task the engine wrote to the Exchange Tasks folder.' })
export class TaskWriteInput {
  @Field(() => ID)
  taskId: string;

  @Field(() => String, { nullable: true, description: 'The Exchange task\'s ItemId; null when it was removed.' })
  @MaxLength(512)
  itemId?: string | null;

  @Field(() => String, { nullable: true, description: 'Its ChangeKey after the write.' })
  @MaxLength(512)
  changeKey?: string | null;

  @Field({ description: 'The fingerprint claimTaskWrites gave.' })
  @MaxLength(64)
  fingerprint: string;
}

@ArgsType()
export class ReportTaskWritesArgs {
  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID)
  leaseId: string;

  @Field(() => [TaskWriteInput])
  @ArrayMaxSize(MAX_TASK_WRITES)
  @ValidateNested({ each: true })
  writes: TaskWriteInput[];
}
