import { describe, expect, it } from 'vitest';
import { dayIn, isTimeZone, midnightIn } from './zoned-day';

describe('days in a time zone', () => {
  it('finds the instant a day begins, in winter and summer, east and west of UTC and past UTC+12', () => {
    expect(midnightIn('2026-12-05', 'Europe/Stockholm').toISOString()).toBe('2026-12-04T23:00:00.000Z');
    expect(midnightIn('2026-07-05', 'Europe/Stockholm').toISOString()).toBe('2026-07-04T22:00:00.000Z');
    expect(midnightIn('2026-12-05', 'America/New_York').toISOString()).toBe('2026-12-05T05:00:00.000Z');
    expect(midnightIn('2026-12-05', 'Pacific/Auckland').toISOString()).toBe('2026-12-04T11:00:00.000Z');
    expect(midnightIn('2026-12-05', 'Pacific/Kiritimati').toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(midnightIn('2026-12-05', null).toISOString()).toBe('2026-12-05T00:00:00.000Z');
  });

  it('starts a day whose midnight summer time skips at the end of the gap (Santiago)', () => {
    const start = midnightIn('2026-09-06', 'America/Santiago');
    expect(start.toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(dayIn(start, 'America/Santiago')).toBe('2026-09-06');
    expect(dayIn(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2026-09-05');
  });

  it('names the day of an instant where the zone is', () => {
    expect(dayIn(new Date('2026-12-04T23:00:00Z'), 'Europe/Stockholm')).toBe('2026-12-05');
    expect(dayIn(new Date('2026-12-04T23:00:00Z'), null)).toBe('2026-12-04');
    expect(dayIn(new Date('2026-12-05T04:59:00Z'), 'America/New_York')).toBe('2026-12-04');
  });

  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Europe/Stockholm')).toBe(true);
    expect(isTimeZone('W. Europe Standard Time')).toBe(false);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
