import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../../access/principal';
import { requireSyncEngine } from '../../access/sync-engine-guard';
import { TaskDetail } from '../../activities/activity-details.entity';
import { ActivityKind, ActivityState } from '../../activities/activity-enums';
import type { ActivityEvents } from '../../activities/activity-events';
import type { ActivityWriter } from '../../activities/activity-writer';
import { Activity } from '../../activities/activity.entity';
import { notFound } from '../../common/errors';
import { expectGlobalId, parseGlobalId, toGlobalId } from '../../common/global-id';
import { newId } from '../../common/ids';
import { repairStrings } from '../../common/text';
import { retryingDatabaseWork, type RetryBudget } from '../../db/transaction-retry';
import { User } from '../../identity/user.entity';
import { Mailbox } from '../../mail/mailbox.entity';
import type { Clock } from '../../platform/clock';
import type { Logger } from '../../platform/logger';
import { exchangeActMailbox, requireLease, requireWriteCount } from '../exchange-mailbox-guard';
import { ExchangeTaskLink } from './exchange-task-link.entity';
import { crmTaskShape, handedOverIds, loadCrmTasks, pendingTaskWrites, recordTaskLink, type CrmTask } from './exchange-task-writes';
import { recordSyncConflict } from '../sync-conflict-log';
import { decideLinkedChange, SyncConflictRule, SyncSide } from '../sync-conflict-rule';
import { crmDueDay, dueAtOfDay, shapeOfExchange, taskFingerprint, type TaskShape } from './task-shape';
import { MAX_TASK_WRITES, TaskSyncOutcome, type ExchangeTaskInput, type TaskSyncResult, type TaskWrite } from './task-sync.inputs';
import { changeActivities } from '../../activities/timeline-copies';

// Two engines' pages naming one new task collide on the link's key; the run again finds the link.
const RETRIES: RetryBudget = { DUPLICATE_KEY: 6 };

type Change = { change: 'CREATED' | 'UPDATED'; activityId: string };

/**
 * Tasks between the CRM and a mailbox's Exchange Tasks folder (docs/two-way-sync.md): `syncMailboxTasks` brings
 * Exchange's changes in, with the mailbox's cursor in one transaction; `claimTaskWrites` and `reportTaskWrites` carry
 * the CRM's out. A task is paired with its Exchange copy by a link holding the fingerprint both last agreed on, so a
 * write read back changes nothing, and a change on both sides is settled by the later change, keeping the loser.
 */
export class TaskSyncService {
  constructor(
    private readonly db: DataSource,
    private readonly activities: ActivityWriter,
    private readonly events: ActivityEvents,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  async sync(principal: Principal, mailboxGlobalId: string, leaseId: string, tasks: readonly ExchangeTaskInput[], deletedItemIds: readonly string[], cursor: string | null): Promise<TaskSyncResult[]> {
    requireSyncEngine(principal, 'synchronize tasks');
    const mailbox = await exchangeActMailbox(this.db, mailboxGlobalId, 'tasks');
    const owner = await this.db.getRepository(User).findOneByOrFail({ id: mailbox.ownerUserId });
    const repaired = tasks.map((task) => ({ ...task, ...repairStrings({ subject: task.subject ?? null, notes: task.notes ?? null }) }));
    return retryingDatabaseWork(
      () => this.db.transaction((em) => this.apply(em, principal, mailbox, owner, leaseId, repaired, deletedItemIds, cursor)),
      RETRIES,
      (kind, attempt) => this.log.debug({ kind, attempt, mailboxId: mailbox.id }, 'syncMailboxTasks conflicted with another writer; running it again'),
    );
  }

  async claimWrites(principal: Principal, mailboxGlobalId: string, leaseId: string, first: number): Promise<TaskWrite[]> {
    requireSyncEngine(principal, 'synchronize tasks');
    requireWriteCount(first, MAX_TASK_WRITES);
    const mailbox = await exchangeActMailbox(this.db, mailboxGlobalId, 'tasks');
    return this.db.transaction(async (em) => {
      await requireLease(em, mailbox.id, leaseId);
      const writes = await pendingTaskWrites(em, mailbox, this.clock(), first);
      return writes.map((w) => ({ ...w, taskId: toGlobalId('Task', w.taskId) }));
    });
  }

  /** What the engine wrote: Exchange now shows these tasks as the fingerprints say (itemId null: removed). */
  async reportWrites(principal: Principal, mailboxGlobalId: string, leaseId: string, writes: readonly { taskId: string; itemId?: string | null; changeKey?: string | null; fingerprint: string }[]): Promise<boolean> {
    requireSyncEngine(principal, 'synchronize tasks');
    const mailbox = await exchangeActMailbox(this.db, mailboxGlobalId, 'tasks');
    const ids = writes.map((w, i) => expectGlobalId(`writes[${i}].taskId`, w.taskId, 'Task').id);
    return this.db.transaction(async (em) => {
      await requireLease(em, mailbox.id, leaseId);
      // Only the owner's tasks: an engine cannot link someone else's into this mailbox. It may report the removal of
      // one this mailbox held before it was reassigned or deleted: that only drops the mailbox's own link.
      const owned = new Set((await em.find(Activity, { where: { id: In(ids), ownerId: mailbox.ownerUserId, kind: ActivityKind.TASK }, select: { id: true } })).map((a) => a.id));
      const released = await handedOverIds(em, mailbox.id, mailbox.ownerUserId, ids.filter((id) => !owned.has(id)));
      const now = this.clock();
      for (const [i, write] of writes.entries()) {
        const itemId = write.itemId?.trim() || null;
        if (!owned.has(ids[i]) && released.has(ids[i]) && !itemId) {
          await em.delete(ExchangeTaskLink, { mailboxId: mailbox.id, activityId: ids[i] });
          continue;
        }
        if (!owned.has(ids[i])) throw notFound(`writes[${i}].taskId`, write.taskId);
        await recordTaskLink(em, { mailboxId: mailbox.id, activityId: ids[i], itemId, fingerprint: write.fingerprint, changeKey: itemId ? write.changeKey?.trim() || null : null }, now);
      }
      return true;
    });
  }

  private async apply(em: EntityManager, principal: Principal, mailbox: Mailbox, owner: User, leaseId: string, tasks: readonly ExchangeTaskInput[], deletedItemIds: readonly string[], cursor: string | null): Promise<TaskSyncResult[]> {
    await requireLease(em, mailbox.id, leaseId);
    const now = this.clock();
    const itemIds = [...new Set([...tasks.map((t) => t.itemId), ...deletedItemIds])];
    const links = itemIds.length ? await em.find(ExchangeTaskLink, { where: { mailboxId: mailbox.id, itemId: In(itemIds) } }) : [];
    // A task the hub wrote and the engine never reported carries the CRM task's id: it is linked, not made again.
    const namedIds = tasks.flatMap((t) => {
      const parsed = t.crmTaskId ? parseGlobalId(t.crmTaskId) : undefined;
      return parsed?.type === 'Task' ? [parsed.id] : [];
    });
    const namedLinks = namedIds.length ? await em.find(ExchangeTaskLink, { where: { mailboxId: mailbox.id, activityId: In(namedIds) } }) : [];
    const crm = await loadCrmTasks(em, await em.find(Activity, { where: { id: In([...links.map((l) => l.activityId), ...namedIds]), ownerId: mailbox.ownerUserId } }));
    const byItem = new Map(links.map((l) => [l.itemId!, l]));
    const changes: Change[] = [];
    const results: TaskSyncResult[] = [];
    const result = (itemId: string, outcome: TaskSyncOutcome, activityId: string | null) => results.push({ itemId, outcome, taskId: activityId ? toGlobalId('Task', activityId) : null });

    for (const task of tasks) {
      const exchange = shapeOfExchange(task, mailbox.timeZone);
      const exchangeFp = taskFingerprint(exchange);
      const changeKey = task.changeKey?.trim() || null;
      let link = byItem.get(task.itemId);
      const named = !link && task.crmTaskId ? parseGlobalId(task.crmTaskId) : undefined;
      if (named?.type === 'Task' && crm.has(named.id) && !namedLinks.some((l) => l.activityId === named.id && l.itemId && l.itemId !== task.itemId)) {
        // Written by the hub and not reported: linked as written; a later CRM change is written out as usual.
        await recordTaskLink(em, { mailboxId: mailbox.id, activityId: named.id, itemId: task.itemId, fingerprint: exchangeFp, changeKey }, now);
        byItem.set(task.itemId, (link = { mailboxId: mailbox.id, activityId: named.id, itemId: task.itemId, fingerprint: exchangeFp, changeKey, updatedAt: now }));
      }
      const linked = link ? crm.get(link.activityId) : undefined;
      if (link && !linked) {
        // Its CRM task was reassigned or deleted: claimTaskWrites removes it from this Outlook; it is not a new task.
        result(task.itemId, TaskSyncOutcome.HANDED_OVER, null);
        continue;
      }
      if (!link || !linked) {
        if (!task.tracked) {
          result(task.itemId, TaskSyncOutcome.NOT_TRACKED, null);
          continue;
        }
        const activityId = await this.createTask(em, principal, mailbox, owner, exchange, now);
        await recordTaskLink(em, { mailboxId: mailbox.id, activityId, itemId: task.itemId, fingerprint: exchangeFp, changeKey }, now);
        changes.push({ change: 'CREATED', activityId });
        result(task.itemId, TaskSyncOutcome.CREATED, activityId);
        continue;
      }
      const crmShape = crmTaskShape(linked, mailbox.timeZone);
      const decision = decideLinkedChange({ linked: link.fingerprint, exchange: exchangeFp, crm: taskFingerprint(crmShape), exchangeModifiedAt: task.lastModifiedAt, crmModifiedAt: linked.activity.updatedAt });
      // Whatever is decided, this is the version the hub has now seen: a write from the CRM may overwrite it, not a newer one.
      switch (decision.kind) {
        case 'UNCHANGED':
          if (changeKey !== link.changeKey) await recordTaskLink(em, { ...link, changeKey }, now);
          result(task.itemId, TaskSyncOutcome.UNCHANGED, link.activityId);
          break;
        case 'AGREED':
          await recordTaskLink(em, { ...link, fingerprint: exchangeFp, changeKey }, now);
          result(task.itemId, TaskSyncOutcome.UNCHANGED, link.activityId);
          break;
        case 'TAKE_EXCHANGE':
          if (decision.conflict) await this.recordConflict(em, mailbox, linked, decision.conflict, SyncSide.EXCHANGE, crmShape, task.lastModifiedAt, now);
          await this.takeExchange(em, principal, linked, exchange, mailbox.timeZone, now);
          await recordTaskLink(em, { ...link, fingerprint: exchangeFp, changeKey }, now);
          changes.push({ change: 'UPDATED', activityId: link.activityId });
          result(task.itemId, TaskSyncOutcome.UPDATED, link.activityId);
          break;
        case 'KEEP_CRM':
          // The link keeps its old fingerprint, so the CRM's version is handed out by claimTaskWrites and overwrites Outlook's.
          await this.recordConflict(em, mailbox, linked, decision.conflict, SyncSide.CRM, exchange, task.lastModifiedAt, now);
          await recordTaskLink(em, { ...link, changeKey }, now);
          // No field changed, but the task's syncConflicts did: open timelines show it at once.
          changes.push({ change: 'UPDATED', activityId: link.activityId });
          result(task.itemId, TaskSyncOutcome.CRM_VERSION_KEPT, link.activityId);
          break;
      }
    }

    for (const itemId of deletedItemIds) {
      const link = byItem.get(itemId);
      const linked = link ? crm.get(link.activityId) : undefined;
      if (link && !linked) {
        // Deleted in this Outlook after the task went to someone else: nothing left to remove.
        await em.delete(ExchangeTaskLink, { mailboxId: mailbox.id, activityId: link.activityId });
        continue;
      }
      if (!link || !linked) continue;
      if (taskFingerprint(crmTaskShape(linked, mailbox.timeZone)) !== link.fingerprint && linked.activity.state !== ActivityState.CANCELLED) {
        // Changed in the CRM since they last agreed: the change wins over the deletion, and the task is made again.
        await this.recordConflict(em, mailbox, linked, SyncConflictRule.CHANGE_BEATS_DELETE, SyncSide.CRM, null, now, now);
        await recordTaskLink(em, { ...link, itemId: null, changeKey: null }, now);
        result(itemId, TaskSyncOutcome.RECREATED, link.activityId);
        continue;
      }
      await em.delete(ExchangeTaskLink, { mailboxId: mailbox.id, activityId: link.activityId });
      if (linked.activity.state === ActivityState.OPEN) {
        // Dynamics deletes the task; the hub deletes no activity, so it is cancelled, and stays out of Outlook.
        await changeActivities(em, link.activityId, { state: ActivityState.CANCELLED, modifiedById: principal.userId, updatedAt: now });
        changes.push({ change: 'UPDATED', activityId: link.activityId });
        result(itemId, TaskSyncOutcome.CANCELLED, link.activityId);
      } else {
        result(itemId, TaskSyncOutcome.UNLINKED, link.activityId);
      }
    }

    if (cursor !== null) await em.update(Mailbox, { id: mailbox.id }, { syncCursor: cursor, updatedAt: now });
    await this.events.stageMany(em, changes);
    return results;
  }

  private async createTask(em: EntityManager, principal: Principal, mailbox: Mailbox, owner: User, shape: TaskShape, now: Date): Promise<string> {
    const id = newId();
    const dueAt = dueAtOfDay(shape.dueDay, mailbox.timeZone);
    await this.activities.insert(em, [
      {
        activity: {
          id,
          kind: ActivityKind.TASK,
          subject: shape.subject,
          regardingKind: null,
          regardingId: null,
          ownerId: owner.id,
          businessUnitId: owner.businessUnitId,
          createdById: principal.userId,
          modifiedById: principal.userId,
          state: shape.completed ? ActivityState.COMPLETED : ActivityState.OPEN,
          direction: null,
          occurredAt: dueAt ?? now,
          description: shape.notes,
          visibility: mailbox.privacyLevel,
        },
        parties: [],
      },
    ]);
    await em.insert(TaskDetail, { activityId: id, dueAt, startAt: dueAtOfDay(shape.startDay, mailbox.timeZone), percentComplete: shape.percentComplete, priority: shape.priority });
    return id;
  }

  /** The CRM task takes Exchange's version; a due or start time on the same day is kept (Outlook has only the day). */
  private async takeExchange(em: EntityManager, principal: Principal, task: CrmTask, shape: TaskShape, timeZone: string | null, now: Date): Promise<void> {
    const dueAt = crmDueDay(task.detail.dueAt, timeZone) === shape.dueDay ? task.detail.dueAt : dueAtOfDay(shape.dueDay, timeZone);
    const startAt = crmDueDay(task.detail.startAt, timeZone) === shape.startDay ? task.detail.startAt : dueAtOfDay(shape.startDay, timeZone);
    // Completing a task in Outlook makes it 100 % there; the CRM keeps its own progress for a completed task.
    // An open CRM task at 100 % shows as 99 % in Outlook (task-shape.ts): read back, it keeps its 100 %.
    const kept = shape.completed || Math.min(99, task.detail.percentComplete) === shape.percentComplete;
    const percentComplete = kept ? task.detail.percentComplete : shape.percentComplete;
    const state = shape.completed ? ActivityState.COMPLETED : task.activity.state === ActivityState.COMPLETED ? ActivityState.OPEN : task.activity.state;
    await changeActivities(em, task.activity.id, { subject: shape.subject, description: shape.notes, state, occurredAt: dueAt ?? task.activity.occurredAt, modifiedById: principal.userId, updatedAt: now });
    await em.update(TaskDetail, { activityId: task.activity.id }, { dueAt, startAt, percentComplete, priority: shape.priority });
  }

  private recordConflict(em: EntityManager, mailbox: Mailbox, task: CrmTask, rule: SyncConflictRule, winner: SyncSide, loser: TaskShape | null, exchangeModifiedAt: Date, now: Date): Promise<void> {
    return recordSyncConflict(em, { activityId: task.activity.id, mailboxId: mailbox.id, rule, winner, crmModifiedAt: task.activity.updatedAt, exchangeModifiedAt, loser }, now);
  }

}
