import { Not, type DataSource } from 'typeorm';
import { ApiError, forbidden, notFound } from '../common/errors';
import { unlessDuplicate } from '../db/database-errors';
import { lockRow } from '../db/row-locks';
import { definedOnly, nonNull } from '../records/patch';
import { expectGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import { holds, type Principal } from './principal';
import { AccessEntity, Depth, Privilege, SECURED_FIELDS } from './privileges';
import type { CreateSecurityRoleInput, SetRoleFieldPermissionInput, SetRolePrivilegeInput, UpdateSecurityRoleInput } from './security-role.inputs';
import { RoleFieldPermission, RolePrivilege, SecurityRole, UserRole } from './security-role.entity';
import type { SecuredField } from './secured-field';
import { securedFieldList, SYSTEM_ADMINISTRATOR, SYSTEM_ROLES } from './system-roles';

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

  /**
   * Whether a role may be changed at all (holding SECURITY_ROLE write is asked separately). As in
   * Dynamics, the administrator role always has everything, so nobody can lock the organization out.
   */
  isEditable(role: Pick<SecurityRole, 'name'>): boolean {
    return role.name !== SYSTEM_ADMINISTRATOR;
  }

  /** Whether a role may be renamed or deleted: not the system roles, which the code and the seed know by name. */
  isSystemRole(role: Pick<SecurityRole, 'name'>): boolean {
    return SYSTEM_ROLES.some((system) => system.name === role.name);
  }

  /** The secured fields (column security) a role's field permissions may name; no secret to anyone signed in. */
  securedFields(): SecuredField[] {
    return securedFieldList();
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

  /** Renames a role or changes its description; the system roles keep their names (their description may change). */
  async update(principal: Principal, globalId: string, input: UpdateSecurityRoleInput): Promise<SecurityRole> {
    const role = await this.writableRole(principal, globalId, Privilege.WRITE);
    nonNull(input, ['name', 'description']);
    const name = input.name?.trim();
    if (name !== undefined && name !== role.name) {
      if (this.isSystemRole(role)) throw forbidden(`"${role.name}" is a system role: it cannot be renamed`);
      if (await this.db.getRepository(SecurityRole).existsBy({ name, id: Not(role.id) })) {
        throw new ApiError('CONFLICT', `input.name: a role named "${name}" exists already`, 'input.name');
      }
    }
    await unlessDuplicate(
      this.db.getRepository(SecurityRole).update({ id: role.id }, definedOnly({ name, description: input.description })),
      () => new ApiError('CONFLICT', `input.name: a role named "${name}" exists already`, 'input.name'),
    );
    // Principals carry role names (principal.roleNames): cached ones must be resolved again.
    if (name !== undefined && name !== role.name) this.accessChanged();
    return this.db.getRepository(SecurityRole).findOneByOrFail({ id: role.id });
  }

  /** Refused for a system role, and (CONFLICT, `extensions.holders`) while users hold the role. Returns its id. */
  async remove(principal: Principal, globalId: string): Promise<string> {
    const role = await this.writableRole(principal, globalId, Privilege.DELETE);
    if (this.isSystemRole(role)) throw forbidden(`"${role.name}" is a system role: it cannot be deleted`);
    await this.db.transaction(async (em) => {
      // Exclusive lock first: an addUserRole for this role right now finishes before the count.
      await lockRow(em, 'security_role', role.id);
      const holders = await em.countBy(UserRole, { roleId: role.id });
      if (holders > 0) {
        throw new ApiError('CONFLICT', `id: ${holders} user${holders === 1 ? ' holds' : 's hold'} the role "${role.name}"; take it from them first`, 'id', { holders });
      }
      await em.delete(RolePrivilege, { roleId: role.id });
      await em.delete(RoleFieldPermission, { roleId: role.id });
      await em.delete(SecurityRole, { id: role.id });
    });
    return globalId;
  }

  private async writableRole(principal: Principal, globalId: string, privilege: Privilege.WRITE | Privilege.DELETE): Promise<SecurityRole> {
    if (!holds(principal, AccessEntity.SECURITY_ROLE, privilege)) {
      throw forbidden(privilege === Privilege.DELETE ? 'you may not delete security roles' : 'you may not change security roles');
    }
    const id = expectGlobalId('id', globalId, 'SecurityRole').id;
    const role = await this.db.getRepository(SecurityRole).findOneBy({ id });
    if (!role) throw notFound('id', globalId);
    return role;
  }

  private async editableRole(principal: Principal, globalId: string): Promise<SecurityRole> {
    if (!holds(principal, AccessEntity.SECURITY_ROLE, Privilege.WRITE)) throw forbidden('you may not change security roles');
    const id = expectGlobalId('input.roleId', globalId, 'SecurityRole').id;
    const role = await this.db.getRepository(SecurityRole).findOneBy({ id });
    if (!role) throw notFound('input.roleId', globalId);
    if (!this.isEditable(role)) throw forbidden('the System Administrator role cannot be changed');
    return role;
  }
}
