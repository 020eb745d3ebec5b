import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SyncMetricsRange } from './sync-metrics-rules';

registerEnumType(SyncMetricsRange, {
  name: 'SyncMetricsRange',
  description: 'HOUR: 60 one-minute buckets; DAY: 96 fifteen-minute buckets; WEEK: 168 one-hour buckets. Buckets align to whole multiples of their size in UTC; the last one holds the present moment and is still filling.',
});

@ObjectType('SyncMetricsFigures', { description: 'What mail sync did in a span of time, for the mailboxes counted. Counts are events in the span.' })
export class SyncMetricsFigures {
  @Field(() => Int, { description: 'Messages tracked as new email activities (trackEmails TRACKED).' })
  tracked: number;

  @Field(() => Int, { description: 'Messages already tracked from another mailbox or sent from the hub, now linked to this one too (LINKED).' })
  linked: number;

  @Field(() => Int, { description: 'Messages the tracking rules left untracked (FILTERED: blocked, auto-reply, bulk, not a response to CRM email…).' })
  filtered: number;

  @Field(() => Int, { description: 'Messages refused for now (REJECTED, e.g. an attachment not uploaded yet): the engine sends them again, so one message may count more than once.' })
  rejected: number;

  @Field(() => Int, { description: 'Messages quarantined because they could not be read (each counted once, when first quarantined).' })
  quarantined: number;

  @Field(() => Int, { description: 'Sync runs an engine reported ended (releaseMailbox of a SYNC lease). A run whose engine died without reporting is not counted: its lease just runs out.' })
  syncRuns: number;

  @Field(() => Int, { description: 'Of those, runs that did not succeed (TEMPORARY_FAILURE, AUTH_FAILED, CONFIG_ERROR).' })
  failedSyncRuns: number;

  @Field(() => Int, {
    description:
      'Messages whose sync lag was measured: first decisions (TRACKED, LINKED, FILTERED) whose arrival on the mail server is known (IMAP INTERNALDATE, POP3 the topmost Received header). Backfill is left out: nothing is measured while a mailbox has not yet finished its first sync or re-reads a window an administrator asked for.',
  })
  lagSamples: number;

  @Field(() => Float, { nullable: true, description: 'Mean sync lag in seconds: from the message\'s arrival on the mail server to the hub\'s decision (the commit of its trackEmails batch). Null without samples.' })
  lagAverageSeconds: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Median sync lag in seconds, as an upper bound: lags are counted in classes up to 10 s, 30 s, 1, 2, 5, 15, 30 min, 1, 6, 24 h and beyond; this is the upper edge of the class holding the median, or lagMaxSeconds when that is smaller. Null without samples.',
  })
  lagP50Seconds: number | null;

  @Field(() => Float, { nullable: true, description: 'The 95th percentile of sync lag in seconds, as an upper bound the same way as lagP50Seconds. Null without samples.' })
  lagP95Seconds: number | null;

  @Field(() => Float, { nullable: true, description: 'The longest sync lag in seconds among the samples. Null without samples.' })
  lagMaxSeconds: number | null;

  @Field(() => Int, { description: 'Outgoing emails reported sent (markEmailSent), or found in the Sent folder after being UNCERTAIN.' })
  sent: number;

  @Field(() => Int, { description: 'Outgoing emails that failed for good (a permanent failure, or the last allowed attempt).' })
  sendFailed: number;

  @Field(() => Int, { description: 'Send attempts that failed but will be tried again after a back-off.' })
  sendRetried: number;

  @Field(() => Int, { description: 'Outgoing emails that became UNCERTAIN (the engine went quiet while sending). One found in Sent later counts here and, then, in `sent`.' })
  sendUncertain: number;
}

@ObjectType('SyncMetricsBucket', { description: 'One bucket of the range.' })
export class SyncMetricsBucket {
  @Field({ description: 'Where the bucket starts (inclusive).' })
  start: Date;

  @Field({ description: 'Where it ends (exclusive); the last bucket\'s end is in the future.' })
  end: Date;

  @Field(() => SyncMetricsFigures)
  figures: SyncMetricsFigures;
}

@ObjectType('SyncMetrics', { description: 'Mail sync over time for the sync dashboard: the mailboxes you may see, or one of them.' })
export class SyncMetrics {
  @Field(() => SyncMetricsRange)
  range: SyncMetricsRange;

  @Field(() => Int, { description: 'Minutes per bucket: 1, 15 or 60.' })
  bucketMinutes: number;

  @Field({ description: 'The first bucket\'s start.' })
  from: Date;

  @Field({ description: 'The last bucket\'s end.' })
  to: Date;

  @Field(() => Int, { description: 'The mailboxes counted: 1 for one mailbox; otherwise every mailbox you may see (all of them with organization-wide mailbox read, else your own).' })
  mailboxCount: number;

  @Field(() => [SyncMetricsBucket], { description: 'Oldest first, every bucket of the range (60, 96 or 168), with zeros where nothing happened.' })
  buckets: SyncMetricsBucket[];

  @Field(() => SyncMetricsFigures, { description: 'The whole range: sums of the buckets; the lag figures are over every sample of the range (not averages of buckets).' })
  totals: SyncMetricsFigures;
}
