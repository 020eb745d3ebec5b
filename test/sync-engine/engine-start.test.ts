import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub } from '../support/hub.js';

// End to end: the built engine, as a child process, against the real api started by the harness.
const root = resolve(__dirname, '../..');
const engineMain = resolve(root, 'sync-engine/dist/main.js');

type Hub = Awaited<ReturnType<typeof startHub>>;
type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A running engine: its parsed stdout lines as they arrive, and its exit code. */
class EngineProcess {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private listeners: (() => void)[] = [];
  private hasExited = false;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [engineMain], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // 'close', not 'exit': it comes after stdout is drained, so no line is read after it.
    this.exited = once(this.child, 'close').then(([code]) => {
      this.hasExited = true;
      this.notify();
      return code as number | null;
    });
    createInterface({ input: this.child.stdout! }).on('line', (text) => {
      this.lines.push(JSON.parse(text) as LogLine); // a non-JSON line fails the test: logs must be JSON
      this.notify();
    });
  }

  /** Resolves with the first line matching `test`; rejects if the process ends without one. */
  waitForLine(test: (line: LogLine) => boolean): Promise<LogLine> {
    return new Promise((resolvePromise, reject) => {
      const check = (): void => {
        const line = this.lines.find(test);
        if (line) return resolvePromise(line);
        if (this.hasExited) return reject(new Error(`engine exited without the expected line; it logged:\n${this.dump()}`));
        this.listeners.push(check);
      };
      check();
    });
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  dump(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n');
  }

  private notify(): void {
    const waiting = this.listeners;
    this.listeners = [];
    for (const listener of waiting) listener();
  }
}

let hub: Hub;
let engine: EngineProcess | undefined;

beforeAll(async () => {
  // Build first so the test runs the engine as shipped (dist), from the current source.
  const tsc = createRequire(__filename).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'sync-engine/tsconfig.build.json'], { cwd: root });
  hub = await startHub({ dialect: 'sqlite' });
});

afterEach(async () => {
  if (engine) {
    engine.signal('SIGKILL'); // no-op when it already exited; never leave a child behind a failed test
    await engine.exited;
  }
  engine = undefined;
});

afterAll(async () => {
  await hub?.close();
});

describe('sync engine start-up against the api', () => {
  it('verifies its key as the Sync Service user, then stops with exit code 0 on SIGTERM', async () => {
    engine = new EngineProcess({ HUB_API_URL: hub.graphqlUrl, HUB_API_KEY: hub.syncServiceKey });
    const started = await engine.waitForLine((line) => line.msg === 'engine started');
    expect(started.viewer).toMatchObject({ fullName: expect.stringMatching(/sync service/i), id: expect.any(String) });

    engine.signal('SIGTERM');
    expect(await engine.exited, engine.dump()).toBe(0);
    expect(engine.lines.at(-1)?.msg).toBe('engine stopped');
  });

  it('exits non-zero with an AUTH_FAILED line when the key is wrong', async () => {
    engine = new EngineProcess({ HUB_API_URL: hub.graphqlUrl, HUB_API_KEY: `${hub.syncServiceKey}-wrong` });
    const exitCode = await engine.exited;
    expect(exitCode, engine.dump()).not.toBe(0);
    expect(engine.lines).toContainEqual(expect.objectContaining({ level: 60, code: 'AUTH_FAILED' }));
    expect(engine.lines.some((line) => line.msg === 'engine started')).toBe(false);
  });
});
