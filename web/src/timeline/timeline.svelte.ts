import type { GraphQLClient } from '../graphql/graphql-client';
import { PagedList, type Connection, type Page } from '../graphql/paged-list.svelte';
import { TIMELINE_QUERY, type Activity, type ActivityKind, type Direction } from './activity';

/** What narrows the timeline; no kinds chosen means every kind. */
export interface TimelineFilters {
  readonly kinds: readonly ActivityKind[];
  readonly direction: Direction | null;
  readonly search: string;
  readonly includeRelated: boolean;
}

/** The activities loaded for one set of filters. */
export type TimelinePage = Page<TimelineFilters, Activity>;

interface TimelineResult {
  timeline: Connection<Activity>;
}

/** Activities per page; the API's default, and what the browser test seeds past. */
export const TIMELINE_PAGE_SIZE = 20;

/** A record's activities, newest first, filtered and paged by cursor. */
export class Timeline extends PagedList<TimelineFilters, Activity> {
  filters = $state<TimelineFilters>({ kinds: [], direction: null, search: '', includeRelated: false });
  /** The search box as typed; it becomes `filters.search` once typing pauses. */
  searchText = $state('');
  /** The activities shown opened up. */
  expanded = $state<ReadonlySet<string>>(new Set());

  #typingTimer: ReturnType<typeof setTimeout> | undefined;

  readonly pageSize: number;

  constructor(
    private readonly client: GraphQLClient,
    readonly recordId: string,
    options: { includeRelated?: boolean; pageSize?: number } = {},
  ) {
    super();
    this.pageSize = options.pageSize ?? TIMELINE_PAGE_SIZE;
    this.filters = { ...this.filters, includeRelated: options.includeRelated ?? false };
  }

  get filtered(): boolean {
    const { kinds, direction, search } = this.filters;
    return kinds.length > 0 || direction !== null || search !== '';
  }

  toggleKind(kind: ActivityKind): void {
    const kinds = this.filters.kinds.includes(kind) ? this.filters.kinds.filter((k) => k !== kind) : [...this.filters.kinds, kind];
    this.#apply({ kinds });
  }

  setDirection(direction: Direction | null): void {
    this.#apply({ direction });
  }

  setIncludeRelated(includeRelated: boolean): void {
    this.#apply({ includeRelated });
  }

  /** Clears kinds, direction and search; keeps the related-records choice. */
  clearFilters(): void {
    this.searchText = '';
    this.#apply({ kinds: [], direction: null, search: '' });
  }

  /** Searches once typing has paused for `delayMs`. */
  searchSoon(delayMs = 300): void {
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => this.searchNow(), delayMs);
  }

  searchNow(): void {
    clearTimeout(this.#typingTimer);
    const search = this.searchText.trim();
    if (search !== this.filters.search) this.#apply({ search });
  }

  toggleExpanded(id: string): void {
    const next = new Set(this.expanded);
    if (!next.delete(id)) next.add(id);
    this.expanded = next;
  }

  /** Loads the first page for the current filters, replacing whatever was shown. */
  reload(): Promise<void> {
    return this.loadFirst(this.filters);
  }

  dispose(): void {
    clearTimeout(this.#typingTimer);
    this.forgetPending();
  }

  #apply(change: Partial<TimelineFilters>): void {
    this.filters = { ...this.filters, ...change };
    void this.reload();
  }

  protected async fetchPage(filters: TimelineFilters, after: string | null): Promise<Connection<Activity>> {
    const filter = {
      ...(filters.kinds.length > 0 ? { kinds: filters.kinds } : {}),
      ...(filters.direction ? { direction: filters.direction } : {}),
      ...(filters.search ? { search: filters.search } : {}),
    };
    const { timeline } = await this.client.request<TimelineResult>(TIMELINE_QUERY, {
      recordId: this.recordId,
      first: this.pageSize,
      after,
      filter: Object.keys(filter).length > 0 ? filter : null,
      includeRelated: filters.includeRelated,
    });
    return timeline;
  }
}

