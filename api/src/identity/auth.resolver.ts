import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { unauthenticated } from '../common/errors';
import type { RequestContext } from '../graphql/context';
import { LoginPayload } from './identity.inputs';
import { User } from './user.entity';

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, { description: 'Signs in with email and password; returns a session token.' })
  async login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: RequestContext): Promise<LoginPayload> {
    const { token, session, user } = await ctx.services.auth.login(email, password);
    return { token, expiresAt: session.expiresAt, user };
  }

  @Mutation(() => Boolean, { description: 'Ends the current session (API keys are revoked with revokeApiKey).' })
  async logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    if (!ctx.auth) throw unauthenticated();
    if (!ctx.auth.sessionId) return false;
    await ctx.services.auth.logout(ctx.auth.sessionId);
    return true;
  }

  @Query(() => User, { description: 'The signed-in user (or the user an API key acts as).' })
  viewer(@Ctx() ctx: RequestContext): User {
    if (!ctx.auth) throw unauthenticated();
    return ctx.auth.user;
  }
}
