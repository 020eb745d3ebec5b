// The WebSocket load clients of the live fan-out benchmark, run as child processes (bench/live-fanout.ts
// forks a few) so that a thousand sockets do not share an event loop with the server they measure. Each
// socket either speaks graphql-ws (graphql-transport-ws: connection_init with the token, one subscribe)
// or just listens (the plain `ws` baseline). Every message is stamped on arrival, before it is parsed,
// with the machine's monotonic clock (process.hrtime: CLOCK_MONOTONIC, the same in every process).
import { fork, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';

export type SocketSpec =
  | { readonly kind: 'graphql'; readonly token: string; readonly query: string; readonly variables: Record<string, unknown> }
  | { readonly kind: 'plain' };

/** Messages of one process's sockets: socket index (global, as given to open), event number, arrival (monotonic ms). */
export interface Receipts {
  readonly sockets: Int32Array;
  readonly events: Int32Array;
  readonly at: Float64Array;
  /** Error messages, closes and GraphQL errors, the first few. */
  readonly problems: string[];
  readonly problemCount: number;
  /** One whole `next` message as it arrived (the plain baseline sends the same bytes). */
  readonly sample: string | null;
}

type Command =
  | { op: 'open'; url: string; first: number; specs: SocketSpec[] }
  | { op: 'reset' }
  | { op: 'wait'; expected: [socket: number, count: number][]; timeoutMs: number }
  | { op: 'collect' }
  | { op: 'close' };

/** The event number a benchmark message carries: its subject is "live-bench <k>". */
const EVENT_NUMBER = /live-bench (-?\d+)/;
/** The machine's monotonic clock (CLOCK_MONOTONIC, shared by every process), in ms with ns precision. */
const clockNow = () => Number(process.hrtime.bigint()) / 1e6;

function child(): void {
  const sockets = new Map<number, WebSocket>();
  const counts = new Map<number, number>();
  let rSockets: number[] = [];
  let rEvents: number[] = [];
  let rAt: number[] = [];
  let problems: string[] = [];
  let problemCount = 0;
  let sample: string | null = null;
  let wake: (() => void) | null = null;
  const problem = (text: string) => {
    problemCount++;
    if (problems.length < 5) problems.push(text.slice(0, 300));
  };

  const reset = () => {
    rSockets = [];
    rEvents = [];
    rAt = [];
    problems = [];
    problemCount = 0;
    counts.clear();
  };

  const record = (index: number, text: string, at: number) => {
    const k = EVENT_NUMBER.exec(text);
    if (!k) return problem(`socket ${index}: a message without an event number: ${text}`);
    if (text.includes('"errors"')) problem(`socket ${index}: ${text}`);
    sample ??= text;
    rSockets.push(index);
    rEvents.push(Number(k[1]));
    rAt.push(at);
    counts.set(index, (counts.get(index) ?? 0) + 1);
    wake?.();
  };

  const open = (url: string, index: number, spec: SocketSpec) =>
    new Promise<void>((resolve, reject) => {
      const ws = spec.kind === 'graphql' ? new WebSocket(url, 'graphql-transport-ws') : new WebSocket(`${url}?socket=${index}`);
      sockets.set(index, ws);
      let ready = false;
      ws.on('error', (err) => (ready ? problem(`socket ${index}: ${err.message}`) : reject(err)));
      ws.on('close', (code, reason) => {
        if (!ready) reject(new Error(`socket ${index} closed before it was ready: ${code} ${reason.toString()}`));
        else if (code !== 1000 && code !== 1005) problem(`socket ${index} closed: ${code} ${reason.toString()}`);
      });
      ws.on('open', () => {
        if (spec.kind === 'plain') {
          ready = true;
          return resolve();
        }
        ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${spec.token}` } }));
      });
      ws.on('message', (data: Buffer) => {
        const at = clockNow();
        const text = data.toString('utf8');
        if (spec.kind === 'plain' || text.includes('"type":"next"')) return record(index, text, at);
        const message = JSON.parse(text) as { type: string };
        if (message.type === 'connection_ack' && spec.kind === 'graphql') {
          ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: spec.query, variables: spec.variables } }));
          ready = true;
          resolve();
        } else if (message.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
        else if (message.type !== 'pong') problem(`socket ${index}: ${text}`);
      });
    });

  const handle = async (command: Command): Promise<unknown> => {
    switch (command.op) {
      case 'open': {
        // A few hundred handshakes at once are what a reconnect storm looks like; in slices, the server's accept queue is not the test.
        for (let i = 0; i < command.specs.length; i += 50) {
          await Promise.all(command.specs.slice(i, i + 50).map((spec, j) => open(command.url, command.first + i + j, spec)));
        }
        return null;
      }
      case 'reset':
        reset();
        return null;
      case 'wait': {
        const deadline = Date.now() + command.timeoutMs;
        const short = () => command.expected.filter(([socket, count]) => (counts.get(socket) ?? 0) < count);
        for (let missing = short(); missing.length; missing = short()) {
          if (Date.now() > deadline) {
            const [socket, count] = missing[0];
            return `${missing.length} sockets are short of their messages (socket ${socket}: ${counts.get(socket) ?? 0} of ${count}); ${problemCount} problems, first: ${problems[0] ?? 'none'}`;
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 200);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
        }
        return null;
      }
      case 'collect': {
        const receipts: Receipts = { sockets: Int32Array.from(rSockets), events: Int32Array.from(rEvents), at: Float64Array.from(rAt), problems, problemCount, sample };
        return receipts;
      }
      case 'close':
        await Promise.all(
          [...sockets.values()].map(
            (ws) =>
              new Promise<void>((resolve) => {
                if (ws.readyState === WebSocket.CLOSED) return resolve();
                ws.once('close', () => resolve());
                ws.close(1000);
              }),
          ),
        );
        sockets.clear();
        // The next sockets reuse these indices: nothing of these may count for them.
        reset();
        sample = null;
        return null;
    }
  };

  process.on('message', (message: { id: number; command: Command }) => {
    handle(message.command).then(
      (result) => process.send!({ id: message.id, result }),
      (err: Error) => process.send!({ id: message.id, error: err.stack ?? String(err) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

/** The parent's handle on one socket-client process. */
export class LiveSockets {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly worker: ChildProcess) {
    worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
    });
    worker.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`socket client exited (${code})`));
      this.pending.clear();
    });
  }

  static start(): LiveSockets {
    return new LiveSockets(fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' }));
  }

  private send<T>(command: Command): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.worker.send({ id, command });
    });
  }

  /** Opens the sockets (indices first, first + 1, …); graphql-ws ones have sent their subscribe when this resolves. */
  open(url: string, first: number, specs: SocketSpec[]): Promise<void> {
    return this.send({ op: 'open', url, first, specs });
  }

  /** Forgets what arrived so far. */
  reset(): Promise<void> {
    return this.send({ op: 'reset' });
  }

  /** Resolves with null once each socket has received its count of messages since the reset, or with what is missing after timeoutMs. */
  wait(expected: [socket: number, count: number][], timeoutMs: number): Promise<string | null> {
    return this.send({ op: 'wait', expected, timeoutMs });
  }

  collect(): Promise<Receipts> {
    return this.send({ op: 'collect' });
  }

  close(): Promise<void> {
    return this.send({ op: 'close' });
  }

  stop(): void {
    this.worker.disconnect();
  }
}

if (require.main === module) child();
