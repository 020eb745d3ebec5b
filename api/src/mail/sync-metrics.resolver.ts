import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { SyncMetricsRange } from './sync-metrics-rules';
import { SyncMetrics } from './sync-metrics.types';

@Resolver()
export class SyncMetricsResolver {
  @Query(() => SyncMetrics, {
    description:
      'The sync dashboard: mail ingested, sync runs, sync lag and send outcomes over the last hour, day or week, in buckets. Without mailboxId: every mailbox you may see (all of them with organization-wide mailbox read, else your own); with it: that mailbox, NOT_FOUND when it does not exist or you may not see it. History is kept for eight days.',
  })
  syncMetrics(
    @Arg('range', () => SyncMetricsRange) range: SyncMetricsRange,
    @Arg('mailboxId', () => ID, { nullable: true }) mailboxId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SyncMetrics> {
    return ctx.services.syncMetrics.metrics(principalOf(ctx), range, mailboxId);
  }
}
