import type { GraphQLClient } from '../graphql/graphql-client';
import { graphql } from '../graphql/graphql-tag';
import type { LiveTransport } from '../live/live-client';
import { LiveSubscription } from '../live/live-subscription';
import { problemOf, type Problem } from '../shell/i18n/translator';
import { ACTIVITY_FRAGMENT, type Activity } from '../timeline/activity';
import { eventIdentity, MY_FEED_SUBSCRIPTION } from '../timeline/activity-events';

const ACTIVITY_PAGE = graphql('ActivityPage')`
  query ActivityPage($id: ID!) { liveCursor node(id: $id) { __typename ...ActivityFields } }
  ${ACTIVITY_FRAGMENT}
`;

export type ActivityViewState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly activity: Activity }
  /** It does not exist, is not an activity, or the viewer may not read it (the API answers alike). */
  | { readonly status: 'missing' }
  /** It was there and has since been deleted, or taken out of the viewer's sight. */
  | { readonly status: 'gone' }
  | { readonly status: 'failed'; readonly problem: Problem };

/**
 * One activity on its own page (a search hit, a link someone shared), kept current through the
 * viewer's feed: a change to it replaces it in place, a removal says so.
 */
export class ActivityView {
  state = $state<ActivityViewState>({ status: 'loading' });
  #live: LiveSubscription<'MyFeed', 'myFeed'> | null = null;
  #disposed = false;

  constructor(
    private readonly client: GraphQLClient,
    private readonly transport: LiveTransport,
    readonly id: string,
  ) {}

  async load(): Promise<void> {
    try {
      const answer = await this.client.request(ACTIVITY_PAGE, { id: this.id });
      const node = answer.node;
      const activity = node && 'kind' in node ? (node as Activity) : null;
      this.state = activity ? { status: 'loaded', activity } : { status: 'missing' };
      this.#follow(answer.liveCursor);
    } catch (error) {
      this.state = { status: 'failed', problem: problemOf(error) };
    }
  }

  /** Follows the feed from the cursor the page was read at, so a change committed meanwhile is not missed. */
  #follow(after: string): void {
    if (this.#disposed) return;
    if (this.#live) {
      this.#live.restartFrom(after);
      return;
    }
    this.#live = new LiveSubscription<'MyFeed', 'myFeed'>(this.transport, {
      query: MY_FEED_SUBSCRIPTION,
      field: 'myFeed',
      variables: { kinds: null },
      after,
      identity: eventIdentity,
      onEvent: (event) => {
        if (event.activityId !== this.id) return;
        this.state = event.activity ? { status: 'loaded', activity: event.activity } : { status: 'gone' };
      },
      onCursorExpired: () => void this.load(),
    });
  }

  dispose(): void {
    this.#disposed = true;
    this.#live?.stop();
  }
}
