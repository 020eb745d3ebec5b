import cluster from 'node:cluster';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../platform/logger';
import { ClusterBus } from './cluster-bus';
import { InProcessBus, type LiveBus } from './live-bus';

/** Publishes that may wait for Redis's reply at once; beyond it a publish is dropped (a silent peer holds no memory). */
const MAX_PENDING_PUBLISHES = 10_000;

/** Reconnect forever, waiting 200 ms more each attempt, at most 2 s. */
export const reconnectDelayMs = (attempt: number): number => Math.min(attempt * 200, 2000);

/**
 * The bus across api processes: Redis pub/sub (REDIS_URL). One connection publishes, one subscribes (a connection
 * in subscriber mode may send nothing else). While Redis is away a publish is dropped, never queued: messages are
 * only wake-ups and every process re-reads the database periodically and on `onReconnect`, so nothing is lost.
 */
export class RedisBus implements LiveBus {
  readonly kind = 'redis' as const;
  /** Called when the bus is ready again after an outage (either connection), so the reader re-reads at once. */
  onReconnect?: () => void;

  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private readonly log: Logger;
  /** True once the subscriber's channels are subscribed on its current connection. */
  private subscribed = false;
  private wasReady = false;
  /** A connection failed since the bus was last ready (the first connect that works at once is not a reconnect). */
  private outage = false;
  private droppedSinceReady = 0;
  private pending = 0;
  private closing = false;

  constructor(redisUrl: string, log: Logger) {
    this.log = log.child({ component: 'live-bus', redis: describeRedisUrl(redisUrl) });
    // No offline queue and no retries: a command while disconnected fails at once instead of waiting in memory.
    const options: RedisOptions = {
      retryStrategy: reconnectDelayMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      // Re-subscribed by hand on 'ready', so `ready` turns true only once the subscriptions are back.
      autoResubscribe: false,
    };
    this.publisher = new Redis(redisUrl, { ...options, connectionName: 'crm-hub-live-pub' });
    this.subscriber = new Redis(redisUrl, { ...options, connectionName: 'crm-hub-live-sub' });
    for (const [role, connection] of [['publisher', this.publisher], ['subscriber', this.subscriber]] as const) {
      connection.on('error', (error: Error) => this.connectionFailed(role, error));
      connection.on('close', () => this.connectionFailed(role, null));
      connection.on('ready', () => this.statusChanged());
    }
    this.subscriber.on('ready', () => void this.resubscribe());
    this.subscriber.on('close', () => (this.subscribed = false));
    this.subscriber.on('message', (channel: string, message: string) => this.deliver(channel, message));
  }

  get ready(): boolean {
    return !this.closing && this.publisher.status === 'ready' && this.subscriber.status === 'ready' && this.subscribed;
  }

  /** Publishes sent and not yet answered (bounded by MAX_PENDING_PUBLISHES). */
  get pendingPublishes(): number {
    return this.pending;
  }

  publish(channel: string, message: string): void {
    if (this.publisher.status !== 'ready' || this.pending >= MAX_PENDING_PUBLISHES) {
      this.dropped();
      return;
    }
    this.pending++;
    this.publisher.publish(channel, message).then(
      () => this.pending--,
      () => {
        this.pending--;
        this.dropped();
      },
    );
  }

  subscribe(channel: string, handler: (message: string) => void): () => void {
    let channelHandlers = this.handlers.get(channel);
    if (!channelHandlers) {
      channelHandlers = new Set();
      this.handlers.set(channel, channelHandlers);
      // While disconnected the 'ready' handler subscribes every channel in `handlers`.
      if (this.subscriber.status === 'ready') this.subscriber.subscribe(channel).catch((error: Error) => this.connectionFailed('subscriber', error));
    }
    channelHandlers.add(handler);
    return () => {
      const current = this.handlers.get(channel);
      if (!current?.delete(handler) || current.size > 0) return;
      this.handlers.delete(channel);
      if (this.subscriber.status === 'ready') this.subscriber.unsubscribe(channel).catch(() => {}); // a later reconnect forgets it anyway
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    this.handlers.clear();
    await Promise.all([quit(this.publisher), quit(this.subscriber)]);
  }

  private async resubscribe(): Promise<void> {
    const channels = [...this.handlers.keys()];
    try {
      if (channels.length > 0) await this.subscriber.subscribe(...channels);
    } catch (error) {
      // The connection dropped again; its next 'ready' tries again.
      this.connectionFailed('subscriber', error as Error);
      return;
    }
    if (this.subscriber.status !== 'ready') return;
    this.subscribed = true;
    this.statusChanged();
  }

  private deliver(channel: string, message: string): void {
    for (const handler of [...(this.handlers.get(channel) ?? [])]) {
      try {
        handler(message);
      } catch (error) {
        this.log.error({ err: error, channel }, 'a live bus subscriber failed');
      }
    }
  }

  private connectionFailed(role: 'publisher' | 'subscriber', error: Error | null): void {
    if (this.closing) return;
    if (!this.outage) {
      this.outage = true;
      // Only the message and code: ioredis's errors name host and port, never the password, but its objects may hold options.
      const err = error ? { message: error.message, code: (error as NodeJS.ErrnoException).code } : undefined;
      this.log.warn({ err, connection: role }, 'Redis is unreachable: live events between api processes wait for the periodic database read until it is back');
    }
    this.statusChanged();
  }

  private statusChanged(): void {
    const ready = this.ready;
    if (ready === this.wasReady) return;
    this.wasReady = ready;
    if (!ready) return;
    if (!this.outage) {
      this.droppedSinceReady = 0; // publishes before the first connect
      this.log.info('connected to Redis');
      return;
    }
    this.log.info({ droppedPublishes: this.droppedSinceReady }, 'Redis is back: live events reach every api process again');
    this.outage = false;
    this.droppedSinceReady = 0;
    try {
      this.onReconnect?.();
    } catch (error) {
      this.log.error({ err: error }, 'the live bus reconnect hook failed');
    }
  }

  private dropped(): void {
    if (this.droppedSinceReady++ === 0) this.log.debug('Redis is unreachable: dropping live bus messages until it is back');
  }
}

/**
 * The bus for this process: Redis when REDIS_URL is set; else, in one of several api processes a launcher
 * started (api-processes.ts), IPC through it; else in-process (`npm start` with one process needs nothing else).
 */
export function createLiveBus(redisUrl: string | undefined, log: Logger): LiveBus {
  if (redisUrl) return new RedisBus(redisUrl, log);
  return cluster.isWorker ? new ClusterBus() : new InProcessBus();
}

/** The URL without its credentials, for logs. */
export function describeRedisUrl(redisUrl: string): string {
  try {
    const url = new URL(redisUrl);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

async function quit(connection: Redis): Promise<void> {
  if (connection.status === 'end') return;
  if (connection.status === 'reconnecting') {
    // Between attempts there is no socket: disconnect() only cancels the next attempt, and no 'end' follows.
    connection.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => connection.once('end', () => resolve()));
  // QUIT lets the answers to publishes already sent arrive; without a connection there is nothing to wait for.
  if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
  else connection.disconnect();
  await ended;
}
