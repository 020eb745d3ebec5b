import cluster from 'node:cluster';
import { EventEmitter } from 'node:events';
import type { LiveBus } from './live-bus';

/** The IPC message that carries one bus message between the api processes of one machine. */
interface BusMessage {
  readonly crmHubBus: { readonly channel: string; readonly message: string };
}

const isBusMessage = (value: unknown): value is BusMessage =>
  typeof value === 'object' && value !== null && typeof (value as BusMessage).crmHubBus?.channel === 'string' && typeof (value as BusMessage).crmHubBus?.message === 'string';

/**
 * The bus between the api processes one launcher started (API_PROCESSES > 1, no REDIS_URL): a worker sends
 * each message to the primary over its IPC channel, and the primary hands it to every worker, the sender
 * included (relayClusterBus). Like Redis it carries wake-ups only, so a message lost with a dying worker
 * delays delivery to the next poll and loses nothing.
 */
export class ClusterBus implements LiveBus {
  readonly kind = 'cluster' as const;
  onReconnect?: () => void;
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private readonly receive = (value: unknown) => {
    if (isBusMessage(value)) this.emitter.emit(value.crmHubBus.channel, value.crmHubBus.message);
  };

  constructor(private readonly channel: NodeJS.Process = process) {
    if (!channel.send) throw new Error('ClusterBus needs an IPC channel to its primary (a cluster worker)');
    channel.on('message', this.receive);
  }

  /** Messages reach the others while the primary is there to relay them. */
  get ready(): boolean {
    return this.channel.connected === true;
  }

  publish(channel: string, message: string): void {
    if (!this.ready) return;
    this.channel.send!({ crmHubBus: { channel, message } } satisfies BusMessage);
  }

  subscribe(channel: string, handler: (message: string) => void): () => void {
    this.emitter.on(channel, handler);
    return () => this.emitter.off(channel, handler);
  }

  async close(): Promise<void> {
    this.channel.off('message', this.receive);
    this.emitter.removeAllListeners();
  }
}

/** In the primary: every bus message a worker sends goes to every worker that is still connected. */
export function relayClusterBus(): void {
  cluster.on('message', (_sender, value: unknown) => {
    if (!isBusMessage(value)) return;
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker?.isConnected()) worker.send(value);
    }
  });
}
