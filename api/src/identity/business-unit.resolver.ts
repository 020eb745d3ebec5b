import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { BusinessUnit } from './business-unit.entity';
import { CreateBusinessUnitInput } from './identity.inputs';

@Resolver(() => BusinessUnit)
export class BusinessUnitResolver {
  @Query(() => [BusinessUnit])
  businessUnits(@Ctx() ctx: RequestContext): Promise<BusinessUnit[]> {
    return ctx.services.identity.listBusinessUnits(principalOf(ctx));
  }

  @Mutation(() => BusinessUnit)
  createBusinessUnit(@Arg('input') input: CreateBusinessUnitInput, @Ctx() ctx: RequestContext): Promise<BusinessUnit> {
    return ctx.services.identity.createBusinessUnit(principalOf(ctx), input);
  }

  @FieldResolver(() => BusinessUnit, { nullable: true, description: 'Null for the root unit.' })
  async parent(@Root() unit: BusinessUnit, @Ctx() ctx: RequestContext): Promise<BusinessUnit | null> {
    return unit.parentId ? ((await ctx.loaders.units.load(unit.parentId)) ?? null) : null;
  }
}
