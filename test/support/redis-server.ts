import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './dovecot';

// A private redis-server per test file on a free loopback port, keeping nothing on disk, so a test may stop and
// restart it (the system Redis on 6379 is shared by everything else on the machine and is never touched).

const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => fs.existsSync(file)) ?? 'redis-server';

export interface RedisServerOptions {
  /** Sets `requirepass`; the url then carries it (redis://:password@…). */
  readonly password?: string;
}

export interface StartedRedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGKILL: an outage, not a clean shutdown); `start()` brings it back on the same port. */
  stop(): Promise<void>;
  /** Starts it again on the same port after `stop()`; resolves once it answers PING. */
  start(): Promise<void>;
  /** stop() then start(): "Redis restarted mid-test" (every connection drops, nothing is kept). */
  restart(): Promise<void>;
  /** What the server printed so far in its current run (for failure messages). */
  log(): string;
}

/** Starts redis-server on a free loopback port and resolves once it answers PING. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<StartedRedisServer> {
  let port = 0;
  let running: RunningRedis | null = null;
  let lastError: unknown = null;
  // A free port can be taken between our probe and the server's bind; start again on a new port then.
  for (let attempt = 0; attempt < 4 && !running; attempt++) {
    port = await freePort();
    running = await launch(port, options).catch((error: unknown) => {
      lastError = error;
      return null;
    });
  }
  if (!running) throw new Error(`redis-server did not start: ${String((lastError as Error)?.message ?? lastError)}`);
  let current: RunningRedis | null = running;
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;

  const stop = async () => {
    const stopping = current;
    current = null;
    if (stopping) await stopping.stop();
  };
  const start = async () => {
    if (current) throw new Error('redis-server is already running');
    current = await launch(port, options);
  };
  return {
    url: `redis://${auth}127.0.0.1:${port}`,
    port,
    stop,
    start,
    async restart() {
      await stop();
      await start();
    },
    log: () => current?.output() ?? '',
  };
}

interface RunningRedis {
  stop(): Promise<void>;
  output(): string;
}

async function launch(port: number, options: RedisServerOptions): Promise<RunningRedis> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
  if (options.password !== undefined) args.push('--requirepass', options.password);
  // Not a process group of its own on purpose: a killed test run takes the server with it.
  const child: ChildProcess = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const gone = new AbortController();
  const exitedEarly = exited.then(([code]) => {
    gone.abort();
    throw new Error(`redis-server exited with ${code}: ${output.trim()}`);
  });
  exitedEarly.catch(() => {}); // settles at stop(), long after the race
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([waitForPong(port, options.password, gone.signal), exitedEarly]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop, output: () => output };
}

/** Polls until the server answers PING (with AUTH first when it has a password). */
async function waitForPong(port: number, password: string | undefined, gone: AbortSignal, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await answersPing(port, password)) return;
    if (gone.aborted) return; // the process died: the caller reports why
    if (Date.now() > deadline) throw new Error(`redis-server on 127.0.0.1:${port} did not answer PING within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function answersPing(port: number, password: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('connect', () => {
      // RESP inline commands; AUTH's reply comes first, then PING's.
      socket.write(password === undefined ? 'PING\r\n' : `AUTH ${JSON.stringify(password)}\r\nPING\r\n`);
    });
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('+PONG\r\n')) done(true);
      else if (text.startsWith('-')) done(false); // still loading, or refused
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}
