import { randomBytes } from 'node:crypto';
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { ensureUserMailboxes } from '../mail/mailbox-provisioning';
import { can, holds, type Principal } from '../access/principal';
import { AccessEntity, Privilege } from '../access/privileges';
import { SecurityRole, UserRole } from '../access/security-role.entity';
import { SYSTEM_ADMINISTRATOR } from '../access/system-roles';
import { ApiError, badInput, forbidden, notFound } from '../common/errors';
import { expectGlobalId, optionalGlobalId, toGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import { containsPattern, likeCondition } from '../common/like';
import type { Clock } from '../platform/clock';
import { validEmail } from '../records/email-addresses';
import { rowLock } from '../db/row-locks';
import { keepingAnAdministrator } from './administrators';
import { ApiKey } from './api-key.entity';
import { AuthSession } from './auth-session.entity';
import { BusinessUnit } from './business-unit.entity';
import type { CreateApiKeyInput, CreateBusinessUnitInput, CreateUserInput } from './identity.inputs';
import { hashPassword } from './password';
import { checkPassword } from './password-policy';
import { hashToken, newApiKey } from './tokens';
import { User } from './user.entity';

const asRow = (user: User) => ({ ownerId: user.id, businessUnitId: user.businessUnitId });

/** Users, business units, role membership and API keys: the administrator's side of identity. */
export class IdentityService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    /** Told after a change to who may do what, so cached callers are resolved again. */
    private readonly accessChanged: () => void = () => {},
  ) {}

  async listUsers(principal: Principal, search?: string): Promise<User[]> {
    if (!holds(principal, AccessEntity.USER, Privilege.READ)) return [];
    const qb = this.db.getRepository(User).createQueryBuilder('u').orderBy('u.fullName').addOrderBy('u.id').limit(500);
    const text = search?.trim();
    if (text) {
      qb.where(`(${likeCondition(this.db, 'u.fullName', 'userName')} OR ${likeCondition(this.db, 'u.email', 'userEmail', { fold: false })})`, {
        userName: containsPattern(text),
        userEmail: containsPattern(text.toLowerCase()),
      });
    }
    return (await qb.getMany()).filter((u) => can(principal, AccessEntity.USER, Privilege.READ, asRow(u)));
  }

  async createUser(principal: Principal, input: CreateUserInput): Promise<User> {
    const unitId = expectGlobalId('input.businessUnitId', input.businessUnitId, 'BusinessUnit').id;
    const unit = await this.db.getRepository(BusinessUnit).findOneBy({ id: unitId });
    if (!unit) throw notFound('input.businessUnitId', input.businessUnitId);
    const id = newId();
    if (!can(principal, AccessEntity.USER, Privilege.CREATE, { ownerId: id, businessUnitId: unitId })) {
      throw forbidden('you may not create users in that business unit');
    }
    const roleIds = input.roleIds.map((r, i) => expectGlobalId(`input.roleIds[${i}]`, r, 'SecurityRole').id);
    await requireRoles(this.db.manager, roleIds);
    const email = validEmail('input.email', input.email);
    if (await this.db.getRepository(User).existsBy({ email })) {
      throw new ApiError('CONFLICT', `input.email: a user with "${email}" already exists`, 'input.email');
    }
    if (input.password !== undefined && input.password !== null) checkPassword('input.password', input.password, [email, input.fullName]);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.db.transaction(async (em) => {
      await em.insert(User, { id, email, fullName: input.fullName.trim(), businessUnitId: unitId, passwordHash, isService: !input.password, disabled: false });
      if (roleIds.length) {
        await requireRoles(em, roleIds);
        await em.insert(UserRole, roleIds.map((roleId) => ({ userId: id, roleId })));
      }
      if (input.password) await ensureUserMailboxes(em, id);
      return em.findOneByOrFail(User, { id });
    });
  }

  async setUserRole(principal: Principal, userGlobalId: string, roleGlobalId: string, member: boolean): Promise<User> {
    const user = await this.writableUser(principal, userGlobalId);
    const roleId = expectGlobalId('roleId', roleGlobalId, 'SecurityRole').id;
    await requireRoles(this.db.manager, [roleId]);
    if (member) {
      await this.db.transaction(async (em) => {
        await requireRoles(em, [roleId]);
        await em.upsert(UserRole, { userId: user.id, roleId }, ['userId', 'roleId']);
      });
    }
    else await keepingAnAdministrator(this.db, (em) => em.delete(UserRole, { userId: user.id, roleId }));
    this.accessChanged();
    return user;
  }

  async setUserDisabled(principal: Principal, userGlobalId: string, disabled: boolean): Promise<User> {
    const user = await this.writableUser(principal, userGlobalId);
    if (user.id === principal.userId) throw new ApiError('BAD_USER_INPUT', 'userId: you cannot disable yourself', 'userId');
    if (disabled) await keepingAnAdministrator(this.db, (em) => em.update(User, { id: user.id }, { disabled }));
    else await this.db.getRepository(User).update({ id: user.id }, { disabled });
    this.accessChanged();
    return this.db.getRepository(User).findOneByOrFail({ id: user.id });
  }

  /**
   * Gives a user a random temporary password, shown once, and ends their sessions; their next
   * session may only change it. System Administrators only: whoever holds the temporary password
   * can act as that user.
   */
  async resetUserPassword(principal: Principal, userGlobalId: string): Promise<{ temporaryPassword: string; user: User }> {
    const user = await this.writableUser(principal, userGlobalId);
    if (!principal.roleNames.includes(SYSTEM_ADMINISTRATOR)) {
      throw forbidden('Only a System Administrator may reset passwords: the temporary password lets its holder act as that user.');
    }
    if (user.isService) throw badInput('userId', 'This is a service account: it has no password and signs in with API keys only.');
    if (user.id === principal.userId) throw badInput('userId', 'To change your own password, use changePassword.');
    const temporaryPassword = randomBytes(12).toString('base64url');
    const passwordHash = await hashPassword(temporaryPassword);
    await this.db.transaction(async (em) => {
      await em.update(User, { id: user.id }, { passwordHash, mustChangePassword: true, failedLoginCount: 0, loginLockedUntil: null });
      await em.update(AuthSession, { userId: user.id, revokedAt: IsNull() }, { revokedAt: this.clock() });
    });
    this.accessChanged();
    return { temporaryPassword, user: await this.db.getRepository(User).findOneByOrFail({ id: user.id }) };
  }

  /** Lifts the pause that wrong passwords put on a user's sign-in. */
  async unlockUser(principal: Principal, userGlobalId: string): Promise<User> {
    const user = await this.writableUser(principal, userGlobalId);
    await this.db.getRepository(User).update({ id: user.id }, { failedLoginCount: 0, loginLockedUntil: null });
    return this.db.getRepository(User).findOneByOrFail({ id: user.id });
  }

  /** Until when wrong passwords pause the user's password sign-in: only for who may change the user (and so unlock them). */
  signInLockedUntil(principal: Principal, user: User): Date | null {
    const until = user.loginLockedUntil;
    if (!until || until <= this.clock()) return null;
    return can(principal, AccessEntity.USER, Privilege.WRITE, asRow(user)) ? until : null;
  }

  async rolesOf(userIds: readonly string[]): Promise<Map<string, SecurityRole[]>> {
    const links = userIds.length ? await this.db.getRepository(UserRole).findBy({ userId: In([...userIds]) }) : [];
    const roles = links.length ? await this.db.getRepository(SecurityRole).findBy({ id: In(links.map((l) => l.roleId)) }) : [];
    const byId = new Map(roles.map((r) => [r.id, r]));
    const result = new Map<string, SecurityRole[]>();
    for (const link of links) result.set(link.userId, [...(result.get(link.userId) ?? []), byId.get(link.roleId)!].sort((a, b) => a.name.localeCompare(b.name)));
    return result;
  }

  async listBusinessUnits(principal: Principal): Promise<BusinessUnit[]> {
    if (!holds(principal, AccessEntity.BUSINESS_UNIT, Privilege.READ)) return [];
    return this.db.getRepository(BusinessUnit).find({ order: { name: 'ASC' } });
  }

  async createBusinessUnit(principal: Principal, input: CreateBusinessUnitInput): Promise<BusinessUnit> {
    if (!can(principal, AccessEntity.BUSINESS_UNIT, Privilege.CREATE, { ownerId: '', businessUnitId: '' })) {
      throw forbidden('only administrators may create business units');
    }
    const parentId = expectGlobalId('input.parentId', input.parentId, 'BusinessUnit').id;
    if (!(await this.db.getRepository(BusinessUnit).existsBy({ id: parentId }))) throw notFound('input.parentId', input.parentId);
    const id = newId();
    await this.db.getRepository(BusinessUnit).insert({ id, name: input.name.trim(), parentId });
    return this.db.getRepository(BusinessUnit).findOneByOrFail({ id });
  }

  async createApiKey(principal: Principal, input: CreateApiKeyInput): Promise<{ key: string; apiKey: ApiKey }> {
    const userId = optionalGlobalId('input.userId', input.userId, 'User') ?? principal.userId;
    const user = await this.db.getRepository(User).findOneBy({ id: userId });
    if (!user) throw notFound('input.userId', input.userId ?? '');
    if (!can(principal, AccessEntity.API_KEY, Privilege.CREATE, asRow(user))) {
      throw forbidden('you may not create API keys for that user');
    }
    if (input.expiresAt && input.expiresAt <= this.clock()) throw new ApiError('BAD_USER_INPUT', 'input.expiresAt: must be in the future', 'input.expiresAt');
    const key = newApiKey();
    const apiKey = await this.saveApiKey(input.name.trim(), key, user.id, principal.userId, input.expiresAt ?? null);
    return { key, apiKey };
  }

  /** Stores a key that was generated elsewhere (the SYNC_SERVICE_API_KEY shared with the engines) unless it is already there. */
  async ensureApiKey(name: string, key: string, userId: string): Promise<void> {
    const exists = () => this.db.getRepository(ApiKey).existsBy({ keyHash: hashToken(key) });
    if (await exists()) return;
    try {
      await this.saveApiKey(name, key, userId, userId, null);
    } catch (err) {
      if (!(await exists())) throw err; // else another api process registered it a moment earlier
    }
  }

  async listApiKeys(principal: Principal): Promise<ApiKey[]> {
    const keys = await this.db.getRepository(ApiKey).find({ order: { createdAt: 'DESC' }, take: 500 });
    const users = await this.db.getRepository(User).findBy({ id: In([...new Set(keys.map((k) => k.userId))]) });
    const byId = new Map(users.map((u) => [u.id, u]));
    return keys.filter((k) => byId.has(k.userId) && can(principal, AccessEntity.API_KEY, Privilege.READ, asRow(byId.get(k.userId)!)));
  }

  async revokeApiKey(principal: Principal, globalId: string): Promise<ApiKey> {
    const id = expectGlobalId('id', globalId, 'ApiKey').id;
    const key = await this.db.getRepository(ApiKey).findOneBy({ id });
    const owner = key && (await this.db.getRepository(User).findOneBy({ id: key.userId }));
    if (!key || !owner || !can(principal, AccessEntity.API_KEY, Privilege.READ, asRow(owner))) throw notFound('id', globalId);
    if (!can(principal, AccessEntity.API_KEY, Privilege.DELETE, asRow(owner))) throw forbidden('you may not revoke this API key');
    await this.db.getRepository(ApiKey).update({ id }, { revokedAt: this.clock() });
    this.accessChanged();
    return this.db.getRepository(ApiKey).findOneByOrFail({ id });
  }

  private async saveApiKey(name: string, key: string, userId: string, createdById: string, expiresAt: Date | null): Promise<ApiKey> {
    const id = newId();
    await this.db.getRepository(ApiKey).insert({ id, name, prefix: key.slice(0, 12), keyHash: hashToken(key), userId, createdById, expiresAt, revokedAt: null, lastUsedAt: null });
    return this.db.getRepository(ApiKey).findOneByOrFail({ id });
  }

  private async writableUser(principal: Principal, globalId: string): Promise<User> {
    const id = expectGlobalId('userId', globalId, 'User').id;
    const user = await this.db.getRepository(User).findOneBy({ id });
    if (!user || !can(principal, AccessEntity.USER, Privilege.READ, asRow(user))) throw notFound('userId', toGlobalId('User', id));
    if (!can(principal, AccessEntity.USER, Privilege.WRITE, asRow(user))) throw forbidden('you may not change this user');
    return user;
  }

}

/**
 * NOT_FOUND unless every role exists. Inside a transaction it holds them with a shared lock till COMMIT, so a
 * concurrent deleteSecurityRole (which locks the role exclusively, then counts its holders) sees the new holder.
 */
async function requireRoles(em: EntityManager, roleIds: readonly string[]): Promise<void> {
  if (roleIds.length === 0) return;
  const lock = em.queryRunner?.isTransactionActive ? rowLock(em, 'pessimistic_read') : undefined;
  const found = await em.find(SecurityRole, { where: { id: In([...roleIds]) }, select: { id: true }, lock });
  const missing = roleIds.find((id) => !found.some((r) => r.id === id));
  if (missing) throw notFound('roleId', toGlobalId('SecurityRole', missing));
}
