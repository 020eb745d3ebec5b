// The api as shipped (api/dist/main.js) in a process of its own, as PostGraphile runs, with API_PROCESSES
// processes sharing its port: for comparing one process with the peer's one, and seeing what a second core adds.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../test/support/dovecot';
import { MARIADB_SERVER_URL } from './bench-api';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const API_MAIN = path.join(ROOT, 'api', 'dist', 'main.js');

export interface ApiProcesses {
  readonly graphqlUrl: string;
  /** The process started (with API_PROCESSES=1, the one that serves). */
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts `count` api processes on an existing, migrated and seeded database; resolves once every one listens. */
export async function startApiProcesses(database: string, count: number, main = API_MAIN, nodeFlags = process.env.BENCH_API_NODE_FLAGS ?? ''): Promise<ApiProcesses> {
  if (!fs.existsSync(main)) throw new Error(`${path.relative(ROOT, main)} is not built: npm run build -w api`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-processes-'));
  const port = await freePort();
  // BENCH_PROFILE_DIR: a V8 CPU profile of each api process (named by pid), written when it stops.
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  // BENCH_API_NODE_FLAGS: Node flags for the api processes, for comparing settings (e.g. `--max-semi-space-size=64`).
  const flags = nodeFlags.split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, ...profile, main], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      API_PROCESSES: String(count),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `${MARIADB_SERVER_URL}/${database}`,
      DATA_DIR: dataDir,
      WEB_DIST_DIR: path.join(dataDir, 'no-web'),
      LOG_LEVEL: 'info',
      // As the in-process api: all load clients sign in as one user.
      MAX_CONCURRENT_PER_CALLER: '64',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  let listening = 0;
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      if (buffer.slice(0, newline).includes('"api listening on')) listening++;
      buffer = buffer.slice(newline + 1);
    }
  });
  const exited = once(child, 'exit');
  const deadline = Date.now() + 120_000;
  while (listening < count) {
    if (child.exitCode !== null) throw new Error(`the api exited (${child.exitCode}) before it listened:\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${listening} of ${count} api processes listened within 2 minutes:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
