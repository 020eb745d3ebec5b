import { describe, expect, it } from 'vitest';
import { mapInOrder } from './map-in-order.js';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('mapInOrder', () => {
  it('keeps the items\' order whatever order the work finishes in, with at most `limit` running at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapInOrder([30, 5, 20, 1, 10, 2], 3, async (ms, index) => {
      most = Math.max(most, ++running);
      await after(ms, null);
      running--;
      return `${index}:${ms}`;
    });
    expect(results).toEqual(['0:30', '1:5', '2:20', '3:1', '4:10', '5:2']);
    expect(most).toBe(3);
  });

  it('on a failure starts nothing more, lets the running work finish, then throws the first failure', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const failing = mapInOrder([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('item 2 failed');
      await after(10, null);
      finished.push(n);
      return n;
    });
    await expect(failing).rejects.toThrow('item 2 failed');
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([1]); // item 1 ran to its end before the failure was reported
  });

  it('an empty list is an empty result; a limit below 1 is refused', async () => {
    await expect(mapInOrder([], 4, async () => 1)).resolves.toEqual([]);
    await expect(mapInOrder([1], 0, async () => 1)).rejects.toThrow(RangeError);
  });
});
