import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../common/errors';
import { encodeCursor } from '../common/pagination';
import { decodeTimelineCursor, encodeTimelineCursor, mostRecent } from './timeline.service';

describe('timeline cursors', () => {
  it('round-trips the occurredAt and id of the last row', () => {
    const row = { occurredAt: new Date('2031-01-01T10:00:00.123Z'), id: '01890000-0000-7000-8000-000000000001' };
    expect(decodeTimelineCursor(encodeTimelineCursor(row))).toEqual({ occurredAt: row.occurredAt, activityId: row.id });
  });

  it.each([
    ['a cursor of another list', encodeCursor('name:ASC', 'Acme', '01890000-0000-7000-8000-000000000001')],
    ['a number where a time belongs', encodeCursor('timeline', 12, '01890000-0000-7000-8000-000000000001')],
    ['a time that is not one', encodeCursor('timeline', 'yesterday', '01890000-0000-7000-8000-000000000001')],
    ['garbage', 'not-a-cursor'],
  ])('rejects %s as bad input on "after"', (_what, cursor) => {
    try {
      decodeTimelineCursor(cursor);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
  });
});

describe('mostRecent', () => {
  const row = (id: string, minute: number) => ({ id, updatedAt: new Date(Date.UTC(2031, 0, 1, 0, minute)) });

  it('keeps the most recently changed across lists, ties by id descending', () => {
    const lists = [[row('c1', 5), row('c2', 1)], [row('o1', 7)], [row('k1', 5), row('k2', 0)]];
    expect(mostRecent(lists, 3).map((r) => r.id)).toEqual(['o1', 'k1', 'c1']);
    expect(mostRecent(lists, 10).map((r) => r.id)).toEqual(['o1', 'k1', 'c1', 'c2', 'k2']);
    expect(mostRecent([], 10)).toEqual([]);
  });
});
