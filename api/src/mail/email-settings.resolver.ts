import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { UpdateEmailSettingsInput } from './email-settings.inputs';
import { OrganizationEmailSettings } from './organization-email-settings.entity';

@Resolver(() => OrganizationEmailSettings)
export class EmailSettingsResolver {
  @Query(() => OrganizationEmailSettings, { description: 'Administrators only.' })
  emailSettings(@Ctx() ctx: RequestContext): Promise<OrganizationEmailSettings> {
    return ctx.services.emailSettings.read(principalOf(ctx));
  }

  @Mutation(() => OrganizationEmailSettings, { description: 'Administrators only.' })
  updateEmailSettings(@Arg('input') input: UpdateEmailSettingsInput, @Ctx() ctx: RequestContext): Promise<OrganizationEmailSettings> {
    return ctx.services.emailSettings.update(principalOf(ctx), input);
  }
}
