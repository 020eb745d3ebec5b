import { randomUUID } from 'node:crypto';
import type { Logger } from '../platform/logger';
import { LIVE_CHANNELS, type LiveBus } from './live-bus';
import type { LiveEvent } from './live-event.entity';
import type { LiveEventLog } from './live-event-log';

export interface LiveTailOptions {
  /** How often the log is read without a wake-up: the bound on delay when a bus message was lost. */
  readonly pollMs: number;
  /** Events read per statement. */
  readonly batch: number;
}

export const DEFAULT_TAIL_OPTIONS: LiveTailOptions = { pollMs: 1_000, batch: 500 };

/**
 * One per api process: follows the live event log in id order and hands each event, once, to every
 * local listener (the subscriptions of this process). A bus message only says "read now"; the
 * events come from the database, so they arrive in commit order whichever process committed them,
 * and a message lost while Redis is down delays delivery by at most `pollMs`.
 */
export class LiveTail {
  private position = 0;
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private reading: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private failing = false;
  private started = false;
  /** Names this process's messages on the bus. */
  private readonly id = randomUUID();

  constructor(
    private readonly log: LiveEventLog,
    private readonly bus: LiveBus,
    private readonly logger: Logger,
    private readonly options: LiveTailOptions = DEFAULT_TAIL_OPTIONS,
  ) {}

  async start(): Promise<void> {
    this.position = await this.log.newestId();
    this.started = true;
    // Its own commits woke it already (committed()): only other processes' messages need a read.
    this.unsubscribe = this.bus.subscribe(LIVE_CHANNELS.events, (from) => {
      if (from !== this.id) void this.wake();
    });
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
  }

  /** The id of the last event handed to listeners: a new listener receives every event after it. */
  get handedOut(): number {
    return this.position;
  }

  /** Listeners are called synchronously, in id order; the returned function removes the listener. */
  listen(listener: (event: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** This process committed events: read at once, and tell the other processes. */
  committed(): void {
    this.wake();
    this.bus.publish(LIVE_CHANNELS.events, this.id);
  }

  /** Reads what is new; wake-ups that come while a read runs are folded into one more read. */
  wake(): Promise<void> {
    if (!this.started) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readAll().finally(() => {
      this.reading = null;
      if (this.again) {
        this.again = false;
        void this.wake();
      }
    });
    return this.reading;
  }

  private async readAll(): Promise<void> {
    try {
      for (;;) {
        const events = await this.log.read(this.position, this.options.batch, true);
        for (const event of events) {
          this.position = Number(event.id);
          for (const listener of this.listeners) {
            try {
              listener(event);
            } catch (err) {
              this.logger.error({ err, eventId: event.id }, 'a live subscription failed on an event');
            }
          }
        }
        if (this.failing) this.logger.info('reading live events works again');
        this.failing = false;
        if (events.length < this.options.batch) return;
      }
    } catch (err) {
      // The next wake-up or poll tries again from the same position: nothing is skipped.
      if (!this.failing) this.logger.warn({ err }, 'reading live events failed; retrying');
      this.failing = true;
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.timer);
    this.unsubscribe?.();
    this.listeners.clear();
    await this.reading;
  }
}
