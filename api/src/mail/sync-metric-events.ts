import type { EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import { insertChunked } from '../db/insert-chunked';
import { SendMetricOutcome, SyncMetricEvent, SyncMetricKind } from './sync-metric-event.entity';
import { LAG_CLASSES } from './sync-metrics-rules';

// Appends the sync dashboard's history (sync_metric_event) inside the caller's transaction, so a rolled-back
// run, batch or send report leaves no row and a committed one always has its row.

const minuteOf = (at: Date): number => Math.floor(at.getTime() / 60_000);

/** A trackEmails batch's figures, as ingestFigures (tracking/ingest-figures.ts) counts them. */
export interface IngestFigures {
  readonly tracked: number;
  readonly linked: number;
  readonly filtered: number;
  readonly rejected: number;
  readonly quarantined: number;
  readonly lagCount: number;
  readonly lagSumMs: number;
  readonly lagMaxMs: number;
  /** Lags counted per class of LAG_CLASSES, in its order. */
  readonly lagClasses: readonly number[];
}

/** A SYNC lease ended (releaseMailbox): its outcome, the engine's error code and the items it processed. */
export async function recordSyncRun(em: EntityManager, mailboxId: string, at: Date, run: { outcome: string; code: string | null; items: number }): Promise<void> {
  await em.insert(SyncMetricEvent, { id: newId(), mailboxId, at, minute: minuteOf(at), kind: SyncMetricKind.RUN, outcome: run.outcome, code: run.code, items: run.items });
}

/** A committed trackEmails batch; one that decided, rejected and quarantined nothing (all replays) writes no row. */
export async function recordIngest(em: EntityManager, mailboxId: string, at: Date, figures: IngestFigures): Promise<void> {
  if (!figures.tracked && !figures.linked && !figures.filtered && !figures.rejected && !figures.quarantined) return;
  const { lagClasses, ...counts } = figures;
  const classes = Object.fromEntries(LAG_CLASSES.map((c, i) => [c.column, lagClasses[i] ?? 0]));
  await insertChunked(em, SyncMetricEvent, [{ id: newId(), mailboxId, at, minute: minuteOf(at), kind: SyncMetricKind.INGEST, outcome: null, code: null, ...counts, ...classes }]);
}

/**
 * How an outgoing email's send ended, counted for the mailbox it is sent from: one INSERT … SELECT, so the
 * caller need not read the email's sender mailbox first. An email with no sender mailbox (not sent from the hub) writes nothing.
 */
export async function recordSendOutcome(em: EntityManager, activityId: string, outcome: SendMetricOutcome, at: Date): Promise<void> {
  const [sql, values] = em.connection.driver.escapeQueryWithParameters(
    `INSERT INTO sync_metric_event (id, mailboxId, at, minute, kind, outcome)
     SELECT :id, senderMailboxId, :at, :minute, :kind, :outcome FROM email_message WHERE activityId = :activityId AND senderMailboxId IS NOT NULL`,
    { id: newId(), at, minute: minuteOf(at), kind: SyncMetricKind.SEND, outcome, activityId },
  );
  await em.query(sql, values);
}
