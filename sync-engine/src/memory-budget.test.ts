import { describe, expect, it } from 'vitest';
import { boundGarbage, collectionDue, COLLECT_FLOOR_BYTES, GARBAGE_HEADROOM_BYTES } from './memory-budget.js';

const MB = 1024 * 1024;

describe('collectionDue', () => {
  it('waits until the garbage since the last full collection passes the headroom', () => {
    const afterLast = 60 * MB;
    expect(collectionDue(afterLast + GARBAGE_HEADROOM_BYTES, afterLast)).toBe(false);
    expect(collectionDue(afterLast + GARBAGE_HEADROOM_BYTES + 1, afterLast)).toBe(true);
  });

  it('never collects early below the floor, however little the last collection left', () => {
    expect(collectionDue(COLLECT_FLOOR_BYTES, 1 * MB)).toBe(false);
    expect(collectionDue(COLLECT_FLOOR_BYTES + 1, 1 * MB)).toBe(true);
  });
});

describe('boundGarbage', () => {
  it('leaves V8 alone when the process was started with its own GC flags', () => {
    expect(boundGarbage(['--expose-gc'], undefined)).toBeNull();
    expect(boundGarbage([], '--heap-growing-percent=30')).toBeNull();
  });

  it('starts, and stops when asked', () => {
    const stop = boundGarbage([], undefined);
    expect(stop).toBeTypeOf('function');
    stop?.();
  });
});
