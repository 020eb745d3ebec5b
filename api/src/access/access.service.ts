import { In, type DataSource } from 'typeorm';
import { BusinessUnit } from '../identity/business-unit.entity';
import type { User } from '../identity/user.entity';
import { unitWithDescendants, type Principal } from './principal';
import { deeper, Depth } from './privileges';
import { RoleFieldPermission, RolePrivilege, SecurityRole, UserRole } from './security-role.entity';

/** Builds a caller's Principal from their roles: the union of privileges at the deepest depth any role grants. */
export class AccessService {
  constructor(private readonly db: DataSource) {}

  async principalFor(user: User, via: Principal['via']): Promise<Principal> {
    const roleIds = (await this.db.getRepository(UserRole).find({ where: { userId: user.id } })).map((r) => r.roleId);
    const [roles, grants, fields] = await Promise.all([
      roleIds.length ? this.db.getRepository(SecurityRole).find({ where: { id: In(roleIds) } }) : [],
      roleIds.length ? this.db.getRepository(RolePrivilege).find({ where: { roleId: In(roleIds) } }) : [],
      roleIds.length ? this.db.getRepository(RoleFieldPermission).find({ where: { roleId: In(roleIds) } }) : [],
    ]);
    // The unit tree matters only to PARENT_CHILD grants; most callers have none, so skip the read.
    const units = grants.some((g) => g.depth === Depth.PARENT_CHILD)
      ? await this.db.getRepository(BusinessUnit).find({ select: { id: true, parentId: true } })
      : [];
    const privileges = new Map<string, Depth>();
    for (const grant of grants) {
      const key = `${grant.entity}:${grant.privilege}`;
      privileges.set(key, deeper(privileges.get(key) ?? Depth.NONE, grant.depth));
    }
    const fieldGrants = new Set<string>();
    for (const field of fields) {
      if (field.canRead) fieldGrants.add(`${field.entity}.${field.field}:read`);
      if (field.canUpdate) fieldGrants.add(`${field.entity}.${field.field}:update`);
    }
    return {
      userId: user.id,
      businessUnitId: user.businessUnitId,
      unitAndDescendantIds: unitWithDescendants(user.businessUnitId, units),
      privileges,
      fieldGrants,
      roleNames: roles.map((r) => r.name).sort(),
      via,
      serviceAccount: user.isService,
    };
  }
}
