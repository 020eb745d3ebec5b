import { In, type EntityManager } from 'typeorm';
import { TaskDetail } from '../../activities/activity-details.entity';
import { dayIn, midnightIn } from '../../common/zoned-day';
import { ExchangeTaskLink } from './exchange-task-link.entity';
import { changeActivities } from '../../activities/timeline-copies';

const PAGE = 500;

/**
 * A mailbox's time zone changed (or became known): its Outlook tasks' days stay the same days. A due or start time
 * that came from Outlook is the midnight the day began in the old zone (UTC before the zone was known); it moves to
 * that day's midnight in the new one, with the task's place on timelines. Times a person chose keep their instant
 * (one chosen exactly at such a midnight cannot be told from a day, and moves as one).
 */
export async function rebaseOutlookTaskDays(em: EntityManager, mailboxId: string, from: string | null, to: string | null): Promise<number> {
  let moved = 0;
  for (let offset = 0; ; offset += PAGE) {
    const links = await em.find(ExchangeTaskLink, { where: { mailboxId }, select: { activityId: true }, order: { activityId: 'ASC' }, skip: offset, take: PAGE });
    if (!links.length) return moved;
    const details = await em.find(TaskDetail, { where: { activityId: In(links.map((l) => l.activityId)) } });
    for (const detail of details) {
      const dueAt = moveMidnight(detail.dueAt, from, to);
      const startAt = moveMidnight(detail.startAt, from, to);
      if (dueAt === detail.dueAt && startAt === detail.startAt) continue;
      await em.update(TaskDetail, { activityId: detail.activityId }, { dueAt, startAt });
      if (dueAt !== detail.dueAt && dueAt) {
        // A dated task sits on timelines at its due time.
        await changeActivities(em, detail.activityId, { occurredAt: dueAt });
      }
      moved++;
    }
  }
}

/** The same day's midnight in `to`, for an instant that is a midnight in `from`; anything else unchanged (the same object). */
function moveMidnight(at: Date | null, from: string | null, to: string | null): Date | null {
  if (!at) return at;
  const day = dayIn(at, from);
  if (midnightIn(day, from).getTime() !== at.getTime()) return at;
  const moved = midnightIn(day, to);
  return moved.getTime() === at.getTime() ? at : moved;
}
