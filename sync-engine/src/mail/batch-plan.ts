/** One message as known before its body is fetched. */
export interface SizedItem {
  readonly size: number;
}

/**
 * Splits items (kept in order) into batches of at most `batchSize` items and about `maxBatchBytes` bytes: a batch
 * closes before the item that would take it past the byte budget, so a single larger item travels alone.
 */
export function planBatches<T extends SizedItem>(items: readonly T[], batchSize: number, maxBatchBytes: number): T[][] {
  if (!(batchSize >= 1)) throw new RangeError(`batchSize must be at least 1, got ${batchSize}`);
  if (!(maxBatchBytes >= 1)) throw new RangeError(`maxBatchBytes must be at least 1, got ${maxBatchBytes}`);
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length >= batchSize || bytes + item.size > maxBatchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
