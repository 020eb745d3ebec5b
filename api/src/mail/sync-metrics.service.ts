import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import type { Clock } from '../platform/clock';
import { Mailbox } from './mailbox.entity';
import { seesEveryMailbox, type MailboxService } from './mailbox.service';
import { SendMetricOutcome, SyncMetricEvent, SyncMetricKind } from './sync-metric-event.entity';
import {
  bucketIndex,
  bucketWindow,
  LAG_CLASSES,
  minuteToDate,
  percentileBoundSeconds,
  RETENTION_MINUTES,
  type BucketWindow,
  type LagClassColumn,
  type SyncMetricsRange,
} from './sync-metrics-rules';
import type { SyncMetrics, SyncMetricsBucket, SyncMetricsFigures } from './sync-metrics.types';
import { SyncOutcome } from './sync-outcome-policy';

/** The counted figures and the SQL that sums each per bucket; `e` is sync_metric_event. */
const COUNTED = {
  tracked: 'SUM(e.tracked)',
  linked: 'SUM(e.linked)',
  filtered: 'SUM(e.filtered)',
  rejected: 'SUM(e.rejected)',
  quarantined: 'SUM(e.quarantined)',
  syncRuns: `SUM(CASE WHEN e.kind = '${SyncMetricKind.RUN}' THEN 1 ELSE 0 END)`,
  failedSyncRuns: `SUM(CASE WHEN e.kind = '${SyncMetricKind.RUN}' AND e.outcome <> '${SyncOutcome.SUCCESS}' THEN 1 ELSE 0 END)`,
  sent: sendCount(SendMetricOutcome.SENT),
  sendFailed: sendCount(SendMetricOutcome.FAILED),
  sendRetried: sendCount(SendMetricOutcome.RETRYING),
  sendUncertain: sendCount(SendMetricOutcome.UNCERTAIN),
} as const;

/** What lag figures are made of: sums, the classes' counts, and the largest lag. */
const LAG = {
  lagCount: 'SUM(e.lagCount)',
  lagSumMs: 'SUM(e.lagSumMs)',
  lagMaxMs: 'MAX(e.lagMaxMs)',
  ...(Object.fromEntries(LAG_CLASSES.map((c) => [c.column, `SUM(e.${c.column})`])) as Record<LagClassColumn, string>),
} as const;

const AGGREGATES: Readonly<Record<keyof Sums, string>> = { ...COUNTED, ...LAG };

function sendCount(outcome: SendMetricOutcome): string {
  return `SUM(CASE WHEN e.kind = '${SyncMetricKind.SEND}' AND e.outcome = '${outcome}' THEN 1 ELSE 0 END)`;
}

type Sums = Record<keyof typeof COUNTED | keyof typeof LAG, number>;
/** One bucket's aggregates as the statement answers them (MariaDB answers SUMs as decimal strings, SQLite an empty one as null). */
type BucketRow = Record<'bucket' | keyof Sums, number | string | null>;

const zero = (): Sums => Object.fromEntries(Object.keys(AGGREGATES).map((k) => [k, 0])) as Sums;

function figuresOf(sums: Sums): SyncMetricsFigures {
  const counted = Object.fromEntries(Object.keys(COUNTED).map((k) => [k, sums[k as keyof typeof COUNTED]])) as Record<keyof typeof COUNTED, number>;
  const { lagCount, lagSumMs, lagMaxMs } = sums;
  const classes = LAG_CLASSES.map((c) => sums[c.column]);
  return {
    ...counted,
    lagSamples: lagCount,
    lagAverageSeconds: lagCount ? lagSumMs / lagCount / 1000 : null,
    lagP50Seconds: percentileBoundSeconds(classes, lagMaxMs, 0.5),
    lagP95Seconds: percentileBoundSeconds(classes, lagMaxMs, 0.95),
    lagMaxSeconds: lagCount ? lagMaxMs / 1000 : null,
  };
}

/**
 * The sync dashboard's figures over time (`syncMetrics`), read from sync_metric_event with one GROUP BY over
 * its indexed minute column, whatever the number of mailboxes; and the hourly prune that keeps that history bounded.
 */
export class SyncMetricsService {
  constructor(
    private readonly db: DataSource,
    private readonly mailboxes: Pick<MailboxService, 'get'>,
    private readonly clock: Clock,
  ) {}

  /** Every mailbox the caller sees (as `mailboxes` lists them), or the one asked for: NOT_FOUND when it is missing or hidden alike. */
  async metrics(principal: Principal, range: SyncMetricsRange, mailboxGlobalId?: string | null): Promise<SyncMetrics> {
    const window = bucketWindow(range, this.clock());
    let scope: { sql: string; params: Record<string, unknown> };
    let mailboxCount: number;
    if (mailboxGlobalId !== undefined && mailboxGlobalId !== null) {
      const mailbox = await this.mailboxes.get(principal, mailboxGlobalId, 'mailboxId');
      scope = { sql: 'AND e.mailboxId = :mailboxId', params: { mailboxId: mailbox.id } };
      mailboxCount = 1;
    } else if (seesEveryMailbox(principal)) {
      scope = { sql: '', params: {} };
      mailboxCount = await this.db.getRepository(Mailbox).count();
    } else {
      scope = { sql: 'AND e.mailboxId IN (SELECT m.id FROM mailbox m WHERE m.ownerUserId = :ownerUserId)', params: { ownerUserId: principal.userId } };
      mailboxCount = await this.db.getRepository(Mailbox).countBy({ ownerUserId: principal.userId });
    }
    const rows = await this.bucketRows(window, scope);
    return this.assemble(range, window, mailboxCount, rows);
  }

  /** Removes history older than the longest range and one bucket; returns how many rows. */
  async prune(): Promise<number> {
    const before = Math.floor(this.clock().getTime() / 60_000) - RETENTION_MINUTES;
    const result = await this.db.createQueryBuilder().delete().from(SyncMetricEvent).where('minute < :before', { before }).execute();
    return result.affected ?? 0;
  }

  private async bucketRows(window: BucketWindow, scope: { sql: string; params: Record<string, unknown> }): Promise<BucketRow[]> {
    // The window's integers are computed here and inlined, so SELECT and GROUP BY group by the same expression.
    const aggregates = Object.entries(AGGREGATES).map(([name, sql]) => `${sql} AS ${name}`);
    const statement = `SELECT e.minute - ((e.minute - ${window.firstMinute}) % ${window.bucketMinutes}) AS bucket, ${aggregates.join(', ')}
      FROM sync_metric_event e
      WHERE e.minute >= ${window.firstMinute} AND e.minute < ${window.endMinute} ${scope.sql}
      GROUP BY bucket`;
    const [query, values] = this.db.driver.escapeQueryWithParameters(statement, scope.params);
    return (await this.db.query(query, values)) as BucketRow[];
  }

  private assemble(range: SyncMetricsRange, window: BucketWindow, mailboxCount: number, rows: readonly BucketRow[]): SyncMetrics {
    const sums = Array.from({ length: window.buckets }, zero);
    const totals = zero();
    for (const row of rows) {
      const index = bucketIndex(window, Number(row.bucket));
      if (index < 0) continue;
      for (const key of Object.keys(totals) as (keyof Sums)[]) {
        const value = Number(row[key] ?? 0);
        sums[index][key] = value;
        totals[key] = key === 'lagMaxMs' ? Math.max(totals[key], value) : totals[key] + value;
      }
    }
    const buckets: SyncMetricsBucket[] = sums.map((s, i) => {
      const start = window.firstMinute + i * window.bucketMinutes;
      return { start: minuteToDate(start), end: minuteToDate(start + window.bucketMinutes), figures: figuresOf(s) };
    });
    return {
      range,
      bucketMinutes: window.bucketMinutes,
      from: minuteToDate(window.firstMinute),
      to: minuteToDate(window.endMinute),
      mailboxCount,
      buckets,
      totals: figuresOf(totals),
    };
  }
}
