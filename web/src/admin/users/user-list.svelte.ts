import type { GraphQLClient } from '../../graphql/graphql-client';
import { problemOf, type Problem } from '../../shell/i18n/translator';
import { ADMIN_USERS, USER_LIST_LIMIT, userMatches, type AdminUser } from './users';

export type UserListState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly users: readonly AdminUser[]; readonly capped: boolean }
  | { readonly status: 'failed'; readonly problem: Problem };

/** How long typing pauses before a cut list asks the server. */
export const SEARCH_DELAY_MS = 300;

/**
 * The users the viewer may read, filtered here as the viewer types (by name, email, unit or role). The API gives at
 * most USER_LIST_LIMIT; when the list is cut there, the filter also asks the server (by name or email).
 */
export class UserList {
  state = $state<UserListState>({ status: 'loading' });
  filter = $state('');

  #capped = false;
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: GraphQLClient) {}

  get shown(): readonly AdminUser[] {
    return this.state.status === 'loaded' ? this.state.users.filter((user) => userMatches(user, this.filter)) : [];
  }

  async load(search?: string): Promise<void> {
    const generation = ++this.#generation;
    if (this.state.status !== 'loaded') this.state = { status: 'loading' };
    try {
      const { users } = await this.client.request(ADMIN_USERS, search ? { search } : {});
      if (generation !== this.#generation) return;
      if (!search) this.#capped = users.length >= USER_LIST_LIMIT;
      this.state = { status: 'loaded', users, capped: users.length >= USER_LIST_LIMIT };
    } catch (error) {
      if (generation === this.#generation) this.state = { status: 'failed', problem: problemOf(error) };
    }
  }

  /** Filters what is shown; a cut list is read again from the server once typing pauses. */
  setFilter(text: string): void {
    this.filter = text;
    if (!this.#capped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.load(text.trim() || undefined), SEARCH_DELAY_MS);
  }

  dispose(): void {
    this.#generation++;
    clearTimeout(this.#timer);
  }
}
