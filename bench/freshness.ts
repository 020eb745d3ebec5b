// Freshness with IMAP IDLE: how long after a message lands in the maildir it is queryable in the api,
// next to how long a bare IMAP client IDLE-ing on the same INBOX takes to hear of it (EXISTS). The engine
// runs as shipped (IDLE_SECONDS default) on a mailbox that is already synced; messages are delivered as a
// delivery agent does (tmp/, then rename into new/) at a steady pace.
import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import type { RowDataPacket } from 'mysql2';
import type { StartedDovecot } from '../test/support/dovecot';
import { serverConnection } from './bench-api';
import type { ApiProcess, EngineProcess } from './mail-processes';
import { percentile } from './stats';

export interface FreshnessOptions {
  readonly api: ApiProcess;
  /** An engine started with IDLE on, whose first claim of the mailbox has begun or is due. */
  readonly engine: EngineProcess;
  readonly dovecot: StartedDovecot;
  readonly address: string;
  readonly password: string;
  readonly samples: number;
  readonly intervalMs: number;
  readonly log: (line: string) => void;
}

export interface FreshnessReport {
  readonly samples: number;
  readonly intervalMs: number;
  /** Delivery → the email row committed (polled every 20 ms), ms. */
  readonly engine: { p50: number; p95: number; max: number; missing: number };
  /** Delivery → the bare client's EXISTS, ms. */
  readonly bare: { p50: number; p95: number; max: number; missing: number };
  /** How long the engine's claim took before it was IDLE-ing (ingest of nothing new, then the reconcile), s. */
  readonly readySeconds: number;
}

const POLL_MS = 20;
const SAMPLE_TIMEOUT_MS = 30_000;

export async function runFreshness(options: FreshnessOptions): Promise<FreshnessReport> {
  const { api, engine, dovecot, address, log } = options;
  const db = await serverConnection(api.database);
  const bare = new ImapFlow({ host: '127.0.0.1', port: dovecot.imapPort, secure: false, doSTARTTLS: false, auth: { user: address, pass: options.password }, logger: false, disableAutoIdle: true });
  try {
    // The engine's claim reads what is new, reconciles (the first time in this process), then IDLEs.
    const started = Date.now();
    await engine.waitForLine((line) => line.msg === 'mailbox reconciled', { timeoutMs: 300_000 });
    const readySeconds = (Date.now() - started) / 1000;
    const isTracked = async (ids: readonly string[]): Promise<Set<string>> => {
      if (!ids.length) return new Set();
      const [rows] = await db.query<RowDataPacket[]>('SELECT messageIdHash FROM email_message WHERE messageIdHash IN (?)', [ids.map(hashOf)]);
      const found = new Set(rows.map((r) => r.messageIdHash as string));
      return new Set(ids.filter((id) => found.has(hashOf(id))));
    };
    // One delivery first, untimed: it proves the engine is past its reconcile and in IDLE.
    const warm = messageIdOf(-1);
    await dovecot.deliver(address, rawOf(warm, -1, address));
    await waitUntil(async () => (await isTracked([warm])).size === 1, SAMPLE_TIMEOUT_MS, 'the warm-up message');

    await bare.connect();
    // imapflow updates its mailbox object in place: keep the count the client started from.
    const initial = (await bare.mailboxOpen('INBOX')).exists;
    const existsAt: number[] = []; // existsAt[k]: when the bare client heard of the (k+1)-th new message
    bare.on('exists', (event: { count: number }) => {
      const now = performance.now();
      while (existsAt.length < event.count - initial) existsAt.push(now);
    });
    // Ends when the client logs out; had it failed before, its samples show as missing, and the log says why.
    void bare.idle().catch((error: unknown) => log(`freshness: the bare client's IDLE ended: ${String(error)}`));
    await waitUntil(async () => bare.idling, 5000, 'the bare client to IDLE');

    const deliveredAt: number[] = [];
    const trackedAt: (number | undefined)[] = [];
    const ids = Array.from({ length: options.samples }, (_, k) => messageIdOf(k));
    let next = 0;
    log(`freshness: ${options.samples} deliveries, one every ${options.intervalMs} ms`);
    const delivering = (async () => {
      for (let k = 0; k < options.samples; k++) {
        const due = (deliveredAt[0] ?? performance.now()) + k * options.intervalMs;
        if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
        await dovecot.deliver(address, rawOf(ids[k], k, address));
        deliveredAt[k] = performance.now(); // the rename into new/ is the delivery
        next = k + 1;
      }
    })();
    const deadline = () => (deliveredAt.length ? deliveredAt[deliveredAt.length - 1] : performance.now()) + SAMPLE_TIMEOUT_MS;
    const complete = () => trackedAt.filter((t) => t !== undefined).length === options.samples && existsAt.length >= options.samples;
    while (!complete() && performance.now() < deadline()) {
      const waiting = ids.slice(0, next).filter((_, k) => trackedAt[k] === undefined);
      const found = await isTracked(waiting);
      const now = performance.now();
      ids.forEach((id, k) => {
        if (found.has(id)) trackedAt[k] = now;
      });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await delivering;
    const engineMs = deliveredAt.map((t, k) => (trackedAt[k] === undefined ? undefined : trackedAt[k]! - t)).filter((v): v is number => v !== undefined);
    const bareMs = deliveredAt.map((t, k) => (existsAt[k] === undefined ? undefined : existsAt[k] - t)).filter((v): v is number => v !== undefined);
    return { samples: options.samples, intervalMs: options.intervalMs, engine: summary(engineMs, options.samples), bare: summary(bareMs, options.samples), readySeconds };
  } finally {
    await bare.logout().catch(() => bare.close());
    await db.end();
  }
}

function summary(values: number[], expected: number) {
  return { p50: percentile(values, 50), p95: percentile(values, 95), max: values.length ? Math.max(...values) : NaN, missing: expected - values.length };
}

const hashOf = (messageId: string) => createHash('sha256').update(messageId, 'utf8').digest('hex');
const messageIdOf = (k: number) => `freshness-${process.pid}-${Date.now().toString(36)}-${k + 1}@bench.crm.test`;

function rawOf(messageId: string, k: number, to: string): Buffer {
  const lines = [
    'From: "Anna Berg" <anna.berg@partner7.example>',
    `To: <${to}>`,
    `Subject: Freshness sample ${k + 1}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Hello, a quick question about the delivery schedule for next week.',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

async function waitUntil(probe: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`freshness: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
