import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

// The built engine (sync-engine/dist/main.js) as a child process, the way it ships.
const root = resolve(__dirname, '../..');
const engineMain = resolve(root, 'sync-engine/dist/main.js');

export type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A running engine: its parsed stdout lines as they arrive, and its exit code. */
export class EngineProcess {
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

  /** Resolves with the first line from index `from` on matching `test`; rejects if the process ends without one. */
  waitForLine(test: (line: LogLine) => boolean, from = 0): Promise<LogLine> {
    return new Promise((resolvePromise, reject) => {
      const check = (): void => {
        const line = this.lines.slice(from).find(test);
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


/** Builds the engine from the current source, so tests run it as shipped (dist). */
export async function buildEngine(): Promise<void> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { createRequire } = await import('node:module');
  const tsc = createRequire(__filename).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'sync-engine/tsconfig.build.json'], { cwd: root });
}
