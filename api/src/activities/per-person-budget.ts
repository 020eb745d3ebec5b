/**
 * How much of a shared resource one person may use in this api process: `perMinute` uses in any
 * sliding minute and `concurrent` at once. In memory, per process: with N api processes a person
 * may use N times as much, which still bounds what one account can make the hub do.
 */
export class PerPersonBudget {
  readonly #recent = new Map<string, number[]>();
  readonly #running = new Map<string, number>();

  constructor(
    private readonly limits: { readonly perMinute: number; readonly concurrent: number },
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes one use for `person`: a release function, or the seconds to wait when the budget is spent
   * (1 for "too many at once", else until the oldest use of the minute falls out of it).
   */
  take(person: string): { readonly release: () => void } | { readonly retryAfterSeconds: number } {
    const now = this.now();
    const recent = (this.#recent.get(person) ?? []).filter((at) => at > now - 60_000);
    if ((this.#running.get(person) ?? 0) >= this.limits.concurrent) return { retryAfterSeconds: 1 };
    if (recent.length >= this.limits.perMinute) return { retryAfterSeconds: Math.max(1, Math.ceil((recent[0] + 60_000 - now) / 1000)) };
    recent.push(now);
    this.#recent.set(person, recent);
    this.#running.set(person, (this.#running.get(person) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.#running.get(person) ?? 1) - 1;
        if (left > 0) this.#running.set(person, left);
        else this.#running.delete(person);
      },
    };
  }

  /** Forgets people with no use in the last minute, so the maps do not grow with every person ever seen. */
  sweep(): void {
    const cutoff = this.now() - 60_000;
    for (const [person, uses] of this.#recent) {
      if (!uses.some((at) => at > cutoff) && !this.#running.has(person)) this.#recent.delete(person);
    }
  }
}
