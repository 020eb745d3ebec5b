import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { unauthenticated } from '../common/errors';
import type { RequestContext } from '../graphql/context';
import { LoginPayload } from './identity.inputs';
import { User } from './user.entity';

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, {
    description: 'Signs in with email and password; returns a session token. With mustChangePassword, the session may only call changePassword (and logout, viewer) until it does.',
  })
  async login(@Arg('email') email: string, @Arg('password') password: string, @Ctx() ctx: RequestContext): Promise<LoginPayload> {
    const { token, session, user } = await ctx.services.auth.login(email, password, ctx.clientAddress);
    return { token, expiresAt: session.expiresAt, user, mustChangePassword: user.mustChangePassword };
  }

  @Mutation(() => Boolean, { description: 'Ends the current session (API keys are revoked with revokeApiKey).' })
  async logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    if (!ctx.auth) throw unauthenticated();
    if (!ctx.auth.sessionId) return false;
    await ctx.services.auth.logout(ctx.auth.sessionId);
    return true;
  }

  @Mutation(() => User, {
    description: 'Changes the signed-in user’s password (a password session only). Ends the user’s other sessions; this one stays signed in.',
  })
  changePassword(@Arg('currentPassword') currentPassword: string, @Arg('newPassword') newPassword: string, @Ctx() ctx: RequestContext): Promise<User> {
    if (!ctx.auth) throw unauthenticated();
    return ctx.services.auth.changePassword(ctx.auth, currentPassword, newPassword);
  }

  @Query(() => User, { description: 'The signed-in user (or the user an API key acts as).' })
  viewer(@Ctx() ctx: RequestContext): User {
    if (!ctx.auth) throw unauthenticated();
    return ctx.auth.user;
  }
}
