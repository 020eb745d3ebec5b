import type { SeriesInput } from '../mail/ews/ews-calendar-series.js';

// The hub takes at most this many series a call and this many occurrences a series (calendar-sync.inputs.ts).
export const SERIES_PER_CALL = 20;
export const OCCURRENCES_PER_SERIES = 500;

/**
 * A batch's series in calls the hub takes. A series with more occurrences than one entry holds is split into entries
 * over adjacent windows, each listing every occurrence its window has (the hub cancels one its window lacks); the
 * master and the rule go with the first.
 */
export function seriesCalls(series: readonly SeriesInput[]): SeriesInput[][] {
  const entries = series.flatMap(splitSeries);
  const calls: SeriesInput[][] = [];
  for (let at = 0; at < entries.length; at += SERIES_PER_CALL) calls.push(entries.slice(at, at + SERIES_PER_CALL));
  return calls;
}

function splitSeries(series: SeriesInput): SeriesInput[] {
  if (series.occurrences.length <= OCCURRENCES_PER_SERIES) return [series];
  const sorted = [...series.occurrences].sort((a, b) => Date.parse(a.originalStart) - Date.parse(b.originalStart));
  const parts: SeriesInput[] = [];
  for (let at = 0; at < sorted.length; at += OCCURRENCES_PER_SERIES) {
    const next = sorted[at + OCCURRENCES_PER_SERIES];
    parts.push({
      master: at === 0 ? series.master : null,
      uid: series.uid,
      recurrence: at === 0 ? series.recurrence : null,
      occurrences: sorted.slice(at, at + OCCURRENCES_PER_SERIES),
      window: { from: at === 0 ? series.window.from : sorted[at].originalStart, to: next ? next.originalStart : series.window.to },
    });
  }
  return parts;
}
