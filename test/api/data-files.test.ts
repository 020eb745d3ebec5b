import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadApiConfig } from '../../api/src/config';
import { startApi, type RunningApi } from '../../api/src/main';
import { createLogger } from '../../api/src/platform/logger';

// The embedded default as `npm start` runs it: the SQLite file holds bodies and attachments in clear,
// so the data directory and every file in it are the service user's alone, and the api is not on
// the network unless HOST says so.

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
const octal = (mode: number) => mode.toString(8);

let api: RunningApi | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

async function start(dir: string, env: Record<string, string> = {}): Promise<RunningApi> {
  // No HOST: the default is what is under test.
  const config = loadApiConfig({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'silent', SEED_DEMO: 'false', ADMIN_EMAIL: 'admin@files.example', ...env });
  api = await startApi(config, createLogger('silent'));
  // A write, so SQLite has its -wal and -shm files.
  const { dataSource } = api.database;
  await dataSource.query('CREATE TABLE IF NOT EXISTS mode_probe (id integer)');
  await dataSource.query('INSERT INTO mode_probe VALUES (1)');
  return api;
}

function expectPrivate(dir: string) {
  expect(octal(modeOf(dir)), dir).toBe('700');
  const files = fs.readdirSync(dir);
  expect(files).toEqual(expect.arrayContaining(['hub.sqlite', 'hub.sqlite-wal', 'hub.sqlite-shm', 'mail-credential.key']));
  for (const file of files) expect(octal(modeOf(path.join(dir, file))), file).toBe('600');
}

describe('data files', () => {
  it('are created for the service user only, even under a permissive umask', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-hub-modes-'));
    dataDir = parent;
    const dir = path.join(parent, 'data');
    const umask = process.umask(0o000);
    try {
      await start(dir);
    } finally {
      process.umask(umask);
    }
    expectPrivate(dir);
  });

  it('left readable by an older version are made private at start', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-hub-modes-'));
    const umask = process.umask(0o022);
    try {
      await start(dataDir);
      await api!.close();
      api = undefined;
      // What the old code left behind: a world-readable directory, database and key.
      fs.chmodSync(dataDir, 0o755);
      for (const file of fs.readdirSync(dataDir)) fs.chmodSync(path.join(dataDir, file), 0o644);
      fs.writeFileSync(path.join(dataDir, 'hub.sqlite-shm'), '');
      fs.chmodSync(path.join(dataDir, 'hub.sqlite-shm'), 0o666);
      await start(dataDir);
    } finally {
      process.umask(umask);
    }
    expectPrivate(dataDir);
  });
});

describe('listening address', () => {
  it('is loopback unless HOST says otherwise', async () => {
    expect(loadApiConfig({}).host).toBe('127.0.0.1');
    expect(loadApiConfig({ HOST: '' }).host).toBe('127.0.0.1');
    expect(loadApiConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-hub-modes-'));
    const running = await start(dataDir);
    expect(running.server.httpServer.address()).toMatchObject({ address: '127.0.0.1' });
  });
});
