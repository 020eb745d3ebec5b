/**
 * Iterates `source` one item ahead: as soon as an item is handed out, the next is asked for, so the source's
 * fetching overlaps the consumer's work on the item in hand. At most one item waits besides the one in hand.
 * A failure of the read-ahead surfaces where the consumer would have met it, after the items before it. When the
 * consumer stops early, the pending read is awaited (its failure dropped: nobody asked for it) before the
 * source is closed, so the source never sees two calls at once.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | null = iterator.next();
  let finished = false;
  // Cleared once handed out: this generator must not keep an item (a batch of raw mail) alive while it waits for the next.
  let item: IteratorResult<T> | null = null;
  try {
    for (;;) {
      const current: Promise<IteratorResult<T>> = pending;
      pending = null;
      item = await current;
      if (item.done) {
        finished = true;
        return;
      }
      pending = iterator.next();
      // Not awaited until the consumer asks: a failure meanwhile must not count as unhandled.
      pending.catch(() => undefined);
      const { value } = item;
      item = null;
      yield value;
    }
  } finally {
    if (!finished) {
      if (pending) await (pending as Promise<IteratorResult<T>>).catch(() => undefined);
      await iterator.return?.();
    }
  }
}
