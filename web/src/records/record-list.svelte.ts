import type { GraphQLClient } from '../graphql/graphql-client';
import { PagedList, type Connection, type Page } from '../graphql/paged-list.svelte';
import { DEFAULT_VIEW, sameView, type ListView } from './list-view';
import type { RecordKind } from './record-kind';
import { fetchRows, type TableRow } from './record-rows';

/** The rows loaded for one view. */
export type RecordPage = Page<ListView, TableRow>;

/**
 * The records of one kind the viewer may read, in one view (search, filters, order), paged by cursor. With a
 * `parentId` it is a record's related list: an account's contacts, a customer's opportunities or cases.
 */
export class RecordList extends PagedList<ListView, TableRow> {
  /** The view as the controls show it; the search as typed. `page.query` is the view the rows are for. */
  view = $state<ListView>(DEFAULT_VIEW);

  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** The view last asked for, shown or still loading. */
  #requested: ListView | null = null;

  constructor(
    private readonly client: GraphQLClient,
    readonly kind: RecordKind,
    private readonly options: { readonly viewerId: string; readonly parentId?: string; readonly pageSize?: number },
  ) {
    super();
  }

  get pageSize(): number {
    return this.options.pageSize ?? 25;
  }

  /** Shows `view`, loading its first page unless it is the view already shown (or on its way). */
  show(view: ListView): Promise<void> {
    if (this.#requested && sameView(this.#requested, view) && sameView(this.view, view) && !this.error) return Promise.resolve();
    clearTimeout(this.#typingTimer);
    this.view = view;
    return this.#load(view);
  }

  /** Changes part of the view, e.g. the status filter, and loads it at once. */
  change(part: Partial<ListView>): Promise<void> {
    return this.show({ ...this.view, ...part });
  }

  /** Takes the search as typed, searching once typing has paused for `delayMs`. */
  type(search: string, delayMs = 300, onSearch?: (view: ListView) => void): void {
    this.view = { ...this.view, search };
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => {
      const view = { ...this.view, search: this.view.search.trim() };
      void this.#load(view);
      onSearch?.(view);
    }, delayMs);
  }

  /** Loads the view as the controls show it again (after a failure, or Enter in the search box). */
  reload(): Promise<void> {
    clearTimeout(this.#typingTimer);
    return this.#load({ ...this.view, search: this.view.search.trim() });
  }

  dispose(): void {
    clearTimeout(this.#typingTimer);
    this.forgetPending();
  }

  #load(view: ListView): Promise<void> {
    this.#requested = view;
    return this.loadFirst(view);
  }

  protected fetchPage(view: ListView, after: string | null): Promise<Connection<TableRow>> {
    return fetchRows(this.client, this.kind, {
      view,
      viewerId: this.options.viewerId,
      parentId: this.options.parentId ?? view.related,
      first: this.pageSize,
      after,
    });
  }
}
