import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { PlaceholderOrder } from './placeholder-order';

// A DataSource that is never connected: escapeQueryWithParameters is the driver's text work only.
const mysql = new DataSource({ type: 'mysql' });
const sqlite = new DataSource({ type: 'better-sqlite3', database: ':memory:' });

const TEXT =
  'SELECT 1 FROM t WHERE t.kind = :kind AND t.id = :id AND (t.unit IN (:...units) OR t.owner = :user)' +
  ' AND EXISTS (SELECT 1 FROM s WHERE s.id = :id AND s.unit IN (:...units) AND s.tag IN (:...tags)) AND t.left = :notGiven LIMIT :limit';

describe('PlaceholderOrder', () => {
  it('gives what TypeORM gives, for repeated names, lists of every length and names not given, from its cache too', () => {
    const order = new PlaceholderOrder(mysql);
    const cases = [
      { kind: 'contact', id: 'a', units: ['u1'], user: 'me', tags: ['x', 'y'], limit: 51 },
      { kind: 'account', id: 'b', units: ['u2'], user: 'you', tags: ['z', 'w'], limit: 21 },
      { kind: 'lead', id: 'c', units: ['u1', 'u2', 'u3'], user: 'them', tags: ['q'], limit: 2 },
      { kind: 'case', id: 'd', units: ['u4', 'u5', 'u6'], user: null, tags: ['p'], limit: 101 },
      { kind: 'contact', id: 'e', units: ['u7'], user: 'me', tags: ['k', 'l'], limit: 51 },
    ];
    for (const parameters of [...cases, ...cases]) {
      expect(order.bind('shape', TEXT, parameters)).toEqual(mysql.driver.escapeQueryWithParameters(TEXT, parameters));
    }
  });

  it('leaves SQLite to its driver, which also converts values', () => {
    const at = new Date('2026-12-06T10:00:00.000Z');
    const parameters = { kind: 'contact', id: 'a', units: ['u1'], user: true, tags: [at], limit: 1 };
    expect(new PlaceholderOrder(sqlite).bind('shape', TEXT, parameters)).toEqual(sqlite.driver.escapeQueryWithParameters(TEXT, parameters));
  });
});
