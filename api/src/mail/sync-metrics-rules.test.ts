import { describe, expect, it } from 'vitest';
import { bucketIndex, bucketWindow, LAG_CLASSES, lagClassOf, minuteToDate, percentileBoundSeconds, SyncMetricsRange } from './sync-metrics-rules';

const now = new Date('2026-12-04T12:34:56.789Z');

describe('bucketWindow', () => {
  it.each([
    [SyncMetricsRange.HOUR, 60, 1, '2026-12-04T11:35:00.000Z', '2026-12-04T12:35:00.000Z'],
    [SyncMetricsRange.DAY, 96, 15, '2026-12-03T12:45:00.000Z', '2026-12-04T12:45:00.000Z'],
    [SyncMetricsRange.WEEK, 168, 60, '2026-11-27T13:00:00.000Z', '2026-12-04T13:00:00.000Z'],
  ])('%s: %i buckets of %i min, aligned, the last one holding now', (range, buckets, minutes, first, end) => {
    const w = bucketWindow(range, now);
    expect(w).toMatchObject({ buckets, bucketMinutes: minutes });
    expect(minuteToDate(w.firstMinute).toISOString()).toBe(first);
    expect(minuteToDate(w.endMinute).toISOString()).toBe(end);
    expect(w.endMinute - w.firstMinute).toBe(buckets * minutes);
  });

  it('at a bucket boundary, now opens the last bucket', () => {
    const w = bucketWindow(SyncMetricsRange.DAY, new Date('2026-12-04T12:45:00.000Z'));
    expect(minuteToDate(w.endMinute - w.bucketMinutes).toISOString()).toBe('2026-12-04T12:45:00.000Z');
  });
});

describe('bucketIndex', () => {
  const w = bucketWindow(SyncMetricsRange.DAY, now);
  it('places bucket starts and refuses what is outside or unaligned', () => {
    expect(bucketIndex(w, w.firstMinute)).toBe(0);
    expect(bucketIndex(w, w.firstMinute + 15)).toBe(1);
    expect(bucketIndex(w, w.endMinute - 15)).toBe(95);
    expect(bucketIndex(w, w.endMinute)).toBe(-1);
    expect(bucketIndex(w, w.firstMinute - 15)).toBe(-1);
    expect(bucketIndex(w, w.firstMinute + 7)).toBe(-1);
  });
});

describe('lag classes and percentile bounds', () => {
  it('puts a lag in the first class whose edge it does not pass', () => {
    expect(lagClassOf(0)).toBe(0);
    expect(lagClassOf(10_000)).toBe(0);
    expect(lagClassOf(10_001)).toBe(1);
    expect(lagClassOf(90_000)).toBe(3);
    expect(lagClassOf(86_400_000)).toBe(9);
    expect(lagClassOf(86_400_001)).toBe(LAG_CLASSES.length - 1);
  });

  const counts = (entries: Record<number, number>) => LAG_CLASSES.map((_c, i) => entries[i] ?? 0);

  it.each([
    ['no samples', {}, 0, 0.95, null],
    ['one sample: its class edge, capped by the largest lag', { 1: 1 }, 25_000, 0.5, 25],
    ['median of 10 in classes 0 (6) and 4 (4)', { 0: 6, 4: 4 }, 290_000, 0.5, 10],
    ['p95 of the same lies in class 4: its edge is above the largest lag, so the largest', { 0: 6, 4: 4 }, 290_000, 0.95, 290],
    ['p95 of 100 with 5 slow ones lies in the fast class', { 2: 95, 7: 5 }, 3_000_000, 0.95, 60],
    ['p95 of 100 with 6 slow ones lies in the slow class', { 2: 94, 7: 6 }, 3_000_000, 0.95, 3000],
    ['the open last class: the largest lag', { 10: 2 }, 200_000_000, 0.5, 200_000],
  ])('%s', (_label, entries, max, fraction, expected) => {
    expect(percentileBoundSeconds(counts(entries), max, fraction)).toBe(expected);
  });
});
