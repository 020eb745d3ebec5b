import type { GraphQLClient } from '../../graphql/graphql-client';
import type { KeyOwnersQuery } from '../../graphql/operations.generated';
import { toMutationError, type MutationError } from '../../shell/mutation-error';
import { problemOf, type Problem, type Text } from '../../shell/i18n/translator';
import { API_KEYS, CREATE_API_KEY, KEY_OWNERS, REVOKE_API_KEY, type ApiKeyRow } from './api-keys';

export type ApiKeysState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly keys: readonly ApiKeyRow[]; readonly viewerId: string }
  | { readonly status: 'failed'; readonly problem: Problem };

export type KeyOwner = KeyOwnersQuery['users'][number];

/** The API keys the viewer may see, a new key (shown once, then forgotten) and revoking one. */
export class ApiKeys {
  state = $state<ApiKeysState>({ status: 'loading' });
  /** Whom a new key may act as, when the viewer may make keys for others; null: only themselves. */
  owners = $state<readonly KeyOwner[] | null>(null);
  name = $state('');
  /** The user the new key acts as; '' for the viewer. */
  ownerId = $state('');
  /** yyyy-mm-dd, or '' for a key that does not expire. */
  expires = $state('');
  creating = $state(false);
  createError = $state<MutationError | null>(null);
  /** A new key, until the dialog showing it is closed. */
  newKey = $state<string | null>(null);
  revoking = $state<string | null>(null);
  revokeError = $state<MutationError | null>(null);
  notice = $state<Text | null>(null);

  constructor(
    private readonly client: GraphQLClient,
    private readonly forOthers: boolean,
  ) {}

  async load(): Promise<void> {
    try {
      const [{ viewer, apiKeys }, owners] = await Promise.all([
        this.client.request(API_KEYS),
        this.forOthers ? this.client.request(KEY_OWNERS).then(({ users }) => users.filter((user) => !user.disabled)) : Promise.resolve(null),
      ]);
      this.state = { status: 'loaded', keys: apiKeys, viewerId: viewer.id };
      this.owners = owners;
    } catch (error) {
      this.state = { status: 'failed', problem: problemOf(error) };
    }
  }

  startCreate(): void {
    this.name = '';
    this.ownerId = '';
    this.expires = '';
    this.createError = null;
  }

  /** Resolves true once the key is made: it is in `newKey` until forgotten. */
  async create(): Promise<boolean> {
    if (this.creating) return false;
    this.creating = true;
    this.createError = null;
    try {
      const input = {
        name: this.name,
        ...(this.ownerId ? { userId: this.ownerId } : {}),
        // The end of the chosen day where the viewer is.
        ...(this.expires ? { expiresAt: new Date(`${this.expires}T23:59:59`).toISOString() } : {}),
      };
      this.newKey = (await this.client.request(CREATE_API_KEY, { input })).createApiKey.key;
      await this.load();
      return true;
    } catch (error) {
      this.createError = toMutationError(error);
      return false;
    } finally {
      this.creating = false;
    }
  }

  forgetNewKey(): void {
    this.newKey = null;
  }

  async revoke(key: ApiKeyRow): Promise<void> {
    if (this.revoking) return;
    this.revoking = key.id;
    this.revokeError = null;
    this.notice = null;
    try {
      await this.client.request(REVOKE_API_KEY, { id: key.id });
      this.notice = (i18n) => i18n.t.peopleAdmin.keyRevoked(key.name);
      await this.load();
    } catch (error) {
      this.revokeError = toMutationError(error);
    } finally {
      this.revoking = null;
    }
  }
}
