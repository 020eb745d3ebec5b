import { describe, expect, it } from 'vitest';
import { isKnownTimeZone } from '../../time/zoned-time.js';
import { ianaZoneOf, KNOWN_WINDOWS_ZONES, windowsZoneOf } from './windows-zones.js';

describe('Windows ↔ IANA time zones (CLDR windowsZones)', () => {
  it.each([
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['Romance Standard Time', 'Europe/Paris'],
    ['FLE Standard Time', 'Europe/Kiev'],
    ['GMT Standard Time', 'Europe/London'],
    ['Eastern Standard Time', 'America/New_York'],
    ['Pacific Standard Time', 'America/Los_Angeles'],
    ['India Standard Time', 'Asia/Calcutta'],
    ['Tokyo Standard Time', 'Asia/Tokyo'],
    ['AUS Eastern Standard Time', 'Australia/Sydney'],
    ['UTC', 'Etc/UTC'],
  ])('%s defaults to %s', (windows, iana) => {
    expect(ianaZoneOf(windows)).toBe(iana);
    expect(windowsZoneOf(iana)).toBe(windows);
  });

  it.each([
    ['Europe/Stockholm', 'W. Europe Standard Time'],
    ['Europe/Oslo', 'W. Europe Standard Time'],
    ['Europe/Copenhagen', 'Romance Standard Time'],
    ['Europe/Helsinki', 'FLE Standard Time'],
    ['Europe/Kyiv', 'FLE Standard Time'],
    ['Asia/Kolkata', 'India Standard Time'],
    ['America/Toronto', 'Eastern Standard Time'],
  ])('%s maps to %s and comes back as itself when preferred', (iana, windows) => {
    expect(windowsZoneOf(iana)).toBe(windows);
    expect(ianaZoneOf(windows, iana)).toBe(iana);
  });

  it('ignores a preferred zone of another Windows zone', () => {
    expect(ianaZoneOf('W. Europe Standard Time', 'America/New_York')).toBe('Europe/Berlin');
    expect(ianaZoneOf('W. Europe Standard Time', null)).toBe('Europe/Berlin');
  });

  it('says null for what it does not know, including inherited object keys', () => {
    expect(ianaZoneOf('Mars Standard Time')).toBeNull();
    expect(ianaZoneOf('constructor')).toBeNull();
    expect(ianaZoneOf('toString')).toBeNull();
    expect(windowsZoneOf('Mars/Olympus_Mons')).toBeNull();
  });

  it('names only zones Intl knows', () => {
    expect(KNOWN_WINDOWS_ZONES.length).toBeGreaterThan(130);
    const unknown = KNOWN_WINDOWS_ZONES.map((w) => ianaZoneOf(w)!).filter((iana) => !isKnownTimeZone(iana));
    expect(unknown).toEqual([]);
  });
});
