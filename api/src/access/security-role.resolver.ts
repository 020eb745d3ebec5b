import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { SecuredField } from './secured-field';
import { RoleFieldPermission, RolePrivilege, SecurityRole } from './security-role.entity';
import { CreateSecurityRoleInput, SetRoleFieldPermissionInput, SetRolePrivilegeInput, UpdateSecurityRoleInput } from './security-role.inputs';

@Resolver(() => SecurityRole)
export class SecurityRoleResolver {
  @Query(() => [SecurityRole], { description: 'Every role if you may read security roles; otherwise the roles you hold.' })
  securityRoles(@Ctx() ctx: RequestContext): Promise<SecurityRole[]> {
    return ctx.services.roles.list(principalOf(ctx));
  }

  @Query(() => [SecuredField], { description: 'The secured fields (column security) that setRoleFieldPermission may name.' })
  securedFields(@Ctx() ctx: RequestContext): SecuredField[] {
    principalOf(ctx);
    return ctx.services.roles.securedFields();
  }

  @Mutation(() => SecurityRole, { description: 'A new role with no privileges; grant them with setRolePrivilege.' })
  createSecurityRole(@Arg('input') input: CreateSecurityRoleInput, @Ctx() ctx: RequestContext): Promise<SecurityRole> {
    return ctx.services.roles.create(principalOf(ctx), input);
  }

  @Mutation(() => SecurityRole, { description: 'Renames a role or changes its description (SECURITY_ROLE write); the system roles (systemRole) cannot be renamed.' })
  updateSecurityRole(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateSecurityRoleInput, @Ctx() ctx: RequestContext): Promise<SecurityRole> {
    return ctx.services.roles.update(principalOf(ctx), id, input);
  }

  @Mutation(() => ID, { description: 'SECURITY_ROLE delete; refused for the system roles, and CONFLICT (extensions.holders) while users hold the role. Returns its id.' })
  deleteSecurityRole(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<string> {
    return ctx.services.roles.remove(principalOf(ctx), id);
  }

  @Mutation(() => SecurityRole, { description: 'Grants one privilege on one entity at a depth (NONE revokes it).' })
  setRolePrivilege(@Arg('input') input: SetRolePrivilegeInput, @Ctx() ctx: RequestContext): Promise<SecurityRole> {
    return ctx.services.roles.setPrivilege(principalOf(ctx), input);
  }

  @Mutation(() => SecurityRole, { description: 'Column security: lets a role read and/or update one secured field.' })
  setRoleFieldPermission(@Arg('input') input: SetRoleFieldPermissionInput, @Ctx() ctx: RequestContext): Promise<SecurityRole> {
    return ctx.services.roles.setFieldPermission(principalOf(ctx), input);
  }

  @FieldResolver(() => Boolean, {
    description: 'False for System Administrator: it always has every privilege (as in Dynamics), so setRolePrivilege and setRoleFieldPermission refuse it.',
  })
  editable(@Root() role: SecurityRole, @Ctx() ctx: RequestContext): boolean {
    return ctx.services.roles.isEditable(role);
  }

  @FieldResolver(() => Boolean, { description: 'One of the roles every organization starts with (System Administrator, Sales Manager, Salesperson, Sync Service): it cannot be renamed or deleted.' })
  systemRole(@Root() role: SecurityRole, @Ctx() ctx: RequestContext): boolean {
    return ctx.services.roles.isSystemRole(role);
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
