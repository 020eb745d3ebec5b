import { In, type EntityManager } from 'typeorm';
import { TaskDetail } from '../../activities/activity-details.entity';
import { ActivityKind, ActivityState, TaskPriority } from '../../activities/activity-enums';
import { Activity } from '../../activities/activity.entity';
import { ExchangeTaskLink } from './exchange-task-link.entity';
import { shapeOfCrm, taskFingerprint } from './task-shape';

/** An open task due longer ago than this is not copied to Outlook on its first sync: it is history, not a plan. */
const WRITE_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
/** The most tasks looked at per call (the owner's most recently changed); the rest come on the next runs. */
const SCAN_LIMIT = 500;

/** A task the engine is to write to, or remove from, the mailbox's Exchange Tasks folder. */
export interface PendingTaskWrite {
  readonly taskId: string;
  readonly itemId: string | null;
  readonly changeKey: string | null;
  readonly remove: boolean;
  readonly subject: string;
  readonly notes: string | null;
  readonly dueDay: string | null;
  readonly startDay: string | null;
  readonly percentComplete: number;
  readonly importance: TaskPriority;
  readonly completed: boolean;
  readonly fingerprint: string;
}

/** A CRM task with its detail, as the task rules read it. */
export interface CrmTask {
  readonly activity: Activity;
  readonly detail: TaskDetail;
}

export async function loadCrmTasks(em: EntityManager, activities: readonly Activity[]): Promise<Map<string, CrmTask>> {
  const tasks = activities.filter((a) => a.kind === ActivityKind.TASK);
  if (!tasks.length) return new Map();
  const details = new Map((await em.find(TaskDetail, { where: { activityId: In(tasks.map((a) => a.id)) } })).map((d) => [d.activityId, d]));
  return new Map(tasks.flatMap((activity) => (details.has(activity.id) ? [[activity.id, { activity, detail: details.get(activity.id)! }] as const] : [])));
}

/** The CRM task as Outlook would show it, its days where the mailbox is (`timeZone`, UTC while unknown). */
export const crmTaskShape = ({ activity, detail }: CrmTask, timeZone: string | null) =>
  shapeOfCrm({ subject: activity.subject, description: activity.description, dueAt: detail.dueAt, startAt: detail.startAt, percentComplete: detail.percentComplete, priority: detail.priority, state: activity.state }, timeZone);

/**
 * The owner's tasks Exchange does not show as they are: linked ones changed since the two last agreed, open ones never
 * written (due within the last 30 days or later, or undated), and cancelled linked ones to remove. A task cancelled
 * or completed before it was ever written stays out of Outlook.
 */
export async function pendingTaskWrites(em: EntityManager, mailbox: { id: string; ownerUserId: string; timeZone: string | null }, now: Date, limit: number): Promise<PendingTaskWrite[]> {
  const { id: mailboxId, ownerUserId: ownerId } = mailbox;
  const activities = await em.find(Activity, { where: { kind: ActivityKind.TASK, ownerId }, order: { updatedAt: 'DESC' }, take: SCAN_LIMIT });
  if (!activities.length) return [];
  const tasks = await loadCrmTasks(em, activities);
  const links = new Map((await em.find(ExchangeTaskLink, { where: { mailboxId, activityId: In(activities.map((a) => a.id)) } })).map((l) => [l.activityId, l]));
  const since = now.getTime() - WRITE_WINDOW_DAYS * DAY_MS;
  const pending: PendingTaskWrite[] = [];
  for (const activity of activities) {
    const task = tasks.get(activity.id);
    if (!task) continue;
    const link = links.get(activity.id);
    const shape = crmTaskShape(task, mailbox.timeZone);
    const fingerprint = taskFingerprint(shape);
    const cancelled = activity.state === ActivityState.CANCELLED;
    if (link?.itemId) {
      if (!cancelled && link.fingerprint === fingerprint) continue;
    } else if (link) {
      // Deleted in Outlook after a change here: made again, unless it has since been cancelled.
      if (cancelled) continue;
    } else {
      if (activity.state !== ActivityState.OPEN) continue;
      if (task.detail.dueAt && task.detail.dueAt.getTime() < since) continue;
    }
    pending.push({ taskId: activity.id, itemId: link?.itemId ?? null, changeKey: link?.itemId ? link.changeKey : null, remove: cancelled, subject: shape.subject, notes: shape.notes, dueDay: shape.dueDay, startDay: shape.startDay, percentComplete: shape.percentComplete, importance: shape.priority, completed: shape.completed, fingerprint });
    if (pending.length >= limit) break;
  }
  if (pending.length < limit) pending.push(...(await handedOverTasks(em, mailboxId, ownerId, limit - pending.length)));
  return pending;
}

/**
 * Outlook tasks of this mailbox whose CRM task now belongs to someone else, or was deleted: removed from this
 * Outlook, as Dynamics moves a reassigned task to its new owner (whose mailbox writes it as a task of theirs).
 */
async function handedOverTasks(em: EntityManager, mailboxId: string, ownerId: string, limit: number): Promise<PendingTaskWrite[]> {
  const links = await em
    .getRepository(ExchangeTaskLink)
    .createQueryBuilder('link')
    .leftJoin(Activity, 'activity', 'activity.id = link.activityId')
    .where('link.mailboxId = :mailboxId', { mailboxId })
    .andWhere('link.itemId IS NOT NULL')
    .andWhere('(activity.id IS NULL OR activity.ownerId <> :ownerId)', { ownerId })
    .orderBy('link.updatedAt', 'ASC')
    .limit(limit)
    .getMany();
  return links.map((link) => ({ taskId: link.activityId, itemId: link.itemId, changeKey: link.changeKey, remove: true, subject: '', notes: null, dueDay: null, startDay: null, percentComplete: 0, importance: TaskPriority.NORMAL, completed: false, fingerprint: link.fingerprint }));
}

/** Of these tasks linked in the mailbox, the ones it may let go: no longer its owner's, or deleted in the CRM. */
export async function handedOverIds(em: EntityManager, mailboxId: string, ownerId: string, activityIds: readonly string[]): Promise<Set<string>> {
  if (!activityIds.length) return new Set();
  const links = await em.find(ExchangeTaskLink, { where: { mailboxId, activityId: In([...activityIds]) }, select: { activityId: true } });
  const owned = new Set((await em.find(Activity, { where: { id: In(links.map((l) => l.activityId)), ownerId }, select: { id: true } })).map((a) => a.id));
  return new Set(links.map((l) => l.activityId).filter((id) => !owned.has(id)));
}

/** Records the Exchange task a Task activity is paired with, and the fingerprint both now show. */
export async function recordTaskLink(em: EntityManager, link: { mailboxId: string; activityId: string; itemId: string | null; fingerprint: string; changeKey: string | null }, now: Date): Promise<void> {
  const { mailboxId, activityId, itemId, fingerprint, changeKey } = link;
  await em.upsert(ExchangeTaskLink, { mailboxId, activityId, itemId, fingerprint, changeKey, updatedAt: now }, ['mailboxId', 'activityId']);
}
