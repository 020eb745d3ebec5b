/**
 * Callers already resolved from a bearer token, kept for a few seconds: resolving one costs six
 * statements (session, user, roles, privileges, field permissions), which would otherwise be most
 * of a small request. Changes made in this process (sign-out, roles, privileges, disabling a user,
 * revoking a key) clear it at once; another api process sees them within the TTL.
 */
export class CredentialCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  private readonly loading = new Map<string, Promise<T>>();
  /** Bumped by clear(): a load that began before it is not kept. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** `expiresAt`: the credential's own end (a session's expiry), which the cache never outlives. */
  set(key: string, value: T, expiresAt?: Date | null): void {
    if (this.ttlMs <= 0) return;
    // Maps iterate in insertion order: dropping the first entry drops the oldest.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    const until = Math.min(this.now() + this.ttlMs, expiresAt ? expiresAt.getTime() : Infinity);
    this.entries.set(key, { value, until });
  }

  /**
   * The cached value, else what `load` resolves. Callers that ask for the same key while it loads
   * share that one load: when an entry expires, a thousand live connections of one user would
   * otherwise each run the six statements at the same moment. Failures are shared, never kept.
   */
  resolve(key: string, load: () => Promise<{ value: T; expiresAt?: Date | null }>): Promise<T> {
    const cached = this.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const loaded: Promise<T> = load()
      .then(({ value, expiresAt }) => {
        if (generation === this.generation) this.set(key, value, expiresAt);
        return value;
      })
      .finally(() => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
      });
    this.loading.set(key, loaded);
    return loaded;
  }

  clear(): void {
    this.entries.clear();
    // Loads under way read the state before the change: whoever asks from now on loads afresh.
    this.loading.clear();
    this.generation++;
  }
}
