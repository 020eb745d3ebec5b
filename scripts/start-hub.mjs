#!/usr/bin/env node
// `npm start`: the whole hub on one machine with the embedded SQLite database under ./data —
// the api (which also serves the built web UI) and one sync engine that talks to it with the
// Sync Service key. The key is generated on first start and kept in ./data (mode 600).
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

const children = [];
let stopping = false;

function run(name, script, env) {
  // Production mode unless told otherwise: graphql-js skips its development-time checks on every field.
  const child = spawn(process.execPath, [path.join(root, script)], { env: { NODE_ENV: 'production', ...process.env, ...env }, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} stopped (${signal ?? `exit ${code}`}); stopping the hub`);
    stop(code || 1);
  });
  return child;
}

function stop(exitCode = 0) {
  stopping = true;
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  if (alive.length === 0) process.exit(exitCode);
  let left = alive.length;
  for (const child of alive) {
    child.once('exit', () => (--left === 0 ? process.exit(exitCode) : undefined));
    child.kill('SIGTERM');
  }
}

process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

run('api', 'api/dist/main.js', { DATA_DIR: dataDir, PORT: port, SYNC_SERVICE_API_KEY: syncKey });

// The engine starts once the api answers, so its first log line is not a connection error.
const readyz = `http://127.0.0.1:${port}/readyz`;
for (let attempt = 0; !stopping; attempt++) {
  try {
    if ((await fetch(readyz)).ok) break;
  } catch {
    // not listening yet
  }
  if (attempt > 600) {
    console.error(`api did not become ready at ${readyz}`);
    stop(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
if (!stopping) {
  run('sync-engine', 'sync-engine/dist/main.js', { HUB_API_URL: `http://127.0.0.1:${port}/graphql`, HUB_API_KEY: syncKey });
  console.log(`CRM activity hub: http://localhost:${port}/ (GraphQL at /graphql). Ctrl-C stops it.`);
}
