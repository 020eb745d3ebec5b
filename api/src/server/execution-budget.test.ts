import { describe, expect, it } from 'vitest';
import { approximateJsonSize, ExecutionBudget } from './execution-budget';

describe('ExecutionBudget', () => {
  it('refuses every field once the time is up, with TIMEOUT', () => {
    const budget = new ExecutionBudget({ responseBytes: 1_000_000, timeoutMs: 1000 }, 5000);
    expect(() => budget.enterField('a', 5000)).not.toThrow();
    expect(() => budget.enterField('b', 5001)).toThrow(/time budget of 1 seconds/);
    expect(budget.stopped?.extensions.code).toBe('TIMEOUT');
    expect(() => budget.enterField('c', 0)).toThrow(budget.stopped!);
  });

  it('stops once the answer passes its size, with RESPONSE_TOO_LARGE', () => {
    const budget = new ExecutionBudget({ responseBytes: 1024 * 1024, timeoutMs: 1000 }, Infinity);
    budget.enterField('body', 0);
    budget.resolved('x'.repeat(1024 * 1024 - 100));
    expect(budget.stopped).toBeUndefined();
    budget.enterField('more', 0);
    budget.resolved('x'.repeat(200));
    expect(budget.stopped?.extensions.code).toBe('RESPONSE_TOO_LARGE');
    expect(() => budget.enterField('next', 0)).toThrow(/limit of 1 MB/);
  });
});

describe('approximateJsonSize', () => {
  it.each([
    ['a string', 'abc', 5],
    ['a number', 42, 8],
    ['null', null, 4],
    ['a date', new Date(0), 26],
    ['a list of strings', ['ab', 'cd'], 10],
    ['an object (its fields count as they resolve)', { a: 'x'.repeat(100) }, 2],
  ])('%s', (_label, value, size) => {
    expect(approximateJsonSize(value)).toBe(size);
  });
});
