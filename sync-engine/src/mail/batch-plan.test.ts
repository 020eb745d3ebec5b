import { describe, expect, it } from 'vitest';
import { planBatches } from './batch-plan.js';

const sized = (...sizes: number[]) => sizes.map((size, index) => ({ id: index + 1, size }));
const ids = (batches: { id: number }[][]) => batches.map((batch) => batch.map((item) => item.id));

describe('planBatches', () => {
  it('returns no batch for no items', () => {
    expect(planBatches([], 10, 1000)).toEqual([]);
  });

  it('cuts by count', () => {
    expect(ids(planBatches(sized(1, 1, 1, 1, 1), 2, 1000))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('cuts before the item that would pass the byte budget', () => {
    expect(ids(planBatches(sized(400, 400, 400, 100), 10, 1000))).toEqual([[1, 2], [3, 4]]);
  });

  it('fills a batch exactly to the budget', () => {
    expect(ids(planBatches(sized(500, 500, 1), 10, 1000))).toEqual([[1, 2], [3]]);
  });

  it('sends an item larger than the budget alone', () => {
    expect(ids(planBatches(sized(10, 5000, 10), 10, 1000))).toEqual([[1], [2], [3]]);
  });

  it('keeps the order', () => {
    expect(ids(planBatches(sized(1, 2, 3, 4, 5, 6), 4, 1000)).flat()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects budgets that would loop forever', () => {
    expect(() => planBatches(sized(1), 0, 1000)).toThrow(RangeError);
    expect(() => planBatches(sized(1), 1, 0)).toThrow(RangeError);
  });
});
