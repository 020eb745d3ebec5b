import type { IngestFigures } from '../mail/sync-metric-events';
import { LAG_CLASSES, lagClassOf } from '../mail/sync-metrics-rules';

/** What ingestFigures reads of a batch's items: the position, and when the mail server received it (IMAP INTERNALDATE, POP3 the topmost Received header). */
export interface ArrivedItem {
  readonly index: number;
  readonly receivedAt: Date | null;
}

/** Outcomes that are a first decision of this mailbox (DUPLICATE is a replay, REJECTED comes back later): each one's lag is measured. */
const DECIDED = new Set(['TRACKED', 'LINKED', 'FILTERED']);

/**
 * A batch's figures for the sync dashboard. Lag is decidedAt − the server's arrival time, for first decisions
 * whose arrival is known; none is measured while the mailbox backfills (`backfill`: its first sync, or a
 * resync an administrator asked for), since that mail was never waiting for the sync. A server clock ahead
 * of the hub's counts as no lag rather than a negative one.
 */
export function ingestFigures(
  results: readonly { readonly index: number; readonly outcome: string }[],
  items: readonly ArrivedItem[],
  quarantined: number,
  context: { readonly now: Date; readonly backfill: boolean },
): IngestFigures {
  const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
  const arrival = new Map(items.map((i) => [i.index, i.receivedAt]));
  const lags = context.backfill
    ? []
    : results.flatMap((r) => {
        const receivedAt = DECIDED.has(r.outcome) ? arrival.get(r.index) : null;
        return receivedAt ? [Math.max(0, context.now.getTime() - receivedAt.getTime())] : [];
      });
  const lagClasses = LAG_CLASSES.map(() => 0);
  for (const lag of lags) lagClasses[lagClassOf(lag)]++;
  return {
    tracked: count('TRACKED'),
    linked: count('LINKED'),
    filtered: count('FILTERED'),
    rejected: count('REJECTED'),
    quarantined,
    lagCount: lags.length,
    lagSumMs: lags.reduce((sum, lag) => sum + lag, 0),
    lagMaxMs: lags.reduce((max, lag) => Math.max(max, lag), 0),
    lagClasses,
  };
}
