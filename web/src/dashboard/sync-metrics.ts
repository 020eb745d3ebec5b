import { graphql } from '../graphql/graphql-tag';
import type { SyncMetricsQuery, SyncMetricsRange } from '../graphql/operations.generated';
// The organization's (or one mailbox's) mail sync over time, as the dashboard's charts read it (schema.graphql: SyncMetrics).

export type { SyncMetricsRange } from '../graphql/operations.generated';
export type SyncMetricsValue = SyncMetricsQuery['syncMetrics'];
export type MetricsBucket = SyncMetricsValue['buckets'][number];
export type MetricsFigures = MetricsBucket['figures'];

export const METRICS_RANGES: readonly SyncMetricsRange[] = ['HOUR', 'DAY', 'WEEK'];

export const SYNC_METRICS_QUERY = graphql('SyncMetrics')`
  query SyncMetrics($range: SyncMetricsRange!, $mailboxId: ID) {
    syncMetrics(range: $range, mailboxId: $mailboxId) {
      range bucketMinutes from to mailboxCount
      buckets {
        start end
        figures {
          tracked linked filtered rejected quarantined syncRuns failedSyncRuns lagSamples lagAverageSeconds lagP95Seconds lagMaxSeconds
          sent sendFailed sendRetried sendUncertain
        }
      }
      totals { tracked linked filtered rejected quarantined syncRuns failedSyncRuns lagSamples lagAverageSeconds lagP95Seconds sent sendFailed sendRetried sendUncertain }
    }
  }
`;
