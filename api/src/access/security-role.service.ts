import type { DataSource } from 'typeorm';
import { ApiError, forbidden, notFound } from '../common/errors';
import { expectGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import { holds, type Principal } from './principal';
import { AccessEntity, Depth, Privilege, SECURED_FIELDS } from './privileges';
import type { CreateSecurityRoleInput, SetRoleFieldPermissionInput, SetRolePrivilegeInput } from './security-role.inputs';
import { RoleFieldPermission, RolePrivilege, SecurityRole } from './security-role.entity';
import { SYSTEM_ADMINISTRATOR } from './system-roles';

/** Security roles: reading them, and the administrator's edits. Changes apply from the next request on. */
export class SecurityRoleService {
  constructor(
    private readonly db: DataSource,
    /** Told after a change to who may do what, so cached callers are resolved again. */
    private readonly accessChanged: () => void = () => {},
  ) {}

  /**
   * Who may read what a role grants: holders of SECURITY_ROLE read, and everyone for the roles they
   * hold (what they may do is no secret to them, and the UI asks). The one rule for `securityRoles`
   * and for a role reached through `User.roles`.
   */
  mayReadDefinition(principal: Principal, role: Pick<SecurityRole, 'name'>): boolean {
    return holds(principal, AccessEntity.SECURITY_ROLE, Privilege.READ) || principal.roleNames.includes(role.name);
  }

  async list(principal: Principal): Promise<SecurityRole[]> {
    const roles = await this.db.getRepository(SecurityRole).find({ order: { name: 'ASC' } });
    return roles.filter((role) => this.mayReadDefinition(principal, role));
  }

  async create(principal: Principal, input: CreateSecurityRoleInput): Promise<SecurityRole> {
    if (!holds(principal, AccessEntity.SECURITY_ROLE, Privilege.CREATE)) throw forbidden('you may not create security roles');
    const name = input.name.trim();
    if (await this.db.getRepository(SecurityRole).existsBy({ name })) {
      throw new ApiError('CONFLICT', `input.name: a role named "${name}" exists already`, 'input.name');
    }
    const id = newId();
    await this.db.getRepository(SecurityRole).insert({ id, name, description: input.description });
    return this.db.getRepository(SecurityRole).findOneByOrFail({ id });
  }

  async setPrivilege(principal: Principal, input: SetRolePrivilegeInput): Promise<SecurityRole> {
    const role = await this.editableRole(principal, input.roleId);
    const where = { roleId: role.id, entity: input.entity, privilege: input.privilege };
    await this.db.transaction(async (em) => {
      await em.delete(RolePrivilege, where);
      if (input.depth !== Depth.NONE) await em.insert(RolePrivilege, { id: newId(), ...where, depth: input.depth });
    });
    this.accessChanged();
    return role;
  }

  async setFieldPermission(principal: Principal, input: SetRoleFieldPermissionInput): Promise<SecurityRole> {
    const role = await this.editableRole(principal, input.roleId);
    if (!(SECURED_FIELDS[input.entity] ?? []).includes(input.field)) {
      const known = Object.entries(SECURED_FIELDS).flatMap(([e, fs]) => fs.map((f) => `${e.toUpperCase()}.${f}`)).join(', ');
      throw new ApiError('BAD_USER_INPUT', `input.field: not a secured field of ${input.entity}; secured fields are ${known}`, 'input.field');
    }
    const where = { roleId: role.id, entity: input.entity, field: input.field };
    await this.db.transaction(async (em) => {
      await em.delete(RoleFieldPermission, where);
      if (input.canRead || input.canUpdate) await em.insert(RoleFieldPermission, { id: newId(), ...where, canRead: input.canRead, canUpdate: input.canUpdate });
    });
    this.accessChanged();
    return role;
  }

  private async editableRole(principal: Principal, globalId: string): Promise<SecurityRole> {
    if (!holds(principal, AccessEntity.SECURITY_ROLE, Privilege.WRITE)) throw forbidden('you may not change security roles');
    const id = expectGlobalId('input.roleId', globalId, 'SecurityRole').id;
    const role = await this.db.getRepository(SecurityRole).findOneBy({ id });
    if (!role) throw notFound('input.roleId', globalId);
    // As in Dynamics: the administrator role always has everything, so nobody can lock the organization out.
    if (role.name === SYSTEM_ADMINISTRATOR) throw forbidden('the System Administrator role cannot be changed');
    return role;
  }
}
