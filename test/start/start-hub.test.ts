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
    lines,
    next: (match: (l: Record<string, any>) => boolean) =>
      new Promise<Record<string, any>>((resolve) => {
        const seen = lines.find(match);
        if (seen) resolve(seen);
        else waiters.push({ match, resolve });
      }),
  };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// What README's first command ends in (`npm start` runs the build, then this launcher).
describe('scripts/start-hub.mjs: the whole hub on the embedded database', () => {
  let hub: ChildProcess;
  let port: number;
  let logs: ReturnType<typeof watchLines>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-start-'));
  /** Every child the launcher started (they run in process groups of their own). */
  const childPids = () => logs.lines.filter((l) => l.name === 'launcher' && typeof l.childPid === 'number').map((l) => l.childPid as number);
  const launcherLine = (msg: string) => (l: Record<string, any>) => l.name === 'launcher' && l.msg === msg;
  const ready = async () => {
    // The restarted api opens its port once its database is ready; /readyz answering is that event.
    for (;;) {
      const answer = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
      if (answer?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    port = await freePort();
    // In a process group of its own, so the test can signal the group as a terminal's Ctrl-C does.
    hub = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start-hub.mjs')], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', POLL_INTERVAL_MS: '60000' },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    logs = watchLines(hub);
  });
  afterAll(() => {
    for (const pid of [hub.pid!, ...childPids()]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the admin login once, serves the UI and GraphQL, and starts the sync engine', async () => {
    const created = await logs.next((l) => typeof l.msg === 'string' && l.msg.startsWith('organization created'));
    expect(created.email).toBe('admin@demo.crm.test');
    expect(fs.existsSync(path.join(dataDir, 'hub.sqlite'))).toBe(true);
    expect(fs.statSync(path.join(dataDir, 'sync-service.key')).mode & 0o077).toBe(0);

    const engine = await logs.next((l) => l.msg === 'engine started');
    expect(JSON.stringify(engine)).toContain('Sync Service');

    const login = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { login(email: "admin@demo.crm.test", password: "${created.initialPassword}") { user { fullName } } }` }),
    });
    expect((await login.json()).data.login.user.fullName).toBe('Ada Admin');

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(await page.text()).toMatch(/<div id="app">|<script type="module"/);
  });

  it('restarts an api killed with SIGKILL after a back-off, says so in its log, and the hub answers again', async () => {
    const first = await logs.next(launcherLine('api started'));
    expect(first).toMatchObject({ child: 'api', restarts: 0, level: 30 });
    process.kill(first.childPid, 'SIGKILL');

    const died = await logs.next((l) => l.name === 'launcher' && l.child === 'api' && l.signal === 'SIGKILL');
    expect(died).toMatchObject({ level: 40, restartInMs: 1000, restarts: 1, msg: 'api stopped (SIGKILL); restarting it in 1 s' });
    const again = await logs.next((l) => l.name === 'launcher' && l.msg === 'api started' && l.restarts === 1);
    expect(again.childPid).not.toBe(first.childPid);
    expect(alive(hub.pid!)).toBe(true);
    // Up once every process of the new api listens (API_PROCESSES=auto: its supervisor says so once all have
    // started; one core: the api itself). /readyz alone could be answered over a kept-alive connection by a process
    // of the killed api that has not exited yet, and the next test would stop an api still starting.
    const restartedAt = logs.lines.indexOf(again);
    await logs.next(
      (l) =>
        logs.lines.indexOf(l) > restartedAt &&
        typeof l.msg === 'string' &&
        (/ api processes share the port$/.test(l.msg) || (os.availableParallelism() === 1 && l.msg.startsWith('api listening on'))),
    );
    await ready();
    const answer = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect((await answer.json()).data).toEqual({ __typename: 'Query' });
  });

  it('Ctrl-C (SIGINT to the process group) stops the engine first, which hands its mailboxes back, then the api', async () => {
    const exited = new Promise<number | null>((resolve) => hub.once('exit', (code) => resolve(code)));
    process.kill(-hub.pid!, 'SIGINT');
    expect(await exited).toBe(0);

    const index = (match: (l: Record<string, any>) => boolean) => logs.lines.findIndex(match);
    const handedBack = index((l) => l.msg === 'mailboxes handed back');
    const engineStopped = index(launcherLine('sync-engine stopped'));
    const apiShutdown = index((l) => l.msg === 'shutting down');
    const apiStopped = index(launcherLine('api stopped'));
    expect(handedBack).toBeGreaterThanOrEqual(0);
    expect(handedBack).toBeLessThan(engineStopped);
    expect(engineStopped).toBeLessThan(apiShutdown);
    expect(apiShutdown).toBeLessThan(apiStopped);
    // The engine was asked once, by the launcher's SIGTERM, not by the terminal's SIGINT.
    expect(logs.lines.filter((l) => l.msg === 'shutdown requested').map((l) => l.signal)).toEqual(['SIGTERM']);
    for (const pid of childPids()) expect(alive(pid), `child ${pid}`).toBe(false);
  });
});
