/**
 * Maps an async iterator, skipping values mapped to null. Unlike an async generator, `return()`
 * reaches the source at once even while a `next()` waits on it: a client that unsubscribes from a
 * quiet stream releases its listener immediately, not at the next event.
 */
export function mapAsyncIterator<T, U>(source: AsyncIterator<T>, map: (value: T) => Promise<U | null>): AsyncIterableIterator<U> {
  let finished = false;
  const end = async (): Promise<IteratorResult<U>> => {
    if (!finished) {
      finished = true;
      await source.return?.();
    }
    return { value: undefined, done: true };
  };
  const iterator: AsyncIterableIterator<U> = {
    async next() {
      while (!finished) {
        const step = await source.next();
        if (step.done || finished) return end();
        let mapped: U | null;
        try {
          mapped = await map(step.value);
        } catch (err) {
          await end();
          throw err;
        }
        if (mapped !== null && !finished) return { value: mapped, done: false };
      }
      return { value: undefined, done: true };
    },
    return: end,
    async throw(err) {
      await end();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
