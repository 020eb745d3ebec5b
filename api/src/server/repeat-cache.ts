/**
 * What a pure function answered for recent inputs: clients send the same few documents over and over, so
 * the checks that run on each (the shape of the query text, the complexity of a document with its
 * variables) are worked out once per distinct input. Bounded: past `capacity` entries the oldest goes.
 */
export class RepeatCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  /** The remembered answer for `key`, or `compute()`'s, remembered. A throw is not remembered. */
  get(key: K, compute: () => V): V {
    if (this.entries.has(key)) return this.entries.get(key) as V;
    const value = compute();
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
