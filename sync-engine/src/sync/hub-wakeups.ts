import { setTimeout as delay } from 'node:timers/promises';
import path from 'node:path';
import type { createClient as CreateClient } from 'graphql-sse';
import { graphql } from '../graphql-tag.js';
import type { Log } from '../logger.js';

// graphql-sse's entry also loads its server handler and with it all of graphql-js (about 5 MB resident) that a client
// never runs; the package exports no client entry, so the client's file is loaded by its path.
const { createClient } = require(path.join(path.dirname(require.resolve('graphql-sse/package.json')), 'lib', 'client.js')) as { createClient: typeof CreateClient };

/** Where a waiting mailbox learns that the hub has something for it to write. */
export interface HubWakeupSource {
  /** Calls `wake` whenever the hub names the mailbox (its global id); returns the function that stops it. */
  on(mailboxId: string, wake: () => void): () => void;
}

export interface HubWakeupsOptions {
  /** The hub's GraphQL endpoint (HUB_API_URL). */
  readonly url: string;
  readonly apiKey: string;
  readonly log: Log;
  /** Waits between reconnections: doubling from the first to the last. */
  readonly retryMs?: { readonly first: number; readonly last: number };
}

const EXCHANGE_WRITES_DUE = graphql('ExchangeWritesDue')`
  subscription ExchangeWritesDue($after: String) {
    exchangeWritesDue(after: $after) {
      cursor
      mailboxIds
    }
  }
`;

const DEFAULT_RETRY = { first: 1_000, last: 60_000 };

/**
 * The hub's exchangeWritesDue subscription (GraphQL over Server-Sent Events, one stream per engine): when an
 * appointment or task changes in the CRM, the engine holding its owner's Exchange mailbox hears of it within a
 * moment and writes it, instead of at its next look 15 s later. A wake-up is a hint: the engine still claims what
 * to write under its lease, and still looks on its own, so a lost stream costs time, never data. After a break it
 * resumes from the last cursor; when the hub cannot replay that far, every waiting mailbox is woken once.
 */
export class HubWakeups implements HubWakeupSource {
  private readonly listeners = new Map<string, Set<() => void>>();
  private after: string | null = null;

  constructor(private readonly options: HubWakeupsOptions) {}

  on(mailboxId: string, wake: () => void): () => void {
    let set = this.listeners.get(mailboxId);
    if (!set) this.listeners.set(mailboxId, (set = new Set()));
    set.add(wake);
    return () => {
      set.delete(wake);
      if (!set.size) this.listeners.delete(mailboxId);
    };
  }

  /** Listens until `signal` aborts; never throws. */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    const client = createClient({
      url: this.options.url,
      headers: { authorization: `Bearer ${this.options.apiKey}` },
      retryAttempts: 0, // reconnecting is done below, from the last cursor
      on: { connected: () => void (failures = 0) },
    });
    const retry = this.options.retryMs ?? DEFAULT_RETRY;
    try {
      while (!signal.aborted) {
        const outcome = await this.listen(client, signal);
        if (signal.aborted) break;
        if (outcome.expired) {
          this.after = null;
          this.wakeAll();
        }
        if (outcome.error && failures++ === 0) this.options.log.warn({ reason: outcome.error }, 'the hub’s wake-ups for Exchange writes are unavailable; mailboxes look for writes on their own until they are back');
        await delay(Math.min(retry.last, retry.first * 2 ** Math.min(failures, 16)), undefined, { signal }).catch(() => undefined);
      }
    } finally {
      client.dispose();
    }
  }

  private listen(client: ReturnType<typeof createClient>, signal: AbortSignal): Promise<{ error?: string; expired?: boolean }> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (outcome: { error?: string; expired?: boolean }) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', stop);
        unsubscribe();
        resolve(outcome);
      };
      const stop = () => finish({});
      const unsubscribe = client.subscribe<{ exchangeWritesDue: { cursor: string; mailboxIds: string[] } }>(
        { query: EXCHANGE_WRITES_DUE, variables: { after: this.after } },
        {
          next: (result) => {
            const due = result.data?.exchangeWritesDue;
            const code = (result.errors?.[0]?.extensions as { code?: unknown } | undefined)?.code;
            if (code === 'CURSOR_EXPIRED') return finish({ expired: true });
            if (result.errors?.length) return finish({ error: result.errors[0].message });
            if (!due) return;
            this.after = due.cursor;
            for (const mailboxId of due.mailboxIds) for (const wake of this.listeners.get(mailboxId) ?? []) wake();
          },
          error: (error: unknown) => {
            const text = error instanceof Error ? error.message : Array.isArray(error) ? String((error[0] as { message?: unknown })?.message) : String(error);
            finish({ error: text, expired: /CURSOR_EXPIRED/.test(text) });
          },
          complete: () => finish({ error: 'the hub ended the stream' }),
        },
      );
      signal.addEventListener('abort', stop, { once: true });
    });
  }

  private wakeAll(): void {
    for (const set of this.listeners.values()) for (const wake of set) wake();
  }
}
