// Things that arrive from elsewhere (events, subscription messages, log lines), and waits on them: a waiter
// re-checks on each arrival, never on a timer.

export class Arrivals<T> {
  readonly items: T[] = [];
  private waiters: (() => void)[] = [];

  push(item: T): void {
    this.items.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves with what `check` returns once it is not undefined, checking now and on each arrival; rejects after `timeoutMs`. */
  async until<R>(check: (items: readonly T[]) => R | undefined, timeoutMs: number, what: string): Promise<R> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check(this.items);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${this.items.length} arrived)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The first item from index `from` on that `test` accepts, arrived or to come. */
  find(test: (item: T) => boolean, options: { from?: number; timeoutMs?: number; what?: string } = {}): Promise<T> {
    const { from = 0, timeoutMs = 30_000, what = 'a matching item' } = options;
    return this.until((items) => items.slice(from).find(test), timeoutMs, what);
  }
}
