// The PostGraphile peer (bench/peer/peer.mjs) as a child process: its own server, its own process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export const PEER_DIR = path.resolve(__dirname, '..', '..', 'peer');

export interface Peer {
  readonly url: string;
  readonly recordId: string;
  readonly rows: number;
  readonly hotRows: number;
  /** Whether this start (re)built the PostgreSQL dataset. */
  readonly loadedNow: boolean;
  readonly versions: { postgraphile: string; postgres: string };
}

export interface PeerHandle {
  readonly ready: Promise<Peer>;
  /** The PostGraphile server's process. */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts the peer; it builds its dataset first when needed, so `ready` may take a minute or two. */
export function startPeer(options: { rebuild: boolean }): PeerHandle {
  if (!fs.existsSync(path.join(PEER_DIR, 'node_modules', 'postgraphile'))) {
    throw new Error(`PostGraphile is not installed in ${PEER_DIR}: run \`npm ci --prefix bench/peer\` (npm run bench does it for you)`);
  }
  const child: ChildProcess = spawn(process.execPath, [path.join(PEER_DIR, 'peer.mjs'), ...(options.rebuild ? ['--rebuild'] : [])], {
    env: { ...process.env, NODE_ENV: 'production', GRAPHILE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const version = JSON.parse(fs.readFileSync(path.join(PEER_DIR, 'node_modules', 'postgraphile', 'package.json'), 'utf8')).version as string;
  const ready = new Promise<Peer>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        const message = JSON.parse(line);
        resolve({ ...message, versions: { postgraphile: version, postgres: String(message.postgres) } });
      } catch {
        reject(new Error(`unexpected output from the peer: ${line}\n${stderr}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`the PostGraphile peer exited (${code}) before it served:\n${stderr}`)));
  });
  ready.catch(() => {});
  return {
    ready,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
