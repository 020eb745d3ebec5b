import { describe, expect, it } from 'vitest';
import { sideBySide } from './side-by-side.js';

/** A call that settles only when told to, or rejects when its signal aborts, as an EWS call does. */
function heldCall<T>() {
  const held = { started: false, signal: null as AbortSignal | null, settled: false, resolve: (_value: T) => {}, reject: (_error: unknown) => {} };
  const call = (signal: AbortSignal) =>
    new Promise<T>((resolve, reject) => {
      held.started = true;
      held.signal = signal;
      held.resolve = resolve;
      held.reject = reject;
      signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
    }).finally(() => (held.settled = true));
  return { held, call };
}

describe('sideBySide', () => {
  it('starts every call at once and answers their results in order, whichever finishes first', async () => {
    const a = heldCall<string>();
    const b = heldCall<number>();
    const both = sideBySide<[string, number]>(undefined, [a.call, b.call]);
    expect([a.held.started, b.held.started]).toEqual([true, true]);
    b.held.resolve(2);
    a.held.resolve('one');
    await expect(both).resolves.toEqual(['one', 2]);
  });

  it('the first failure cancels the others and is thrown once they have settled, not before', async () => {
    const a = heldCall<string>();
    const b = heldCall<string>();
    const c = heldCall<string>();
    let outcome: unknown = 'pending';
    const all = sideBySide<[string, string, string]>(undefined, [a.call, b.call, c.call]).catch((error: unknown) => (outcome = error));
    a.held.resolve('done');
    b.held.reject(new Error('refused'));
    await all;
    expect((outcome as Error).message).toBe('refused');
    expect(c.held.signal?.aborted).toBe(true);
    expect([a.held.settled, b.held.settled, c.held.settled]).toEqual([true, true, true]);
  });

  it("the caller's signal reaches every call", async () => {
    const stop = new AbortController();
    const a = heldCall<string>();
    const b = heldCall<string>();
    const all = sideBySide<[string, string]>(stop.signal, [a.call, b.call]);
    stop.abort();
    await expect(all).rejects.toThrow('cancelled');
    expect([a.held.signal?.aborted, b.held.signal?.aborted]).toEqual([true, true]);
  });
});
