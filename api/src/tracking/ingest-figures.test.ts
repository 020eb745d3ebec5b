import { describe, expect, it } from 'vitest';
import { ingestFigures } from './ingest-figures';

const now = new Date('2026-12-04T12:00:00.000Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('ingestFigures', () => {
  const results = [
    { index: 0, outcome: 'TRACKED' },
    { index: 1, outcome: 'LINKED' },
    { index: 2, outcome: 'FILTERED' },
    { index: 3, outcome: 'DUPLICATE' },
    { index: 4, outcome: 'REJECTED' },
    { index: 5, outcome: 'TRACKED' },
  ];
  const items = [
    { index: 0, receivedAt: ago(30) },
    { index: 1, receivedAt: ago(90) },
    { index: 2, receivedAt: ago(60) },
    { index: 3, receivedAt: ago(5000) },
    { index: 4, receivedAt: ago(7000) },
    { index: 5, receivedAt: null },
  ];

  it('counts each outcome and measures the lag of first decisions with a known arrival', () => {
    expect(ingestFigures(results, items, 2, { now, backfill: false })).toEqual({
      tracked: 2, linked: 1, filtered: 1, rejected: 1, quarantined: 2,
      lagCount: 3, lagSumMs: 180_000, lagMaxMs: 90_000,
      // 30 s, 60 s and 90 s: classes "up to 30 s", "up to 1 min", "up to 2 min".
      lagClasses: [0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
    });
  });

  it('measures no lag while the mailbox backfills, and still counts', () => {
    expect(ingestFigures(results, items, 0, { now, backfill: true })).toMatchObject({ tracked: 2, filtered: 1, lagCount: 0, lagSumMs: 0, lagMaxMs: 0 });
  });

  it('a mail server clock ahead of the hub is no lag, not a negative one', () => {
    expect(ingestFigures([{ index: 0, outcome: 'TRACKED' }], [{ index: 0, receivedAt: new Date(now.getTime() + 5000) }], 0, { now, backfill: false }))
      .toMatchObject({ lagCount: 1, lagSumMs: 0, lagMaxMs: 0 });
  });

  it('an empty batch is all zeros', () => {
    expect(ingestFigures([], [], 0, { now, backfill: false })).toEqual({
      tracked: 0, linked: 0, filtered: 0, rejected: 0, quarantined: 0, lagCount: 0, lagSumMs: 0, lagMaxMs: 0, lagClasses: Array(11).fill(0),
    });
  });
});
