import { GraphQLRequestError, type GraphQLClient } from '../../graphql/graphql-client';
import type { AdminUserQuery } from '../../graphql/operations.generated';
import { toMutationError, type MutationError } from '../../shell/mutation-error';
import { problemOf, type Problem, type Text } from '../../shell/i18n/translator';
import { ADD_USER_ROLE, ADMIN_USER, REMOVE_USER_ROLE, RESET_USER_PASSWORD, SET_USER_DISABLED, SYSTEM_ADMINISTRATOR, UNLOCK_USER, type AdminUser } from './users';

export type Role = AdminUserQuery['securityRoles'][number];

export type UserDetailState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly user: AdminUser; readonly roles: readonly Role[]; readonly viewerId: string; readonly systemAdministrator: boolean }
  | { readonly status: 'missing' }
  | { readonly status: 'failed'; readonly problem: Problem };

export type UserAction = 'role' | 'disable' | 'unlock' | 'reset';

/**
 * One user's page in the console: their roles, whether they may sign in, and the temporary password of a reset, kept
 * here only until the dialog that shows it once is closed.
 */
export class UserDetail {
  state = $state<UserDetailState>({ status: 'loading' });
  running = $state<UserAction | null>(null);
  /** The refusal of the last change, by the control it came from. */
  errors = $state<Partial<Record<UserAction, MutationError>>>({});
  notice = $state<Text | null>(null);
  /** A reset's temporary password, until the dialog showing it is closed. */
  temporaryPassword = $state<string | null>(null);

  constructor(
    private readonly client: GraphQLClient,
    readonly id: string,
  ) {}

  async load(): Promise<void> {
    this.state = { status: 'loading' };
    try {
      const { viewer, securityRoles, node } = await this.client.request(ADMIN_USER, { id: this.id });
      if (node?.__typename !== 'User') {
        this.state = { status: 'missing' };
        return;
      }
      const systemAdministrator = viewer.roles.some((role) => role.name === SYSTEM_ADMINISTRATOR);
      this.state = { status: 'loaded', user: node, roles: securityRoles, viewerId: viewer.id, systemAdministrator };
    } catch (error) {
      // BAD_USER_INPUT: a malformed id in the address bar.
      const missing = error instanceof GraphQLRequestError && (error.code === 'NOT_FOUND' || error.code === 'BAD_USER_INPUT');
      this.state = missing ? { status: 'missing' } : { status: 'failed', problem: problemOf(error) };
    }
  }

  addRole = (role: Role) =>
    this.#run('role', async () => (await this.client.request(ADD_USER_ROLE, { userId: this.id, roleId: role.id })).addUserRole, (i18n) => i18n.t.peopleAdmin.roleAdded(role.name));
  removeRole = (role: Role | AdminUser['roles'][number]) =>
    this.#run(
      'role',
      async () => (await this.client.request(REMOVE_USER_ROLE, { userId: this.id, roleId: role.id })).removeUserRole,
      (i18n) => i18n.t.peopleAdmin.roleRemoved(role.name),
    );
  setDisabled = (disabled: boolean) =>
    this.#run(
      'disable',
      async () => (await this.client.request(SET_USER_DISABLED, { userId: this.id, disabled })).setUserDisabled,
      (i18n) => (disabled ? i18n.t.peopleAdmin.disabledNotice : i18n.t.peopleAdmin.enabledNotice),
    );
  unlock = () => this.#run('unlock', async () => (await this.client.request(UNLOCK_USER, { userId: this.id })).unlockUser, (i18n) => i18n.t.peopleAdmin.unlockedNotice);
  resetPassword = () =>
    this.#run(
      'reset',
      async () => {
        const { temporaryPassword, user } = (await this.client.request(RESET_USER_PASSWORD, { userId: this.id })).resetUserPassword;
        this.temporaryPassword = temporaryPassword;
        return user;
      },
      null,
    );

  /** Forgets the temporary password once its dialog is closed: it is shown once. */
  forgetTemporaryPassword(): void {
    this.temporaryPassword = null;
  }

  /** Runs one change; resolves true when it was made. */
  async #run(action: UserAction, change: () => Promise<AdminUser>, done: Text | null): Promise<boolean> {
    if (this.running) return false;
    this.running = action;
    this.notice = null;
    this.errors = {};
    try {
      const user = await change();
      if (this.state.status === 'loaded') this.state = { ...this.state, user };
      this.notice = done;
      return true;
    } catch (error) {
      this.errors = { [action]: toMutationError(error) };
      return false;
    } finally {
      this.running = null;
    }
  }
}
