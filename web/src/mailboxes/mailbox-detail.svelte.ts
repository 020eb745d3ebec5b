import { GraphQLRequestError, type GraphQLClient } from '../graphql/graphql-client';
import type { LiveClient, LiveStatus } from '../live/live-client';
import { LiveSubscription } from '../live/live-subscription';
import { problemOf, type Problem, type Text } from '../shell/i18n/translator';
import {
  FALLBACK_REFRESH_MS,
  MAILBOX_ACTIONS,
  MAILBOX_CHANGED_SUBSCRIPTION,
  MAILBOX_QUERY,
  mailboxEventIdentity,
  type MailboxAction,
  type MailboxDetailValue,
  type MailboxDetailEvent,
  type ViewerAccess,
} from './mailbox';
import { permissionsFor, type MailboxPermissions } from './mailbox-access';
import { toMutationError, type MutationError } from '../shell/mutation-error';
import type { ConfigureMailboxInput, UpdateMailboxInput } from '../graphql/operations.generated';

export type MailboxDetailState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly mailbox: MailboxDetailValue; readonly can: MailboxPermissions }
  | { readonly status: 'missing' }
  | { readonly status: 'failed'; readonly problem: Problem };

/** How often an open mailbox is re-read while a Test & Enable waits for a sync engine and the live connection is down. */
export const TEST_POLL_MS = 3_000;

/** Whether a sync engine has yet to report a requested test. */
export const testPending = (mailbox: MailboxDetailValue): boolean =>
  mailbox.incomingTest.status === 'PENDING' || mailbox.outgoingTest.status === 'PENDING' || mailbox.appointmentsContactsTasksTest.status === 'PENDING';

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
  notice = $state<Text | null>(null);
  /** A background re-read failed; what is shown may be stale. */
  refreshError = $state<Problem | null>(null);
  liveStatus = $state<LiveStatus>('idle');

  #viewer: ViewerAccess | null = null;
  #live: LiveSubscription<'MailboxChanged', 'mailboxChanged'> | null = null;
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
      const { liveCursor, viewer, mailbox } = await this.client.request(MAILBOX_QUERY, { id: this.id });
      if (this.#disposed) return;
      this.#viewer = viewer;
      this.#show(mailbox);
      this.#follow(liveCursor);
    } catch (error) {
      if (this.#disposed) return;
      // NOT_FOUND: not there or not the viewer's; BAD_USER_INPUT: a malformed id in the address bar.
      const missing = error instanceof GraphQLRequestError && (error.code === 'NOT_FOUND' || error.code === 'BAD_USER_INPUT');
      this.state = missing ? { status: 'missing' } : { status: 'failed', problem: problemOf(error) };
    }
  }

  /** Re-reads the mailbox behind what is shown (the poll, or the Refresh button). */
  async refresh(): Promise<void> {
    clearTimeout(this.#timer);
    const before = this.#shown;
    try {
      const { liveCursor, viewer, mailbox } = await this.client.request(MAILBOX_QUERY, { id: this.id });
      if (this.#disposed || before !== this.#shown) return;
      this.#viewer = viewer;
      this.refreshError = null;
      this.#show(mailbox);
      this.#follow(liveCursor);
    } catch (error) {
      if (this.#disposed || before !== this.#shown) return;
      this.refreshError = problemOf(error);
      this.#schedule();
    }
  }

  approve = () => this.#run('approve', {}, (i18n) => i18n.t.mailbox.approved);
  reject = () => this.#run('reject', {}, (i18n) => i18n.t.mailbox.rejected);
  testAndEnable = () => this.#run('testAndEnable', {}, (i18n) => i18n.t.mailbox.testRequested);
  disable = () => this.#run('disable', {}, (i18n) => i18n.t.mailbox.disabled);
  resync = (from: Date) => this.#run('resync', { from: from.toISOString() }, (i18n) => i18n.t.mailbox.resyncRequested(i18n.formatDate(from, 'date')));

  /** Dynamics' mailbox form (administrators): profile, methods, forward mailbox. Resolves with the refusal, or null. */
  configure = (input: ConfigureMailboxInput) => this.#run('configure', { input }, null);
  /** The owner's options too: tracking filter, privacy level, records for unknown senders. */
  update = (input: UpdateMailboxInput) => this.#run('update', { input }, null);

  /** Write-only: resolves with the refusal (for the form's fields), or null once stored. */
  setCredentials = (input: { username: string; password: string }) => this.#run('setCredentials', { input }, (i18n) => i18n.t.mailbox.credentialsSaved);

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
    this.#live = new LiveSubscription<'MailboxChanged', 'mailboxChanged'>(this.liveClient, {
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
        else this.refreshError = error;
      },
    });
  }

  /** `done`: the page's notice once it worked; null where the control says so beside itself (the settings card). */
  async #run(action: MailboxAction, variables: Record<string, unknown>, done: Text | null): Promise<MutationError | null> {
    if (this.running) return null;
    this.running = action;
    this.notice = null;
    // Any change can make an earlier refusal stale (approving answers "approve first"), so all are cleared.
    this.errors = {};
    try {
      const data = await this.client.request(MAILBOX_ACTIONS[action], { id: this.id, ...variables });
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
