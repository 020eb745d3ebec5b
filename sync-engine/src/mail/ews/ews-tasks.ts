import {
  AffectedTaskOccurrence, BasePropertySet, BodyType, DateTime, DeleteMode, FolderId, Importance, ItemId, ItemSchema, MessageBody, PropertySet, Sensitivity,
  ServiceError, ServiceResult, Task, TaskSchema, TaskStatus, WellKnownFolderName,
} from 'ews-javascript-api';
import { MailError } from '../mail-error.js';
import { crmIdOf, crmIdProperty, markedTracked, markForCrm, NEWER_IN_EXCHANGE, updateOverSeenVersion, writeEach } from './ews-crm-items.js';
import { withTasksState } from './ews-cursor.js';
import { pagesFromCursor, readFolderChanges, type CursorSlot } from './ews-folder-changes.js';
import { dateOf, optional } from './ews-properties.js';
import type { EwsAccount, EwsServices, EwsSession } from './ews-service.js';
import { xmlText } from './ews-xml.js';

// Tasks in an Exchange mailbox's Tasks folder, read for the hub and written from it: SyncFolderItems for the ids
// changed and deleted, GetItem for their task properties.

export { TRACKED_CATEGORY } from './ews-crm-items.js';

/** The CRM task a task was written from, on the Exchange task itself (ews-crm-items.ts). */
const CRM_TASK_ID = crmIdProperty('CrmActivityHubTaskId');

const TASK_PROPERTIES = [ItemSchema.Subject, ItemSchema.Body, ItemSchema.Sensitivity, ItemSchema.Categories, ItemSchema.Importance, ItemSchema.LastModifiedTime, TaskSchema.DueDate, TaskSchema.StartDate, TaskSchema.PercentComplete, TaskSchema.Status, CRM_TASK_ID];
const STATUS_NAMES: Record<number, ExchangeTaskItem['status']> = {
  [TaskStatus.NotStarted]: 'NOT_STARTED',
  [TaskStatus.InProgress]: 'IN_PROGRESS',
  [TaskStatus.Completed]: 'COMPLETED',
  [TaskStatus.WaitingOnOthers]: 'WAITING_ON_OTHERS',
  [TaskStatus.Deferred]: 'DEFERRED',
};
const IMPORTANCE_NAMES: Record<number, ExchangeTaskItem['importance']> = { [Importance.Low]: 'LOW', [Importance.Normal]: 'NORMAL', [Importance.High]: 'HIGH' };
const IMPORTANCE_OF: Record<ExchangeTaskItem['importance'], Importance> = { LOW: Importance.Low, NORMAL: Importance.Normal, HIGH: Importance.High };

/** A task as the hub's syncMailboxTasks takes it (ExchangeTaskInput). */
export interface ExchangeTaskItem {
  readonly itemId: string;
  readonly changeKey: string | null;
  readonly subject: string | null;
  readonly notes: string | null;
  readonly dueAt: string | null;
  readonly startAt: string | null;
  /** 0 to 100, as Exchange keeps it (a double). */
  readonly percentComplete: number | null;
  readonly status: 'NOT_STARTED' | 'IN_PROGRESS' | 'COMPLETED' | 'WAITING_ON_OTHERS' | 'DEFERRED';
  readonly importance: 'LOW' | 'NORMAL' | 'HIGH';
  readonly tracked: boolean;
  readonly lastModifiedAt: string;
  readonly crmTaskId: string | null;
}

/** One page of the Tasks folder's changes, with the mailbox cursor to commit with it. */
export interface TaskBatch {
  readonly tasks: readonly ExchangeTaskItem[];
  readonly deletedItemIds: readonly string[];
  /** Private and personal tasks, left out. */
  readonly skipped: number;
  readonly cursor: string;
}


// GetItem of task properties with their bodies; pages this size keep a replay after a crash short.
const TASK_PAGE = 100;

/** The hub's view of one Exchange task; null for one that stays in Outlook (private or personal). */
export function taskItemOf(task: Task): ExchangeTaskItem | null {
  const sensitivity = optional(() => task.Sensitivity);
  if (sensitivity === Sensitivity.Private || sensitivity === Sensitivity.Personal) return null;
  const itemId = optional(() => task.Id?.UniqueId);
  if (!itemId) return null;
  const modified = dateOf(optional(() => task.LastModifiedTime))?.toISOString() ?? null;
  return {
    itemId,
    changeKey: optional(() => task.Id?.ChangeKey) || null,
    subject: optional(() => task.Subject) ?? null,
    notes: optional(() => task.Body?.Text) ?? null,
    dueAt: dateOf(optional(() => task.DueDate))?.toISOString() ?? null,
    startAt: dateOf(optional(() => task.StartDate))?.toISOString() ?? null,
    percentComplete: finiteOrNull(optional(() => task.PercentComplete)),
    status: STATUS_NAMES[optional(() => task.Status) ?? TaskStatus.NotStarted] ?? 'NOT_STARTED',
    importance: IMPORTANCE_NAMES[optional(() => task.Importance) ?? Importance.Normal] ?? 'NORMAL',
    tracked: markedTracked(task),
    // Without a modification time the task counts as changed long ago: in a conflict, the CRM's change wins.
    lastModifiedAt: modified ?? new Date(0).toISOString(),
    crmTaskId: crmIdOf(task, CRM_TASK_ID),
  };
}

/** The Tasks folder's changes after `syncState` (null: all of it), at most `maxChanges`. */
export async function readTaskPage(session: EwsSession, syncState: string | null, maxChanges: number, signal?: AbortSignal): Promise<Omit<TaskBatch, 'cursor'> & { syncState: string; moreChangesAvailable: boolean }> {
  const changes = await readFolderChanges(session, WellKnownFolderName.Tasks, 'Tasks', syncState, maxChanges, signal);
  const tasks: ExchangeTaskItem[] = [];
  let skipped = 0;
  if (changes.changed.length > 0) {
    const properties = new PropertySet(BasePropertySet.IdOnly, TASK_PROPERTIES);
    properties.RequestedBodyType = BodyType.Text;
    const responses = await session.call('GetItem', (service) => service.BindToItems(changes.changed.map((id) => new ItemId(id)), properties), { folder: 'Tasks', signal });
    for (const response of responses.Responses) {
      // ErrorItemNotFound: deleted since it was listed; its Delete comes in a later page.
      if (response.Result !== ServiceResult.Success || !(response.Item instanceof Task)) continue;
      const task = taskItemOf(response.Item);
      if (task) tasks.push(task);
      else skipped++;
    }
  }
  return { tasks, deletedItemIds: changes.deleted, skipped, syncState: changes.syncState, moreChangesAvailable: changes.moreChangesAvailable };
}

/** A task made, changed or cancelled in the CRM, to write to the Tasks folder (the hub's TaskWrite). */
export interface TaskWriteRequest {
  readonly taskId: string;
  readonly itemId: string | null;
  /** The version the hub last saw: a newer one in Exchange is not overwritten. */
  readonly changeKey: string | null;
  readonly remove: boolean;
  readonly subject: string;
  readonly notes: string | null;
  readonly dueDay: string | null;
  readonly startDay: string | null;
  /** 0 to 100. */
  readonly percentComplete: number;
  readonly importance: ExchangeTaskItem['importance'];
  readonly completed: boolean;
  readonly fingerprint: string;
}

/** What the Tasks folder holds for the task once written: its ItemId and ChangeKey (null: removed) and the fingerprint written. */
export interface TaskWriteResult {
  readonly taskId: string;
  readonly itemId: string | null;
  readonly changeKey: string | null;
  readonly fingerprint: string;
}

const TASKS_SLOT: CursorSlot = { stateOf: (cursor) => cursor.tasks?.syncState ?? null, withState: withTasksState };

/** Tasks of one mailbox: read from where the mailbox's cursor says (its `tasks` SyncState) and written from the CRM. */
export class EwsTaskSource {
  constructor(
    private readonly services: EwsServices,
    private readonly account: EwsAccount,
  ) {}

  async *read(cursorText: string | null, signal?: AbortSignal): AsyncIterable<TaskBatch> {
    const session = await this.services.session(this.account, 'incoming', signal);
    for await (const { page, cursor } of pagesFromCursor(cursorText, TASKS_SLOT, (syncState) => readTaskPage(session, syncState, TASK_PAGE, signal))) {
      yield { tasks: page.tasks, deletedItemIds: page.deletedItemIds, skipped: page.skipped, cursor };
    }
  }

  /** Writes the tasks; one Outlook changed since the hub last read it is left out of the results (not written). */
  async write(writes: readonly TaskWriteRequest[], signal?: AbortSignal): Promise<TaskWriteResult[]> {
    if (writes.length === 0) return [];
    const session = await this.services.session(this.account, 'incoming', signal);
    return writeEach(writes, async (write) => {
      const written = await writeTask(session, write, signal);
      return written === NEWER_IN_EXCHANGE ? written : { taskId: write.taskId, ...written, fingerprint: write.fingerprint };
    });
  }
}

/**
 * Writes one task: removed (cancelled in the CRM), changed in place (so Outlook keeps its reminders and the item its
 * id), or created with the "Tracked to CRM" category and the CRM task's id. Returns the ItemId it now has.
 */
async function writeTask(session: EwsSession, write: TaskWriteRequest, signal?: AbortSignal): Promise<{ itemId: string | null; changeKey: string | null } | typeof NEWER_IN_EXCHANGE> {
  if (write.remove) {
    if (write.itemId) await removeTask(session, write.itemId, signal);
    return { itemId: null, changeKey: null };
  }
  if (write.itemId) {
    const updated = await updateTask(session, write.itemId, write, signal);
    if (updated) return updated;
    // Deleted in Outlook meanwhile: made again, as a change in the CRM wins over a deletion.
  }
  return session.call(
    'CreateItem',
    async (service) => {
      const task = new Task(service);
      fill(task, write, null);
      markForCrm(task, CRM_TASK_ID, write.taskId);
      await task.Save(new FolderId(WellKnownFolderName.Tasks));
      return { itemId: task.Id.UniqueId, changeKey: task.Id.ChangeKey || null };
    },
    { folder: 'Tasks', signal },
  );
}

/** Outlook keeps days: noon UTC is that day wherever the mailbox is (UTC-12 to UTC+12). */
const dayTime = (day: string | null): DateTime => (day ? new DateTime(Date.parse(`${day}T12:00:00.000Z`)) : (null as unknown as DateTime));

const finiteOrNull = (value: number | null): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * The status that goes with the CRM's state and progress (MS-OXOTASK: a task not started is at 0 %, a completed one at
 * 100 %). The CRM knows only open and completed: an open task Outlook shows as in progress, waiting or deferred keeps
 * that status; a new one, one not started or one reopened in the CRM is in progress once it has any.
 */
export function statusFor(write: Pick<TaskWriteRequest, 'completed' | 'percentComplete'>, current: TaskStatus | null): TaskStatus {
  if (write.completed) return TaskStatus.Completed;
  if (current === TaskStatus.InProgress || current === TaskStatus.WaitingOnOthers || current === TaskStatus.Deferred) return current;
  return write.percentComplete > 0 ? TaskStatus.InProgress : TaskStatus.NotStarted;
}

function fill(task: Task, write: TaskWriteRequest, current: TaskStatus | null): void {
  task.Subject = xmlText(write.subject);
  task.Body = new MessageBody(BodyType.Text, xmlText(write.notes ?? ''));
  task.DueDate = dayTime(write.dueDay);
  task.StartDate = dayTime(write.startDay);
  task.Importance = IMPORTANCE_OF[write.importance];
  const status = statusFor(write, current);
  task.Status = status;
  // Exchange applies PercentComplete and Status in the order written, the later winning: a completed task's 100 % goes with its status.
  if (status !== TaskStatus.Completed) task.PercentComplete = Math.min(99, write.percentComplete);
}

/** A task's fields over the version the hub last saw (ews-crm-items.ts); null if the task is gone. */
function updateTask(session: EwsSession, itemId: string, write: TaskWriteRequest, signal?: AbortSignal) {
  return updateOverSeenVersion(
    session,
    { folder: 'Tasks', changeKey: write.changeKey, signal },
    (service) => Task.Bind(service, new ItemId(itemId), new PropertySet(BasePropertySet.IdOnly, [ItemSchema.Subject, TaskSchema.Status, TaskSchema.DueDate, TaskSchema.StartDate, TaskSchema.PercentComplete])),
    (task) => fill(task, write, optional(() => task.Status)),
  );
}

async function removeTask(session: EwsSession, itemId: string, signal?: AbortSignal): Promise<void> {
  const responses = await session.call('DeleteItem', (service) => service.DeleteItems([new ItemId(itemId)], DeleteMode.MoveToDeletedItems, null as never, AffectedTaskOccurrence.AllOccurrences), { folder: 'Tasks', signal });
  // Already gone (deleted in Outlook): nothing left to remove.
  for (const response of responses.Responses) if (response.Result === ServiceResult.Error && response.ErrorCode !== ServiceError.ErrorItemNotFound) throw new MailError('PROTOCOL', `Exchange refused to remove a task: ${response.ErrorMessage ?? response.ErrorCode}`);
}
