import { Brackets, type DataSource, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import type { Principal } from '../access/principal';
import { Privilege } from '../access/privileges';
import { pageSize, type Page } from '../common/pagination';
import type { Opportunity } from '../records/opportunity.entity';
import type { RecordKind } from '../records/record-kind';
import type { RecordStores, RecordWriter } from '../records/record-writer';
import { applyActivityConditions, decodeActivityCursor, encodeActivityCursor, type ActivityCursor, type ActivityFilterValues } from './activity-conditions';
import { LEAN_ACTIVITY_COLUMNS } from './activity-columns';
import { activityHydrator } from './activity-hydrator';
import { Activity } from './activity.entity';
import { TimelineEntry } from './timeline-entry.entity';
import { preparedRead } from '../db/prepared-read';
import { TimelinePageStatements } from './timeline-page-statement';

/** The sort key timeline cursors carry: (occurredAt desc, activityId desc). */
export const TIMELINE_SORT = 'timeline';

/**
 * Most related records one rolled-up timeline reads: the page statement has one subquery per
 * record and sorts at most (records × (first + 1)) rows, so the bound keeps it cheap.
 */
export const MAX_RELATED_RECORDS = 200;

export type TimelineFilterValues = ActivityFilterValues;

export interface TimelineQuery {
  readonly record: RecordRef;
  readonly first?: number | null;
  readonly after?: string | null;
  readonly filter?: TimelineFilterValues | null;
  readonly includeRelated?: boolean;
  /** The caller asks only for fields LEAN_ACTIVITY_COLUMNS answer (nodesNeedOnlyLeanColumns): a plain page reads just those. */
  readonly leanColumns?: boolean;
}

export interface RecordRef {
  readonly kind: RecordKind;
  readonly id: string;
}

/** The last row of the previous page. */
export type TimelineCursor = ActivityCursor;

/** Which related records roll up into a record's timeline: the kind, and the column of it that points at the record. */
const RELATED: Record<RecordKind, readonly { kind: RecordKind; column: string }[]> = {
  account: [
    { kind: 'contact', column: 'accountId' },
    { kind: 'opportunity', column: 'customerAccountId' },
    { kind: 'case', column: 'customerAccountId' },
  ],
  contact: [
    { kind: 'opportunity', column: 'customerContactId' },
    { kind: 'case', column: 'customerContactId' },
  ],
  // An opportunity's customer contact is found from the opportunity row instead (see related()).
  opportunity: [],
  lead: [],
  case: [],
};

export const decodeTimelineCursor = (after: string): TimelineCursor => decodeActivityCursor(TIMELINE_SORT, after);

export const encodeTimelineCursor = (row: { occurredAt: Date; id: string }): string => encodeActivityCursor(TIMELINE_SORT, row);

/** Time conditions and the keyset bound are on te, so they narrow the index range scan. */
const TIMELINE_COLUMNS = { occurredAt: 'te.occurredAt', activityId: 'te.activityId' };

/**
 * One record's timeline page: a range scan of timeline_entry's (recordKind, recordId, occurredAt,
 * activityId) index in index order (backwards), each entry joined by primary key to its activity
 * for the filters and the read scope, stopping after `limit` rows; no sort step. Exported so a test
 * can EXPLAIN exactly the statement the service issues.
 */
export function singleRecordPageQuery(
  db: DataSource,
  principal: Principal,
  record: RecordRef,
  filter: TimelineFilterValues,
  cursor: TimelineCursor | undefined,
  limit: number,
): SelectQueryBuilder<TimelineEntry> {
  const qb = db
    .createQueryBuilder(TimelineEntry, 'te')
    .innerJoin(Activity, 'a', 'a.id = te.activityId')
    // Only the activity's columns: the entry's own are its copies or the record, known already.
    .select('a')
    .where('te.recordKind = :recordKind AND te.recordId = :recordId', { recordKind: record.kind, recordId: record.id });
  applyActivityConditions(db, qb, principal, filter, cursor, TIMELINE_COLUMNS);
  return qb.orderBy('te.occurredAt', 'DESC').addOrderBy('te.activityId', 'DESC').limit(limit);
}

/**
 * Several records' timelines merged: per record, the single-record range scan above (its own
 * ORDER BY … LIMIT), all joined with UNION ALL; the outer query removes activities reached through
 * several records and sorts what is left, at most (records × limit) rows, then reads the activities.
 */
export function rolledUpPageQuery(
  db: DataSource,
  principal: Principal,
  records: readonly RecordRef[],
  filter: TimelineFilterValues,
  cursor: TimelineCursor | undefined,
  limit: number,
): SelectQueryBuilder<Activity> {
  const parameters: ObjectLiteral = {};
  const parts = records.map((record, i) => {
    const part = db
      .createQueryBuilder(TimelineEntry, 'te')
      .select('te.activityId', 'activityId')
      .addSelect('te.occurredAt', 'occurredAt')
      .innerJoin(Activity, 'a', 'a.id = te.activityId')
      .where(`te.recordKind = :recordKind${i} AND te.recordId = :recordId${i}`, { [`recordKind${i}`]: record.kind, [`recordId${i}`]: record.id });
    applyActivityConditions(db, part, principal, filter, cursor, TIMELINE_COLUMNS);
    part.orderBy('te.occurredAt', 'DESC').addOrderBy('te.activityId', 'DESC').limit(limit);
    Object.assign(parameters, part.getParameters());
    // Wrapped as a derived table: SQLite allows ORDER BY and LIMIT only on the last member of a compound SELECT.
    return `SELECT * FROM (${part.getQuery()}) t${i}`;
  });
  const page = `(SELECT DISTINCT u.activityId AS activityId, u.occurredAt AS occurredAt FROM (${parts.join(' UNION ALL ')}) u)`;
  return db
    .createQueryBuilder(Activity, 'a')
    .innerJoin(page, 'p', 'p.activityId = a.id')
    .setParameters(parameters)
    .orderBy('p.occurredAt', 'DESC')
    .addOrderBy('p.activityId', 'DESC')
    .limit(limit);
}

/** How many activities on these records' timelines match and are readable (each activity once). */
function countQuery(db: DataSource, principal: Principal, records: readonly RecordRef[], filter: TimelineFilterValues): SelectQueryBuilder<TimelineEntry> {
  const qb = db.createQueryBuilder(TimelineEntry, 'te').innerJoin(Activity, 'a', 'a.id = te.activityId');
  const byKind = new Map<RecordKind, string[]>();
  for (const r of records) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r.id]);
  qb.where(
    new Brackets((w) => {
      for (const [kind, ids] of byKind) {
        w.orWhere(`(te.recordKind = :countKind_${kind} AND te.recordId IN (:...countIds_${kind}))`, { [`countKind_${kind}`]: kind, [`countIds_${kind}`]: ids });
      }
    }),
  );
  applyActivityConditions(db, qb, principal, filter, undefined, TIMELINE_COLUMNS);
  // A single record's entries are unique per activity (primary key); several records may share one.
  return qb.select(records.length === 1 ? 'COUNT(*)' : 'COUNT(DISTINCT te.activityId)', 'n');
}

/** No filter narrows the list (an empty kinds list does: it matches nothing). */
const isPlain = (filter: TimelineFilterValues): boolean => !filter.kinds && !filter.direction && !filter.from && !filter.to && !filter.search?.trim();

/** Keeps the `max` most recently changed of several lists of related records. */
export function mostRecent<T extends { updatedAt: Date; id: string }>(lists: readonly (readonly T[])[], max: number): T[] {
  return lists
    .flat()
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, max);
}

/**
 * A record's timeline: activities regarding it or with it as a party (optionally those of its
 * related records too), newest first, only those the caller may read.
 */
export class TimelineService {
  private readonly hydrate: (row: Record<string, unknown>) => Activity;
  private readonly hydrateLean: (row: Record<string, unknown>) => Activity;
  private readonly plainPages: TimelinePageStatements;

  constructor(
    private readonly db: DataSource,
    private readonly writer: RecordWriter,
    private readonly stores: RecordStores,
  ) {
    this.hydrate = activityHydrator(db);
    this.hydrateLean = activityHydrator(db, 'a', LEAN_ACTIVITY_COLUMNS);
    this.plainPages = new TimelinePageStatements(db);
  }

  async page(principal: Principal, query: TimelineQuery): Promise<Page<Activity>> {
    const first = pageSize('first', query.first);
    const cursor = query.after ? decodeTimelineCursor(query.after) : undefined;
    const filter = query.filter ?? {};
    const readable = () => this.writer.readable(principal, query.record.kind, query.record.id, 'recordId');
    let raw: Record<string, unknown>[];
    let records: RecordRef[] = [query.record];
    let hydrate = this.hydrate;
    if (!query.includeRelated && isPlain(filter)) {
      // The timeline as first shown, and its next pages: one statement, written out once per shape, that returns
      // rows only when the caller may read the record. An empty page is checked apart: unreadable, or empty.
      const store = this.stores[query.record.kind];
      const recordRead = { entity: store.spec.entity, scope: store.scopeCondition('r', principal, Privilege.READ, 'recordId') };
      const lean = query.leanColumns ?? false;
      raw = await preparedRead<Record<string, unknown>>(this.db, ...this.plainPages.page(principal, query.record, recordRead, cursor, first + 1, lean));
      if (raw.length === 0) await readable();
      if (lean) hydrate = this.hydrateLean;
    } else if (!query.includeRelated) {
      // The access check and the page run side by side; the page is dropped unless the record is readable.
      [, raw] = await Promise.all([readable(), singleRecordPageQuery(this.db, principal, query.record, filter, cursor, first + 1).getRawMany<Record<string, unknown>>()]);
    } else {
      records = [query.record, ...(await this.related(principal, query.record, await readable()))];
      const pageQuery =
        records.length === 1
          ? singleRecordPageQuery(this.db, principal, query.record, filter, cursor, first + 1)
          : rolledUpPageQuery(this.db, principal, records, filter, cursor, first + 1);
      raw = await pageQuery.getRawMany<Record<string, unknown>>();
    }
    // occurredAt is copied into every timeline entry, so the activity's own value is the sort key.
    const rows = raw.map(hydrate);
    const shown = rows.slice(0, first);
    return {
      nodes: shown,
      cursors: shown.map((a) => encodeTimelineCursor({ occurredAt: a.occurredAt, id: a.id })),
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(query.after),
      count: async () => Number((await countQuery(this.db, principal, records, filter).getRawOne<{ n: number | string }>())?.n ?? 0),
    };
  }

  /** The related records whose timelines roll up into this one, limited to those the caller may read. */
  private async related(principal: Principal, ref: RecordRef, record: object): Promise<RecordRef[]> {
    const lookups = RELATED[ref.kind].map(({ kind, column }) => ({ kind, column, value: ref.id }));
    const customerContactId = ref.kind === 'opportunity' ? (record as Opportunity).customerContactId : null;
    if (customerContactId) lookups.push({ kind: 'contact', column: 'id', value: customerContactId });
    const lists = await Promise.all(
      lookups.map(async ({ kind, column, value }) => {
        const store = this.stores[kind];
        const qb = this.db
          .getRepository(store.spec.entity)
          .createQueryBuilder('r')
          .select(['r.id', 'r.updatedAt'])
          .where(`r.${column} = :relatedTo`, { relatedTo: value });
        store.applyScope(qb, principal, Privilege.READ);
        const rows = await qb.orderBy('r.updatedAt', 'DESC').addOrderBy('r.id', 'DESC').limit(MAX_RELATED_RECORDS).getMany();
        return rows.map((r) => ({ kind, id: r.id, updatedAt: r.updatedAt }));
      }),
    );
    return mostRecent(lists, MAX_RELATED_RECORDS).map(({ kind, id }) => ({ kind, id }));
  }
}
