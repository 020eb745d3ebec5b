import type { DataSource } from 'typeorm';
import { holds, type Principal } from './principal';
import { AccessEntity, Privilege } from './privileges';
import { RoleFieldPermission, RolePrivilege, SecurityRole } from './security-role.entity';

/** Reading security roles (administrators edit them in a later slice; seeded roles cover the defaults). */
export class SecurityRoleService {
  constructor(private readonly db: DataSource) {}

  async list(principal: Principal): Promise<SecurityRole[]> {
    if (!holds(principal, AccessEntity.SECURITY_ROLE, Privilege.READ)) return [];
    return this.db.getRepository(SecurityRole).find({ order: { name: 'ASC' } });
  }

  // Role lists are short and only administrators ask for them: a query per role is acceptable here.
  privilegesOf(roleId: string): Promise<RolePrivilege[]> {
    return this.db.getRepository(RolePrivilege).find({ where: { roleId }, order: { entity: 'ASC', privilege: 'ASC' } });
  }

  fieldPermissionsOf(roleId: string): Promise<RoleFieldPermission[]> {
    return this.db.getRepository(RoleFieldPermission).find({ where: { roleId }, order: { entity: 'ASC', field: 'ASC' } });
  }
}
