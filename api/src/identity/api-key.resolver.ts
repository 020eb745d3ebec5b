import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { visibleUser } from '../records/record-fields.resolver';
import { ApiKey } from './api-key.entity';
import { CreateApiKeyInput, CreatedApiKey } from './identity.inputs';
import { User } from './user.entity';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => [ApiKey], { description: 'API keys you may see; never the keys themselves.' })
  apiKeys(@Ctx() ctx: RequestContext): Promise<ApiKey[]> {
    return ctx.services.identity.listApiKeys(principalOf(ctx));
  }

  @Mutation(() => CreatedApiKey, { description: 'Creates a key that acts as a user; the key is in the answer and nowhere else.' })
  createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() ctx: RequestContext): Promise<CreatedApiKey> {
    return ctx.services.identity.createApiKey(principalOf(ctx), input);
  }

  @Mutation(() => ApiKey)
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiKey> {
    return ctx.services.identity.revokeApiKey(principalOf(ctx), id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The user the key acts as.' })
  user(@Root() key: ApiKey, @Ctx() ctx: RequestContext): Promise<User | null> {
    return visibleUser(ctx, key.userId);
  }
}
