import { Field, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import { badInput } from './errors';
import { isoDateTime } from './iso-date';

export const DEFAULT_PAGE_SIZE = 20;
/** The largest page a caller may ask for; documented in README. */
export const MAX_PAGE_SIZE = 100;

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field()
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Page<T> {
  readonly nodes: readonly T[];
  readonly cursors: readonly string[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  /** Counted only when the caller asks for it. */
  readonly count: () => Promise<number>;
}

/** A Relay connection type for `node`: edges with cursors, pageInfo, and a lazily counted totalCount. */
export function connectionOf<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor: string;

    @Field(() => node)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class Connection {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    count: () => Promise<number>;

    @Field(() => Int, { description: 'How many records match the filter that the caller may read.' })
    get totalCount(): Promise<number> {
      return this.count();
    }

    static from(page: Page<T>): Connection {
      const connection = new Connection();
      connection.edges = page.nodes.map((n, i) => Object.assign(new Edge(), { node: n, cursor: page.cursors[i] }));
      connection.pageInfo = {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: page.cursors[0] ?? null,
        endCursor: page.cursors[page.cursors.length - 1] ?? null,
      };
      connection.count = page.count;
      return connection;
    }
  }
  return Connection;
}

const MAX_CURSOR_LENGTH = 4096;

/** Keyset cursors: the sort they belong to, the sort value and the id of the last row seen; opaque to callers. */
export function encodeCursor(sort: string, value: unknown, id: string): string {
  const json =
    // A page has a cursor per row: the common case (a date and an id that JSON writes as they are) skips
    // JSON.stringify; the text is the same either way.
    value instanceof Date && PLAIN_JSON_TEXT.test(sort) && PLAIN_JSON_TEXT.test(id)
      ? `["${sort}","${isoDateTime(value)}","${id}"]`
      : JSON.stringify([sort, value instanceof Date ? value.toISOString() : value, id]);
  return Buffer.from(json).toString('base64url');
}

/** Text JSON.stringify writes unchanged between quotes. */
const PLAIN_JSON_TEXT = /^[\w:.,+ -]*$/;

/** Decodes a cursor made by encodeCursor for the same `sort`; anything else is the caller's error, named by `field`. */
export function decodeCursor(field: string, cursor: string, sort: string): { value: string | number; id: string } {
  let parsed: unknown;
  try {
    // No cursor this API makes comes near this length (a sort value of at most a few hundred characters).
    parsed = cursor.length <= MAX_CURSOR_LENGTH ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[2] !== 'string' || !['string', 'number'].includes(typeof parsed[1])) {
    throw badInput(field, 'not a cursor returned by this API');
  }
  if (parsed[0] !== sort) throw badInput(field, 'this cursor belongs to a list in another order; start again without it');
  return { value: parsed[1] as string | number, id: parsed[2] };
}

export function pageSize(field: string, first: number | undefined | null): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) throw badInput(field, `must be from 0 to ${MAX_PAGE_SIZE}`);
  return first;
}
