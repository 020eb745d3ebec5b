import { createClient, type Client, type SubscribePayload, type Sink, type FormattedExecutionResult } from 'graphql-ws';
import type { TokenStore } from '../graphql/graphql-client';

/**
 * What the header tells the reader about live updates:
 * idle (nothing on the page is live), connecting, live, reconnecting (lost, retrying), offline (retrying for a while, or no network).
 */
export type LiveStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'offline';

/** Close codes the hub's graphql-ws endpoint documents (see issue 10 and api/src/live). */
export const LIVE_CLOSE = {
  /** The session ended: revoked, expired or the user disabled. Never retried. */
  SESSION_ENDED: 4401,
  /** Refused at connection_init. Never retried. */
  REFUSED: 4403,
  /** The client read too slowly; it reconnects and resumes from its cursor. */
  TOO_SLOW: 4499,
} as const;

/** How often the client pings, and how long it waits for the pong before it drops a silently dead socket. */
const PING_EVERY_MS = 10_000;
const PONG_WITHIN_MS = 5_000;
/** Consecutive failed connection attempts after which "reconnecting" is shown as "offline". */
const OFFLINE_AFTER_FAILURES = 3;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * How long to wait before connection attempt `attempt` (0-based): doubling from 1 s up to 30 s, then "full jitter"
 * between half and all of it, so clients cut off together do not all come back in the same instant.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A close event as graphql-ws hands it over (the browser's CloseEvent, or ws's in Node). */
export function closeCodeOf(error: unknown): number | null {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'number' && 'reason' in error) {
    return (error as { code: number }).code;
  }
  return null;
}

/** True for the close codes that mean "sign in again": retrying with the same token cannot help. */
export const endsSession = (code: number | null): boolean => code === LIVE_CLOSE.SESSION_ENDED || code === LIVE_CLOSE.REFUSED;

export interface LiveClientOptions {
  /** ws:// or wss:// URL of /graphql; read at every connection attempt. */
  url: string | (() => string);
  /** The same token store the HTTP client reads, so both speak for the same session. */
  tokens: TokenStore;
  /** Called when the server ends the session (4401/4403) for the token still in use; the HTTP client's onUnauthenticated path. */
  onSessionEnded: () => void;
  /** The WebSocket class; the browser's by default (tests in Node pass `ws`). */
  webSocketImpl?: unknown;
  /** Whether the device says it has a network; the browser's navigator.onLine by default. */
  online?: () => boolean;
  random?: () => number;
}

/** What the subscription helper needs from the connection (LiveClient in the app). */
export interface LiveTransport {
  subscribe<Data>(payload: SubscribePayload, sink: Sink<FormattedExecutionResult<Data, unknown>>): () => void;
  retain(): () => void;
  retryDelay(attempt: number): number;
}

/**
 * The app's one graphql-ws connection: lazy (opened by the first subscription, closed after the last), retried
 * forever with back-off and jitter, authenticated with the current session token, and watched so the header can
 * say whether what the reader sees is live.
 */
export class LiveClient implements LiveTransport {
  readonly #client: Client;
  readonly #options: LiveClientOptions;
  readonly #listeners = new Set<(status: LiveStatus) => void>();
  #status: LiveStatus = 'idle';
  /** Subscriptions that want to be live (held across their own retries). */
  #wanted = 0;
  #failures = 0;
  /** A socket is open and acknowledged (it may outlive the last subscription for a moment). */
  #connected = false;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #stopWatchingNetwork: () => void;
  /** The token the open (or opening) socket was authenticated with. */
  #socketToken: string | null = null;

  constructor(options: LiveClientOptions) {
    this.#options = options;
    this.#client = createClient({
      url: () => (typeof options.url === 'function' ? options.url() : options.url),
      webSocketImpl: options.webSocketImpl,
      lazy: true,
      retryAttempts: Infinity,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffDelay(retries, options.random))),
      // 4403 is retried by graphql-ws by default; for the hub it means this session may not connect.
      shouldRetry: (errorOrClose) => !endsSession(closeCodeOf(errorOrClose)),
      // A socket can die without a close (sleep, a changed network): no pong in time means it is gone.
      keepAlive: PING_EVERY_MS,
      connectionParams: () => {
        const token = options.tokens.get();
        this.#socketToken = token;
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      on: {
        connecting: () => this.#set(this.#failures > 0 ? this.#lostStatus() : 'connecting'),
        connected: () => {
          this.#failures = 0;
          this.#connected = true;
          if (this.#wanted > 0) this.#set('live');
        },
        closed: (event) => this.#onClosed(closeCodeOf(event)),
        ping: (received) => {
          if (received) return;
          clearTimeout(this.#pongTimer);
          // graphql-ws's own recipe: terminate() closes at once with 4499 and the client reconnects, resuming from cursors.
          this.#pongTimer = setTimeout(() => this.#client.terminate(), PONG_WITHIN_MS);
        },
        pong: (received) => {
          if (received) clearTimeout(this.#pongTimer);
        },
      },
    });
    this.#stopWatchingNetwork = this.#watchNetwork();
  }

  /** The browser saying the network is gone is news at once: the socket is dropped and the badge says offline. */
  #watchNetwork(): () => void {
    if (typeof window === 'undefined') return () => {};
    const offline = () => {
      if (this.#wanted === 0) return;
      this.#set('offline');
      if (this.#connected) this.#client.terminate();
    };
    window.addEventListener('offline', offline);
    return () => window.removeEventListener('offline', offline);
  }

  get status(): LiveStatus {
    return this.#status;
  }

  /** Calls `listener` with every status change; returns an unsubscribe function. */
  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Marks something on the page as wanting live updates until the returned function is called; the status is
   * "idle" when nothing does. Held across a subscription's own retries, so a gap between them reads "reconnecting".
   */
  retain(): () => void {
    this.#wanted++;
    // A page replacing its subscription (new filters) lets go and takes hold again on the socket still open.
    if (this.#wanted === 1 && this.#connected) this.#set('live');
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#wanted--;
      if (this.#wanted === 0) this.#set('idle');
    };
  }

  /** How long a subscription that the transport gave up on waits before subscribing again. */
  retryDelay(attempt: number): number {
    return backoffDelay(attempt, this.#options.random);
  }

  /** graphql-ws's subscribe; a close that ends the session is reported once, as the HTTP client reports UNAUTHENTICATED. */
  subscribe<Data>(payload: SubscribePayload, sink: Sink<FormattedExecutionResult<Data, unknown>>): () => void {
    return this.#client.subscribe<Data>(payload, {
      next: (value) => sink.next(value),
      error: (error) => {
        if (endsSession(closeCodeOf(error))) this.#sessionEnded();
        sink.error(error);
      },
      complete: () => sink.complete(),
    });
  }

  /** Closes the socket for good (the app is going away). */
  dispose(): Promise<void> {
    clearTimeout(this.#pongTimer);
    this.#stopWatchingNetwork();
    return this.#client.dispose() as Promise<void>;
  }

  #onClosed(code: number | null): void {
    this.#connected = false;
    clearTimeout(this.#pongTimer);
    if (this.#wanted === 0) {
      this.#failures = 0;
      this.#set('idle');
      return;
    }
    if (endsSession(code)) {
      this.#set('offline');
      return;
    }
    // 1000 with subscriptions left: graphql-ws closed a lazily idle socket just as a page subscribed; it reopens at once.
    if (code === 1000) {
      this.#set('connecting');
      return;
    }
    this.#failures++;
    this.#set(this.#lostStatus());
  }

  #lostStatus(): LiveStatus {
    const online = this.#options.online ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine));
    return !online() || this.#failures >= OFFLINE_AFTER_FAILURES ? 'offline' : 'reconnecting';
  }

  #sessionEnded(): void {
    // Only the session still in use has ended: a socket closed after a logout or another sign-in is not news.
    const current = this.#options.tokens.get();
    if (!current || current !== this.#socketToken) return;
    // Every subscription on the socket hears the same close; the session ends once.
    this.#socketToken = null;
    this.#options.onSessionEnded();
  }

  #set(status: LiveStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#listeners.forEach((listener) => listener(status));
  }
}
