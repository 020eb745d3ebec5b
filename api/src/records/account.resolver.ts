import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { connectionOf } from '../common/pagination';
import { expectGlobalId } from '../common/global-id';
import { principalOf, type RequestContext } from '../graphql/context';
import { Account } from './account.entity';
import { AccountListArgs, CreateAccountInput, UpdateAccountInput } from './account.inputs';
import { emailEnabledFieldsResolver } from './record-fields.resolver';
import { toListQuery } from './record-inputs';

export const AccountConnection = connectionOf(Account, 'Account');

@Resolver(() => Account)
export class AccountResolver extends emailEnabledFieldsResolver(Account, 'account') {
  @Query(() => AccountConnection, { description: 'Accounts you may read.' })
  async accounts(@Args(() => AccountListArgs) args: InstanceType<typeof AccountListArgs>, @Ctx() ctx: RequestContext) {
    return AccountConnection.from(await ctx.services.accounts.list(principalOf(ctx), toListQuery(args)));
  }

  @Mutation(() => Account)
  createAccount(@Arg('input') input: CreateAccountInput, @Ctx() ctx: RequestContext): Promise<Account> {
    return ctx.services.accounts.create(principalOf(ctx), input);
  }

  @Mutation(() => Account)
  updateAccount(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateAccountInput, @Ctx() ctx: RequestContext): Promise<Account> {
    return ctx.services.accounts.update(principalOf(ctx), expectGlobalId('id', id, 'Account').id, input);
  }
}
