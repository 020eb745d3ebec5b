import { describe, expect, it } from 'vitest';
import { chartMaximum, linePath, niceCeiling, tickIndexes } from '../../web/src/dashboard/chart-scale';

// The dashboard charts' arithmetic: the y axis' top, where x labels go, and lines broken where no sample exists.

describe('chart scale', () => {
  it('rounds the top of the axis up to a number whose half is round too', () => {
    expect([0, 0.3, 1, 3, 5, 7, 11, 45, 1234].map(niceCeiling)).toEqual([2, 0.4, 2, 4, 6, 8, 20, 60, 2000]);
  });

  it('stacks bars but not lines', () => {
    const series = [
      { key: 'a', label: 'A', color: 'red', values: [1, 3, null] },
      { key: 'b', label: 'B', color: 'blue', values: [2, 2, 1] },
    ];
    expect(chartMaximum(series, true)).toBe(6);
    expect(chartMaximum(series, false)).toBe(4);
    expect(chartMaximum([], true)).toBe(2);
  });

  it('puts x labels at both ends and evenly between', () => {
    expect(tickIndexes(60, 5)).toEqual([0, 15, 30, 44, 59]);
    expect(tickIndexes(3, 5)).toEqual([0, 1, 2]);
    expect(tickIndexes(1, 5)).toEqual([0]);
    expect(tickIndexes(0, 5)).toEqual([]);
  });

  it('breaks a line where a bucket has no sample', () => {
    expect(linePath([1, 2, null, 4], (i) => i * 10, (v) => v)).toBe('M0.0,1.0L10.0,2.0M30.0,4.0');
    expect(linePath([null, null], (i) => i, (v) => v)).toBe('');
  });
});
