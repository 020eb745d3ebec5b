import { GraphQLError } from 'graphql';
import { IsNull, LessThan, Not, type DataSource } from 'typeorm';
import { AccessService } from '../access/access.service';
import type { Principal } from '../access/principal';
import { ApiError, badInput, forbidden } from '../common/errors';
import { newId } from '../common/ids';
import type { Clock } from '../platform/clock';
import { normalizeEmail } from '../records/email-addresses';
import { ApiKey } from './api-key.entity';
import { AuthSession } from './auth-session.entity';
import { CredentialCache } from './credential-cache';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password';
import { checkPassword } from './password-policy';
import type { SignInThrottle } from './sign-in-throttle';
import { hashToken, newSessionToken, SESSION_TOKEN_PREFIX } from './tokens';
import { User } from './user.entity';

/** Brute-force protection for password sign-in (API keys are long random secrets and need none). */
export const LOCKOUT = { failures: 5, minutes: 15 } as const;

export interface Authenticated {
  readonly user: User;
  /** For a session that must change its password first: no privileges at all (see principalOf). */
  readonly principal: Principal;
  /** The session id, when the caller signed in with a password (so logout knows what to end). */
  readonly sessionId?: string;
  /** A password session of a user whose password was reset: it may only change the password (and sign out). */
  readonly mustChangePassword: boolean;
}

/** Plain settings, one constructor argument: how long a session lasts, and how long a resolved caller is cached (0: not at all). */
export interface AuthSettings {
  readonly sessionTtlHours: number;
  readonly cacheSeconds: number;
}

/** Sign-in with a password, sessions, password changes, and turning a bearer token or API key back into a caller. */
export class AuthService {
  /** Callers resolved from a token a moment ago; it keeps time by the same clock as the sessions it caches. */
  private readonly cache: CredentialCache<Authenticated>;

  constructor(
    private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly throttle: SignInThrottle,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
  ) {
    this.cache = new CredentialCache(settings.cacheSeconds * 1000, undefined, () => clock().getTime());
  }

  private readonly accessListeners = new Set<(origin: 'here' | 'elsewhere') => void>();

  /** Forgets every cached caller: roles, privileges, users, keys or passwords changed. */
  accessChanged(): void {
    this.forget('here');
  }

  /** Another api process changed access (heard on the live bus): forget here too, without telling the others again. */
  accessChangedElsewhere(): void {
    this.forget('elsewhere');
  }

  /** Called after every change of access, so open WebSocket connections check their credentials again at once. */
  onAccessChanged(listener: (origin: 'here' | 'elsewhere') => void): () => void {
    this.accessListeners.add(listener);
    return () => this.accessListeners.delete(listener);
  }

  private forget(origin: 'here' | 'elsewhere'): void {
    this.cache.clear();
    for (const listener of this.accessListeners) listener(origin);
  }

  async login(email: string, password: string, clientAddress?: string): Promise<{ token: string; session: AuthSession; user: User }> {
    // Counted before anything else, whatever the email: the refusal says nothing about accounts.
    const retryAfterSeconds = await this.throttle.admit(clientAddress);
    if (retryAfterSeconds !== undefined) {
      throw new GraphQLError('Too many sign-in attempts right now. Wait a minute, then try again.', {
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds },
      });
    }
    const users = this.db.getRepository(User);
    const user = await users.findOne({ where: { email: normalizeEmail(email) } });
    const now = this.clock();
    const locked = Boolean(user?.loginLockedUntil && user.loginLockedUntil > now);
    // Service accounts (the Sync Service) use API keys only, whatever is in their row.
    const hash = user && !user.isService && !locked ? user.passwordHash : null;
    // Always run one hash comparison, so the response time does not tell whether the user exists.
    const ok = await verifyPassword(password, hash || (await DUMMY_HASH_PROMISE));
    if (!user || !hash || !ok || user.disabled) {
      if (user && !locked) await this.countFailure(user, now);
      // One message for every refusal, lock-outs included, so it reveals nothing about the account.
      throw new ApiError('UNAUTHENTICATED', `wrong email or password (after ${LOCKOUT.failures} wrong passwords, sign-in pauses for ${LOCKOUT.minutes} minutes)`);
    }
    if (user.failedLoginCount > 0) await users.update({ id: user.id }, { failedLoginCount: 0 });
    // Housekeeping on the way in: the user's expired sessions are of no use to anyone.
    await this.db.getRepository(AuthSession).delete({ userId: user.id, expiresAt: LessThan(now) });
    const token = newSessionToken();
    const session = await this.db.getRepository(AuthSession).save({
      id: newId(),
      tokenHash: hashToken(token),
      userId: user.id,
      expiresAt: new Date(now.getTime() + this.settings.sessionTtlHours * 3600_000),
      revokedAt: null,
    });
    return { token, session, user };
  }

  /**
   * The signed-in user's new password: needs the current one (a wrong one counts toward the pause),
   * obeys the password policy, clears a forced change, and ends the user's other sessions.
   */
  async changePassword(auth: Authenticated, currentPassword: string, newPassword: string): Promise<User> {
    if (!auth.sessionId) throw forbidden('Sign in with your password to change it: an API key cannot change its user’s password.');
    const users = this.db.getRepository(User);
    const user = await users.findOneByOrFail({ id: auth.user.id });
    const now = this.clock();
    if (user.loginLockedUntil && user.loginLockedUntil > now) {
      throw badInput('currentPassword', `After ${LOCKOUT.failures} wrong passwords, password changes pause for ${LOCKOUT.minutes} minutes. Try again later.`);
    }
    if (!user.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
      await this.countFailure(user, now);
      throw badInput('currentPassword', 'This is not your current password.');
    }
    checkPassword('newPassword', newPassword, [user.email, user.fullName]);
    if (newPassword === currentPassword) throw badInput('newPassword', 'The new password must differ from the current one.');
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction(async (em) => {
      await em.update(User, { id: user.id }, { passwordHash, mustChangePassword: false, failedLoginCount: 0, loginLockedUntil: null });
      await em.update(AuthSession, { userId: user.id, id: Not(auth.sessionId!), revokedAt: IsNull() }, { revokedAt: now });
    });
    this.accessChanged();
    return users.findOneByOrFail({ id: user.id });
  }

  /** Counts a wrong password atomically (several api processes may see attempts); the limit locks sign-in for a while. */
  private async countFailure(user: User, now: Date): Promise<void> {
    const users = this.db.getRepository(User);
    await users.increment({ id: user.id }, 'failedLoginCount', 1);
    const lockedUntil = new Date(now.getTime() + LOCKOUT.minutes * 60_000);
    await users
      .createQueryBuilder()
      .update()
      .set({ failedLoginCount: 0, loginLockedUntil: lockedUntil })
      .where('id = :id AND failedLoginCount >= :limit', { id: user.id, limit: LOCKOUT.failures })
      .execute();
  }

  async logout(sessionId: string): Promise<void> {
    await this.db.getRepository(AuthSession).update({ id: sessionId }, { revokedAt: this.clock() });
    this.accessChanged();
  }

  /** Resolves an Authorization header; undefined when there is none; an error when it is present but not valid. */
  async authenticate(authorization: string | undefined): Promise<Authenticated | undefined> {
    if (!authorization) return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new ApiError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"');
    const token = match[1];
    return this.cache.resolve(hashToken(token), () => this.resolveToken(token));
  }

  /** A token's caller from the database, and when the credential itself ends. */
  private async resolveToken(token: string): Promise<{ value: Authenticated; expiresAt: Date | null }> {
    const now = this.clock();
    // Sessions are always ours (crm_ses_…); anything else is an API key, including operator-chosen
    // ones such as SYNC_SERVICE_API_KEY=$(openssl rand -hex 32).
    if (!token.startsWith(SESSION_TOKEN_PREFIX)) {
      const key = await this.db.getRepository(ApiKey).findOne({ where: { keyHash: hashToken(token), revokedAt: IsNull() } });
      if (!key || (key.expiresAt && key.expiresAt <= now)) throw new ApiError('UNAUTHENTICATED', 'unknown, revoked or expired API key');
      const user = await this.activeUser(key.userId);
      // Coarse last-used stamp: at most one write a minute per key, not one per request.
      if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > 60_000) {
        await this.db.getRepository(ApiKey).update({ id: key.id }, { lastUsedAt: now });
      }
      // A forced password change concerns password sessions; keys are separate credentials, revoked on their own.
      return { value: { user, principal: await this.access.principalFor(user, 'api_key'), mustChangePassword: false }, expiresAt: key.expiresAt };
    }
    const session = await this.db.getRepository(AuthSession).findOne({ where: { tokenHash: hashToken(token), revokedAt: IsNull() } });
    if (!session || session.expiresAt <= now) throw new ApiError('UNAUTHENTICATED', 'the session has expired or was ended; sign in again');
    const user = await this.activeUser(session.userId);
    const principal = await this.access.principalFor(user, 'session');
    const value = user.mustChangePassword
      ? { user, principal: withoutPrivileges(principal), sessionId: session.id, mustChangePassword: true }
      : { user, principal, sessionId: session.id, mustChangePassword: false };
    return { value, expiresAt: session.expiresAt };
  }

  private async activeUser(userId: string): Promise<User> {
    const user = await this.db.getRepository(User).findOne({ where: { id: userId } });
    if (!user || user.disabled) throw new ApiError('UNAUTHENTICATED', 'this user is disabled');
    return user;
  }
}

/** What a session that must change its password holds: nothing, wherever its principal is used. */
function withoutPrivileges(principal: Principal): Principal {
  return { ...principal, privileges: new Map(), fieldGrants: new Set(), roleNames: [] };
}
