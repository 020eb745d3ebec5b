import { createHash } from 'node:crypto';
import { ActivityState, TaskPriority } from '../../activities/activity-enums';
import { dayIn, midnightIn } from '../../common/zoned-day';

/** The longest subject and notes the CRM keeps (activity.subject is varchar(400); notes are cut like tracked mail's). */
export const MAX_TASK_SUBJECT = 400;
export const MAX_TASK_NOTES = 20_000;
const HOUR_MS = 3_600_000;

/**
 * A task as both sides can hold it: what Outlook's task and the CRM's Task activity share. Outlook knows a due day,
 * not a due time, and more statuses than open and completed; the shape keeps what both mean the same by.
 */
export interface TaskShape {
  readonly subject: string;
  readonly notes: string | null;
  /** The due day, YYYY-MM-DD, or null. */
  readonly dueDay: string | null;
  /** The start day, YYYY-MM-DD, or null. */
  readonly startDay: string | null;
  /** 0 to 100: a completed task is 100 on both sides, an open one at most 99 (Exchange completes a task at 100 %). */
  readonly percentComplete: number;
  readonly priority: TaskPriority;
  readonly completed: boolean;
}

/** Outlook's task statuses (Types.xsd TaskStatusType); all but Completed are an open task in the CRM. */
export enum ExchangeTaskStatus {
  NOT_STARTED = 'NOT_STARTED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  WAITING_ON_OTHERS = 'WAITING_ON_OTHERS',
  DEFERRED = 'DEFERRED',
}

/** A task as the engine read it from Exchange (after the api repaired its strings). */
export interface ExchangeTaskFields {
  readonly subject?: string | null;
  readonly notes?: string | null;
  readonly dueAt?: Date | null;
  readonly startAt?: Date | null;
  /** Exchange's PercentComplete, a double from 0 to 100. */
  readonly percentComplete?: number | null;
  readonly status: ExchangeTaskStatus;
  readonly importance: TaskPriority;
}

export function normalizeNotes(notes: string | null | undefined): string | null {
  const text = (notes ?? '').replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').trim();
  return text ? text.slice(0, MAX_TASK_NOTES) : null;
}

export const normalizeSubject = (subject: string | null | undefined): string => (subject ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_TASK_SUBJECT);

/**
 * The day Exchange means by a task's due or start time. It sends midnight where the mailbox is (or, for tasks written
 * with another time zone context, midnight UTC, or the hub's own noon UTC): a time at midnight in the mailbox's zone
 * or in UTC is that day there; any other is read as the nearest UTC day, which is right within 12 hours of UTC.
 */
export function exchangeDueDay(dueAt: Date | null | undefined, timeZone: string | null = null): string | null {
  if (!dueAt || Number.isNaN(dueAt.getTime())) return null;
  if (timeZone && midnightIn(dayIn(dueAt, timeZone), timeZone).getTime() === dueAt.getTime()) return dayIn(dueAt, timeZone);
  return new Date(dueAt.getTime() + 12 * HOUR_MS).toISOString().slice(0, 10);
}

/** The CRM's due time as a day where the mailbox is (UTC while the hub does not know its zone). */
export const crmDueDay = (dueAt: Date | null | undefined, timeZone: string | null = null): string | null => (dueAt && !Number.isNaN(dueAt.getTime()) ? dayIn(dueAt, timeZone) : null);

/** A due day as the CRM stores it when it comes from Outlook: the midnight it begins where the mailbox is. */
export const dueAtOfDay = (day: string | null, timeZone: string | null = null): Date | null => (day ? midnightIn(day, timeZone) : null);

/** A whole percentage from 0 to 100 (the CRM keeps integers; Exchange sends a double, or nothing). */
export const wholePercent = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? Math.min(100, Math.max(0, Math.round(value))) : 0);

export function shapeOfExchange(task: ExchangeTaskFields, timeZone: string | null = null): TaskShape {
  const completed = task.status === ExchangeTaskStatus.COMPLETED;
  return {
    subject: normalizeSubject(task.subject),
    notes: normalizeNotes(task.notes),
    dueDay: exchangeDueDay(task.dueAt, timeZone),
    startDay: exchangeDueDay(task.startAt, timeZone),
    percentComplete: completed ? 100 : wholePercent(task.percentComplete),
    priority: task.importance,
    completed,
  };
}

export function shapeOfCrm(task: { subject: string; description: string | null; dueAt: Date | null; startAt: Date | null; percentComplete: number; priority: TaskPriority; state: ActivityState }, timeZone: string | null = null): TaskShape {
  const completed = task.state === ActivityState.COMPLETED;
  return {
    subject: normalizeSubject(task.subject),
    notes: normalizeNotes(task.description),
    dueDay: crmDueDay(task.dueAt, timeZone),
    startDay: crmDueDay(task.startAt, timeZone),
    // An open CRM task at 100 % stays open: Outlook shows it at 99 %, since 100 % would complete it there.
    percentComplete: completed ? 100 : Math.min(99, wholePercent(task.percentComplete)),
    priority: task.priority,
    completed,
  };
}

/**
 * SHA-256 of the shape: equal fingerprints are the same task, whichever side it was read from (no echo). The start
 * and progress count only where they say something (a start day, or progress other than none or done), so that pairs
 * agreed on before they were synced keep their fingerprints.
 */
export function taskFingerprint(shape: TaskShape): string {
  const fields: unknown[] = ['task', shape.subject, shape.notes, shape.dueDay, shape.priority, shape.completed];
  if (shape.startDay !== null || (shape.percentComplete !== 0 && shape.percentComplete !== 100)) fields.push(shape.startDay, shape.percentComplete);
  return createHash('sha256').update(JSON.stringify(fields), 'utf8').digest('hex');
}
