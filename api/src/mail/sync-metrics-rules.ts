// The sync dashboard's rules over plain numbers (no database, no clock): which buckets a range has, where a
// bucket of the aggregate query lands, and how lag is classed so its percentiles can be bounded from sums.

export enum SyncMetricsRange {
  HOUR = 'HOUR',
  DAY = 'DAY',
  WEEK = 'WEEK',
}

/** Each range's buckets: HOUR 60 × 1 min, DAY 96 × 15 min, WEEK 168 × 1 h. */
export const RANGE_LAYOUT: Readonly<Record<SyncMetricsRange, { readonly bucketMinutes: number; readonly buckets: number }>> = {
  [SyncMetricsRange.HOUR]: { bucketMinutes: 1, buckets: 60 },
  [SyncMetricsRange.DAY]: { bucketMinutes: 15, buckets: 96 },
  [SyncMetricsRange.WEEK]: { bucketMinutes: 60, buckets: 168 },
};

/** The longest range and one bucket more: what the history keeps. */
export const RETENTION_MINUTES = 8 * 24 * 60;

export interface BucketWindow {
  /** Minutes since the Unix epoch (UTC) where the first bucket starts; the last one ends at `endMinute` and holds "now". */
  readonly firstMinute: number;
  readonly endMinute: number;
  readonly bucketMinutes: number;
  readonly buckets: number;
}

/** Buckets align to whole multiples of their size since the epoch (UTC), so two reads a moment apart share them. */
export function bucketWindow(range: SyncMetricsRange, now: Date): BucketWindow {
  const { bucketMinutes, buckets } = RANGE_LAYOUT[range];
  const nowMinute = Math.floor(now.getTime() / 60_000);
  const current = nowMinute - (nowMinute % bucketMinutes);
  const firstMinute = current - (buckets - 1) * bucketMinutes;
  return { firstMinute, endMinute: current + bucketMinutes, bucketMinutes, buckets };
}

/** The position of the bucket that starts at `bucketMinute`, or -1 outside the window. */
export function bucketIndex(window: BucketWindow, bucketMinute: number): number {
  const offset = bucketMinute - window.firstMinute;
  if (offset < 0 || bucketMinute >= window.endMinute || offset % window.bucketMinutes !== 0) return -1;
  return offset / window.bucketMinutes;
}

export const minuteToDate = (minute: number): Date => new Date(minute * 60_000);

/**
 * Sync lag is counted into these classes (upper edges in seconds; the last class holds the rest), so a
 * percentile can be bounded from sums alone: the database adds classes up per bucket, no row reaches the api.
 */
export const LAG_CLASSES = [
  { column: 'lagUpTo10s', upToSeconds: 10 },
  { column: 'lagUpTo30s', upToSeconds: 30 },
  { column: 'lagUpTo1m', upToSeconds: 60 },
  { column: 'lagUpTo2m', upToSeconds: 120 },
  { column: 'lagUpTo5m', upToSeconds: 300 },
  { column: 'lagUpTo15m', upToSeconds: 900 },
  { column: 'lagUpTo30m', upToSeconds: 1800 },
  { column: 'lagUpTo1h', upToSeconds: 3600 },
  { column: 'lagUpTo6h', upToSeconds: 21_600 },
  { column: 'lagUpTo1d', upToSeconds: 86_400 },
  { column: 'lagOver1d', upToSeconds: null },
] as const;

export type LagClassColumn = (typeof LAG_CLASSES)[number]['column'];

/** The class a lag (ms) falls in: the first whose upper edge it does not pass. */
export function lagClassOf(lagMs: number): number {
  const index = LAG_CLASSES.findIndex((c) => c.upToSeconds !== null && lagMs <= c.upToSeconds * 1000);
  return index < 0 ? LAG_CLASSES.length - 1 : index;
}

/**
 * An upper bound of the `fraction` percentile (0.5, 0.95) of lags counted into classes, in seconds: the upper edge
 * of the class holding it (nearest-rank), or the largest lag when that is smaller or the class is the open last one.
 * Null without samples.
 */
export function percentileBoundSeconds(classCounts: readonly number[], maxMs: number, fraction: number): number | null {
  const total = classCounts.reduce((sum, n) => sum + n, 0);
  if (!total) return null;
  const rank = Math.max(1, Math.ceil(fraction * total));
  let seen = 0;
  for (const [i, count] of classCounts.entries()) {
    seen += count;
    if (seen < rank) continue;
    const edge = LAG_CLASSES[i].upToSeconds;
    return edge === null ? maxMs / 1000 : Math.min(edge, maxMs / 1000);
  }
  return maxMs / 1000;
}
