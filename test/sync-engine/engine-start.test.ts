import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EngineProcess } from '../support/engine-process.js';
import { startHub } from '../support/hub.js';

// End to end: the built engine, as a child process, against the real api started by the harness.
const root = resolve(__dirname, '../..');

type Hub = Awaited<ReturnType<typeof startHub>>;
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
