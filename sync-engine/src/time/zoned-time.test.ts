import { describe, expect, it } from 'vitest';
import { fromLocal, isKnownTimeZone, localDate, parseDate, toLocal } from './zoned-time.js';

describe('zoned time', () => {
  it.each([
    // Europe/Stockholm: CET (+01) in winter, CEST (+02) from the last Sunday of March 2026 (29th) to 25 October.
    ['2026-01-12T09:00:00', 'Europe/Stockholm', '2026-01-12T08:00:00.000Z'],
    ['2026-03-30T09:00:00', 'Europe/Stockholm', '2026-03-30T07:00:00.000Z'],
    ['2026-10-26T09:00:00', 'Europe/Stockholm', '2026-10-26T08:00:00.000Z'],
    ['2026-07-01T09:00:00', 'America/New_York', '2026-07-01T13:00:00.000Z'],
    ['2026-07-01T09:00:00', 'Australia/Sydney', '2026-06-30T23:00:00.000Z'],
    ['2026-07-01T09:00:00', 'Etc/UTC', '2026-07-01T09:00:00.000Z'],
  ])('%s in %s is %s and back', (local, zone, instant) => {
    const [date, time] = local.split('T');
    const [year, month, day] = date.split('-').map(Number);
    const [hour, minute, second] = time.split(':').map(Number);
    expect(fromLocal({ year, month, day, hour, minute, second }, zone)).toBe(instant);
    expect(toLocal(instant, zone)).toEqual({ year, month, day, hour, minute, second });
  });

  it('moves a time inside the spring gap forward by the gap', () => {
    expect(fromLocal({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Stockholm')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('takes the first of a time that happens twice in the autumn overlap (RFC 5545 3.3.5)', () => {
    expect(fromLocal({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, 'Europe/Stockholm')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('gives the local date of an instant', () => {
    expect(localDate('2026-12-23T23:00:00Z', 'Europe/Stockholm')).toBe('2026-12-24');
    expect(localDate('2026-12-23T23:00:00Z', 'Etc/UTC')).toBe('2026-12-23');
  });

  it('reads xs:date with an offset and refuses what is no date', () => {
    expect(parseDate('2026-03-02+01:00')).toEqual({ year: 2026, month: 3, day: 2 });
    expect(() => parseDate('2026-02-30')).toThrow(RangeError);
    expect(() => parseDate('next tuesday')).toThrow(RangeError);
    expect(() => toLocal('not a time', 'Etc/UTC')).toThrow(RangeError);
  });

  it('knows real zones only', () => {
    expect(isKnownTimeZone('Europe/Stockholm')).toBe(true);
    expect(isKnownTimeZone('W. Europe Standard Time')).toBe(false);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
