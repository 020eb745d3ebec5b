import { describe, expect, it } from 'vitest';
import { RepeatCache } from './repeat-cache';

describe('RepeatCache', () => {
  it('computes once per key, undefined answers included', () => {
    const cache = new RepeatCache<string, number | undefined>(10);
    let calls = 0;
    const compute = () => (calls++, undefined);
    expect(cache.get('a', compute)).toBeUndefined();
    expect(cache.get('a', compute)).toBeUndefined();
    expect(calls).toBe(1);
  });

  it('forgets the oldest past its capacity', () => {
    const cache = new RepeatCache<number, number>(2);
    for (const k of [1, 2, 3]) cache.get(k, () => k * 10);
    expect(cache.size).toBe(2);
    expect(cache.get(1, () => -1)).toBe(-1);
    expect(cache.get(3, () => -3)).toBe(30);
  });

  it('does not remember a throw', () => {
    const cache = new RepeatCache<string, number>(2);
    expect(() => cache.get('bad', () => { throw new Error('bad variables'); })).toThrow('bad variables');
    expect(cache.get('bad', () => 1)).toBe(1);
  });
});
