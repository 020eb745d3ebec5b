import type { GraphQLClient } from '../graphql/graphql-client';
import { PagedList, type Connection, type Page } from '../graphql/paged-list.svelte';
import { graphql } from '../graphql/graphql-tag';

export interface AccountRow {
  id: string;
  name: string;
  emails: string[];
  primaryEmail: string | null;
  telephone: string | null;
  owner: { fullName: string } | null;
}

/** The accounts loaded for one search (`query` is the search text, trimmed). */
export type AccountPage = Page<string, AccountRow>;

interface AccountsResult {
  accounts: Connection<AccountRow>;
}

const ACCOUNTS = graphql`
  query Accounts($first: Int, $after: String, $filter: AccountFilter) {
    accounts(first: $first, after: $after, filter: $filter) {
      totalCount
      edges { cursor node { id name emails primaryEmail telephone owner { fullName } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

/** The accounts the viewer may read, searched by name or email and paged by cursor. */
export class AccountList extends PagedList<string, AccountRow> {
  /** The search box as typed. */
  query = $state('');

  #typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: GraphQLClient,
    readonly pageSize = 25,
  ) {
    super();
  }

  /** Searches once typing has paused for `delayMs`. */
  searchSoon(delayMs = 300): void {
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => void this.search(), delayMs);
  }

  /** Loads the first page for the current query, replacing whatever was shown. */
  search(): Promise<void> {
    clearTimeout(this.#typingTimer);
    return this.loadFirst(this.query.trim());
  }

  dispose(): void {
    clearTimeout(this.#typingTimer);
    this.forgetPending();
  }

  protected async fetchPage(search: string, after: string | null): Promise<Connection<AccountRow>> {
    const { accounts } = await this.client.request<AccountsResult>(ACCOUNTS, {
      first: this.pageSize,
      after,
      filter: search ? { search } : null,
    });
    return accounts;
  }
}
