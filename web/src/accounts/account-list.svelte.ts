import type { GraphQLClient } from '../graphql/graphql-client';
import { messageOf } from '../session/session.svelte';

export interface AccountRow {
  id: string;
  name: string;
  emails: string[];
  primaryEmail: string | null;
  telephone: string | null;
  owner: { fullName: string } | null;
}

/** What has been loaded for one search: rows so far and where the next page starts. */
export interface AccountPage {
  search: string;
  rows: AccountRow[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

interface AccountsResult {
  accounts: {
    totalCount: number;
    edges: { cursor: string; node: AccountRow }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const ACCOUNTS = /* GraphQL */ `
  query Accounts($first: Int, $after: String, $filter: AccountFilter) {
    accounts(first: $first, after: $after, filter: $filter) {
      totalCount
      edges { cursor node { id name emails primaryEmail telephone owner { fullName } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** The accounts the viewer may read, searched by name or email and paged by cursor. */
export class AccountList {
  query = $state('');
  page = $state<AccountPage | null>(null);
  loading = $state<'first' | 'more' | null>(null);
  error = $state<string | null>(null);

  // Each new search bumps this, so an answer to an older search is dropped rather than shown.
  #generation = 0;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: GraphQLClient,
    readonly pageSize = 25,
  ) {}

  /** Searches once typing has paused for `delayMs`. */
  searchSoon(delayMs = 300): void {
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => void this.search(), delayMs);
  }

  /** Loads the first page for the current query, replacing whatever was shown. */
  async search(): Promise<void> {
    clearTimeout(this.#typingTimer);
    const generation = ++this.#generation;
    const search = this.query.trim();
    this.loading = 'first';
    this.error = null;
    try {
      const result = await this.#fetch(search, null);
      if (generation !== this.#generation) return;
      this.page = toPage(search, [], result);
    } catch (error) {
      if (generation !== this.#generation) return;
      this.error = messageOf(error);
    } finally {
      if (generation === this.#generation) this.loading = null;
    }
  }

  /** Appends the next page of the search already shown. */
  async loadMore(): Promise<void> {
    const current = this.page;
    if (!current?.hasNextPage || this.loading) return;
    const generation = this.#generation;
    this.loading = 'more';
    this.error = null;
    try {
      const result = await this.#fetch(current.search, current.endCursor);
      if (generation !== this.#generation) return;
      this.page = toPage(current.search, current.rows, result);
    } catch (error) {
      if (generation !== this.#generation) return;
      this.error = messageOf(error);
    } finally {
      if (generation === this.#generation) this.loading = null;
    }
  }

  dispose(): void {
    clearTimeout(this.#typingTimer);
    this.#generation++;
  }

  #fetch(search: string, after: string | null): Promise<AccountsResult> {
    return this.client.request<AccountsResult>(ACCOUNTS, {
      first: this.pageSize,
      after,
      filter: search ? { search } : null,
    });
  }
}

function toPage(search: string, before: AccountRow[], { accounts }: AccountsResult): AccountPage {
  return {
    search,
    rows: [...before, ...accounts.edges.map((edge) => edge.node)],
    totalCount: accounts.totalCount,
    endCursor: accounts.pageInfo.endCursor,
    hasNextPage: accounts.pageInfo.hasNextPage,
  };
}
