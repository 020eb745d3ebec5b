// The arithmetic of the dashboard's charts: pure, so the SVG component only draws.

/** One line or bar stack member: a value per bucket (null where there is no sample: a gap in a line). */
export interface ChartSeries {
  readonly key: string;
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** A CSS colour. */
  readonly color: string;
}

/** The smallest "round" number (2, 4, 6, 8 or 10 times a power of ten) at or above `value`, so half of it (the middle grid line) is round too; 2 for nothing to show. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 2;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 4, 6, 8, 10].find((m) => m * power >= value)!;
  return step === 1 ? 2 * power : step * power;
}

/** The top of the y axis: the largest stack (bars) or the largest value (lines), rounded up. */
export function chartMaximum(series: readonly ChartSeries[], stacked: boolean): number {
  const length = Math.max(0, ...series.map((s) => s.values.length));
  let max = 0;
  for (let i = 0; i < length; i++) {
    const values = series.map((s) => s.values[i] ?? 0);
    max = Math.max(max, stacked ? values.reduce((a, b) => a + b, 0) : Math.max(0, ...values));
  }
  return niceCeiling(max);
}

/** `count` indexes spread evenly over `length` buckets, first and last included: where x-axis labels go. */
export function tickIndexes(length: number, count: number): number[] {
  if (length <= 1) return length === 1 ? [0] : [];
  const n = Math.min(count, length);
  return Array.from({ length: n }, (_, i) => Math.round((i * (length - 1)) / (n - 1)));
}

/** The path of a line over the buckets, broken where a value is null. */
export function linePath(values: readonly (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  let path = '';
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${x(i).toFixed(1)},${y(value).toFixed(1)}`;
    drawing = true;
  });
  return path;
}
