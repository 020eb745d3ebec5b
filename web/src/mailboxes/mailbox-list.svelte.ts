import type { GraphQLClient } from '../graphql/graphql-client';
import type { LiveClient, LiveStatus } from '../live/live-client';
import { LiveSubscription } from '../live/live-subscription';
import { problemOf, type Problem } from '../shell/i18n/translator';
import { FALLBACK_REFRESH_MS, MAILBOXES_CHANGED_SUBSCRIPTION, MAILBOXES_QUERY, mailboxEventIdentity, type MailboxListEvent, type MailboxRow, type ViewerAccess } from './mailbox';
import { isMailAdmin } from './mailbox-access';

export type MailboxListState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly rows: readonly MailboxRow[]; readonly admin: boolean; readonly loadedAt: number }
  | { readonly status: 'failed'; readonly problem: Problem };

interface MailboxesResult {
  liveCursor: string;
  viewer: ViewerAccess;
  mailboxes: MailboxRow[];
}

/**
 * The mailboxes the viewer may see: all of them for administrators, their own for everyone else. Kept current by
 * mailboxChanged (every mailbox the viewer may see), and re-read now and then only while the live connection is down.
 */
export class MailboxList {
  state = $state<MailboxListState>({ status: 'loading' });
  /** True while a reload runs over rows already shown (they stay visible). */
  refreshing = $state(false);
  liveStatus = $state<LiveStatus>('idle');

  #generation = 0;
  #live: LiveSubscription<'MailboxesChanged', 'mailboxChanged'> | null = null;
  #fallback: ReturnType<typeof setInterval> | undefined;
  readonly #stopStatus: () => void;

  constructor(
    private readonly client: GraphQLClient,
    private readonly liveClient: LiveClient,
    fallbackMs = FALLBACK_REFRESH_MS,
  ) {
    this.liveStatus = liveClient.status;
    this.#stopStatus = liveClient.onStatus((status) => {
      this.liveStatus = status;
    });
    this.#fallback = setInterval(() => {
      if (this.liveStatus !== 'live' && this.state.status === 'loaded' && !this.refreshing) void this.load();
    }, fallbackMs);
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    if (this.state.status === 'loaded') this.refreshing = true;
    else this.state = { status: 'loading' };
    try {
      const { liveCursor, viewer, mailboxes } = await this.client.request(MAILBOXES_QUERY);
      if (generation !== this.#generation) return;
      this.state = { status: 'loaded', rows: mailboxes, admin: isMailAdmin(viewer), loadedAt: Date.now() };
      this.#follow(liveCursor);
    } catch (error) {
      if (generation !== this.#generation) return;
      this.state = { status: 'failed', problem: problemOf(error) };
    } finally {
      if (generation === this.#generation) this.refreshing = false;
    }
  }

  dispose(): void {
    this.#generation++;
    clearInterval(this.#fallback);
    this.#stopStatus();
    this.#live?.stop();
    this.#live = null;
  }

  /** Follows every change after `cursor`, the liveCursor read with the rows just shown. */
  #follow(cursor: string): void {
    if (this.#live) {
      this.#live.restartFrom(cursor);
      return;
    }
    this.#live = new LiveSubscription<'MailboxesChanged', 'mailboxChanged'>(this.liveClient, {
      query: MAILBOXES_CHANGED_SUBSCRIPTION,
      field: 'mailboxChanged',
      variables: {},
      after: cursor,
      identity: mailboxEventIdentity,
      onEvent: (event) => this.#receive(event),
      // The list is read again with a new cursor, and load() subscribes again from it.
      onCursorExpired: () => void this.load(),
    });
  }

  #receive(event: MailboxListEvent): void {
    const state = this.state;
    if (state.status !== 'loaded') return;
    const others = state.rows.filter((row) => row.id !== event.mailboxId);
    const found = others.length !== state.rows.length;
    let rows: readonly MailboxRow[];
    if (!event.mailbox) rows = others;
    else if (found) rows = state.rows.map((row) => (row.id === event.mailboxId ? event.mailbox! : row));
    else rows = [...state.rows, event.mailbox];
    this.state = { ...state, rows };
  }
}
