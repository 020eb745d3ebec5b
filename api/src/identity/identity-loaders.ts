import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import type { SecurityRole } from '../access/security-role.entity';
import { byKey } from '../common/loader-rows';
import { BusinessUnit } from './business-unit.entity';
import type { IdentityService } from './identity.service';
import { User } from './user.entity';

/** A request's batched look-ups of users, business units and who holds which role. */
export interface IdentityLoaders {
  readonly users: DataLoader<string, User | undefined>;
  readonly units: DataLoader<string, BusinessUnit | undefined>;
  /** user id → the user's security roles. */
  readonly roles: DataLoader<string, SecurityRole[]>;
}

export function createIdentityLoaders(db: DataSource, identity: IdentityService): IdentityLoaders {
  return {
    users: new DataLoader(async (ids) => byKey(await db.getRepository(User).findBy({ id: In([...ids]) }), ids, (r) => r.id)),
    units: new DataLoader(async (ids) => byKey(await db.getRepository(BusinessUnit).findBy({ id: In([...ids]) }), ids, (r) => r.id)),
    roles: new DataLoader(async (userIds) => {
      const roles = await identity.rolesOf(userIds);
      return userIds.map((id) => roles.get(id) ?? []);
    }),
  };
}
