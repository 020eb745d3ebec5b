import { describe, expect, it } from 'vitest';
import { PerPersonBudget } from './per-person-budget';

describe('a per-person budget', () => {
  it('allows perMinute uses in a sliding minute, then says how long to wait', () => {
    let now = 1_000_000;
    const budget = new PerPersonBudget({ perMinute: 3, concurrent: 10 }, () => now);
    for (let i = 0; i < 3; i++) {
      const use = budget.take('ada');
      expect('release' in use).toBe(true);
      if ('release' in use) use.release();
      now += 10_000;
    }
    expect(budget.take('ada')).toEqual({ retryAfterSeconds: 30 });
    // Another person has their own budget.
    expect('release' in budget.take('sam')).toBe(true);
    now += 30_001;
    expect('release' in budget.take('ada')).toBe(true);
  });

  it('allows `concurrent` at once; a release (once, however often called) frees a place', () => {
    const budget = new PerPersonBudget({ perMinute: 100, concurrent: 2 });
    const first = budget.take('ada');
    const second = budget.take('ada');
    expect(budget.take('ada')).toEqual({ retryAfterSeconds: 1 });
    if ('release' in first) {
      first.release();
      first.release();
    }
    expect('release' in budget.take('ada')).toBe(true);
    expect(budget.take('ada')).toEqual({ retryAfterSeconds: 1 });
    expect('release' in second).toBe(true);
  });

  it('forgets people who used nothing in the last minute', () => {
    let now = 0;
    const budget = new PerPersonBudget({ perMinute: 1, concurrent: 1 }, () => now);
    const use = budget.take('ada');
    if ('release' in use) use.release();
    now += 61_000;
    budget.sweep();
    expect('release' in budget.take('ada')).toBe(true);
  });
});
