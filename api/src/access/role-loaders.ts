import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { grouped } from '../common/loader-rows';
import { RoleFieldPermission, RolePrivilege } from './security-role.entity';

/** A request's batched look-ups of what security roles grant. */
export interface RoleLoaders {
  /** role id → its privileges / its field permissions. */
  readonly rolePrivileges: DataLoader<string, RolePrivilege[]>;
  readonly roleFieldPermissions: DataLoader<string, RoleFieldPermission[]>;
}

export function createRoleLoaders(db: DataSource): RoleLoaders {
  return {
    rolePrivileges: new DataLoader(async (roleIds) =>
      grouped(await db.getRepository(RolePrivilege).find({ where: { roleId: In([...roleIds]) }, order: { entity: 'ASC', privilege: 'ASC' } }), roleIds, (r) => r.roleId),
    ),
    roleFieldPermissions: new DataLoader(async (roleIds) =>
      grouped(await db.getRepository(RoleFieldPermission).find({ where: { roleId: In([...roleIds]) }, order: { entity: 'ASC', field: 'ASC' } }), roleIds, (r) => r.roleId),
    ),
  };
}
