import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { connectionOf } from '../common/pagination';
import { expectGlobalId } from '../common/global-id';
import { principalOf, type RequestContext } from '../graphql/context';
import { Account } from './account.entity';
import { AccountListArgs, CreateAccountInput, UpdateAccountInput } from './account.inputs';
import { emailsOf, recordFieldsResolver } from './record-fields.resolver';
import { toListQuery } from './record-inputs';

export const AccountConnection = connectionOf(Account, 'Account');

@Resolver(() => Account)
export class AccountResolver extends recordFieldsResolver(Account) {
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

  @FieldResolver(() => [String], { description: 'Email addresses, primary first.' })
  emails(@Root() account: Account, @Ctx() ctx: RequestContext): Promise<string[]> {
    return emailsOf(ctx, 'account', account.id);
  }

  @FieldResolver(() => String, { nullable: true })
  async primaryEmail(@Root() account: Account, @Ctx() ctx: RequestContext): Promise<string | null> {
    return (await emailsOf(ctx, 'account', account.id))[0] ?? null;
  }
}
