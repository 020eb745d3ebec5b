// The HTTP load generator, run as a child process (bench/run.ts forks it) so that the client does
// not share an event loop with the server it measures: our api and PostGraphile are measured by the
// same client, each server in its own process.
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';

export type LoadJob =
  | { kind: 'sequential'; url: string; headers: Record<string, string>; body: string; warmup: number; n: number }
  | { kind: 'concurrent'; url: string; headers: Record<string, string>; body: string; clients: number; seconds: number }
  /** Each body once, in order, one at a time; the answers come back too. */
  | { kind: 'posts'; url: string; headers: Record<string, string>; bodies: string[] };

export interface LoadResult {
  /** Latency of each measured request (sequential), in ms. */
  readonly samplesMs: number[];
  readonly requests: number;
  readonly errors: number;
  readonly firstError: string | null;
  readonly elapsedMs: number;
  /** For `posts`: every answer's body. */
  readonly answers?: string[];
}

/** One POST; resolves with the status and body. */
function post(agent: http.Agent, url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A GraphQL answer that counts as served: HTTP 200, data, no errors. */
const failure = (r: { status: number; text: string }): string | null =>
  r.status === 200 && r.text.startsWith('{"data"') && !r.text.includes('"errors"') ? null : `HTTP ${r.status}: ${r.text.slice(0, 300)}`;

async function run(job: LoadJob): Promise<LoadResult> {
  const url = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.kind === 'concurrent' ? job.clients : 1 });
  const headers = { 'content-type': 'application/json', ...job.headers };
  let errors = 0;
  let firstError: string | null = null;
  const note = (error: string | null) => {
    if (error === null) return;
    errors++;
    firstError ??= error;
  };
  try {
    if (job.kind === 'posts') {
      const samplesMs: number[] = [];
      const answers: string[] = [];
      const started = performance.now();
      for (const body of job.bodies) {
        const t0 = performance.now();
        const response = await post(agent, url, headers, body);
        samplesMs.push(performance.now() - t0);
        answers.push(response.text);
        note(failure(response));
      }
      return { samplesMs, requests: job.bodies.length, errors, firstError, elapsedMs: performance.now() - started, answers };
    }
    if (job.kind === 'sequential') {
      for (let i = 0; i < job.warmup; i++) note(failure(await post(agent, url, headers, job.body)));
      const samplesMs: number[] = [];
      const started = performance.now();
      for (let i = 0; i < job.n; i++) {
        const t0 = performance.now();
        const response = await post(agent, url, headers, job.body);
        samplesMs.push(performance.now() - t0);
        note(failure(response));
      }
      return { samplesMs, requests: job.n, errors, firstError, elapsedMs: performance.now() - started };
    }
    const started = performance.now();
    const until = started + job.seconds * 1000;
    let requests = 0;
    const samplesMs: number[] = [];
    await Promise.all(
      Array.from({ length: job.clients }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          const response = await post(agent, url, headers, job.body);
          samplesMs.push(performance.now() - t0);
          requests++;
          note(failure(response));
        }
      }),
    );
    return { samplesMs, requests, errors, firstError, elapsedMs: performance.now() - started };
  } finally {
    agent.destroy();
  }
}

/** The parent's handle on the load generator process. */
export class LoadClient {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: { id: number; result?: LoadResult; error?: string }) => {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result!);
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load client exited (${code})`));
      this.pending.clear();
    });
  }

  static start(): LoadClient {
    return new LoadClient(fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' }));
  }

  /** The load generator's process. */
  get pid(): number {
    return this.child.pid!;
  }

  run(job: LoadJob): Promise<LoadResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, job });
    });
  }

  close(): void {
    this.child.disconnect();
  }
}

if (require.main === module) {
  process.on('message', (message: { id: number; job: LoadJob }) => {
    run(message.job).then(
      (result) => process.send!({ id: message.id, result }),
      (err: Error) => process.send!({ id: message.id, error: err.stack ?? String(err) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
