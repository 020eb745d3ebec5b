import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { createMysqlDatabase, dropMysqlDatabase } from '../../api/src/db/mysql-admin';
import { MARIADB_SERVER_URL } from '../support/hub';
import { gmailMessage, TRACK_EMAILS } from '../support/mail-fixtures';

const MAIN = path.resolve(__dirname, '..', '..', 'api', 'dist', 'main.js');

interface ApiProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Resolves when the api logs `msg`. */
  logged(msg: string): Promise<void>;
}

/** The built api as its own process (npm test builds it first), so the test can kill it outright. */
async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, [MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const waiters: { msg: string; resolve: () => void }[] = [];
  let onListening: (url: string) => void;
  const listening = new Promise<string>((resolve) => (onListening = resolve));
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    let entry: { msg?: string; port?: number };
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if (entry.msg?.startsWith('api listening') && entry.port) onListening(`http://127.0.0.1:${entry.port}`);
    for (const w of waiters.filter((w) => w.msg === entry.msg)) w.resolve();
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`api exited with ${code}`))));
  const url = await Promise.race([listening, exited]);
  return { child, url, logged: (msg) => new Promise((resolve) => waiters.push({ msg, resolve })) };
}

// The promise: a crash in the middle of a batch loses nothing and doubles nothing.
describe('an api killed in the middle of a trackEmails batch (MariaDB)', () => {
  const name = `crm_crash_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-crash-'));
  const key = `crm_key_${randomBytes(32).toString('base64url')}`;
  const env = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `${MARIADB_SERVER_URL}/${name}`, DATA_DIR: dataDir, LOG_LEVEL: 'debug', SYNC_SERVICE_API_KEY: key };
  let api: ApiProcess | undefined;
  afterAll(async () => {
    api?.child.kill('SIGKILL');
    await dropMysqlDatabase(MARIADB_SERVER_URL, name);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const gql = async (url: string, query: string, variables: object) => {
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as { data?: any; errors?: unknown[] };
  };

  it('commits all of the batch or none of it, and the re-delivered batch tracks each message once', async () => {
    await createMysqlDatabase(MARIADB_SERVER_URL, name);
    api = await startApiProcess(env);
    const mailboxes = (await gql(api.url, '{ mailboxes { id address } }', {})).data.mailboxes as { id: string; address: string }[];
    const mailboxId = mailboxes.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    await gql(api.url, 'mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: ALL }) { id } }', { id: mailboxId });
    const items = Array.from({ length: 100 }, (_, i) => ({
      ...gmailMessage({ from: { address: `customer${i}@crash.example` }, to: [{ address: 'sam.sales@demo.crm.test' }], subject: `Crash ${i}` }),
      textBody: `Message ${i} `.repeat(20_000),
    }));
    const input = { items, cursor: 'uid=100' };

    const started = api.logged('trackEmails batch started');
    const request = gql(api.url, TRACK_EMAILS, { mailboxId, input }).catch((err: Error) => err);
    await started;
    api.child.kill('SIGKILL');
    expect(await request).toBeInstanceOf(Error);

    const db = await mysql.createConnection(`${MARIADB_SERVER_URL}/${name}`);
    try {
      const ids = items.map((m) => m.messageId!.slice(1, -1));
      const stored = async () => Number(((await db.query(`SELECT COUNT(*) AS n FROM email_message WHERE messageId IN (${ids.map(() => '?').join(',')})`, ids)) as any)[0][0].n);
      const cursor = async () => ((await db.query('SELECT syncCursor FROM mailbox WHERE address = ?', ['sam.sales@demo.crm.test'])) as any)[0][0].syncCursor;
      // Atomic: either the whole batch and its cursor, or nothing.
      const before = await stored();
      expect([0, 100]).toContain(before);
      expect(await cursor()).toBe(before === 100 ? 'uid=100' : null);

      // The engine re-delivers the batch to a restarted api.
      api = await startApiProcess(env);
      const replay = (await gql(api.url, TRACK_EMAILS, { mailboxId, input })).data.trackEmails;
      expect(new Set(replay.items.map((i: { outcome: string }) => i.outcome))).toEqual(new Set([before === 100 ? 'DUPLICATE' : 'TRACKED']));
      expect(await stored()).toBe(100);
      expect(await cursor()).toBe('uid=100');
      const activities = Number(((await db.query("SELECT COUNT(*) AS n FROM activity WHERE subject LIKE 'Crash %'")) as any)[0][0].n);
      expect(activities).toBe(100);
    } finally {
      await db.end();
    }
  }, 120_000);
});
