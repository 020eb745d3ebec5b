import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received<T = any> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

/** One subscription's messages as they arrive, and waits on them (never on time alone). */
export class Subscription<T = any> {
  readonly received: Received<T>[] = [];
  completed = false;
  error: unknown;
  private waiters: (() => void)[] = [];

  constructor(readonly dispose: () => void) {}

  push(message: Received<T>): void {
    this.received.push(message);
    this.wakeAll();
  }

  end(error?: unknown): void {
    this.completed = true;
    this.error = error;
    this.wakeAll();
  }

  /** Resolves once `count` messages arrived (rejects after `timeoutMs`, naming what did arrive). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<Received<T>[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (this.completed) throw new Error(`subscription ended after ${this.received.length} of ${count} messages: ${JSON.stringify(this.error ?? this.received.at(-1))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`only ${this.received.length} of ${count} messages arrived: ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.slice(0, count);
  }

  /** Waits until the subscription ends (an error message or complete). */
  async waitForEnd(timeoutMs = 10_000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (!this.completed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('the subscription did not end');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.error;
  }

  private wakeAll(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** The sink both libraries' clients (graphql-ws, graphql-sse) take, feeding a Subscription. */
export function subscriptionOf<T>(start: (sink: { next(message: unknown): void; error(err: unknown): void; complete(): void }) => () => void): Subscription<T> {
  let sub!: Subscription<T>;
  const dispose = start({
    next: (message) => sub.push(message as Received<T>),
    error: (err) => sub.end(err ?? 'error'),
    complete: () => sub.end(),
  });
  sub = new Subscription<T>(dispose);
  return sub;
}

export interface LiveClient {
  readonly client: Client;
  subscribe<T = any>(query: string, variables?: Record<string, unknown>): Subscription<T>;
  /** The close event of the socket (code and reason), once it closed. */
  closed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

/** A graphql-ws client (the library's own) to a running api, authenticated with a session token or API key. */
export function liveClient(httpUrl: string, token: string | undefined, options: { retry?: boolean } = {}): LiveClient {
  let closeEvent: { code: number; reason: string } | undefined;
  const closeWaiters: (() => void)[] = [];
  const client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: options.retry ? 5 : 0,
    lazy: true,
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        closeEvent = { code: e.code, reason: String(e.reason) };
        for (const w of closeWaiters.splice(0)) w();
      },
    },
  });
  return {
    client,
    subscribe: <T>(query: string, variables?: Record<string, unknown>) => subscriptionOf<T>((sink) => client.subscribe({ query, variables }, sink)),
    closed: async (timeoutMs = 10_000) => {
      if (!closeEvent) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the socket did not close')), timeoutMs);
          closeWaiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return closeEvent!;
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}
