import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Principal } from '../access/principal';
import { pageSize, type Page } from '../common/pagination';
import { AppointmentDetail } from './activity-details.entity';
import { applyActivityConditions, contentVisible, decodeActivityCursor, encodeActivityCursor, type ActivityCursor } from './activity-conditions';
import { activityHydrator } from './activity-hydrator';
import { ActivityMailbox } from './activity-mailbox.entity';
import { Activity } from './activity.entity';
import { checkActivitySearchFilter, type ActivitySearchFilter, type ActivitySearchFilterInput } from './activity-search-rules';
import { EmailMessage } from './email-message.entity';
import { messageIdHash } from './message-id';

/** The sort key activity-search cursors carry: (occurredAt desc, id desc). */
export const ACTIVITY_SEARCH_SORT = 'activities';

export interface ActivitySearchQuery {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly filter?: ActivitySearchFilterInput | null;
}

/** The bound and the filters are on the activity's own (occurredAt, id), which its indexes lead or follow the scope with. */
const SEARCH_COLUMNS = { occurredAt: 'a.occurredAt', activityId: 'a.id', searchContent: true };

/** The conditions only the search has: look-ups by unique key (Message-ID, iCalendar UID) and by mailbox. */
function applySearchConditions(qb: SelectQueryBuilder<ObjectLiteral>, principal: Principal, filter: ActivitySearchFilter): void {
  // IN (subquery on a unique index): the optimizer starts from the one row it finds.
  if (filter.messageId !== undefined) {
    const byMessageId = qb.subQuery().select('em.activityId').from(EmailMessage, 'em').where('em.messageIdHash = :messageIdHash').getQuery();
    qb.andWhere(`a.id IN ${byMessageId}`, { messageIdHash: messageIdHash(filter.messageId) });
  }
  if (filter.icalUid !== undefined) {
    const byUid = qb.subQuery().select('ad.activityId').from(AppointmentDetail, 'ad').where('ad.icalUid = :icalUid').getQuery();
    qb.andWhere(`a.id IN ${byUid}`, { icalUid: filter.icalUid });
  }
  if (filter.mailboxId !== undefined) {
    const inMailbox = qb.subQuery().select('fm.activityId').from(ActivityMailbox, 'fm').where('fm.mailboxId = :filterMailbox').getQuery();
    qb.andWhere(`a.id IN ${inMailbox}`, { filterMailbox: filter.mailboxId });
    // Which mailboxes an email was seen in is shown only to those who see it whole (Email.seenIn).
    qb.andWhere(contentVisible(qb, principal));
  }
}

/**
 * One page of the activity search: the readable activities matching the filter, newest first,
 * from an index that leads with the caller's scope (owner or unit) or with occurredAt, so the page
 * stops after `limit` rows. Exported so a test can EXPLAIN exactly the statement the service issues.
 */
export function activitySearchPageQuery(
  db: DataSource,
  principal: Principal,
  filter: ActivitySearchFilter,
  cursor: ActivityCursor | undefined,
  limit: number,
): SelectQueryBuilder<Activity> {
  const qb = db.createQueryBuilder(Activity, 'a').select('a');
  applyActivityConditions(db, qb, principal, filter, cursor, SEARCH_COLUMNS);
  applySearchConditions(qb, principal, filter);
  return qb.orderBy('a.occurredAt', 'DESC').addOrderBy('a.id', 'DESC').limit(limit);
}

function countQuery(db: DataSource, principal: Principal, filter: ActivitySearchFilter): SelectQueryBuilder<Activity> {
  const qb = db.createQueryBuilder(Activity, 'a');
  applyActivityConditions(db, qb, principal, filter, undefined, SEARCH_COLUMNS);
  applySearchConditions(qb, principal, filter);
  return qb.select('COUNT(*)', 'n');
}

/** Every activity the caller may read, across records and mailboxes, filtered; the privacy rules of timelines apply. */
export class ActivitySearchService {
  private readonly hydrate: (row: Record<string, unknown>) => Activity;

  constructor(private readonly db: DataSource) {
    this.hydrate = activityHydrator(db);
  }

  async page(principal: Principal, query: ActivitySearchQuery): Promise<Page<Activity>> {
    const first = pageSize('first', query.first);
    const cursor = query.after ? decodeActivityCursor(ACTIVITY_SEARCH_SORT, query.after) : undefined;
    const filter = checkActivitySearchFilter(query.filter);
    const raw = await activitySearchPageQuery(this.db, principal, filter, cursor, first + 1).getRawMany<Record<string, unknown>>();
    const rows = raw.map(this.hydrate);
    const shown = rows.slice(0, first);
    return {
      nodes: shown,
      cursors: shown.map((a) => encodeActivityCursor(ACTIVITY_SEARCH_SORT, a)),
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(query.after),
      count: async () => Number((await countQuery(this.db, principal, filter).getRawOne<{ n: number | string }>())?.n ?? 0),
    };
  }
}
