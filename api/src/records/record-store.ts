import { Brackets, In, type DataSource, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { depthOf, holds, rowScope, withinDepth, type Principal } from '../access/principal';
import { Privilege } from '../access/privileges';
import { RecordShare } from '../access/record-share.entity';
import { badInput } from '../common/errors';
import { containsPattern, likeCondition, prefixPattern } from '../common/like';
import { decodeCursor, encodeCursor, pageSize, SortDirection, type Page } from '../common/pagination';
import { EmailAddress } from './email-address.entity';
import type { OwnedRecord } from './owned-record';
import { RECORD_ACCESS_ENTITY, type RecordKind } from './record-kind';

export type SortField = 'NAME' | 'CREATED_AT' | 'UPDATED_AT';

/** How one record type is stored and searched. */
export interface RecordTypeSpec<T extends OwnedRecord> {
  readonly kind: RecordKind;
  readonly entity: new () => T;
  /** The column NAME sorting and text search use. */
  readonly nameColumn: keyof T & string;
  readonly emailEnabled: boolean;
}

export interface ListQuery {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly ownerId?: string;
  readonly status?: string;
  readonly search?: string;
  readonly sortField?: SortField;
  readonly sortDirection?: SortDirection;
  /** Equality filters on further columns, named by code (never by callers). */
  readonly extra?: Readonly<Record<string, string>>;
}

const SORT_COLUMN = { CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' } as const;

/** Reads records of one type, always through the caller's read scope: depth, or a share. */
export class RecordStore<T extends OwnedRecord> {
  constructor(
    private readonly db: DataSource,
    readonly spec: RecordTypeSpec<T>,
  ) {}

  get kind(): RecordKind {
    return this.spec.kind;
  }

  /** Adds "the caller may exercise `privilege` on this row" to a query on alias `r`. */
  applyScope(qb: SelectQueryBuilder<ObjectLiteral>, principal: Principal, privilege: Privilege.READ | Privilege.WRITE): void {
    const scope = this.scopeCondition('r', principal, privilege);
    if (scope) qb.andWhere(scope.condition, scope.parameters);
  }

  /**
   * "The caller may exercise `privilege` on row `alias`" as SQL with named parameters, or undefined when every row
   * qualifies: within the caller's depth (owner or business units), or shared with them. Its text depends only on
   * the kind of scope, so statements written once per shape can embed it. `idParameter` names a parameter that
   * already holds the row's id (a statement about one known record): the share is then looked up by its whole key,
   * which MariaDB answers from the index in one probe, where the general form has it build the caller's share list.
   */
  scopeCondition(
    alias: string,
    principal: Principal,
    privilege: Privilege.READ | Privilege.WRITE,
    idParameter?: string,
  ): { condition: string; parameters: ObjectLiteral } | undefined {
    const entity = RECORD_ACCESS_ENTITY[this.spec.kind];
    const scope = rowScope(principal, depthOf(principal, entity, privilege));
    if (scope.kind === 'all') return undefined;
    if (!holds(principal, entity, privilege)) return { condition: '1 = 0', parameters: {} };
    const e = (name: string) => this.db.driver.escape(name);
    const column = (name: string) => `${e(alias)}.${e(name)}`;
    const parameters: ObjectLiteral = { shareUserId: principal.userId, shareKind: this.spec.kind };
    let within = '1 = 0';
    if (scope.kind === 'owner') {
      within = `${column('ownerId')} = :scopeUserId`;
      parameters.scopeUserId = principal.userId;
    } else if (scope.kind === 'units') {
      within = `${column('businessUnitId')} IN (:...scopeUnitIds)`;
      parameters.scopeUnitIds = scope.unitIds;
    }
    const share = (name: string) => `${e('s')}.${e(name)}`;
    let shares = `FROM ${e(this.db.getMetadata(RecordShare).tableName)} ${e('s')} WHERE ${share('userId')} = :shareUserId AND ${share('recordKind')} = :shareKind`;
    if (privilege === Privilege.WRITE) {
      shares += ` AND ${share('canWrite')} = :shareWrite`;
      parameters.shareWrite = true;
    }
    const shared = idParameter
      ? `EXISTS (SELECT 1 ${shares} AND ${share('recordId')} = :${idParameter})`
      : `${column('id')} IN (SELECT ${share('recordId')} ${shares})`;
    return { condition: `(${within} OR ${shared})`, parameters };
  }

  /** One page of the records the caller may read, in keyset order (sort value, then id). */
  async list(principal: Principal, query: ListQuery): Promise<Page<T>> {
    const first = pageSize('first', query.first);
    const direction = query.sortDirection ?? SortDirection.ASC;
    const column = query.sortField === 'NAME' || !query.sortField ? this.spec.nameColumn : SORT_COLUMN[query.sortField];
    const base = this.db.getRepository(this.spec.entity).createQueryBuilder('r');
    this.applyScope(base, principal, Privilege.READ);
    if (query.ownerId) base.andWhere('r.ownerId = :ownerId', { ownerId: query.ownerId });
    if (query.status) base.andWhere('r.status = :status', { status: query.status });
    if (query.search?.trim()) this.applySearch(base, query.search.trim());
    for (const [name, value] of Object.entries(query.extra ?? {})) base.andWhere(`r.${name} = :extra_${name}`, { [`extra_${name}`]: value });
    const counted = base.clone();

    const sortKey = `${column}:${direction}`;
    if (query.after) {
      const cursor = decodeCursor('after', query.after, sortKey);
      const value = this.toDatabaseValue(column, cursor.value);
      const op = direction === SortDirection.ASC ? '>' : '<';
      const sorted = this.sortExpression(column);
      const bound = this.sortExpression(':cursorValue', column);
      base.andWhere(
        new Brackets((w) =>
          w.where(`${sorted} ${op} ${bound}`, { cursorValue: value })
            .orWhere(`${sorted} = ${bound} AND r.id ${op} :cursorId`, { cursorId: cursor.id }),
        ),
      );
    }
    const rows = await base
      .orderBy(this.sortExpression(column), direction)
      .addOrderBy('r.id', direction)
      .limit(first + 1)
      .getMany();
    const nodes = rows.slice(0, first);
    return {
      nodes,
      cursors: nodes.map((n) => encodeCursor(sortKey, (n as Record<string, unknown>)[column], n.id)),
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(query.after),
      count: () => counted.getCount(),
    };
  }

  /** Records by raw id, with no access check: callers filter with `permitted`. */
  async byIds(ids: readonly string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    return this.db.getRepository(this.spec.entity).find({ where: { id: In([...ids]) } as never });
  }

  /** Which of `rows` the caller may use with `privilege`: within depth, or shared (one query for all of them). */
  async permitted(principal: Principal, rows: readonly T[], privilege: Privilege): Promise<T[]> {
    const entity = RECORD_ACCESS_ENTITY[this.spec.kind];
    const depth = depthOf(principal, entity, privilege);
    const outside = rows.filter((r) => !withinDepth(principal, depth, r));
    const shareable = privilege === Privilege.READ || privilege === Privilege.WRITE;
    if (outside.length === 0 || !shareable || !holds(principal, entity, privilege)) {
      return rows.filter((r) => withinDepth(principal, depth, r));
    }
    const shares = await this.db.getRepository(RecordShare).find({
      where: { userId: principal.userId, recordKind: this.spec.kind, recordId: In(outside.map((r) => r.id)) },
    });
    const sharedIds = new Set(shares.filter((s) => privilege === Privilege.READ || s.canWrite).map((s) => s.recordId));
    return rows.filter((r) => withinDepth(principal, depth, r) || sharedIds.has(r.id));
  }

  private get isSqlite(): boolean {
    return this.db.options.type === 'better-sqlite3';
  }

  /**
   * Names compare case- and accent-insensitively on both databases: MySQL's utf8mb4_unicode_ci
   * does it natively; on SQLite the crm_fold() function (db/data-source.ts) stands in for it.
   */
  private sortExpression(expression: string, column = expression): string {
    const name = column.replace(/^r\./, '');
    const folded = this.isSqlite && name === this.spec.nameColumn;
    const sql = expression.startsWith(':') ? expression : `r.${name}`;
    return folded ? `crm_fold(${sql})` : sql;
  }

  private applySearch(qb: SelectQueryBuilder<ObjectLiteral>, text: string): void {
    qb.andWhere(
      new Brackets((w) => {
        w.where(likeCondition(this.db, `r.${this.spec.nameColumn}`, 'searchName'), { searchName: containsPattern(text) });
        if (this.spec.emailEnabled) {
          const emails = qb
            .subQuery()
            .select('e.recordId')
            .from(EmailAddress, 'e')
            .where('e.recordKind = :searchKind')
            .andWhere(likeCondition(this.db, 'e.address', 'searchEmail', { fold: false }))
            .getQuery();
          // Addresses are stored lower-case; a prefix match keeps the address index usable.
          w.orWhere(`r.id IN ${emails}`, { searchKind: this.spec.kind, searchEmail: prefixPattern(text.toLowerCase()) });
        }
      }),
    );
  }

  /** A cursor carries the JSON form of the sort value; bind it as the driver stores that column. */
  private toDatabaseValue(column: string, value: string | number): unknown {
    const meta = this.db.getMetadata(this.spec.entity).findColumnWithPropertyName(column);
    if (!meta) return value;
    const typed = meta.type === 'datetime' ? new Date(value) : value;
    if (typed instanceof Date && Number.isNaN(typed.getTime())) throw badInput('after', 'not a cursor returned by this API');
    return this.db.driver.preparePersistentValue(typed, meta);
  }
}
