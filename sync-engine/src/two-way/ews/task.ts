import { assertSyncable } from '../limits.js';
import type { TaskFields, TaskPriority, TaskStatus } from '../model.js';
import { fromLocal, localDate, parseDate } from '../../time/zoned-time.js';
import { marked, refOf, text, type FromEws } from './ews-item.js';
import { DEFAULT_TRACKING_CATEGORY, type EwsImportance, type EwsTask, type EwsTaskStatus } from './ews-types.js';

export interface TaskEwsOptions {
  /** The mailbox owner's IANA zone: Outlook keeps DueDate/StartDate as that zone's local midnight. */
  readonly timeZone: string;
  readonly trackingCategory?: string;
}

const STATUS: Readonly<Record<EwsTaskStatus, TaskStatus>> = {
  NotStarted: 'NOT_STARTED',
  InProgress: 'IN_PROGRESS',
  Completed: 'COMPLETED',
  WaitingOnOthers: 'WAITING_ON_OTHERS',
  Deferred: 'DEFERRED',
};
const PRIORITY: Readonly<Record<EwsImportance, TaskPriority>> = { Low: 'LOW', Normal: 'NORMAL', High: 'HIGH' };

function invert<K extends string, V extends string>(table: Readonly<Record<K, V>>): Record<V, K> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k])) as Record<V, K>;
}

/** TaskType → a neutral task. */
export function taskFromEws(ews: EwsTask, options: TaskEwsOptions): FromEws {
  const day = (value: string | null | undefined) => (value ? localDate(value, options.timeZone) : null);
  const status = STATUS[ews.Status ?? 'NotStarted'] ?? 'NOT_STARTED';
  const fields: TaskFields = {
    subject: text(ews.Subject),
    body: text(ews.Body?.Value),
    due: day(ews.DueDate),
    start: day(ews.StartDate),
    status,
    priority: PRIORITY[ews.Importance ?? 'Normal'] ?? 'NORMAL',
    // Exchange sets 100 on completion; a completed task without it would differ from its own echo.
    percentComplete: status === 'COMPLETED' ? 100 : (ews.PercentComplete ?? 0),
  };
  return {
    ref: refOf(ews.ItemId, ews.LastModifiedTime),
    item: assertSyncable({ kind: 'TASK', fields }),
    markedForSync: marked(ews.Categories, options.trackingCategory ?? DEFAULT_TRACKING_CATEGORY),
    warnings: [],
  };
}

/** A neutral task → the TaskType properties to write. */
export function taskToEws(fields: TaskFields, options: TaskEwsOptions): EwsTask {
  assertSyncable({ kind: 'TASK', fields });
  const midnight = (date: string | null) => (date ? fromLocal({ ...parseDate(date), hour: 0, minute: 0, second: 0 }, options.timeZone) : null);
  return {
    Subject: fields.subject,
    Body: fields.body === null ? null : { BodyType: 'Text', Value: fields.body },
    DueDate: midnight(fields.due),
    StartDate: midnight(fields.start),
    Status: invert(STATUS)[fields.status],
    PercentComplete: fields.status === 'COMPLETED' ? 100 : fields.percentComplete,
    Importance: invert(PRIORITY)[fields.priority],
  };
}
