import { EventEmitter } from 'node:events';

/**
 * How api processes tell each other that events were committed. It carries wake-ups, never the
 * events themselves: every process reads them from the database (live-tail.ts), so a lost message
 * delays delivery until the next one or the periodic read, and loses nothing.
 */
export interface LiveBus {
  /** Sends to every process subscribed to `channel`, this one included. */
  publish(channel: string, message: string): void;
  /** Returns the unsubscribe function. */
  subscribe(channel: string, handler: (message: string) => void): () => void;
  /** Whether messages currently reach other processes (for /readyz). */
  readonly ready: boolean;
  /** What /readyz says about it. */
  readonly kind: 'in-process' | 'cluster' | 'redis';
  /** Set by the reader: called when the bus is ready again after an outage (wake-ups may have been lost). */
  onReconnect?: () => void;
  close(): Promise<void>;
}

/** One process: `npm start` needs nothing else. */
export class InProcessBus implements LiveBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  readonly ready = true;
  readonly kind = 'in-process' as const;

  publish(channel: string, message: string): void {
    // Asynchronous like a real bus, so a publisher inside a commit hook never runs subscribers inline.
    queueMicrotask(() => this.emitter.emit(channel, message));
  }

  subscribe(channel: string, handler: (message: string) => void): () => void {
    this.emitter.on(channel, handler);
    return () => this.emitter.off(channel, handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** Channels on the bus. */
export const LIVE_CHANNELS = {
  /** Events were committed; the message names the tail of the process that committed them (live-tail.ts). */
  events: 'crm-hub:live-events',
  /** Someone's access changed (roles, unit, disabled): credential caches in every process are dropped. */
  access: 'crm-hub:access-changed',
  /** The organization's email settings changed: every process drops its copy (email-settings.service.ts). */
  settings: 'crm-hub:email-settings-changed',
} as const;

