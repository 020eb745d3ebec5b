import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { RoleFieldPermission, RolePrivilege, SecurityRole } from './security-role.entity';

@Resolver(() => SecurityRole)
export class SecurityRoleResolver {
  @Query(() => [SecurityRole])
  securityRoles(@Ctx() ctx: RequestContext): Promise<SecurityRole[]> {
    return ctx.services.roles.list(principalOf(ctx));
  }

  @FieldResolver(() => [RolePrivilege])
  privileges(@Root() role: SecurityRole, @Ctx() ctx: RequestContext): Promise<RolePrivilege[]> {
    return ctx.services.roles.privilegesOf(role.id);
  }

  @FieldResolver(() => [RoleFieldPermission], { description: 'Column security: secured fields this role may read or update.' })
  fieldPermissions(@Root() role: SecurityRole, @Ctx() ctx: RequestContext): Promise<RoleFieldPermission[]> {
    return ctx.services.roles.fieldPermissionsOf(role.id);
  }
}
