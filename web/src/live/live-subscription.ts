import type { FormattedExecutionResult } from 'graphql-ws';
import type { Operation, OperationName, OperationResult, OperationVariables } from '../graphql/graphql-tag';
import { closeCodeOf, endsSession, type LiveTransport } from './live-client';

/** Every hub subscription event carries an opaque cursor: pass it as `after` to resume after that event. */
export interface CursorEvent {
  readonly cursor: string;
}

/** A subscription the server refused for good (BAD_USER_INPUT, NOT_FOUND, …), in the HTTP client's terms. */
export interface LiveSubscriptionError {
  readonly code: string;
  readonly message: string;
  /** The input the server names (`extensions.field`), when it names one. */
  readonly field: string | null;
}

/** The root field subscription `N` delivers its events under (`activityChanged`, `myFeed`, …). */
export type EventField<N extends OperationName> = keyof OperationResult<N> & string;
/** What subscription `N` delivers under `F`, as generated from schema.graphql. */
export type SubscriptionEvent<N extends OperationName, F extends EventField<N>> = NonNullable<OperationResult<N>[F]> & CursorEvent;

export interface LiveSubscriptionOptions<N extends OperationName, F extends EventField<N>> {
  /** A subscription document whose variables include `$after: String`. */
  readonly query: Operation<N>;
  /** Its variables except `after`, which the helper fills in. */
  readonly variables: Omit<OperationVariables<N>, 'after'>;
  readonly field: F;
  /** Resume after this cursor; null or absent starts with what happens from now on. */
  readonly after?: string | null;
  /** A second guard beside the cursor: two events with one identity are shown once (e.g. activityId, change and time). */
  identity(event: SubscriptionEvent<N, F>): string;
  onEvent(event: SubscriptionEvent<N, F>): void;
  /**
   * The cursor was too old to replay: reload what the page shows (with `liveCursor`) and call `restartFrom` with
   * that cursor, or with null to go on from now. The subscription waits until then.
   */
  onCursorExpired(): void;
  /** The server refused the subscription for good; it is not retried. */
  onError?(error: LiveSubscriptionError): void;
}

/** Server error codes worth subscribing again for, after a back-off; any other refusal is final. */
const RETRYABLE_CODES = new Set(['INTERNAL_SERVER_ERROR', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'TEMPORARY']);
/** How many recent cursors and identities are remembered for de-duplication. */
const REMEMBERED = 2_000;

interface FormattedError {
  message: string;
  extensions?: { code?: unknown; field?: unknown };
}

/** A bounded set: the oldest keys are forgotten first. */
class RecentKeys {
  readonly #keys = new Set<string>();
  constructor(private readonly limit: number) {}
  has(key: string): boolean {
    return this.#keys.has(key);
  }
  add(key: string): void {
    this.#keys.add(key);
    if (this.#keys.size > this.limit) this.#keys.delete(this.#keys.values().next().value!);
  }
}

/**
 * One live subscription that loses nothing and shows nothing twice: it remembers the last cursor it delivered, and
 * every time it (re)subscribes, including graphql-ws's own silent re-subscribe after a reconnect, asks for the
 * events `after` it. Events already delivered (same cursor or identity) are dropped.
 */
export class LiveSubscription<N extends OperationName, F extends EventField<N>> {
  #cursor: string | null;
  #stopped = false;
  #attempt = 0;
  #generation = 0;
  /** The owner was asked to reload for CURSOR_EXPIRED and nothing has arrived since. */
  #reloadedForExpiry = false;
  #unsubscribe: (() => void) | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #seen = new RecentKeys(REMEMBERED);
  readonly #release: () => void;

  constructor(
    private readonly transport: LiveTransport,
    private readonly options: LiveSubscriptionOptions<N, F>,
  ) {
    this.#cursor = options.after ?? null;
    this.#release = transport.retain();
    this.#subscribe();
  }

  /** The cursor of the last event delivered. */
  get cursor(): string | null {
    return this.#cursor;
  }

  /**
   * Subscribes again from `after` (the liveCursor read with data just reloaded; null: from now), replacing the
   * current subscription; events after it are delivered even if they were delivered before the reload.
   */
  restartFrom(after: string | null): void {
    if (this.#stopped) return;
    clearTimeout(this.#retryTimer);
    this.#unsubscribe?.();
    this.#cursor = after;
    this.#attempt = 0;
    // The owner's data now holds everything up to `after`: whatever follows is new to it, even if delivered before.
    this.#seen = new RecentKeys(REMEMBERED);
    this.#subscribe();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#generation++;
    clearTimeout(this.#retryTimer);
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#release();
  }

  #subscribe(): void {
    const generation = ++this.#generation;
    const current = () => generation === this.#generation && !this.#stopped;
    const self = this;
    const { query, variables } = this.options;
    this.#unsubscribe = this.transport.subscribe<Record<F, SubscriptionEvent<N, F> | null>>(
      {
        query,
        // graphql-ws serialises this payload again on every reconnect: the getter makes each resend resume from the latest cursor.
        get variables() {
          return { ...variables, after: self.#cursor };
        },
      },
      {
        next: (result) => {
          if (current()) this.#onResult(result);
        },
        error: (error) => {
          if (current()) this.#onFailure(error);
        },
        complete: () => {},
      },
    );
  }

  #onResult(result: FormattedExecutionResult<Record<F, SubscriptionEvent<N, F> | null>, unknown>): void {
    if (result.errors?.length) {
      this.#onErrors(result.errors as readonly FormattedError[]);
      return;
    }
    const event = result.data?.[this.options.field];
    if (!event) return;
    const identity = `identity:${this.options.identity(event)}`;
    const cursor = `cursor:${event.cursor}`;
    const duplicate = this.#seen.has(cursor) || this.#seen.has(identity);
    this.#seen.add(cursor);
    this.#seen.add(identity);
    this.#cursor = event.cursor;
    this.#attempt = 0;
    this.#reloadedForExpiry = false;
    if (!duplicate) this.options.onEvent(event);
  }

  #onFailure(error: unknown): void {
    if (Array.isArray(error)) {
      this.#onErrors(error as FormattedError[]);
      return;
    }
    // The session ended: LiveClient has told the session, which shows the sign-in screen; nothing to retry.
    if (endsSession(closeCodeOf(error))) return;
    // graphql-ws gives up on some closes (1011, 4500, …) that the hub asks clients to retry: subscribe again after a back-off.
    this.#retryLater();
  }

  #onErrors(errors: readonly FormattedError[]): void {
    const [first] = errors;
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (code === 'CURSOR_EXPIRED' && this.#reloadedForExpiry) {
      // Expired again straight after a reload: reloading once more would loop; go on from now instead.
      this.#reloadedForExpiry = false;
      this.#cursor = null;
      this.#subscribe();
    } else if (code === 'CURSOR_EXPIRED') {
      this.#generation++;
      this.#reloadedForExpiry = true;
      this.options.onCursorExpired();
    } else if (RETRYABLE_CODES.has(code)) {
      this.#retryLater();
    } else {
      this.#generation++;
      const field = typeof first?.extensions?.field === 'string' ? first.extensions.field : null;
      this.options.onError?.({ code, message: first?.message ?? code, field });
    }
  }

  #retryLater(): void {
    this.#generation++;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      if (!this.#stopped) this.#subscribe();
    }, this.transport.retryDelay(this.#attempt++));
  }
}
