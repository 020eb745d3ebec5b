import { GraphQLRequestError, type GraphQLClient } from '../graphql/graphql-client';
import type { LiveClient, LiveStatus } from '../live/live-client';
import { LiveSubscription } from '../live/live-subscription';
import { messageOf } from '../session/session.svelte';
import {
  FALLBACK_REFRESH_MS,
  MAILBOX_ACTIONS,
  MAILBOX_CHANGED_SUBSCRIPTION,
  MAILBOX_QUERY,
  mailboxEventIdentity,
  type MailboxAction,
  type MailboxDetailValue,
  type MailboxEvent,
  type ViewerAccess,
} from './mailbox';
import { permissionsFor, type MailboxPermissions } from './mailbox-access';
import { toMutationError, type MutationError } from '../shell/mutation-error';

export type MailboxDetailState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly mailbox: MailboxDetailValue; readonly can: MailboxPermissions }
  | { readonly status: 'missing' }
  | { readonly status: 'failed'; readonly message: string };

/** How often an open mailbox is re-read while a Test & Enable waits for a sync engine and the live connection is down. */
export const TEST_POLL_MS = 3_000;

/** Whether a sync engine has yet to report a requested test. */
export const testPending = (mailbox: MailboxDetailValue): boolean =>
  mailbox.incomingTest.status === 'PENDING' || mailbox.outgoingTest.status === 'PENDING';

interface MailboxResult {
  liveCursor: string;
  viewer: ViewerAccess;
  mailbox: MailboxDetailValue;
}

/**
 * One mailbox's sync dashboard: its state, tests, logs and the buttons of Dynamics' mailbox form.
 * Every answer and every mailboxChanged event replaces the mailbox shown. Only while the live connection is down is it
 * re-read: every TEST_POLL_MS while a test is PENDING, every FALLBACK_REFRESH_MS otherwise.
 */
export class MailboxDetail {
  state = $state<MailboxDetailState>({ status: 'loading' });
  /** The button whose request is on its way; the others wait for it. */
  running = $state<MailboxAction | null>(null);
  /** The refusal of the last button pressed, shown beside it (or beside the field it names). */
  errors = $state<Partial<Record<MailboxAction, MutationError>>>({});
  /** What the last successful action did, in words. */
  notice = $state<string | null>(null);
  /** A background re-read failed; what is shown may be stale. */
  refreshError = $state<string | null>(null);
  liveStatus = $state<LiveStatus>('idle');

  #viewer: ViewerAccess | null = null;
  #live: LiveSubscription<MailboxEvent<MailboxDetailValue>> | null = null;
  readonly #stopStatus: () => void;
  /** Bumped by every answer shown, so a poll sent before a button's answer cannot overwrite it with older state. */
  #shown = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  constructor(
    private readonly client: GraphQLClient,
    private readonly liveClient: LiveClient,
    readonly id: string,
    private readonly pollMs = TEST_POLL_MS,
    private readonly fallbackMs = FALLBACK_REFRESH_MS,
  ) {
    this.liveStatus = liveClient.status;
    this.#stopStatus = liveClient.onStatus((status) => {
      this.liveStatus = status;
      this.#schedule();
    });
  }

  /** A test result is awaited by re-reading (the live connection is down); the page says how often. */
  get polling(): boolean {
    return this.state.status === 'loaded' && testPending(this.state.mailbox) && this.liveStatus !== 'live';
  }

  async load(): Promise<void> {
    this.state = { status: 'loading' };
    try {
      const { liveCursor, viewer, mailbox } = await this.client.request<MailboxResult>(MAILBOX_QUERY, { id: this.id });
      if (this.#disposed) return;
      this.#viewer = viewer;
      this.#show(mailbox);
      this.#follow(liveCursor);
    } catch (error) {
      if (this.#disposed) return;
      // NOT_FOUND: not there or not the viewer's; BAD_USER_INPUT: a malformed id in the address bar.
      const missing = error instanceof GraphQLRequestError && (error.code === 'NOT_FOUND' || error.code === 'BAD_USER_INPUT');
      this.state = missing ? { status: 'missing' } : { status: 'failed', message: messageOf(error) };
    }
  }

  /** Re-reads the mailbox behind what is shown (the poll, or the Refresh button). */
  async refresh(): Promise<void> {
    clearTimeout(this.#timer);
    const before = this.#shown;
    try {
      const { liveCursor, viewer, mailbox } = await this.client.request<MailboxResult>(MAILBOX_QUERY, { id: this.id });
      if (this.#disposed || before !== this.#shown) return;
      this.#viewer = viewer;
      this.refreshError = null;
      this.#show(mailbox);
      this.#follow(liveCursor);
    } catch (error) {
      if (this.#disposed || before !== this.#shown) return;
      this.refreshError = messageOf(error);
      this.#schedule();
    }
  }

  approve = () => this.#run('approve', {}, 'Email address approved.');
  reject = () => this.#run('reject', {}, 'Email address rejected.');
  testAndEnable = () => this.#run('testAndEnable', {}, 'Test & Enable requested: a sync engine tests each channel, and the mailbox is enabled when they pass.');
  disable = () => this.#run('disable', {}, 'Mailbox disabled: nothing syncs until Test & Enable.');
  resync = (from: Date) => this.#run('resync', { from: from.toISOString() }, `Resync requested: mail received since ${from.toLocaleDateString()} is read again at the next sync.`);

  /** Write-only: resolves with the refusal (for the form's fields), or null once stored. */
  setCredentials = (input: { username: string; password: string }) => this.#run('setCredentials', { input }, 'Credentials saved.');

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
    this.#stopStatus();
    this.#live?.stop();
    this.#live = null;
  }

  /** Follows this mailbox's changes after `cursor`, the liveCursor read with the mailbox just shown. */
  #follow(cursor: string): void {
    if (this.#live) {
      this.#live.restartFrom(cursor);
      return;
    }
    this.#live = new LiveSubscription<MailboxEvent<MailboxDetailValue>>(this.liveClient, {
      query: MAILBOX_CHANGED_SUBSCRIPTION,
      field: 'mailboxChanged',
      variables: { mailboxId: this.id },
      after: cursor,
      identity: mailboxEventIdentity,
      onEvent: (event) => {
        if (this.#disposed) return;
        if (event.mailbox) this.#show(event.mailbox);
        else this.state = { status: 'missing' };
      },
      // Read again with a new cursor; refresh() subscribes again from it.
      onCursorExpired: () => void this.refresh(),
      onError: (error) => {
        if (error.code === 'NOT_FOUND') this.state = { status: 'missing' };
        else this.refreshError = error.message;
      },
    });
  }

  async #run(action: MailboxAction, variables: Record<string, unknown>, done: string): Promise<MutationError | null> {
    if (this.running) return null;
    this.running = action;
    this.notice = null;
    // Any change can make an earlier refusal stale (approving answers "approve first"), so all are cleared.
    this.errors = {};
    try {
      const data = await this.client.request<Record<string, MailboxDetailValue>>(MAILBOX_ACTIONS[action], { id: this.id, ...variables });
      if (this.#disposed) return null;
      const mailbox = Object.values(data)[0];
      this.notice = done;
      this.#show(mailbox);
      return null;
    } catch (error) {
      const refusal = toMutationError(error);
      if (!this.#disposed) this.errors = { ...this.errors, [action]: refusal };
      return refusal;
    } finally {
      if (!this.#disposed) this.running = null;
    }
  }

  #show(mailbox: MailboxDetailValue): void {
    this.#shown++;
    this.state = { status: 'loaded', mailbox, can: permissionsFor(this.#viewer!, mailbox) };
    this.#schedule();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#disposed || this.state.status !== 'loaded' || this.liveStatus === 'live') return;
    this.#timer = setTimeout(() => void this.refresh(), this.polling ? this.pollMs : this.fallbackMs);
  }
}
