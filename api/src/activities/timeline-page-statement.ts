import type { DataSource, ObjectLiteral } from 'typeorm';
import type { Principal } from '../access/principal';
import type { ActivityCursor } from './activity-conditions';
import { PlaceholderOrder } from '../db/placeholder-order';
import { activityReadScope } from './activity-access';
import { LEAN_ACTIVITY_COLUMNS } from './activity-columns';
import { Activity } from './activity.entity';
import { TimelineEntry } from './timeline-entry.entity';
import type { RecordKind } from '../records/record-kind';

/**
 * The statement of a plain timeline page (one record, no filter), written out once per shape instead of
 * through TypeORM's query builder on every request (whose SQL generation was a fifth of the api's CPU per
 * page). The activity's columns are aliased as the query builder aliases them (activity-hydrator.ts reads them
 * so); the caller's read scope is activityReadScope's, shared with the builder; the keyset bound is written so its
 * first conjunct bounds the range; the order is timeline_entry's primary key. A lean page (LEAN_ACTIVITY_COLUMNS)
 * reads timeline_entry alone, whose rows carry copies of those columns (timeline-copies.ts): one range scan, no join.
 * Any other page joins each entry to its activity by primary key. The driver binds the parameters.
 */
/** The record a page is of: its entity, and the caller's read scope on its rows (undefined: every row). */
export interface RecordRead {
  readonly entity: Function;
  readonly scope: { readonly condition: string; readonly parameters: ObjectLiteral } | undefined;
}

export class TimelinePageStatements {
  /** Every column of the activity, or LEAN_ACTIVITY_COLUMNS from the entry's copies: two lists, so that the shapes stay few. */
  private readonly columns: { readonly all: string; readonly lean: string };
  private readonly texts = new Map<string, string>();
  private readonly placeholders: PlaceholderOrder;
  /** Index hints on MySQL and MariaDB (see write()); nothing on SQLite, whose planner looks at no statistics. */
  private readonly hints: { readonly entries: string; readonly activities: string };

  constructor(private readonly db: DataSource) {
    const e = (name: string) => db.driver.escape(name);
    const activityColumns = db.getMetadata(Activity).columns.filter((c) => c.isSelect);
    const entryColumns = db.getMetadata(TimelineEntry).columns;
    const lean = activityColumns.filter((c) => (LEAN_ACTIVITY_COLUMNS as readonly string[]).includes(c.propertyName));
    const copyOf = (property: string) => {
      const copy = entryColumns.find((c) => c.propertyName === (property === 'id' ? 'activityId' : property));
      if (!copy) throw new Error(`timeline_entry has no copy of the activity's ${property}, which a lean page reads`);
      return copy.databaseName;
    };
    this.placeholders = new PlaceholderOrder(db);
    this.columns = {
      all: activityColumns.map((c) => `${e('a')}.${e(c.databaseName)} AS ${e(`a_${c.databaseName}`)}`).join(', '),
      lean: lean.map((c) => `${e('te')}.${e(copyOf(c.propertyName))} AS ${e(`a_${c.databaseName}`)}`).join(', '),
    };
    this.hints = db.options.type === 'mysql' ? { entries: ' USE INDEX (PRIMARY)', activities: ' USE INDEX (PRIMARY)' } : { entries: '', activities: '' };
  }

  /**
   * The statement and its parameters, ready for `db.query`. `recordRead` is the record's entity and the caller's read
   * scope on it (alias `r`, RecordStore.scopeCondition, its id bound as `recordId`): the page holds rows only if the caller may read the record, so a page
   * with rows needs no access check of its own (an empty one does: unreadable, or nothing on it yet). `lean` reads
   * LEAN_ACTIVITY_COLUMNS only.
   */
  page(
    principal: Principal,
    record: { readonly kind: RecordKind; readonly id: string },
    recordRead: RecordRead,
    cursor: ActivityCursor | undefined,
    limit: number,
    lean = false,
  ): [string, unknown[]] {
    // The scope on the entry's copies of the owner and unit: entries out of scope are passed over before any activity
    // row is read. A joined page tests the activity's own columns too (the same parameter names, bound once).
    const entryScope = activityReadScope('te', principal);
    const scope = activityReadScope('a', principal);
    const parameters: ObjectLiteral = { recordKind: record.kind, recordId: record.id, ...scope?.parameters, ...recordRead.scope?.parameters };
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`not a page size: ${limit}`);
    parameters.pageLimit = limit;
    if (cursor) Object.assign(parameters, { cursorAt: cursor.occurredAt, cursorId: cursor.activityId });
    // The page size is a parameter, not part of the text: each shape is prepared once per connection (preparedRead).
    const shape = `${record.kind}|${recordRead.scope?.condition ?? ''}|${scope?.condition ?? ''}|${cursor ? 'after' : 'first'}|${lean ? 'lean' : 'all'}`;
    let text = this.texts.get(shape);
    if (text === undefined) {
      const scopes = entryScope && scope ? (lean ? [entryScope.condition] : [entryScope.condition, scope.condition]) : [];
      text = this.write(lean, recordRead.entity, recordRead.scope?.condition, scopes, Boolean(cursor));
      // Shapes are few (record kinds × scope kinds × first or later page × two column lists): no bound needed.
      this.texts.set(shape, text);
    }
    return this.placeholders.bind(shape, text, parameters);
  }

  private write(lean: boolean, recordEntity: Function, recordScope: string | undefined, scopes: readonly string[], after: boolean): string {
    const e = (name: string) => this.db.driver.escape(name);
    const te = (column: string) => `${e('te')}.${e(column)}`;
    const where = [`${te('recordKind')} = :recordKind AND ${te('recordId')} = :recordId`];
    for (const scope of scopes) where.push(`(${scope})`);
    // Uncorrelated: the database decides it once per statement, by primary key.
    const recordTable = e(this.db.getMetadata(recordEntity).tableName);
    where.push(`EXISTS (SELECT 1 FROM ${recordTable} ${e('r')} WHERE ${e('r')}.${e('id')} = :recordId${recordScope ? ` AND ${recordScope}` : ''})`);
    if (after) where.push(`${te('occurredAt')} <= :cursorAt`, `(${te('occurredAt')} < :cursorAt OR ${te('activityId')} < :cursorId)`);
    // MariaDB plans a prepared statement again on every execution, and estimates every index it could use by
    // descending into it: timeline_entry's activityId index, and activity's business-unit indexes for a scoped caller
    // (a million entries to estimate). The plan is always the entries' primary key in order and, when joined, the
    // activities by primary key, so the statement names those and spares the estimates.
    const join = lean ? '' : ` INNER JOIN ${e(this.db.getMetadata(Activity).tableName)} ${e('a')}${this.hints.activities} ON ${e('a')}.${e('id')} = ${te('activityId')}`;
    return (
      `SELECT ${lean ? this.columns.lean : this.columns.all} FROM ${e(this.db.getMetadata(TimelineEntry).tableName)} ${e('te')}${this.hints.entries}${join}` +
      ` WHERE ${where.join(' AND ')} ORDER BY ${te('occurredAt')} DESC, ${te('activityId')} DESC LIMIT :pageLimit`
    );
  }
}
