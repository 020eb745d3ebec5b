import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { expectGlobalId } from '../common/global-id';
import { connectionOf } from '../common/pagination';
import { principalOf, type RequestContext } from '../graphql/context';
import { Customer, loadCustomer } from './customer';
import { Opportunity } from './opportunity.entity';
import { CreateOpportunityInput, OpportunityListArgs, UpdateOpportunityInput } from './opportunity.inputs';
import { recordFieldsResolver } from './record-fields.resolver';
import { toListQuery } from './record-inputs';

export const OpportunityConnection = connectionOf(Opportunity, 'Opportunity');

@Resolver(() => Opportunity)
export class OpportunityResolver extends recordFieldsResolver(Opportunity, 'opportunity') {
  @Query(() => OpportunityConnection, { description: 'Opportunities you may read.' })
  async opportunities(@Args(() => OpportunityListArgs) args: InstanceType<typeof OpportunityListArgs>, @Ctx() ctx: RequestContext) {
    return OpportunityConnection.from(await ctx.services.opportunities.list(principalOf(ctx), toListQuery(args), args.filter?.customerId));
  }

  @Mutation(() => Opportunity)
  createOpportunity(@Arg('input') input: CreateOpportunityInput, @Ctx() ctx: RequestContext): Promise<Opportunity> {
    return ctx.services.opportunities.create(principalOf(ctx), input);
  }

  @Mutation(() => Opportunity)
  updateOpportunity(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateOpportunityInput, @Ctx() ctx: RequestContext): Promise<Opportunity> {
    return ctx.services.opportunities.update(principalOf(ctx), expectGlobalId('id', id, 'Opportunity').id, input);
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'Null when you may not read the customer.' })
  customer(@Root() opportunity: Opportunity, @Ctx() ctx: RequestContext) {
    return loadCustomer(ctx.loaders, opportunity);
  }
}
