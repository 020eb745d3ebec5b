import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { IsNull } from 'typeorm';
import { principalOf, type RequestContext } from '../graphql/context';
import { BusinessUnit } from './business-unit.entity';

@ObjectType({ description: 'The organization the hub serves: its root business unit and its settings.' })
export class Organization {
  @Field({ description: 'The root business unit’s name.' })
  name: string;

  @Field({ description: 'ISO 4217 code new opportunities are in unless they name another (BASE_CURRENCY).' })
  baseCurrency: string;
}

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => Organization, { description: 'Anyone signed in may read it.' })
  async organization(@Ctx() ctx: RequestContext): Promise<Organization> {
    principalOf(ctx);
    const root = await ctx.services.db.getRepository(BusinessUnit).findOneByOrFail({ parentId: IsNull() });
    return Object.assign(new Organization(), { name: root.name, baseCurrency: ctx.services.baseCurrency });
  }
}
