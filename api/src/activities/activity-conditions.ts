import { Brackets, type DataSource, type ObjectLiteral, type SelectQueryBuilder, type WhereExpressionBuilder } from 'typeorm';
import type { Principal } from '../access/principal';
import { badInput } from '../common/errors';
import { containsPattern, likeCondition } from '../common/like';
import { decodeCursor, encodeCursor } from '../common/pagination';
import { Mailbox } from '../mail/mailbox.entity';
import { PrivacyLevel, type ActivityKind, type Direction } from './activity-enums';
import { applyActivityReadScope } from './activity-access';
import { ActivityMailbox } from './activity-mailbox.entity';
import { EmailMessage } from './email-message.entity';

// The SQL side of what a reader may see of activities, shared by every list of them (a record's
// timeline, the activity search): read scope, filters, privacy-aware text search, keyset bound.
// The field resolvers apply the same privacy rules to what is shown (activity-privacy.ts).

export interface ActivityFilterValues {
  readonly kinds?: readonly ActivityKind[] | null;
  readonly direction?: Direction | null;
  /** Inclusive. */
  readonly from?: Date | null;
  /** Exclusive. */
  readonly to?: Date | null;
  readonly search?: string | null;
}

/** The last row of the previous page, in (occurredAt desc, activity id desc) order. */
export interface ActivityCursor {
  readonly occurredAt: Date;
  readonly activityId: string;
}

/** Decodes an `after` cursor of a list sorted by (occurredAt desc, id desc) under the name `sort`. */
export function decodeActivityCursor(sort: string, after: string): ActivityCursor {
  const { value, id } = decodeCursor('after', after, sort);
  const occurredAt = new Date(value);
  if (typeof value !== 'string' || Number.isNaN(occurredAt.getTime())) throw badInput('after', 'not a cursor returned by this API');
  return { occurredAt, activityId: id };
}

export const encodeActivityCursor = (sort: string, row: { occurredAt: Date; id: string }): string => encodeCursor(sort, row.occurredAt, row.id);

/** Where the conditions find their columns: the activity alias, and the (indexed) copy of occurredAt and id to bound on. */
export interface ActivityColumns {
  readonly occurredAt: string;
  readonly activityId: string;
  /** Also search call, task and appointment notes and the start of email bodies, not only subjects. */
  readonly searchContent?: boolean;
}

/**
 * "The viewer owns activity `a` or a mailbox it was tracked from": they see it whole (privacyFor).
 * As an OR branch after a cheaper test, the EXISTS runs only for rows that test did not settle.
 */
function viewerSeesWhole(qb: SelectQueryBuilder<ObjectLiteral>, principal: Principal, w: WhereExpressionBuilder): void {
  const ownsMailbox = qb
    .subQuery()
    .select('1')
    .from(ActivityMailbox, 'am')
    .innerJoin(Mailbox, 'm', 'm.id = am.mailboxId')
    .where('am.activityId = a.id')
    .andWhere('m.ownerUserId = :privacyViewer')
    .getQuery();
  w.orWhere('a.ownerId = :privacyViewer', { privacyViewer: principal.userId }).orWhere(`EXISTS ${ownsMailbox}`);
}

/** SQL twin of showsSubject(privacyFor(…)): the viewer sees activity `a`'s subject. */
export function subjectVisible(qb: SelectQueryBuilder<ObjectLiteral>, principal: Principal): Brackets {
  return new Brackets((w) => {
    w.where('a.visibility <> :metadataOnly', { metadataOnly: PrivacyLevel.METADATA_ONLY });
    viewerSeesWhole(qb, principal, w);
  });
}

/** SQL twin of showsContent(privacyFor(…)): the viewer sees activity `a` whole (bodies, notes, the mailboxes it was seen in). */
export function contentVisible(qb: SelectQueryBuilder<ObjectLiteral>, principal: Principal): Brackets {
  return new Brackets((w) => {
    w.where('a.visibility = :fullView', { fullView: PrivacyLevel.FULL });
    viewerSeesWhole(qb, principal, w);
  });
}

/**
 * Read scope, filters and keyset bound on a query over `activity a` (joined to whatever carries
 * `columns`). Text never matches what the viewer does not see, or searching would reveal it word by word.
 */
export function applyActivityConditions(
  db: DataSource,
  qb: SelectQueryBuilder<ObjectLiteral>,
  principal: Principal,
  filter: ActivityFilterValues,
  cursor: ActivityCursor | undefined,
  columns: ActivityColumns,
): void {
  applyActivityReadScope(qb, 'a', principal);
  if (filter.kinds) {
    if (filter.kinds.length === 0) qb.andWhere('1 = 0');
    else qb.andWhere('a.kind IN (:...filterKinds)', { filterKinds: [...filter.kinds] });
  }
  if (filter.direction) qb.andWhere('a.direction = :filterDirection', { filterDirection: filter.direction });
  if (filter.from) qb.andWhere(`${columns.occurredAt} >= :filterFrom`, { filterFrom: filter.from });
  if (filter.to) qb.andWhere(`${columns.occurredAt} < :filterTo`, { filterTo: filter.to });
  const search = filter.search?.trim();
  if (search) {
    qb.setParameter('filterSearch', containsPattern(search));
    const inSubject = new Brackets((w) => w.where(likeCondition(db, 'a.subject', 'filterSearch')).andWhere(subjectVisible(qb, principal)));
    if (!columns.searchContent) qb.andWhere(inSubject);
    else {
      const inPreview = qb
        .subQuery()
        .select('1')
        .from(EmailMessage, 'sem')
        .where('sem.activityId = a.id')
        .andWhere(likeCondition(db, 'sem.preview', 'filterSearch'))
        .getQuery();
      const inContent = new Brackets((w) =>
        w.where(new Brackets((c) => c.where(likeCondition(db, 'a.description', 'filterSearch')).orWhere(`EXISTS ${inPreview}`))).andWhere(contentVisible(qb, principal)),
      );
      qb.andWhere(new Brackets((w) => w.where(inSubject).orWhere(inContent)));
    }
  }
  if (cursor) {
    // Written so the first conjunct alone bounds the index range; the second breaks ties on occurredAt by id.
    qb.andWhere(`${columns.occurredAt} <= :cursorAt`, { cursorAt: cursor.occurredAt });
    qb.andWhere(new Brackets((w) => w.where(`${columns.occurredAt} < :cursorAt`).orWhere(`${columns.activityId} < :cursorId`, { cursorId: cursor.activityId })));
  }
}
