import { createHash } from 'node:crypto';
import { ActivityState, TaskPriority } from '../../activities/activity-enums';

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
 * Exchange sends a due day as midnight where the mailbox is, in UTC; local midnight lies within 12 hours of UTC
 * midnight, so the day is the UTC date 12 hours later.
 */
export const exchangeDueDay = (dueAt: Date | null | undefined): string | null => (dueAt && !Number.isNaN(dueAt.getTime()) ? new Date(dueAt.getTime() + 12 * HOUR_MS).toISOString().slice(0, 10) : null);

/** The CRM's due time as a day: its UTC date (the hub knows no user's time zone yet). */
export const crmDueDay = (dueAt: Date | null | undefined): string | null => (dueAt && !Number.isNaN(dueAt.getTime()) ? dueAt.toISOString().slice(0, 10) : null);

/** A due day as the CRM stores it when it comes from Outlook: midnight UTC of that day. */
export const dueAtOfDay = (day: string | null): Date | null => (day ? new Date(`${day}T00:00:00.000Z`) : null);

/** A whole percentage from 0 to 100 (the CRM keeps integers; Exchange sends a double, or nothing). */
export const wholePercent = (value: number | null | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? Math.min(100, Math.max(0, Math.round(value))) : 0);

export function shapeOfExchange(task: ExchangeTaskFields): TaskShape {
  const completed = task.status === ExchangeTaskStatus.COMPLETED;
  return {
    subject: normalizeSubject(task.subject),
    notes: normalizeNotes(task.notes),
    dueDay: exchangeDueDay(task.dueAt),
    startDay: exchangeDueDay(task.startAt),
    percentComplete: completed ? 100 : wholePercent(task.percentComplete),
    priority: task.importance,
    completed,
  };
}

export function shapeOfCrm(task: { subject: string; description: string | null; dueAt: Date | null; startAt: Date | null; percentComplete: number; priority: TaskPriority; state: ActivityState }): TaskShape {
  const completed = task.state === ActivityState.COMPLETED;
  return {
    subject: normalizeSubject(task.subject),
    notes: normalizeNotes(task.description),
    dueDay: crmDueDay(task.dueAt),
    startDay: crmDueDay(task.startAt),
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
