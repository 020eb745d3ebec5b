import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from './concurrency-gate';

describe('ConcurrencyGate', () => {
  it('lets each caller run up to its limit and refuses the next', () => {
    const gate = new ConcurrencyGate(100);
    const held = [gate.tryEnter('user:a', 2, true), gate.tryEnter('user:a', 2, true)];
    expect(held.every(Boolean)).toBe(true);
    expect(gate.tryEnter('user:a', 2, true)).toBeUndefined();
    expect(gate.tryEnter('user:b', 2, true)).toBeDefined();
    held[0]!();
    expect(gate.tryEnter('user:a', 2, true)).toBeDefined();
  });

  it('shares one pool among pooled callers but never counts an unpooled one against it', () => {
    const gate = new ConcurrencyGate(2);
    expect(gate.tryEnter('user:a', 5, true)).toBeDefined();
    expect(gate.tryEnter('user:b', 5, true)).toBeDefined();
    expect(gate.tryEnter('user:c', 5, true)).toBeUndefined();
    expect(gate.tryEnter('sync', 5, false)).toBeDefined();
  });

  it('gives a slot back once, however often release is called', () => {
    const gate = new ConcurrencyGate(10);
    const release = gate.tryEnter('user:a', 1, true)!;
    release();
    release();
    expect(gate.count('user:a')).toBe(0);
    const again = gate.tryEnter('user:a', 1, true);
    expect(again).toBeDefined();
    release();
    expect(gate.count('user:a')).toBe(1);
  });
});
