import { In, type DataSource, type EntityManager } from 'typeorm';
import { SecurityRole, UserRole } from '../access/security-role.entity';
import { SYSTEM_ADMINISTRATOR } from '../access/system-roles';
import { ApiError } from '../common/errors';
import { User } from './user.entity';
import { lockRow } from '../db/row-locks';

/**
 * Runs `change` in a transaction and commits it only if at least one enabled person (not a service
 * account) still holds the System Administrator role afterwards, so nobody can lock the organization
 * out by removing that role from, or disabling, its last administrator. On MySQL/MariaDB the role's
 * row is locked first, so two administrators demoting each other at once cannot both succeed
 * (SQLite runs one write transaction at a time).
 */
export function keepingAnAdministrator<T>(db: DataSource, change: (em: EntityManager) => Promise<T>): Promise<T> {
  return db.transaction(async (em) => {
    const role = await em.findOneByOrFail(SecurityRole, { name: SYSTEM_ADMINISTRATOR });
    await lockRow(em, 'security_role', role.id);
    const result = await change(em);
    const holders = (await em.findBy(UserRole, { roleId: role.id })).map((link) => link.userId);
    const enabled = holders.length ? await em.countBy(User, { id: In(holders), disabled: false, isService: false }) : 0;
    if (enabled === 0) {
      throw new ApiError(
        'CONFLICT',
        'This would leave the organization without an enabled System Administrator, and nobody could administer it. Give the role to another enabled user first.',
      );
    }
    return result;
  });
}
