import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { SecurityRole } from '../access/security-role.entity';
import { principalOf, type RequestContext } from '../graphql/context';
import { BusinessUnit } from './business-unit.entity';
import { CreateUserInput, PasswordResetPayload, UserListArgs } from './identity.inputs';
import { User } from './user.entity';

@Resolver(() => User)
export class UserResolver {
  @Query(() => [User], { description: 'Users you may read, by name (at most 500).' })
  users(@Args(() => UserListArgs) args: UserListArgs, @Ctx() ctx: RequestContext): Promise<User[]> {
    return ctx.services.identity.listUsers(principalOf(ctx), args.search);
  }

  @Mutation(() => User)
  createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: RequestContext): Promise<User> {
    return ctx.services.identity.createUser(principalOf(ctx), input);
  }

  @Mutation(() => User)
  addUserRole(@Arg('userId', () => ID) userId: string, @Arg('roleId', () => ID) roleId: string, @Ctx() ctx: RequestContext): Promise<User> {
    return ctx.services.identity.setUserRole(principalOf(ctx), userId, roleId, true);
  }

  @Mutation(() => User, { description: 'Refused (CONFLICT) when it would leave no enabled user with the System Administrator role.' })
  removeUserRole(@Arg('userId', () => ID) userId: string, @Arg('roleId', () => ID) roleId: string, @Ctx() ctx: RequestContext): Promise<User> {
    return ctx.services.identity.setUserRole(principalOf(ctx), userId, roleId, false);
  }

  @Mutation(() => User, {
    description: 'A disabled user can neither sign in nor use API keys. Refused (CONFLICT) for the last enabled System Administrator.',
  })
  setUserDisabled(@Arg('userId', () => ID) userId: string, @Arg('disabled') disabled: boolean, @Ctx() ctx: RequestContext): Promise<User> {
    return ctx.services.identity.setUserDisabled(principalOf(ctx), userId, disabled);
  }

  @Mutation(() => PasswordResetPayload, {
    description: 'System Administrators: gives the user a temporary password (in this answer only) and ends their sessions; they must change it when they next sign in.',
  })
  resetUserPassword(@Arg('userId', () => ID) userId: string, @Ctx() ctx: RequestContext): Promise<PasswordResetPayload> {
    return ctx.services.identity.resetUserPassword(principalOf(ctx), userId);
  }

  @Mutation(() => User, { description: 'Lifts the sign-in pause that wrong passwords put on a user.' })
  unlockUser(@Arg('userId', () => ID) userId: string, @Ctx() ctx: RequestContext): Promise<User> {
    return ctx.services.identity.unlockUser(principalOf(ctx), userId);
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Whether you must change your password (after a reset) before anything else; null on users other than you.',
  })
  mustChangePassword(@Root() user: User, @Ctx() ctx: RequestContext): boolean | null {
    return ctx.auth?.user.id === user.id ? ctx.auth.mustChangePassword : null;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'Until when wrong passwords pause this user’s password sign-in (unlockUser lifts the pause); null when they do not, or when you may not change this user.',
  })
  signInLockedUntil(@Root() user: User, @Ctx() ctx: RequestContext): Date | null {
    return ctx.services.identity.signInLockedUntil(principalOf(ctx), user);
  }

  @FieldResolver(() => BusinessUnit)
  async businessUnit(@Root() user: User, @Ctx() ctx: RequestContext): Promise<BusinessUnit> {
    return (await ctx.loaders.units.load(user.businessUnitId))!;
  }

  @FieldResolver(() => [SecurityRole])
  roles(@Root() user: User, @Ctx() ctx: RequestContext): Promise<SecurityRole[]> {
    return ctx.loaders.roles.load(user.id);
  }
}
