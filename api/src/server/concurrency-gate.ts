/**
 * Counts operations in flight per caller and in one shared pool; refuses at once instead of queueing, so a
 * flood costs its sender refusals, not everyone else a wait. In-process: each api replica keeps its own counts.
 */
export class ConcurrencyGate {
  private readonly inFlight = new Map<string, number>();
  private pooled = 0;

  constructor(private readonly poolLimit: number) {}

  /**
   * Takes a slot for `key` (at most `limit` at once) and, when `pooled`, one of the shared pool's.
   * Returns the function that gives them back (idempotent), or undefined when either is full.
   */
  tryEnter(key: string, limit: number, pooled: boolean): (() => void) | undefined {
    const mine = this.inFlight.get(key) ?? 0;
    if (mine >= limit || (pooled && this.pooled >= this.poolLimit)) return undefined;
    this.inFlight.set(key, mine + 1);
    if (pooled) this.pooled++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(key, left);
      else this.inFlight.delete(key);
      if (pooled) this.pooled--;
    };
  }

  /** Operations in flight for `key` (for tests and metrics). */
  count(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }
}
