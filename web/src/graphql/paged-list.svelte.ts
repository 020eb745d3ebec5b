import { problemOf, type Problem } from '../shell/i18n/translator';

/** A Relay connection as the API returns it. */
export interface Connection<Row> {
  readonly totalCount: number;
  readonly edges: readonly { readonly node: Row }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  /** The query's `liveCursor`, read with the first page: subscribe after it to miss nothing committed since. */
  readonly liveCursor?: string | null;
}

/** What has been loaded for one query: rows so far and where the next page starts. */
export interface Page<Query, Row> {
  readonly query: Query;
  readonly rows: readonly Row[];
  readonly totalCount: number;
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
  /** The liveCursor read with the first page, if the query asked for it. */
  readonly liveCursor: string | null;
}

/**
 * A cursor-paged list: the first page of a query replaces what is shown, "load more" appends the
 * next. Each new query bumps a generation, so an answer to an older one is dropped, never shown.
 */
export abstract class PagedList<Query, Row> {
  page = $state<Page<Query, Row> | null>(null);
  loading = $state<'first' | 'more' | null>(null);
  error = $state<Problem | null>(null);

  #generation = 0;

  /** One page of `query` after `after` (null: the first). */
  protected abstract fetchPage(query: Query, after: string | null): Promise<Connection<Row>>;

  /** Loads the first page of `query`, replacing whatever was shown. */
  protected loadFirst(query: Query): Promise<void> {
    const generation = ++this.#generation;
    return this.#load(generation, 'first', query, null, []);
  }

  /** Appends the next page of what is shown. */
  async loadMore(): Promise<void> {
    const current = this.page;
    if (!current?.hasNextPage || this.loading) return;
    await this.#load(this.#generation, 'more', current.query, current.endCursor, current.rows);
  }

  /** The rows after "load more": what is shown now (live changes included) followed by the next page. */
  protected mergeMore(shown: readonly Row[], next: readonly Row[]): Row[] {
    return [...shown, ...next];
  }

  /** Called once a first page is shown, e.g. to apply live events that arrived while it loaded. */
  protected firstPageShown(): void {}

  /** Drops every answer still on its way (the view is going away). */
  protected forgetPending(): void {
    this.#generation++;
  }

  async #load(generation: number, kind: 'first' | 'more', query: Query, after: string | null, before: readonly Row[]): Promise<void> {
    this.loading = kind;
    this.error = null;
    try {
      const connection = await this.fetchPage(query, after);
      if (generation !== this.#generation) return;
      const next = connection.edges.map((edge) => edge.node);
      this.page = {
        query,
        // Live updates may have changed what is shown while the next page loaded: build on that, not on `before`.
        rows: kind === 'more' ? this.mergeMore(this.page?.rows ?? before, next) : next,
        totalCount: connection.totalCount,
        endCursor: connection.pageInfo.endCursor,
        hasNextPage: connection.pageInfo.hasNextPage,
        liveCursor: kind === 'more' ? (this.page?.liveCursor ?? null) : (connection.liveCursor ?? null),
      };
      if (kind === 'first') this.firstPageShown();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.error = problemOf(error);
    } finally {
      if (generation === this.#generation) this.loading = null;
    }
  }
}
