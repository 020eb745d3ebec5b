/**
 * At most `limit` EWS calls in flight per key (EWS URL + account) across the engine: Exchange throttles by
 * account (EWSMaxConcurrency, 10 by default), and the profile's maxConcurrentConnections says how far to go.
 */
export class EwsCallLimiter {
  private readonly slots = new Map<string, { active: number; limit: number; waiting: Array<() => void> }>();

  /** Runs `call` once a slot for `key` is free; the limit is the latest one given for the key. */
  async run<T>(key: string, limit: number, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const slot = this.slots.get(key) ?? { active: 0, limit, waiting: [] };
    slot.limit = Math.max(1, limit);
    this.slots.set(key, slot);
    while (slot.active >= slot.limit) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        slot.waiting.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
    slot.active++;
    try {
      return await call();
    } finally {
      slot.active--;
      slot.waiting.shift()?.();
      if (slot.active === 0 && slot.waiting.length === 0) this.slots.delete(key);
    }
  }

  /** Calls in flight for `key` (tests and diagnostics). */
  inFlight(key: string): number {
    return this.slots.get(key)?.active ?? 0;
  }
}
