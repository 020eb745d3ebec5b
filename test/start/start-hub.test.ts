import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Collects the JSON log lines of a process and lets a test wait for one. */
function watchLines(child: ChildProcess) {
  const lines: Record<string, any>[] = [];
  const waiters: { match: (l: Record<string, any>) => boolean; resolve: (l: Record<string, any>) => void }[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let line: Record<string, any>;
      try {
        line = JSON.parse(text);
      } catch {
        line = { msg: text };
      }
      lines.push(line);
      for (const w of [...waiters]) if (w.match(line)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(line);
    }
  });
  return {
    next: (match: (l: Record<string, any>) => boolean) =>
      new Promise<Record<string, any>>((resolve) => {
        const seen = lines.find(match);
        if (seen) resolve(seen);
        else waiters.push({ match, resolve });
      }),
  };
}

// What README's first command ends in (`npm start` runs the build, then this launcher).
describe('scripts/start-hub.mjs: the whole hub on the embedded database', () => {
  let hub: ChildProcess;
  let port: number;
  let logs: ReturnType<typeof watchLines>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-start-'));

  beforeAll(async () => {
    port = await freePort();
    hub = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start-hub.mjs')], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', POLL_INTERVAL_MS: '60000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    logs = watchLines(hub);
  });
  afterAll(() => {
    if (hub.exitCode === null) hub.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the admin login once, serves the UI and GraphQL, starts the sync engine, and stops on SIGTERM', async () => {
    const created = await logs.next((l) => typeof l.msg === 'string' && l.msg.startsWith('organization created'));
    expect(created.email).toBe('admin@demo.crm.test');
    expect(fs.existsSync(path.join(dataDir, 'hub.sqlite'))).toBe(true);
    expect(fs.statSync(path.join(dataDir, 'sync-service.key')).mode & 0o077).toBe(0);

    const engine = await logs.next((l) => l.msg === 'engine started');
    expect(JSON.stringify(engine)).toContain('Sync Service');

    const login = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { login(email: "admin@demo.crm.test", password: "${created.password}") { user { fullName } } }` }),
    });
    expect((await login.json()).data.login.user.fullName).toBe('Ada Admin');

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(await page.text()).toMatch(/<div id="app">|<script type="module"/);

    const exited = new Promise<number | null>((resolve) => hub.once('exit', (code) => resolve(code)));
    hub.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
