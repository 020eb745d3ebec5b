import type { GraphQLClient } from '../graphql/graphql-client';
import { PagedList, type Connection, type Page } from '../graphql/paged-list.svelte';
import type { LiveTransport } from '../live/live-client';
import { LiveSubscription, type LiveSubscriptionError } from '../live/live-subscription';
import { TIMELINE_QUERY, type Activity, type ActivityKind, type Direction } from './activity';
import { ACTIVITY_CHANGED_SUBSCRIPTION, applyActivityEvent, eventIdentity, type ActivityEvent } from './activity-events';

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
  liveCursor: string;
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

  /** Activities that arrived live, highlighted until the view says the highlight has faded. */
  fresh = $state<ReadonlySet<string>>(new Set());
  /** Why live updates stopped (the server refused the subscription), or null. */
  liveError = $state<LiveSubscriptionError | null>(null);
  /**
   * Wraps every live change as it lands: the view measures before `apply` and keeps the reader's place after.
   * `apply` returns the id of an activity newly shown, or null.
   */
  onLiveChange: (apply: () => string | null) => void = (apply) => void apply();

  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #transport: LiveTransport | null = null;
  #live: LiveSubscription<'ActivityChanged', 'activityChanged'> | null = null;
  /** The server-side filters the subscription was made for: kinds and related records. */
  #liveFilters = '';

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

  /** Follows the record's activityChanged subscription from every first page shown, for its kinds and related-records choice. */
  goLive(transport: LiveTransport): void {
    this.#transport = transport;
    if (this.page && this.loading !== 'first') this.#follow(this.page.liveCursor);
  }

  /** The highlight of a live arrival has faded. */
  settled(id: string): void {
    if (!this.fresh.has(id)) return;
    const next = new Set(this.fresh);
    next.delete(id);
    this.fresh = next;
  }

  /** Loads the first page for the current filters, replacing whatever was shown. */
  reload(): Promise<void> {
    return this.loadFirst(this.filters);
  }

  dispose(): void {
    clearTimeout(this.#typingTimer);
    this.forgetPending();
    this.#live?.stop();
    this.#live = null;
  }

  #apply(change: Partial<TimelineFilters>): void {
    this.filters = { ...this.filters, ...change };
    void this.reload();
  }

  /**
   * Subscribes after `cursor`, the liveCursor read with the page just shown: what committed since arrives first, then
   * live. The server filters by kind and related records; direction and search are checked here, on each event.
   */
  #follow(cursor: string | null): void {
    if (!this.#transport) return;
    const { includeRelated, kinds } = this.filters;
    const liveFilters = JSON.stringify([includeRelated, kinds]);
    this.liveError = null;
    if (this.#live && liveFilters === this.#liveFilters) {
      this.#live.restartFrom(cursor);
      return;
    }
    this.#live?.stop();
    this.#liveFilters = liveFilters;
    this.#live = new LiveSubscription<'ActivityChanged', 'activityChanged'>(this.#transport, {
      query: ACTIVITY_CHANGED_SUBSCRIPTION,
      field: 'activityChanged',
      variables: { recordId: this.recordId, includeRelated, kinds: kinds.length > 0 ? kinds : null },
      after: cursor,
      identity: eventIdentity,
      onEvent: (event) => this.#receive(event),
      // Reloading shows the first page again, which subscribes again from its own cursor.
      onCursorExpired: () => void this.reload(),
      onError: (error) => {
        this.liveError = error;
      },
    });
  }

  #receive(event: ActivityEvent): void {
    // A first page on its way replaces what is shown and subscribes again from its own cursor: what happens meanwhile comes then.
    if (!this.page || this.loading === 'first') return;
    this.onLiveChange(() => this.#applyNow(event));
  }

  #applyNow(event: ActivityEvent): string | null {
    const page = this.page;
    if (!page) return null;
    const change = applyActivityEvent(page.rows, event, this.filters, page.hasNextPage);
    if (!change) return null;
    this.page = { ...page, rows: change.rows, totalCount: Math.max(0, page.totalCount + change.countDelta) };
    if (change.inserted) this.fresh = new Set(this.fresh).add(change.inserted);
    return change.inserted;
  }

  protected override firstPageShown(): void {
    this.#follow(this.page?.liveCursor ?? null);
  }

  protected override mergeMore(shown: readonly Activity[], next: readonly Activity[]): Activity[] {
    // A live arrival can also come on the next page: it is shown once.
    const ids = new Set(shown.map((row) => row.id));
    return [...shown, ...next.filter((row) => !ids.has(row.id))];
  }

  protected async fetchPage(filters: TimelineFilters, after: string | null): Promise<Connection<Activity>> {
    const filter = {
      ...(filters.kinds.length > 0 ? { kinds: filters.kinds } : {}),
      ...(filters.direction ? { direction: filters.direction } : {}),
      ...(filters.search ? { search: filters.search } : {}),
    };
    const { timeline, liveCursor } = await this.client.request(TIMELINE_QUERY, {
      recordId: this.recordId,
      first: this.pageSize,
      after,
      filter: Object.keys(filter).length > 0 ? filter : null,
      includeRelated: filters.includeRelated,
    });
    return { ...timeline, liveCursor };
  }
}

