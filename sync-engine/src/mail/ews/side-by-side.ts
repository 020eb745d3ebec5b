/**
 * Runs calls side by side and answers their results in order, as Promise.all does; but a failure never leaves the
 * others running behind it: the first one cancels the rest (through the signal each call is given) and is thrown once
 * every call has settled, so whoever handles it (a retry, the next sync) starts with nothing of the old attempt in flight.
 */
export async function sideBySide<T extends readonly unknown[]>(signal: AbortSignal | undefined, calls: { readonly [K in keyof T]: (signal: AbortSignal) => Promise<T[K]> }): Promise<T> {
  const failed = new AbortController();
  const shared = signal ? AbortSignal.any([signal, failed.signal]) : failed.signal;
  let first: { readonly error: unknown } | null = null;
  const settled = await Promise.allSettled(
    (calls as readonly ((signal: AbortSignal) => Promise<unknown>)[]).map((call) =>
      call(shared).catch((error: unknown) => {
        if (!first) {
          first = { error };
          failed.abort();
        }
        throw error;
      }),
    ),
  );
  if (first) throw (first as { readonly error: unknown }).error;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
