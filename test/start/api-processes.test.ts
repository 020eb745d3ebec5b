import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS_REUSE_MS } from '../../api/src/mail/email-settings.service';
import { liveClient, type LiveClient } from '../support/live-client';

// The built api with API_PROCESSES=2 on the embedded SQLite database, as `npm start` runs it on a
// two-core machine: two processes share the port, and the periodic read of the event log is set to
// ten minutes, so an event that arrives promptly on one process was woken by the other over the
// launcher's IPC relay (api/src/live/cluster-bus.ts).

const ROOT = path.resolve(__dirname, '..', '..');
const PASSWORD = 'api-processes-test-password';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** One POST on a connection of its own: the primary hands each new connection to the next process in turn. */
function postOnNewConnection(port: number, body: unknown, token?: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'close', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const data = (answer: any) => {
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
};

describe('API_PROCESSES=2: two api processes on one port and one SQLite database', () => {
  let api: ChildProcess;
  let port: number;
  const lines: Record<string, any>[] = [];
  const clients: LiveClient[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-processes-'));
  const listening = () => lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('api listening'));

  beforeAll(async () => {
    port = await freePort();
    api = spawn(process.execPath, [path.join(ROOT, 'api', 'dist', 'main.js')], {
      env: { ...process.env, NODE_ENV: 'production', API_PROCESSES: '2', DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', LIVE_POLL_MS: '600000', DEMO_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffer = '';
    api.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          lines.push(JSON.parse(text));
        } catch {
          lines.push({ msg: text });
        }
      }
    });
    const deadline = Date.now() + 90_000;
    // Each process logs its own line once it listens, the launcher its own once both do.
    while (!lines.some((l) => l.msg === '2 api processes share the port') || listening().length < 2) {
      if (api.exitCode !== null) throw new Error(`the api exited (${api.exitCode})`);
      if (Date.now() > deadline) throw new Error('the api processes did not start in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    if (api.exitCode === null) {
      const exited = new Promise((resolve) => api.once('exit', resolve));
      api.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs two processes that migrated and seeded once, and says its bus is the launcher relay', async () => {
    const pids = new Set(listening().map((l) => l.pid));
    expect(pids.size).toBe(2);
    expect(pids.has(api.pid)).toBe(false);
    expect(lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('organization created'))).toHaveLength(1);
    const readyz = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { status: string; realtime: { bus: string; ready: boolean } };
    expect(readyz).toMatchObject({ status: 'ready', database: 'sqlite', realtime: { bus: 'cluster', ready: true } });
  });

  it('writes made through either process reach a subscriber at once, in order', async () => {
    const login = async () =>
      data(await postOnNewConnection(port, { query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: 'sam.sales@demo.crm.test', p: PASSWORD } })).login.token as string;
    const token = await login();
    const contact = data(await postOnNewConnection(port, { query: '{ contacts(first: 1) { edges { node { id } } } }' }, token)).contacts.edges[0].node.id as string;
    const cursor = data(await postOnNewConnection(port, { query: '{ liveCursor }' }, token)).liveCursor as string;
    const client = liveClient(`http://127.0.0.1:${port}`, token);
    clients.push(client);
    const sub = client.subscribe(`subscription($id: ID!, $after: String) { activityChanged(recordId: $id, after: $after) { change activityId } }`, { id: contact, after: cursor });
    const createTask = async (subject: string) => {
      const input = { subject, regardingId: contact };
      return data(await postOnNewConnection(port, { query: 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', variables: { input } }, token)).createTask.id as string;
    };
    // The first event proves the subscription runs (until then it may still be replaying the log from its cursor).
    const created = [await createTask('before')];
    await sub.waitFor(1, 10_000);
    // Four writes, each on a connection of its own: the primary deals them out to both processes in turn.
    for (let i = 0; i < 4; i++) created.push(await createTask(`across processes ${i}`));
    const events = await sub.waitFor(5, 10_000);
    expect(events.map((e) => e.data.activityChanged.activityId)).toEqual(created);
  });

  it('a change of the email settings made through one process applies at once in the other (both kept a copy)', async () => {
    const token = data(
      await postOnNewConnection(port, { query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: 'admin@demo.crm.test', p: PASSWORD } }),
    ).login.token as string;
    // PUT /blobs reads the attachment limit from the settings' shared copy; each upload on a connection of its own.
    const upload = (bytes: number) =>
      fetch(`http://127.0.0.1:${port}/blobs`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, connection: 'close' }, body: Buffer.alloc(bytes, 7) }).then((r) => r.status);
    for (let i = 0; i < 4; i++) expect(await upload(2048)).toBe(201);
    const setLimit = (kb: number) =>
      postOnNewConnection(port, { query: 'mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { maxAttachmentKb } }', variables: { input: { maxAttachmentKb: kb } } }, token);
    expect(data(await setLimit(1)).updateEmailSettings.maxAttachmentKb).toBe(1);
    // Well within the copy's 5 s reuse: only the bus message can have dropped the other process's copy.
    const started = Date.now();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await upload(2048));
    expect(statuses).toEqual([413, 413, 413, 413]);
    expect(Date.now() - started).toBeLessThan(SETTINGS_REUSE_MS);
    data(await setLimit(5120));
  });

  it('stops every process on SIGTERM', async () => {
    const pids = listening().map((l) => l.pid as number);
    const exited = new Promise<number | null>((resolve) => api.once('exit', resolve));
    api.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
