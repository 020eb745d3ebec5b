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

export function shapeOfExchange(task: ExchangeTaskFields): TaskShape {
  return {
    subject: normalizeSubject(task.subject),
    notes: normalizeNotes(task.notes),
    dueDay: exchangeDueDay(task.dueAt),
    priority: task.importance,
    completed: task.status === ExchangeTaskStatus.COMPLETED,
  };
}

export function shapeOfCrm(task: { subject: string; description: string | null; dueAt: Date | null; priority: TaskPriority; state: ActivityState }): TaskShape {
  return { subject: normalizeSubject(task.subject), notes: normalizeNotes(task.description), dueDay: crmDueDay(task.dueAt), priority: task.priority, completed: task.state === ActivityState.COMPLETED };
}

/** SHA-256 of the shape: equal fingerprints are the same task, whichever side it was read from (no echo). */
export function taskFingerprint(shape: TaskShape): string {
  return createHash('sha256').update(JSON.stringify(['task', shape.subject, shape.notes, shape.dueDay, shape.priority, shape.completed]), 'utf8').digest('hex');
}
