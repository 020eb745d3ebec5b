import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { RoleFieldPermission, RolePrivilege, SecurityRole, UserRole } from '../access/security-role.entity';
import { securedFieldList, SYNC_SERVICE, SYSTEM_ADMINISTRATOR, SYSTEM_ROLES } from '../access/system-roles';
import { newId } from '../common/ids';
import { BusinessUnit } from '../identity/business-unit.entity';
import { IdentityService } from '../identity/identity.service';
import { hashPassword } from '../identity/password';
import { User } from '../identity/user.entity';
import { ensureEmailSettings, ensureUserMailboxes } from '../mail/mailbox-provisioning';
import { systemClock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { seedDemoActivities } from './demo-activities';
import { seedDemoData } from './demo-data';

/** The demo organization's administrator; an empty organization takes ADMIN_EMAIL instead. */
export const ADMIN_EMAIL = 'admin@demo.crm.test';
export const SYNC_SERVICE_EMAIL = 'sync-service@hub.invalid';

export interface BootstrapOptions {
  readonly seedDemo: boolean;
  readonly seedDemoActivities?: boolean;
  /** BASE_CURRENCY: the demo's opportunities are in it. */
  readonly baseCurrency?: string;
  /** The root business unit's name (ORGANIZATION_NAME); default "Contoso Demo" with demo data, else "My Organization". */
  readonly organizationName?: string;
  /** The first administrator's email (ADMIN_EMAIL); required without demo data. */
  readonly adminEmail?: string;
  /** One password for every seeded login, when given explicitly (tests, benchmarks); otherwise each gets its own, printed once. */
  readonly demoPassword?: string;
  readonly syncServiceApiKey?: string;
}

/** A sign-in created on the first start, printed once. */
export interface FirstLogin {
  readonly email: string;
  readonly password: string;
}

/**
 * First start of an empty database: the root business unit, the system roles, an administrator,
 * the Sync Service account and (by default) a demo organization. Later starts only make sure the
 * configured Sync Service key is registered. Runs in one transaction under the startup lock
 * (db/data-source.ts); on SQLite, where a second process can still race, the loser fails on the
 * unique role names and finds the winner's organization.
 */
export async function bootstrap(db: DataSource, log: Logger, options: BootstrapOptions): Promise<void> {
  if (!(await db.getRepository(BusinessUnit).exists())) {
    const adminEmail = options.adminEmail ?? (options.seedDemo ? ADMIN_EMAIL : undefined);
    if (!adminEmail) {
      throw new Error('ADMIN_EMAIL must be set for the first start of an organization without demo data (SEED_DEMO=false): it is the first administrator’s sign-in email');
    }
    const passwords = new FirstPasswords(options.demoPassword);
    const admin = await passwords.next(adminEmail);
    let created = false;
    let demoLogins: FirstLogin[] = [];
    try {
      await db.transaction(async (em) => {
        const rootId = newId();
        await em.insert(BusinessUnit, { id: rootId, name: options.organizationName ?? (options.seedDemo ? 'Contoso Demo' : 'My Organization'), parentId: null });
        const roleIds = await insertSystemRoles(em);
        const adminId = newId();
        const fullName = options.seedDemo ? 'Ada Admin' : 'Administrator';
        await em.insert(User, { id: adminId, email: adminEmail, fullName, businessUnitId: rootId, passwordHash: admin.hash, isService: false, disabled: false });
        await em.insert(UserRole, { userId: adminId, roleId: roleIds.get(SYSTEM_ADMINISTRATOR)! });
        const syncId = newId();
        await em.insert(User, { id: syncId, email: SYNC_SERVICE_EMAIL, fullName: 'Sync Service', businessUnitId: rootId, passwordHash: null, isService: true, disabled: false });
        await em.insert(UserRole, { userId: syncId, roleId: roleIds.get(SYNC_SERVICE)! });
        await ensureEmailSettings(em, systemClock());
        if (options.seedDemo) demoLogins = await seedDemoData(em, { rootId, roleIds, currency: options.baseCurrency ?? 'EUR', passwordFor: (email) => passwords.next(email) });
        await ensureUserMailboxes(em);
        if (options.seedDemo && options.seedDemoActivities !== false) await seedDemoActivities(em);
      });
      created = true;
    } catch (err) {
      if (!(await db.getRepository(BusinessUnit).exists())) throw err;
      log.info('another api process created the organization first');
    }
    // Printed once, by the process that created the organization; never stored in clear. The key is
    // `initialPassword`, not `password`: the logger redacts every `password` it meets (platform/logger.ts).
    if (created) {
      const demoUsers = demoLogins?.map((login) => ({ email: login.email, initialPassword: login.password }));
      log.info({ email: adminEmail, initialPassword: admin.password, demoUsers }, 'organization created: sign in with this administrator login (shown only now)');
    }
  }
  // Every start: organizations created before mail tracking existed get settings and mailboxes too.
  await db.transaction(async (em) => {
    await ensureEmailSettings(em, systemClock());
    await ensureUserMailboxes(em);
  });
  if (options.syncServiceApiKey) {
    const syncUser = await db.getRepository(User).findOneByOrFail({ email: SYNC_SERVICE_EMAIL });
    await new IdentityService(db, systemClock).ensureApiKey('Sync engines (SYNC_SERVICE_API_KEY)', options.syncServiceApiKey, syncUser.id);
  }
}

/** Each first login's own random password, or the one given for all of them (hashed once then). */
class FirstPasswords {
  private shared: Promise<string> | undefined;

  constructor(private readonly given: string | undefined) {}

  async next(email: string): Promise<FirstLogin & { hash: string }> {
    if (this.given === undefined) {
      const password = randomBytes(12).toString('base64url');
      return { email, password, hash: await hashPassword(password) };
    }
    this.shared ??= hashPassword(this.given);
    return { email, password: this.given, hash: await this.shared };
  }
}

async function insertSystemRoles(em: EntityManager): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const role of SYSTEM_ROLES) {
    const roleId = newId();
    ids.set(role.name, roleId);
    await em.insert(SecurityRole, { id: roleId, name: role.name, description: role.description });
    await em.insert(RolePrivilege, role.privileges.map((p) => ({ id: newId(), roleId, ...p })));
    if (role.securedFields === 'all') {
      await em.insert(RoleFieldPermission, securedFieldList().map((f) => ({ id: newId(), roleId, ...f, canRead: true, canUpdate: true })));
    }
  }
  return ids;
}
