import type { GraphQLClient } from '../graphql/graphql-client';
import { messageOf } from '../session/session.svelte';
import { TIMELINE_QUERY, type Activity, type ActivityKind, type Direction } from './activity';

/** What narrows the timeline; no kinds chosen means every kind. */
export interface TimelineFilters {
  readonly kinds: readonly ActivityKind[];
  readonly direction: Direction | null;
  readonly search: string;
  readonly includeRelated: boolean;
}

/** What has been loaded for one set of filters: activities so far and where the next page starts. */
export interface TimelinePage {
  readonly filters: TimelineFilters;
  readonly items: readonly Activity[];
  readonly totalCount: number;
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

interface TimelineResult {
  timeline: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Activity }[];
  };
}

/** Activities per page; the API's default, and what the browser test seeds past. */
export const TIMELINE_PAGE_SIZE = 20;

/** A record's activities, newest first, filtered and paged by cursor. */
export class Timeline {
  filters = $state<TimelineFilters>({ kinds: [], direction: null, search: '', includeRelated: false });
  /** The search box as typed; it becomes `filters.search` once typing pauses. */
  searchText = $state('');
  page = $state<TimelinePage | null>(null);
  loading = $state<'first' | 'more' | null>(null);
  error = $state<string | null>(null);
  /** The activities shown opened up. */
  expanded = $state<ReadonlySet<string>>(new Set());

  // Each new query bumps this, so an answer to an older one is dropped rather than shown.
  #generation = 0;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;

  readonly pageSize: number;

  constructor(
    private readonly client: GraphQLClient,
    readonly recordId: string,
    options: { includeRelated?: boolean; pageSize?: number } = {},
  ) {
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
  async reload(): Promise<void> {
    const generation = ++this.#generation;
    const filters = this.filters;
    this.loading = 'first';
    this.error = null;
    try {
      const result = await this.#fetch(filters, null);
      if (generation !== this.#generation) return;
      this.page = toPage(filters, [], result);
    } catch (error) {
      if (generation !== this.#generation) return;
      this.error = messageOf(error);
    } finally {
      if (generation === this.#generation) this.loading = null;
    }
  }

  /** Appends the next page of what is shown. */
  async loadMore(): Promise<void> {
    const current = this.page;
    if (!current?.hasNextPage || this.loading) return;
    const generation = this.#generation;
    this.loading = 'more';
    this.error = null;
    try {
      const result = await this.#fetch(current.filters, current.endCursor);
      if (generation !== this.#generation) return;
      this.page = toPage(current.filters, current.items, result);
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

  #apply(change: Partial<TimelineFilters>): void {
    this.filters = { ...this.filters, ...change };
    void this.reload();
  }

  #fetch(filters: TimelineFilters, after: string | null): Promise<TimelineResult> {
    const filter = {
      ...(filters.kinds.length > 0 ? { kinds: filters.kinds } : {}),
      ...(filters.direction ? { direction: filters.direction } : {}),
      ...(filters.search ? { search: filters.search } : {}),
    };
    return this.client.request<TimelineResult>(TIMELINE_QUERY, {
      recordId: this.recordId,
      first: this.pageSize,
      after,
      filter: Object.keys(filter).length > 0 ? filter : null,
      includeRelated: filters.includeRelated,
    });
  }
}

function toPage(filters: TimelineFilters, before: readonly Activity[], { timeline }: TimelineResult): TimelinePage {
  return {
    filters,
    items: [...before, ...timeline.edges.map((edge) => edge.node)],
    totalCount: timeline.totalCount,
    endCursor: timeline.pageInfo.endCursor,
    hasNextPage: timeline.pageInfo.hasNextPage,
  };
}
