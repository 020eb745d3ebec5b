/** DataLoader batches answer in the order of their keys: each key's row, or undefined. */
export function byKey<T>(rows: readonly T[], keys: readonly string[], key: (row: T) => string): (T | undefined)[] {
  const map = new Map(rows.map((r) => [key(r), r]));
  return keys.map((k) => map.get(k));
}

/** Each key's rows, in the order of the keys (an empty list for a key without any). */
export function grouped<T>(rows: readonly T[], keys: readonly string[], key: (row: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return keys.map((k) => map.get(k) ?? []);
}
