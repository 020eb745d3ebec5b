import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Info, Query, Resolver, type ClassType } from 'type-graphql';
import { expectGlobalId } from '../common/global-id';
import { connectionOf, type Page } from '../common/pagination';
import { principalOf, type RequestContext } from '../graphql/context';
import { kindOfGlobalType } from '../records/record-kind';
import { nodesNeedOnlyLeanColumns } from './activity-columns';
import { ActivityInterface } from './activity.types';
import { TimelineArgs } from './timeline.inputs';

/** Pages of activities; the root value of each node is the Activity entity row. */
// An edge's node may be an interface type: the class is abstract only to TypeScript.
export const ActivityConnection = connectionOf(ActivityInterface as unknown as ClassType<ActivityInterface>, 'Activity');

@Resolver()
export class TimelineResolver {
  @Query(() => ActivityConnection, {
    description: 'Activities regarding a record or with it as a party (optionally also of its related records), newest first; only those you may read.',
  })
  async timeline(@Args(() => TimelineArgs) args: TimelineArgs, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    const { type, id } = expectGlobalId('recordId', args.recordId, 'Account', 'Contact', 'Lead', 'Opportunity', 'Case');
    const page = await ctx.services.timeline.page(principalOf(ctx), {
      record: { kind: kindOfGlobalType(type)!, id },
      first: args.first,
      after: args.after,
      filter: args.filter,
      includeRelated: args.includeRelated ?? false,
      leanColumns: nodesNeedOnlyLeanColumns(info),
    });
    return ActivityConnection.from(page as unknown as Page<ActivityInterface>);
  }
}
