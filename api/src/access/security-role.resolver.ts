import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { RoleFieldPermission, RolePrivilege, SecurityRole } from './security-role.entity';
import { CreateSecurityRoleInput, SetRoleFieldPermissionInput, SetRolePrivilegeInput } from './security-role.inputs';

@Resolver(() => SecurityRole)
export class SecurityRoleResolver {
  @Query(() => [SecurityRole], { description: 'Every role if you may read security roles; otherwise the roles you hold.' })
  securityRoles(@Ctx() ctx: RequestContext): Promise<SecurityRole[]> {
    return ctx.services.roles.list(principalOf(ctx));
  }

  @Mutation(() => SecurityRole, { description: 'A new role with no privileges; grant them with setRolePrivilege.' })
  createSecurityRole(@Arg('input') input: CreateSecurityRoleInput, @Ctx() ctx: RequestContext): Promise<SecurityRole> {
    return ctx.services.roles.create(principalOf(ctx), input);
  }

  @Mutation(() => SecurityRole, { description: 'Grants one privilege on one entity at a depth (NONE revokes it).' })
  setRolePrivilege(@Arg('input') input: SetRolePrivilegeInput, @Ctx() ctx: RequestContext): Promise<SecurityRole> {
    return ctx.services.roles.setPrivilege(principalOf(ctx), input);
  }

  @Mutation(() => SecurityRole, { description: 'Column security: lets a role read and/or update one secured field.' })
  setRoleFieldPermission(@Arg('input') input: SetRoleFieldPermissionInput, @Ctx() ctx: RequestContext): Promise<SecurityRole> {
    return ctx.services.roles.setFieldPermission(principalOf(ctx), input);
  }

  @FieldResolver(() => [RolePrivilege], { description: 'Empty unless you may read security roles or hold this one (the rule of securityRoles).' })
  async privileges(@Root() role: SecurityRole, @Ctx() ctx: RequestContext): Promise<RolePrivilege[]> {
    if (!ctx.services.roles.mayReadDefinition(principalOf(ctx), role)) return [];
    return ctx.loaders.rolePrivileges.load(role.id);
  }

  @FieldResolver(() => [RoleFieldPermission], { description: 'Column security: secured fields this role may read or update. Empty unless you may read security roles or hold this one.' })
  async fieldPermissions(@Root() role: SecurityRole, @Ctx() ctx: RequestContext): Promise<RoleFieldPermission[]> {
    if (!ctx.services.roles.mayReadDefinition(principalOf(ctx), role)) return [];
    return ctx.loaders.roleFieldPermissions.load(role.id);
  }
}
