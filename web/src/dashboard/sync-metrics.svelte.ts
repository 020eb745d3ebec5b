import type { GraphQLClient } from '../graphql/graphql-client';
import { problemOf, type Problem } from '../shell/i18n/translator';
import { SYNC_METRICS_QUERY, type SyncMetricsRange, type SyncMetricsValue } from './sync-metrics';

export type SyncMetricsState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly metrics: SyncMetricsValue }
  | { readonly status: 'failed'; readonly problem: Problem };

/** How long the charts wait after a sync run before reading the figures again. */
export const REFRESH_DELAY_MS = 2_000;

/** The charts' figures for one range and, optionally, one mailbox; a newer request wins over one still answering. */
export class SyncMetricsSource {
  state = $state<SyncMetricsState>({ status: 'loading' });
  range = $state<SyncMetricsRange>('DAY');
  mailboxId = $state<string | null>(null);
  /** True while a newer range or mailbox is read over the charts already shown. */
  refreshing = $state(false);

  #generation = 0;
  #soon: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: GraphQLClient) {}

  select(range: SyncMetricsRange, mailboxId: string | null): Promise<void> {
    this.range = range;
    this.mailboxId = mailboxId;
    return this.load();
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    if (this.state.status === 'loaded') this.refreshing = true;
    else this.state = { status: 'loading' };
    try {
      const { syncMetrics } = await this.client.request(SYNC_METRICS_QUERY, { range: this.range, mailboxId: this.mailboxId });
      if (generation !== this.#generation) return;
      this.state = { status: 'loaded', metrics: syncMetrics };
    } catch (error) {
      if (generation !== this.#generation) return;
      this.state = { status: 'failed', problem: problemOf(error) };
    } finally {
      if (generation === this.#generation) this.refreshing = false;
    }
  }

  /** Reads the figures again shortly: many mailboxes finishing runs at once cost one request. */
  refreshSoon(delayMs = REFRESH_DELAY_MS): void {
    if (this.#soon !== undefined) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      void this.load();
    }, delayMs);
  }

  dispose(): void {
    this.#generation++;
    clearTimeout(this.#soon);
  }
}
