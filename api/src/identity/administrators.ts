import { In, type DataSource, type EntityManager } from 'typeorm';
import { SecurityRole, UserRole } from '../access/security-role.entity';
import { SYSTEM_ADMINISTRATOR } from '../access/system-roles';
import { ApiError } from '../common/errors';
import { User } from './user.entity';
import { lockRow, rowLock } from '../db/row-locks';

/**
 * Runs `change` in a transaction and commits it only if at least one enabled person (not a service
 * account) still holds the System Administrator role afterwards, so nobody can lock the organization
 * out by removing that role from, or disabling, its last administrator. On MySQL/MariaDB the role's
 * row is locked first, so two administrators demoting each other at once run one after the other,
 * and the count after the change is a locking read: InnoDB's plain SELECT would answer from the
 * snapshot taken before the wait and miss what the other transaction just committed
 * (SQLite runs one write transaction at a time).
 */
export function keepingAnAdministrator<T>(db: DataSource, change: (em: EntityManager) => Promise<T>): Promise<T> {
  return db.transaction(async (em) => {
    const role = await em.findOneByOrFail(SecurityRole, { name: SYSTEM_ADMINISTRATOR });
    await lockRow(em, 'security_role', role.id);
    const result = await change(em);
    const lock = rowLock(em, 'pessimistic_read');
    const holders = (await em.find(UserRole, { where: { roleId: role.id }, lock })).map((link) => link.userId);
    const enabled = holders.length ? await em.count(User, { where: { id: In(holders), disabled: false, isService: false }, lock }) : 0;
    if (enabled === 0) {
      throw new ApiError(
        'CONFLICT',
        'This would leave the organization without an enabled System Administrator, and nobody could administer it. Give the role to another enabled user first.',
      );
    }
    return result;
  });
}
