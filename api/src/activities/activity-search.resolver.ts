import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { optionalGlobalId } from '../common/global-id';
import type { Page } from '../common/pagination';
import { principalOf, type RequestContext } from '../graphql/context';
import type { ActivityInterface } from './activity.types';
import { ActivitySearchArgs } from './activity-search.inputs';
import { ActivityConnection } from './timeline.resolver';

@Resolver()
export class ActivitySearchResolver {
  @Query(() => ActivityConnection, {
    description: 'Every activity you may read, newest first, whatever it regards (also mail from senders with no record); the privacy levels of timelines apply.',
  })
  async activities(@Args(() => ActivitySearchArgs) args: ActivitySearchArgs, @Ctx() ctx: RequestContext) {
    const filter = args.filter && { ...args.filter, mailboxId: optionalGlobalId('filter.mailboxId', args.filter.mailboxId, 'Mailbox') };
    const page = await ctx.services.activitySearch.page(principalOf(ctx), { first: args.first, after: args.after, filter });
    return ActivityConnection.from(page as unknown as Page<ActivityInterface>);
  }
}
