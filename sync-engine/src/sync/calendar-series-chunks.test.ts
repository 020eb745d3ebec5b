import { describe, expect, it } from 'vitest';
import type { OccurrenceInput, SeriesInput } from '../mail/ews/ews-calendar-series.js';
import { OCCURRENCES_PER_SERIES, SERIES_PER_CALL, seriesCalls } from './calendar-series-chunks.js';

const occurrence = (day: number): OccurrenceInput => {
  const start = new Date(Date.UTC(2027, 0, 1) + day * 86_400_000).toISOString();
  return { method: 'PUBLISH', uid: 'daily', sequence: 0, summary: 'Daily', location: null, description: null, start, end: start, allDay: false, organizer: null, attendees: [], status: 'CONFIRMED', instanceType: 'OCCURRENCE', originalStart: start };
};
const series = (uid: string, count: number): SeriesInput => ({
  master: { ...occurrence(0), uid }, uid, recurrence: null, occurrences: Array.from({ length: count }, (_, i) => occurrence(count - 1 - i)), window: { from: '2026-12-01T00:00:00.000Z', to: '2030-01-01T00:00:00.000Z' },
});

describe('series in calls the hub takes', () => {
  it('splits a series with more occurrences than an entry holds into adjacent windows, each with all of its occurrences, master first', () => {
    const [[first, second, third]] = seriesCalls([series('daily', 2 * OCCURRENCES_PER_SERIES + 3)]);
    expect([first.occurrences.length, second.occurrences.length, third.occurrences.length]).toEqual([OCCURRENCES_PER_SERIES, OCCURRENCES_PER_SERIES, 3]);
    expect(first.master).not.toBeNull();
    expect([second.master, third.master]).toEqual([null, null]);
    expect(first.window.from).toBe('2026-12-01T00:00:00.000Z');
    expect(first.window.to).toBe(second.window.from);
    expect(second.window.to).toBe(third.window.from);
    expect(third.window.to).toBe('2030-01-01T00:00:00.000Z');
    // Every occurrence sits in its entry's window.
    for (const part of [first, second, third]) for (const o of part.occurrences) expect(o.originalStart >= part.window.from && o.originalStart < part.window.to).toBe(true);
  });

  it('sends at most SERIES_PER_CALL entries a call and leaves small series whole', () => {
    const calls = seriesCalls(Array.from({ length: SERIES_PER_CALL + 1 }, (_, i) => series(`s${i}`, 3)));
    expect(calls.map((c) => c.length)).toEqual([SERIES_PER_CALL, 1]);
    expect(calls[0][0].occurrences).toHaveLength(3);
    expect(seriesCalls([])).toEqual([]);
  });
});
