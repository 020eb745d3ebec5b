#!/usr/bin/env node
// `npm start`: the whole hub on one machine with the embedded SQLite database under ./data —
// the api (which also serves the built web UI; one process per core unless API_PROCESSES says otherwise) and one sync engine that talks to it with the
// Sync Service key. The key is generated on first start and kept in ./data (mode 600).
//
// The launcher supervises both: a child that dies is started again after a back-off (1 s, doubling
// to 60 s; back to 1 s once it has run for a minute), and stopping (Ctrl-C, SIGTERM) stops the
// engine first, so it can hand its mailboxes back to the api, then the api.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(root, 'data'));
const port = process.env.PORT ?? '4000';
// Bodies, attachments and keys live here: this user only (700 and 600), also for files an older version left readable.
fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
fs.chmodSync(dataDir, 0o700);

const keyFile = path.join(dataDir, 'sync-service.key');
if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, `crm_key_${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
fs.chmodSync(keyFile, 0o600);
const syncKey = fs.readFileSync(keyFile, 'utf8').trim();

const FIRST_RESTART_MS = 1000;
const MAX_RESTART_MS = 60_000;
/** A child that ran this long before dying starts again after the first delay, not the last one. */
const STABLE_AFTER_MS = 60_000;
/** How long a child may take to stop on SIGTERM (the engine finishes the batch in hand) before it is killed. */
const STOP_TIMEOUT_MS = 120_000;
/** api/src/main.ts exits with 2 when its configuration is invalid: starting it again cannot help. */
const CONFIG_INVALID_EXIT = 2;

/** One JSON line, as pino writes them (the api's and the engine's logs), so the output stays one stream of JSON. */
function log(level, msg, fields = {}) {
  const line = JSON.stringify({ level: { info: 30, warn: 40, error: 50 }[level], time: Date.now(), pid: process.pid, name: 'launcher', ...fields, msg });
  process.stdout.write(`${line}\n`);
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A supervised process: started again after a back-off when it dies, until the hub stops. */
class Child {
  constructor(name, script, env) {
    Object.assign(this, { name, script, env, process: null, startedAt: 0, restartDelay: FIRST_RESTART_MS, restarts: 0, timer: null });
  }

  start() {
    this.timer = null;
    // Production mode unless told otherwise: graphql-js skips its development-time checks on every field.
    // Detached, in a process group of its own: Ctrl-C in a terminal signals the launcher's group only,
    // so the launcher alone decides the order things stop in.
    const child = spawn(process.execPath, [path.join(root, this.script)], {
      env: { NODE_ENV: 'production', ...process.env, ...this.env },
      stdio: 'inherit',
      detached: true,
    });
    this.process = child;
    this.startedAt = Date.now();
    log('info', `${this.name} started`, { child: this.name, childPid: child.pid, restarts: this.restarts });
    child.on('exit', (code, signal) => this.exited(child, code, signal));
  }

  get alive() {
    return this.process !== null && this.process.exitCode === null && this.process.signalCode === null;
  }

  exited(child, code, signal) {
    if (child !== this.process || stopping) return;
    const how = signal ?? `exit ${code}`;
    if (code === CONFIG_INVALID_EXIT) {
      log('error', `${this.name} stopped (${how}): its configuration is invalid; stopping the hub`, { child: this.name, code, signal });
      stop(1);
      return;
    }
    if (Date.now() - this.startedAt >= STABLE_AFTER_MS) this.restartDelay = FIRST_RESTART_MS;
    const delayMs = this.restartDelay;
    this.restartDelay = Math.min(this.restartDelay * 2, MAX_RESTART_MS);
    this.restarts++;
    log('warn', `${this.name} stopped (${how}); restarting it in ${delayMs / 1000} s`, { child: this.name, code, signal, restartInMs: delayMs, restarts: this.restarts });
    this.timer = setTimeout(() => this.start(), delayMs);
  }

  /** SIGTERM, then SIGKILL if it has not exited in time; resolves once it has exited. */
  async stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.alive) return;
    const child = this.process;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timeout = setTimeout(() => {
      log('warn', `${this.name} did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it`, { child: this.name });
      child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timeout);
    log('info', `${this.name} stopped`, { child: this.name, code: child.exitCode, signal: child.signalCode });
  }

  kill() {
    if (this.timer) clearTimeout(this.timer);
    if (this.alive) this.process.kill('SIGKILL');
  }
}

// Every core: API_PROCESSES api processes share the port (api/src/api-processes.ts); `auto` is one per core.
const apiProcesses = process.env.API_PROCESSES ?? 'auto';
const api = new Child('api', 'api/dist/main.js', { DATA_DIR: dataDir, PORT: port, SYNC_SERVICE_API_KEY: syncKey, API_PROCESSES: apiProcesses });
const engine = new Child('sync-engine', 'sync-engine/dist/main.js', { HUB_API_URL: `http://127.0.0.1:${port}/graphql`, HUB_API_KEY: syncKey });
let stopping = false;

/** The engine first (it hands its mailboxes back through the api), then the api. */
async function stop(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  log('info', 'stopping the hub: the sync engine first, then the api');
  await engine.stop();
  await api.stop();
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (!stopping) {
      stop(0);
      return;
    }
    // Asked again while stopping: do not wait any longer.
    log('warn', `${signal} again while stopping: killing the api and the sync engine`);
    engine.kill();
    api.kill();
    process.exit(130);
  });
}
// Children in their own process groups outlive the launcher unless it takes them along.
process.on('exit', () => {
  engine.kill();
  api.kill();
});

api.start();

// The engine starts once the api answers, so its first log line is not a connection error.
const readyz = `http://127.0.0.1:${port}/readyz`;
while (!stopping) {
  try {
    if ((await fetch(readyz)).ok) break;
  } catch {
    // not listening yet (or the api is being restarted: it says why in the log)
  }
  await wait(100);
}
if (!stopping) {
  engine.start();
  log('info', `CRM activity hub: http://localhost:${port}/ (GraphQL at /graphql). Ctrl-C stops it.`, { url: `http://localhost:${port}/` });
}
