import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { expectGlobalId } from '../common/global-id';
import { connectionOf } from '../common/pagination';
import { principalOf, type RequestContext } from '../graphql/context';
import { CrmCase } from './case.entity';
import { CaseListArgs, CreateCaseInput, UpdateCaseInput } from './case.inputs';
import { Customer, loadCustomer } from './customer';
import { recordFieldsResolver } from './record-fields.resolver';
import { toListQuery } from './record-inputs';

export const CaseConnection = connectionOf(CrmCase, 'Case');

@Resolver(() => CrmCase)
export class CaseResolver extends recordFieldsResolver(CrmCase, 'case') {
  @Query(() => CaseConnection, { description: 'Cases you may read.' })
  async cases(@Args(() => CaseListArgs) args: InstanceType<typeof CaseListArgs>, @Ctx() ctx: RequestContext) {
    return CaseConnection.from(await ctx.services.cases.list(principalOf(ctx), toListQuery(args), args.filter?.customerId));
  }

  @Mutation(() => CrmCase)
  createCase(@Arg('input') input: CreateCaseInput, @Ctx() ctx: RequestContext): Promise<CrmCase> {
    return ctx.services.cases.create(principalOf(ctx), input);
  }

  @Mutation(() => CrmCase)
  updateCase(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateCaseInput, @Ctx() ctx: RequestContext): Promise<CrmCase> {
    return ctx.services.cases.update(principalOf(ctx), expectGlobalId('id', id, 'Case').id, input);
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'Null when you may not read the customer.' })
  customer(@Root() record: CrmCase, @Ctx() ctx: RequestContext) {
    return loadCustomer(ctx.loaders, record);
  }
}
