// The baseline of the live fan-out benchmark: a bare `ws` server in its own process that sends a given
// message to a given set of its sockets at a steady rate, as the ws README's broadcast example does
// (the text encoded once, then send() to each socket). No GraphQL, no database, no access checks: what
// the same bytes to the same sockets cost on this machine.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface BroadcastJob {
  /** The message; `__K__` is replaced by the event number. */
  readonly template: string;
  readonly events: number;
  readonly perSecond: number;
  /** Event k goes to the sockets of groups[k % groups.length] (socket indices as the clients gave them). */
  readonly groups: readonly (readonly number[])[];
}

export interface BroadcastResult {
  /** When event k's sending began (the machine's monotonic clock, ms). */
  readonly sentAt: number[];
  /** CPU time of this process from the first event until the last was sent, ms. */
  readonly cpuMs: number;
}

/** The machine's monotonic clock (CLOCK_MONOTONIC, shared by every process), in ms with ns precision. */
const clockNow = () => Number(process.hrtime.bigint()) / 1e6;

async function child(): Promise<void> {
  const sockets = new Map<number, WebSocket>();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (ws, request) => {
    const index = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('socket'));
    sockets.set(index, ws);
    ws.on('close', () => sockets.delete(index));
  });
  const run = async (job: BroadcastJob): Promise<BroadcastResult> => {
    const sentAt: number[] = [];
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let k = 0; k < job.events; k++) {
      const due = started + (k * 1000) / job.perSecond;
      if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
      sentAt[k] = clockNow();
      const data = Buffer.from(job.template.replace('__K__', String(k)));
      for (const index of job.groups[k % job.groups.length]) sockets.get(index)?.send(data, { binary: false });
    }
    const used = process.cpuUsage(cpu);
    return { sentAt, cpuMs: (used.user + used.system) / 1000 };
  };
  process.on('message', (message: { id: number; job: BroadcastJob }) => {
    run(message.job).then(
      (result) => process.send!({ id: message.id, result }),
      (err: Error) => process.send!({ id: message.id, error: err.stack ?? String(err) }),
    );
  });
  process.on('disconnect', () => {
    wss.close();
    process.exit(0);
  });
  process.send!({ port: (wss.address() as AddressInfo).port });
}

/** The parent's handle on the broadcaster process. */
export class PlainBroadcaster {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: BroadcastResult) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly worker: ChildProcess,
    readonly url: string,
  ) {
    worker.on('message', (message: { id: number; result?: BroadcastResult; error?: string }) => {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result!);
    });
  }

  static async start(): Promise<PlainBroadcaster> {
    const worker = fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [ready] = (await once(worker, 'message')) as [{ port: number }];
    return new PlainBroadcaster(worker, `ws://127.0.0.1:${ready.port}/`);
  }

  run(job: BroadcastJob): Promise<BroadcastResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.send({ id, job });
    });
  }

  stop(): void {
    this.worker.disconnect();
  }
}

if (require.main === module) void child();
