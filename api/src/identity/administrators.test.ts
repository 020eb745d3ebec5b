import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { DataSource, type EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecurityRole, UserRole } from '../access/security-role.entity';
import { SYSTEM_ADMINISTRATOR } from '../access/system-roles';
import { createMysqlDatabase, dropMysqlDatabase } from '../db/mysql-admin';
import { keepingAnAdministrator } from './administrators';
import { User } from './user.entity';

const MARIADB = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

/** Resolves once another connection is inside the statement that locks the role's row (it waits there). */
async function someoneWaitsForTheRoleLock(ds: DataSource): Promise<void> {
  for (;;) {
    const waiting = await ds.query("SELECT id FROM information_schema.PROCESSLIST WHERE command = 'Query' AND info LIKE 'SELECT id FROM security_role WHERE id = % FOR UPDATE'");
    if (waiting.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('keepingAnAdministrator on MariaDB', () => {
  const name = `crm_admins_${randomBytes(4).toString('hex')}`;
  let ds: DataSource;

  beforeAll(async () => {
    await createMysqlDatabase(MARIADB, name);
    ds = await new DataSource({ type: 'mariadb', url: `${MARIADB}/${name}`, entities: [User, SecurityRole, UserRole], synchronize: true }).initialize();
    const role = await ds.getRepository(SecurityRole).save({ id: 'role-admin', name: SYSTEM_ADMINISTRATOR, description: '' });
    for (const id of ['first', 'second']) {
      await ds.getRepository(User).save({ id, email: `${id}@example.com`, fullName: id, businessUnitId: 'bu', passwordHash: null });
      await ds.getRepository(UserRole).save({ userId: id, roleId: role.id });
    }
  });
  afterAll(async () => {
    await ds?.destroy();
    await dropMysqlDatabase(MARIADB, name);
  });

  it('two administrators demoting each other: the one that waited for the lock sees the other\'s commit and is refused', async () => {
    const demote = (userId: string) => (em: EntityManager) => em.delete(UserRole, { userId, roleId: 'role-admin' });
    let second: Promise<unknown> = Promise.resolve();
    await keepingAnAdministrator(ds, async (em) => {
      await demote('second')(em);
      // The other transaction starts (and reads the role, which fixes InnoDB's snapshot) while this one holds the lock.
      second = keepingAnAdministrator(ds, demote('first')).then(
        () => 'committed',
        (err: GraphQLError) => err.extensions?.code ?? err.message,
      );
      await Promise.race([someoneWaitsForTheRoleLock(ds), second]);
    });
    expect(await second).toBe('CONFLICT');
    expect(await ds.getRepository(UserRole).findBy({ roleId: 'role-admin' })).toEqual([{ userId: 'first', roleId: 'role-admin' }]);
  });
});
