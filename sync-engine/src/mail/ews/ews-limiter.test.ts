import { describe, expect, it } from 'vitest';
import { EwsCallLimiter } from './ews-limiter.js';

describe('EwsCallLimiter', () => {
  it('keeps at most `limit` calls in flight per key and lets other keys run', async () => {
    const limiter = new EwsCallLimiter();
    let inFlight = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const call = () =>
      new Promise<void>((resolve) => {
        inFlight++;
        most = Math.max(most, inFlight);
        releases.push(() => {
          inFlight--;
          resolve();
        });
      });
    const runs = Array.from({ length: 5 }, () => limiter.run('ews|sam', 2, call));
    const other = limiter.run('ews|kim', 2, async () => 'other');
    await expect(other).resolves.toBe('other');
    while (releases.length > 0 || limiter.inFlight('ews|sam') > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    await Promise.all(runs);
    expect(most).toBe(2);
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new EwsCallLimiter();
    let release!: () => void;
    const first = limiter.run('k', 1, () => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const second = limiter.run('k', 1, async () => 'ran', controller.signal);
    controller.abort(new Error('stop'));
    await expect(second).rejects.toThrow('stop');
    release();
    await first;
  });
});
