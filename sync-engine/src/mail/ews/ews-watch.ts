import type { EventType, FolderId, PullSubscription } from 'ews-javascript-api';
import type { Log } from '../../logger.js';
import { MailError } from '../mail-error.js';
import type { EwsSession } from './ews-service.js';
import { EwsStreamingWatch, type StreamingEnd, type StreamingWatchOptions } from './ews-streaming.js';

/** What a watched Exchange mailbox tells the engine's watcher (mailbox-watcher.ts). */
export interface ExchangeWatchHandlers {
  /** Something changed in a watched folder (or may have: a lost subscription counts as a change). */
  onNewMail(): void;
  /** The watch ended on its own (subscription lost, credentials refused, pull notifications failing); the caller opens it again. */
  onClosed(reason: string): void;
}

export interface ExchangeWatchOptions {
  /** Streaming notifications (the default when set); null: pull notifications only. */
  readonly streaming: Omit<StreamingWatchOptions, 'onChange' | 'onEnd'> | null;
  /** How often GetEvents is asked while pulling. */
  readonly pullIntervalMs: number;
  readonly logger?: Log;
}

// Messages.xsd PullSubscriptionRequest/Timeout: minutes without GetEvents before Exchange drops the subscription.
export const PULL_TIMEOUT_MINUTES = 10;
// A watch that fell back to pulling ends after this long, so the watcher opens it again and streaming is tried anew
// (a server that refused streaming connections for a while, e.g. while restarting, is not pulled from for ever).
const PULL_WATCH_MS = 30 * 60_000;

/**
 * The push connection of one watched Exchange mailbox, held outside the work slots: a streaming subscription on the
 * folders the mailbox syncs with a GetStreamingEvents connection kept open (ews-streaming.ts opens it again when
 * Exchange closes it or it drops), or, where the server grants no streaming or its connections keep failing, a pull
 * subscription asked with GetEvents every pullIntervalMs. Changes go to onNewMail as they come; an end the watch
 * cannot mend itself (the subscription lost, the credentials refused) goes to onClosed, after which the watcher
 * opens a new one with back-off. `close` ends it without calling onClosed.
 */
export class ExchangeMailboxWatch {
  private streaming: EwsStreamingWatch | null = null;
  private pull: PullSubscription | null = null;
  private pullTimer: NodeJS.Timeout | null = null;
  private pullUntil = 0;
  private closed = false;
  private readonly stopped = new AbortController();

  constructor(
    private readonly session: EwsSession,
    private readonly folders: () => FolderId[],
    private readonly events: readonly EventType[],
    private readonly options: ExchangeWatchOptions,
    private readonly handlers: ExchangeWatchHandlers,
  ) {}

  /** Subscribes and starts listening; throws MailError when neither streaming nor pull notifications can be had. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.options.streaming) {
      this.streaming = new EwsStreamingWatch(this.session, this.folders, this.events, {
        ...this.options.streaming,
        onChange: () => this.changed(),
        onEnd: (end) => this.streamingEnded(end),
      });
      try {
        if ((await this.streaming.start(signal)) === 'listening') return;
      } catch (error) {
        this.close();
        throw error;
      }
      this.streaming = null;
    }
    await this.startPulling(signal);
  }

  /** Whether changes come over a streaming connection (else by pulling). */
  get streamed(): boolean {
    return this.streaming !== null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopped.abort();
    if (this.pullTimer) clearTimeout(this.pullTimer);
    const streaming = this.streaming;
    const pull = this.pull;
    this.streaming = null;
    this.pull = null;
    // Unsubscribing is a courtesy: Exchange drops a subscription nobody reads after its timeout anyway.
    void streaming?.close().catch(() => undefined);
    if (pull) void pull.Unsubscribe().catch(() => undefined);
  }

  private changed(): void {
    if (!this.closed) this.handlers.onNewMail();
  }

  private end(reason: string): void {
    if (this.closed) return;
    this.close();
    this.handlers.onClosed(reason);
  }

  private streamingEnded(end: StreamingEnd): void {
    if (this.closed) return;
    if (end.kind !== 'unavailable') return this.end(end.kind === 'lost' ? `Exchange streaming subscription lost: ${end.reason}` : end.reason);
    this.streaming = null;
    this.startPulling(this.stopped.signal).catch((error: unknown) => this.end(`Exchange pull notifications unavailable: ${reasonOf(error)}`));
  }

  private async startPulling(signal?: AbortSignal): Promise<void> {
    try {
      this.pull = await this.session.call('Subscribe', (service) => service.SubscribeToPullNotifications(this.folders(), PULL_TIMEOUT_MINUTES, null as unknown as string, ...this.events), {
        signal: signal ? AbortSignal.any([signal, this.stopped.signal]) : this.stopped.signal,
      });
    } catch (error) {
      this.close();
      throw error instanceof MailError ? error : new MailError('TEMPORARY', `Exchange notifications unavailable: ${reasonOf(error)}`);
    }
    if (this.closed) return void this.pull.Unsubscribe().catch(() => undefined);
    this.options.logger?.info({ pullIntervalMs: this.options.pullIntervalMs }, 'Exchange mailbox watched with pull notifications');
    this.pullUntil = Date.now() + PULL_WATCH_MS;
    this.schedulePull();
  }

  private schedulePull(): void {
    if (this.closed) return;
    this.pullTimer = setTimeout(() => void this.pullOnce(), this.options.pullIntervalMs);
  }

  private async pullOnce(): Promise<void> {
    const pull = this.pull;
    if (this.closed || !pull) return;
    let events;
    try {
      events = await this.session.call('GetEvents', () => pull.GetEvents(), { signal: this.stopped.signal });
    } catch (error) {
      // ErrorSubscriptionNotFound and friends (Exchange restarted, the subscription timed out): what it held is read
      // with the folders, and the watcher subscribes anew.
      this.changed();
      return this.end(`Exchange pull subscription lost: ${reasonOf(error)}`);
    }
    if (events.ItemEvents.length > 0) this.changed();
    if (Date.now() >= this.pullUntil) return this.end('pulled for 30 minutes: streaming notifications are tried again');
    this.schedulePull();
  }
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
