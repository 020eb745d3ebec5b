import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './pagination';

const reference = (sort: string, value: unknown, id: string) =>
  Buffer.from(JSON.stringify([sort, value instanceof Date ? value.toISOString() : value, id])).toString('base64url');

describe('encodeCursor', () => {
  it('writes the same cursor as JSON.stringify would, on the fast path and off it', () => {
    const at = new Date('2026-12-06T05:30:00.123Z');
    const cases: [string, unknown, string][] = [
      ['occurredAt:DESC', at, '0193a1b2-0000-7000-8000-000000000001'],
      ['name:ASC', 'Åsa "the" Öberg\\', '0193a1b2-0000-7000-8000-000000000002'],
      ['name:ASC', 42, 'x'],
      ['occurredAt:DESC', at, 'id with "quote"'],
      ['occurredAt:DESC', at, 'línea\nnueva'],
      ['sort"odd', at, 'plain-id'],
    ];
    for (const [sort, value, id] of cases) {
      expect(encodeCursor(sort, value, id)).toBe(reference(sort, value, id));
      expect(decodeCursor('after', encodeCursor(sort, value, id), sort).id).toBe(id);
    }
  });
});
