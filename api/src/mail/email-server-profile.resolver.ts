import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { CreateEmailServerProfileInput, UpdateEmailServerProfileInput } from './email-server-profile.inputs';
import { EmailServerProfileView, profileView } from './email-server-profile.types';

@Resolver(() => EmailServerProfileView)
export class EmailServerProfileResolver {
  @Query(() => [EmailServerProfileView], { description: 'Administrators only.' })
  async emailServerProfiles(@Ctx() ctx: RequestContext): Promise<EmailServerProfileView[]> {
    return (await ctx.services.profiles.list(principalOf(ctx))).map(profileView);
  }

  @Mutation(() => EmailServerProfileView, { description: 'Administrators only.' })
  async createEmailServerProfile(@Arg('input') input: CreateEmailServerProfileInput, @Ctx() ctx: RequestContext): Promise<EmailServerProfileView> {
    return profileView(await ctx.services.profiles.create(principalOf(ctx), input));
  }

  @Mutation(() => EmailServerProfileView, { description: 'Administrators only. New credentials resume mailboxes of the profile stopped by a refused password.' })
  async updateEmailServerProfile(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateEmailServerProfileInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EmailServerProfileView> {
    return profileView(await ctx.services.profiles.update(principalOf(ctx), id, input));
  }

  @Mutation(() => ID, { description: 'Administrators only; CONFLICT while mailboxes use the profile. Returns its id.' })
  deleteEmailServerProfile(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<string> {
    return ctx.services.profiles.remove(principalOf(ctx), id);
  }
}
