import type { DataSource, ObjectLiteral } from 'typeorm';
import type { Principal } from '../access/principal';
import type { ActivityCursor } from './activity-conditions';
import { activityReadScope } from './activity-access';
import { Activity } from './activity.entity';
import { TimelineEntry } from './timeline-entry.entity';
import type { RecordKind } from '../records/record-kind';

/**
 * The statement of a plain timeline page (one record, no filter), written out once per shape instead of
 * through TypeORM's query builder on every request (whose SQL generation was a fifth of the api's CPU per
 * page). The same statement as singleRecordPageQuery builds for this case: the activity's columns aliased as
 * the query builder aliases them (activity-hydrator.ts reads them so), the caller's read scope
 * (activityReadScope, shared with the builder), the keyset bound written so its first conjunct bounds the
 * index range, and the index order. The driver binds the parameters (its own conversion of dates and lists).
 */
export class TimelinePageStatements {
  private readonly columns: string;
  private readonly texts = new Map<string, string>();

  constructor(private readonly db: DataSource) {
    const e = (name: string) => db.driver.escape(name);
    this.columns = db
      .getMetadata(Activity)
      .columns.filter((c) => c.isSelect)
      .map((c) => `${e('a')}.${e(c.databaseName)} AS ${e(`a_${c.databaseName}`)}`)
      .join(', ');
  }

  /** The statement and its parameters, ready for `db.query`. */
  page(principal: Principal, record: { readonly kind: RecordKind; readonly id: string }, cursor: ActivityCursor | undefined, limit: number): [string, unknown[]] {
    const scope = activityReadScope('a', principal);
    const parameters: ObjectLiteral = { recordKind: record.kind, recordId: record.id, ...scope?.parameters };
    if (cursor) Object.assign(parameters, { cursorAt: cursor.occurredAt, cursorId: cursor.activityId });
    const shape = `${scope?.condition ?? ''}|${cursor ? 'after' : 'first'}|${limit}`;
    let text = this.texts.get(shape);
    if (text === undefined) {
      text = this.write(scope?.condition, Boolean(cursor), limit);
      // Shapes are few (scope kinds × first or later page × page size): no bound needed beyond the page sizes allowed.
      this.texts.set(shape, text);
    }
    return this.db.driver.escapeQueryWithParameters(text, parameters) as [string, unknown[]];
  }

  private write(scope: string | undefined, after: boolean, limit: number): string {
    const e = (name: string) => this.db.driver.escape(name);
    const te = (column: string) => `${e('te')}.${e(column)}`;
    const where = [`${te('recordKind')} = :recordKind AND ${te('recordId')} = :recordId`];
    if (scope) where.push(`(${scope})`);
    if (after) where.push(`${te('occurredAt')} <= :cursorAt`, `(${te('occurredAt')} < :cursorAt OR ${te('activityId')} < :cursorId)`);
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`not a page size: ${limit}`);
    return (
      `SELECT ${this.columns} FROM ${e(this.db.getMetadata(TimelineEntry).tableName)} ${e('te')} INNER JOIN ${e(this.db.getMetadata(Activity).tableName)} ${e('a')} ON ${e('a')}.${e('id')} = ${te('activityId')}` +
      ` WHERE ${where.join(' AND ')} ORDER BY ${te('occurredAt')} DESC, ${te('activityId')} DESC LIMIT ${limit}`
    );
  }
}
