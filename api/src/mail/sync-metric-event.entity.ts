import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';

/** What one row records: a mailbox's sync run ended, a trackEmails batch was committed, an outgoing email's send ended one way. */
export enum SyncMetricKind {
  RUN = 'RUN',
  INGEST = 'INGEST',
  SEND = 'SEND',
}

/** How a send ended, as the dashboard counts it (email-send-state.ts's events SENT/FOUND_IN_SENT, GAVE_UP, FAILED_RETRYABLE, LEASE_EXPIRED). */
export enum SendMetricOutcome {
  SENT = 'SENT',
  FAILED = 'FAILED',
  RETRYING = 'RETRYING',
  UNCERTAIN = 'UNCERTAIN',
}

/**
 * The sync dashboard's history: one row per event, written in the transaction that commits the event,
 * kept for a week and a day (SyncMetricsService.prune). Counter columns a kind does not use stay 0.
 */
@Entity('sync_metric_event')
@Index(['minute'])
@Index(['mailboxId', 'minute'])
export class SyncMetricEvent {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @IdColumn()
  mailboxId: string;

  @DateTimeColumn()
  at: Date;

  /** Minutes since the Unix epoch (UTC) of `at`: buckets are integer arithmetic on it, the same SQL on MariaDB and SQLite. */
  @Column('int')
  minute: number;

  @EnumColumn(8)
  kind: SyncMetricKind;

  /** RUN: the SyncOutcome; SEND: a SendMetricOutcome; INGEST: null. */
  @EnumColumn(24, { nullable: true })
  outcome: string | null;

  /** RUN: the engine's error code (DNS, REFUSED, TLS, …) of a failed run. */
  @Column('varchar', { length: 48, nullable: true })
  code: string | null;

  /** RUN: items the run reported processed. */
  @Column('int', { default: 0 })
  items: number;

  // INGEST: the batch's decisions (trackEmails outcomes; DUPLICATE, a replay, counts nowhere) and the quarantine rows it added.
  @Column('int', { default: 0 })
  tracked: number;

  @Column('int', { default: 0 })
  linked: number;

  @Column('int', { default: 0 })
  filtered: number;

  @Column('int', { default: 0 })
  rejected: number;

  @Column('int', { default: 0 })
  quarantined: number;

  /** INGEST: how many of the batch's new decisions had a server arrival time, their summed and largest lag (ms). */
  @Column('int', { default: 0 })
  lagCount: number;

  @Column('bigint', { default: 0 })
  lagSumMs: number;

  @Column('bigint', { default: 0 })
  lagMaxMs: number;

  // INGEST: how many of those lags fall in each class of LAG_CLASSES (sync-metrics-rules.ts), for percentile bounds.

  @Column('int', { default: 0 })
  lagUpTo10s: number;

  @Column('int', { default: 0 })
  lagUpTo30s: number;

  @Column('int', { default: 0 })
  lagUpTo1m: number;

  @Column('int', { default: 0 })
  lagUpTo2m: number;

  @Column('int', { default: 0 })
  lagUpTo5m: number;

  @Column('int', { default: 0 })
  lagUpTo15m: number;

  @Column('int', { default: 0 })
  lagUpTo30m: number;

  @Column('int', { default: 0 })
  lagUpTo1h: number;

  @Column('int', { default: 0 })
  lagUpTo6h: number;

  @Column('int', { default: 0 })
  lagUpTo1d: number;

  @Column('int', { default: 0 })
  lagOver1d: number;
}
