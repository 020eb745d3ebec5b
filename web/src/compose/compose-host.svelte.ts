import { getContext, setContext } from 'svelte';
import type { GraphQLClient } from '../graphql/graphql-client';
import type { LiveTransport } from '../live/live-client';
import { LiveSubscription } from '../live/live-subscription';
import { problemOf, type Problem } from '../shell/i18n/translator';
import { COMPOSE_ORIGINAL, draftFrom, OUTGOING_EMAIL_CHANGED, type ComposeDraft, type ComposeMode, type EmailStatus, type QuoteWords, type Recipient } from './compose';

/** An outgoing email's state as its last live event told it. */
export interface SendState {
  readonly status: EmailStatus | null;
  readonly failureReason: string | null;
}

/**
 * The viewer's emails sent from the hub as they move on (outgoingEmailChanged), from when the page opened: the
 * timeline shows each one's state from here, so PENDING_SEND turns SENT or FAILED without a reload.
 */
export class OutgoingStatuses {
  #latest = $state<Readonly<Record<string, SendState>>>({});
  readonly #live: LiveSubscription<'OutgoingEmailChanged', 'outgoingEmailChanged'>;

  constructor(transport: LiveTransport) {
    this.#live = new LiveSubscription<'OutgoingEmailChanged', 'outgoingEmailChanged'>(transport, {
      query: OUTGOING_EMAIL_CHANGED,
      field: 'outgoingEmailChanged',
      variables: {},
      after: null,
      identity: (event) => `${event.activityId}|${event.change}|${event.at}`,
      onEvent: (event) => {
        const email = event.activity?.__typename === 'Email' ? event.activity : null;
        if (email) this.#latest = { ...this.#latest, [email.id]: { status: email.status, failureReason: email.failureReason } };
      },
      // What was missed is of no use here: the timeline reloads its own rows; go on from now.
      onCursorExpired: () => this.#live.restartFrom(null),
    });
  }

  /** The state the last event gave this email, if one came since the page opened. */
  of(emailId: string): SendState | undefined {
    return this.#latest[emailId];
  }

  dispose(): void {
    this.#live.stop();
  }
}

/** What opens the compose dialog (a request the dialog takes), and the live send states, for one record page. */
export class ComposeHost {
  /** The draft to open the dialog with; a new object each time, so opening twice opens twice. */
  request = $state<{ readonly draft: ComposeDraft } | null>(null);
  loading = $state(false);
  /** Why the email to answer could not be read, under that email. */
  failed = $state<{ readonly emailId: string; readonly problem: Problem } | null>(null);
  readonly statuses: OutgoingStatuses;

  constructor(
    private readonly client: GraphQLClient,
    transport: LiveTransport,
    /** The user signed in: their own address is left out of a reply to all. */
    readonly viewerId: string,
  ) {
    this.statuses = new OutgoingStatuses(transport);
  }

  /** A new email regarding a record (the page's), to its primary address when it has one. */
  compose(regardingId: string, to: Recipient | null): void {
    this.request = { draft: { mode: 'new', to: to ? [to] : [], cc: [], subject: '', body: '', files: [], regardingId, inReplyToId: null, forwardOfId: null } };
  }

  /** A reply, reply to all or forward of the email `emailId`, read first for its parties, body and files. */
  async answer(mode: Exclude<ComposeMode, 'new'>, emailId: string, words: QuoteWords, formatWhen: (iso: string) => string): Promise<void> {
    this.loading = true;
    this.failed = null;
    try {
      const { node } = await this.client.request(COMPOSE_ORIGINAL, { id: emailId });
      if (node?.__typename !== 'Email') throw new Error('the email is no longer there');
      this.request = { draft: draftFrom(mode, node, this.viewerId, words, formatWhen(node.occurredAt)) };
    } catch (error) {
      this.failed = { emailId, problem: problemOf(error) };
    } finally {
      this.loading = false;
    }
  }

  dispose(): void {
    this.statuses.dispose();
  }
}

const KEY = Symbol('compose-host');

export function setComposeHost(host: ComposeHost): void {
  setContext(KEY, host);
}

/** The page's compose host; undefined where no email can be written (e.g. the live feed). */
export function getComposeHost(): ComposeHost | undefined {
  return getContext<ComposeHost | undefined>(KEY);
}
