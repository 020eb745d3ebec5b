import 'reflect-metadata';
import type { GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildApiSchema } from '../graphql/schema';
import { LIST_BOUNDS, rowsOf, unboundedLists } from './list-bounds';

describe('list bounds', () => {
  const schema = buildApiSchema();
  const field = (type: string, name: string) => (schema.getType(type) as GraphQLObjectType).getFields()[name];

  it('bound every unpaged list of objects in the schema (a new list needs its row in LIST_BOUNDS)', () => {
    expect(unboundedLists(schema)).toEqual([]);
  });

  it('name only fields that exist', () => {
    const missing = Object.keys(LIST_BOUNDS).filter((key) => {
      const [type, name] = key.split('.');
      const t = schema.getType(type) as { getFields?(): Record<string, unknown> } | undefined;
      return !t?.getFields?.()[name];
    });
    expect(missing).toEqual([]);
  });

  it.each([
    ['a paged field, by first', 'Query', 'accounts', { first: 7 }, 7],
    ['a paged field without first, by the default page', 'Query', 'accounts', {}, 20],
    ['a claim, by its limit', 'Mutation', 'claimMailboxes', { limit: 9 }, 9],
    ['trackEmails, by the items sent', 'Mutation', 'trackEmails', { input: { items: [{}, {}, {}] } }, 3],
    ['an unpaged list, by its bound', 'Query', 'users', {}, 500],
    ['a connection’s edges (its field multiplies)', 'AccountConnection', 'edges', {}, 1],
    ['a list of scalars (a leaf)', 'Account', 'emails', {}, undefined],
    ['a single object', 'Query', 'viewer', {}, undefined],
  ])('%s', (_label, type, name, args, rows) => {
    expect(rowsOf(type, field(type, name), args)).toBe(rows);
  });
});
