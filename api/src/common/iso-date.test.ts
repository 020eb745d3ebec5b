import { describe, expect, it } from 'vitest';
import { isoDateTime } from './iso-date';

describe('isoDateTime', () => {
  it('writes what toISOString writes, across eras, leap days, month ends and the edges of the day', () => {
    const cases = [
      '1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2000-02-29T12:00:00.001Z', '1900-02-28T23:59:59.999Z',
      '1900-03-01T00:00:00.000Z', '2100-03-01T00:00:00.000Z', '2024-02-29T23:59:59.999Z', '2026-12-31T23:59:59.999Z',
      '0000-01-01T00:00:00.000Z', '0000-02-29T00:00:00.000Z', '0001-01-01T00:00:00.010Z', '0099-12-31T23:59:59.100Z',
      '0999-06-15T07:08:09.010Z', '1000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1601-01-01T00:00:00.000Z',
    ];
    for (const text of cases) expect(isoDateTime(new Date(text))).toBe(text);
  });

  it('agrees with toISOString on a million dates spread over years 0 to 9999', () => {
    const from = Date.parse('0000-01-01T00:00:00.000Z');
    const span = Date.parse('9999-12-31T23:59:59.999Z') - from;
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 1_000_000; i++) {
      const date = new Date(from + Math.floor(random() * span));
      if (isoDateTime(date) !== date.toISOString()) expect(isoDateTime(date)).toBe(date.toISOString());
    }
  });

  it('leaves dates outside years 0–9999 to toISOString, and throws as it does for an invalid date', () => {
    for (const date of [new Date('-000001-12-31T23:59:59.999Z'), new Date('+010000-01-01T00:00:00.000Z'), new Date(8.64e15), new Date(-8.64e15)]) {
      expect(isoDateTime(date)).toBe(date.toISOString());
    }
    expect(() => isoDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
