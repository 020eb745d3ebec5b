import type { ActivityKind } from '../timeline/activity';
import { eventIdentity, MY_FEED_SUBSCRIPTION, type ActivityEvent } from '../timeline/activity-events';
import { FEED_LIMIT, feedAfter, type FeedItem } from './feed-items';
import type { LiveTransport } from './live-client';
import { LiveSubscription, type LiveSubscriptionError } from './live-subscription';
import { graphql } from '../graphql/graphql-tag';

/** Where "now" is: the feed page reads it first so nothing committed while it subscribes is missed. */
export const LIVE_CURSOR_QUERY = graphql('LiveCursor')`query LiveCursor { liveCursor }`;

/**
 * The viewer's myFeed as it happens, newest first, one entry per activity (a change moves it to the top),
 * at most FEED_LIMIT entries; choosing kinds subscribes again for just those.
 */
export class LiveFeed {
  items = $state<readonly FeedItem[]>([]);
  /** No kinds chosen means every kind. */
  kinds = $state<readonly ActivityKind[]>([]);
  error = $state<LiveSubscriptionError | null>(null);
  /** The server could not replay what was missed; the feed continues from now. */
  expired = $state(false);

  #live: LiveSubscription<'MyFeed', 'myFeed'> | null = null;

  #stopped = false;

  constructor(
    private readonly transport: LiveTransport,
    readonly limit = FEED_LIMIT,
  ) {}

  /**
   * Starts from `now`, the cursor of the newest committed change when the page opened (liveCursor), so what
   * commits while the subscription is being set up is not missed; null starts with whatever arrives.
   */
  start(now: string | null): void {
    if (!this.#stopped && !this.#live) this.#subscribe(now);
  }

  toggleKind(kind: ActivityKind): void {
    this.kinds = this.kinds.includes(kind) ? this.kinds.filter((k) => k !== kind) : [...this.kinds, kind];
    // What is shown stays if it still matches; the new subscription starts from now.
    this.items = this.items.filter((item) => this.#wanted(item.activity.kind));
    // Going on from the last event seen: nothing of the newly chosen kinds committed since then is missed.
    this.#subscribe(this.#live?.cursor ?? null);
  }

  dispose(): void {
    this.#stopped = true;
    this.#live?.stop();
    this.#live = null;
  }

  #wanted(kind: ActivityKind): boolean {
    return this.kinds.length === 0 || this.kinds.includes(kind);
  }

  #subscribe(after: string | null): void {
    this.#live?.stop();
    this.error = null;
    this.#live = new LiveSubscription<'MyFeed', 'myFeed'>(this.transport, {
      query: MY_FEED_SUBSCRIPTION,
      field: 'myFeed',
      variables: { kinds: this.kinds.length > 0 ? this.kinds : null },
      after,
      identity: eventIdentity,
      onEvent: (event) => this.#receive(event),
      // Nothing to reload: the feed only shows what happens while it is open. It goes on from now.
      onCursorExpired: () => {
        this.expired = true;
        this.#live?.restartFrom(null);
      },
      onError: (error) => {
        this.error = error;
      },
    });
  }

  #receive(event: ActivityEvent): void {
    this.items = feedAfter(this.items, event, this.limit);
  }
}
