// The run shared by the push-mode benchmarks (issue 14, target 3): a thousand mailboxes on one mail server
// (Dovecot over IMAP: watch-thousand.ts; the EWS test server: watch-ews.ts), in a fresh database, the shipped api and
// engine as processes. Measures the time until the engine watches all of them (outside its work slots); then
// deliveries into random mailboxes at a steady rate, delivery → queryable (the mailbox_item row) next to a bare
// client's delivery → notification (its own process, the same mailboxes, the same run); the engine's peak RSS and CPU.
// Then a second engine: the two share the mailboxes with none watched twice (the hub's columns and the server's own
// count of connections), and after kill -9 of the first, how long until its mailboxes are watched again.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { RowDataPacket } from 'mysql2';
import { ADMIN_EMAIL, serverConnection } from './bench-api';
import { ApiProcess, assertBuilt, EngineProcess, timeOf, type LogLine } from './mail-processes';
import type { ProbeReport } from './process-probe';
import { num, percentile, table, verdict } from './stats';

export interface WatchOptions {
  readonly mailboxes: number;
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly leaseSeconds: number;
  /** The engines' work slots (MAX_MAILBOXES); the engine's default is 8. */
  readonly slots: number;
  readonly log: (line: string) => void;
}

/** The mail server under the benchmark, as the harness needs it. */
export interface PushPeer {
  /** The mailbox addresses, one user each; mailbox i is addresses[i]. */
  readonly addresses: readonly string[];
  readonly password: string;
  /** createEmailServerProfile's input as an administrator fills it in. */
  readonly profile: Record<string, unknown>;
  /**
   * The bare client's process (node arguments: its script and what it needs): it prints one JSON line
   * {"i": mailbox, "t": Date.now()} per new message it hears of, and {"ready": n} once it listens on every mailbox.
   */
  readonly bareClient: readonly string[];
  /** Delivers a new message into mailbox i; resolves with the moment it was delivered (ms since the epoch, this machine's clock). */
  deliver(mailbox: number, messageId: string, raw: Buffer): Promise<number>;
  /** Users with at least `min` push connections open, as the server counts them. */
  usersWithConnections(min: number): Promise<number>;
  /** Where the server runs in a process of its own: called as deliveries start, and as they end (then resolves with its CPU ms in between). */
  deliveryWindow?(edge: 'start' | 'end'): Promise<number | undefined>;
}

export interface Summary {
  readonly n: number;
  readonly missing: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface WatchReport {
  readonly options: Omit<WatchOptions, 'log'>;
  readonly configureSeconds: number;
  readonly watchedSeconds: number;
  readonly initialSyncSeconds: number;
  readonly engine: Summary;
  readonly bare: Summary;
  readonly engineRssMb: number;
  readonly engineCpuPercent: number;
  /** The engine's longest event-loop stall while delivering. */
  readonly engineStallMaxMs: number;
  /** The api while delivering: CPU of one core, and its GraphQL requests (count, summed duration). */
  readonly apiCpuPercent: number;
  readonly apiGraphql: { readonly count: number; readonly ms: number };
  /** The mail server's CPU while delivering, where it runs in a process of its own (else null). */
  readonly peerCpuPercent: number | null;
  /** Peak RSS sampled from the engine's start to the first delivery (the watch and the first sync of every mailbox). */
  readonly engineIdleRssMb: number;
  /** The engine's memory at that period's highest sample (V8 heap, Buffers, the rest). */
  readonly engineIdleAtPeak: ProbeReport['atPeak'];
  /** CPU of one core while watching, after the first syncs and before the deliveries. */
  readonly engineWatchCpuPercent: number;
  /** Engine log lines of the first engine by message, for the notes (fallbacks to pull, connection failures). */
  readonly engineLines: Record<string, number>;
  /** The first engine's syncs that finished while delivering (its "mailbox sync finished" lines). */
  readonly syncsWhileDelivering: number;
  readonly shared: { a: number; b: number; twiceInHub: number; twiceOnServer: number; seconds: number };
  readonly takeoverSeconds: number;
  /** Deliveries with their mailbox_item row at the end of the run (after the second engine and the takeover). */
  readonly queryableAtEnd: number;
}

const POLL_MS = 50;
/** How long the watch-only CPU is measured, after every mailbox was synced once. */
const QUIET_MS = 10_000;

export async function runPushBenchmark(peer: PushPeer, database: string, options: WatchOptions, label: string): Promise<WatchReport> {
  assertBuilt();
  const { log } = options;
  const { addresses } = peer;
  const api = await ApiProcess.start(database);
  const db = await serverConnection(database);
  const engines: EngineProcess[] = [];
  const bare = spawn(process.execPath, [...peer.bareClient], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const configureStarted = Date.now();
    const ids = await configure(api, db, peer);
    const configureSeconds = (Date.now() - configureStarted) / 1000;
    log(`${label}: ${ids.length} mailboxes configured in ${configureSeconds.toFixed(1)} s (rows in bulk SQL, credentials through setMailboxCredentials)`);

    // The baseline connects first, so the engine's start is timed alone.
    const bareHeard: { i: number; t: number }[] = [];
    let bareReady = false;
    createInterface({ input: bare.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as { i?: number; t?: number; ready?: number };
      if (line.ready !== undefined) bareReady = true;
      else bareHeard.push({ i: line.i!, t: line.t! });
    });
    await waitUntil(async () => bareReady, 300_000, 'the bare client to watch every mailbox');
    log(`${label}: the bare client watches every mailbox`);

    const startEngine = (id: string) => {
      const engine = new EngineProcess({
        HUB_API_URL: api.graphqlUrl,
        HUB_API_KEY: api.syncServiceKey,
        ENGINE_ID: id,
        MAX_MAILBOXES: String(options.slots),
        LOG_LEVEL: process.env.BENCH_WATCH_ENGINE_LOG_LEVEL ?? 'info',
        POLL_INTERVAL_MS: '1000',
        WATCH_LEASE_SECONDS: String(options.leaseSeconds),
        RECONCILE_INTERVAL_SECONDS: '86400',
        SEND_BATCH: '0',
      });
      engines.push(engine);
      return engine;
    };
    const allListening = (line: LogLine) => line.msg === 'push connections open' && line.listening === addresses.length;
    const started = Date.now();
    const a = startEngine(`${label}-bench-a`);
    await a.waitForLine(allListening, { timeoutMs: 600_000 });
    const watchedSeconds = (Date.now() - started) / 1000;
    log(`${label}: all ${addresses.length} watched ${watchedSeconds.toFixed(1)} s after the engine started`);
    await waitUntil(async () => (await scalar(db, 'SELECT COUNT(*) AS n FROM mailbox WHERE lastSyncAt IS NULL AND profileId IS NOT NULL')) === 0, 600_000, 'every mailbox to be synced once');
    const initialSyncSeconds = (Date.now() - started) / 1000;
    log(`${label}: every mailbox synced once ${initialSyncSeconds.toFixed(1)} s after the engine started`);
    const idle = await a.period();
    // Watching only: heartbeats, lease renewals, and any polling the watch does.
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    const quiet = await a.period();

    // Deliveries at a steady rate into random mailboxes; each timed to its mailbox_item row and to the bare client's notification.
    const total = options.ratePerSecond * options.seconds;
    const samples: { mailbox: number; messageId: string; at: number; queryable?: number; heard?: number }[] = [];
    const heardFrom = bareHeard.length;
    log(`${label}: ${total} deliveries, ${options.ratePerSecond}/s for ${options.seconds} s`);
    await api.period();
    await peer.deliveryWindow?.('start');
    const t0 = Date.now();
    const delivering = (async () => {
      for (let k = 0; k < total; k++) {
        const due = t0 + (k * 1000) / options.ratePerSecond;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        const mailbox = Math.floor(Math.random() * addresses.length);
        const messageId = `watch-${randomUUID()}@bench.crm.test`;
        // Pushed before the delivery resolves: a mailbox's samples stay in delivery order even when deliveries overlap.
        const sample: (typeof samples)[number] = { mailbox, messageId, at: NaN };
        samples.push(sample);
        sample.at = await peer.deliver(mailbox, messageId, rawOf(messageId, addresses[mailbox]));
      }
    })();
    let finished = false;
    void delivering.then(() => (finished = true));
    const deadline = () => (finished ? (samples.at(-1)?.at ?? Date.now()) + 30_000 : Infinity);
    while (Date.now() < deadline()) {
      const waiting = samples.filter((s) => s.queryable === undefined);
      if (finished && !waiting.length) break;
      if (waiting.length) {
        const [rows] = await db.query<RowDataPacket[]>('SELECT messageIdHash FROM mailbox_item WHERE messageIdHash IN (?)', [waiting.map((s) => hashOf(s.messageId))]);
        const found = new Set(rows.map((r) => r.messageIdHash as string));
        const now = Date.now();
        for (const s of waiting) if (found.has(hashOf(s.messageId))) s.queryable = now;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await delivering;
    const busy = await a.period();
    const apiBusy = await api.period();
    const cpuWindowMs = Date.now() - t0;
    const peerBusy = await peer.deliveryWindow?.('end');
    // The bare client's k-th notification for a mailbox belongs to that mailbox's k-th delivery.
    const heard = new Map<number, number[]>();
    for (const { i, t } of bareHeard.slice(heardFrom)) heard.set(i, [...(heard.get(i) ?? []), t]);
    const seen = new Map<number, number>();
    for (const s of samples) {
      const k = seen.get(s.mailbox) ?? 0;
      seen.set(s.mailbox, k + 1);
      s.heard = heard.get(s.mailbox)?.[k];
    }
    const engine = summary(samples.map((s) => (s.queryable === undefined ? undefined : s.queryable - s.at)), total);
    const bareSummary = summary(samples.map((s) => (s.heard === undefined ? undefined : s.heard - s.at)), total);
    log(`${label}: delivery → queryable p50 ${engine.p50} ms, p95 ${engine.p95} ms; bare client p50 ${bareSummary.p50} ms, p95 ${bareSummary.p95} ms`);
    const engineLines: Record<string, number> = {};
    for (const line of a.lines) engineLines[line.msg] = (engineLines[line.msg] ?? 0) + 1;
    const deliveredUntil = t0 + cpuWindowMs;
    const syncsWhileDelivering = a.lines.filter((line) => line.msg === 'mailbox sync finished' && timeOf(line) >= t0 && timeOf(line) <= deliveredUntil).length;

    // A second engine: the engines alive split the mailboxes; none is watched twice.
    const engineA = `${label}-bench-a`;
    const engineB = `${label}-bench-b`;
    const shareStarted = Date.now();
    const b = startEngine(engineB);
    const half = Math.floor(addresses.length / 2);
    await waitUntil(async () => (await heldBy(db, engineB)) >= half && (await heldBy(db, engineA)) + (await heldBy(db, engineB)) === addresses.length, 180_000, 'the two engines to share the mailboxes');
    await b.waitForLine((line) => line.msg === 'push connections open' && Number(line.listening) >= half, { timeoutMs: 120_000 });
    const shareSeconds = (Date.now() - shareStarted) / 1000;
    const shared = {
      a: await heldBy(db, engineA),
      b: await heldBy(db, engineB),
      twiceInHub: await scalar(db, 'SELECT COUNT(*) AS n FROM (SELECT watchLeaseId FROM mailbox WHERE watchLeaseId IS NOT NULL GROUP BY watchLeaseId HAVING COUNT(*) > 1) d'),
      // The server's own view: a user with three or more connections (the bare client's and two engines') is watched twice.
      twiceOnServer: await peer.usersWithConnections(3),
      seconds: shareSeconds,
    };
    log(`${label}: shared ${shared.a} + ${shared.b} after ${shareSeconds.toFixed(1)} s; leases held twice ${shared.twiceInHub}; users with ≥ 3 connections ${shared.twiceOnServer}`);

    // kill -9 the first engine: its mailboxes are watched again once its leases run out.
    const killedAt = Date.now();
    const from = b.lines.length;
    a.signal('SIGKILL');
    await b.waitForLine(allListening, { from, timeoutMs: options.leaseSeconds * 1000 + 120_000 });
    const takeoverSeconds = (Date.now() - killedAt) / 1000;
    log(`${label}: after kill -9 of the first engine, all ${addresses.length} watched again in ${takeoverSeconds.toFixed(1)} s (lease ${options.leaseSeconds} s)`);
    // A delivery missing from the latency window may only have waited: by now (a minute or two later) none may be lost.
    const [found] = await db.query<RowDataPacket[]>('SELECT COUNT(DISTINCT messageIdHash) AS n FROM mailbox_item WHERE messageIdHash IN (?)', [samples.map((s) => hashOf(s.messageId))]);
    const queryableAtEnd = Number(found[0].n);
    // BENCH_WATCH_LOG_DIR: the first engine's log lines stay there to its kill (where did a sync's time go?).
    if (process.env.BENCH_WATCH_LOG_DIR) fs.writeFileSync(path.join(process.env.BENCH_WATCH_LOG_DIR, `${label}-engine-a-${Date.now()}.jsonl`), a.lines.map((line) => JSON.stringify(line)).join('\n'));
    log(`${label}: ${queryableAtEnd} of ${total} deliveries queryable at the end of the run`);

    return {
      options: { mailboxes: options.mailboxes, ratePerSecond: options.ratePerSecond, seconds: options.seconds, leaseSeconds: options.leaseSeconds, slots: options.slots },
      configureSeconds,
      watchedSeconds,
      initialSyncSeconds,
      engine,
      bare: bareSummary,
      engineRssMb: busy.peakRssMb,
      engineIdleRssMb: idle.peakSampledRssMb,
      engineIdleAtPeak: idle.atPeak,
      engineWatchCpuPercent: (quiet.cpuMs / QUIET_MS) * 100,
      engineCpuPercent: (busy.cpuMs / cpuWindowMs) * 100,
      engineStallMaxMs: busy.stallMaxMs,
      apiCpuPercent: (apiBusy.cpuMs / cpuWindowMs) * 100,
      apiGraphql: apiBusy.routes['POST /graphql'] ?? { count: 0, ms: 0 },
      peerCpuPercent: peerBusy === undefined ? null : (peerBusy / cpuWindowMs) * 100,
      engineLines,
      syncsWhileDelivering,
      shared,
      takeoverSeconds,
      queryableAtEnd,
    };
  } finally {
    bare.kill('SIGKILL');
    await Promise.all(engines.map((e) => e.stop()));
    await db.end();
    await api.stop();
  }
}

/** The mailbox rows in one statement (GraphQL has no "create mailbox": one belongs to each user or queue); credentials through the api, which encrypts them. */
async function configure(api: ApiProcess, db: Awaited<ReturnType<typeof serverConnection>>, peer: PushPeer): Promise<string[]> {
  const { addresses } = peer;
  const admin = await api.login(ADMIN_EMAIL);
  const profile = await api.data<{ createEmailServerProfile: { id: string } }>('mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { id } }', { input: peer.profile }, admin);
  const profileId = Buffer.from(profile.createEmailServerProfile.id, 'base64url').toString('utf8').split(':')[1];
  const [[owner]] = await db.query<RowDataPacket[]>('SELECT id FROM app_user WHERE email = ?', [ADMIN_EMAIL]);
  const ids = addresses.map(() => randomUUID());
  await db.query(
    'INSERT INTO mailbox (id, ownerKind, ownerUserId, address, profileId, incomingMethod, outgoingMethod, approval, state, trackingFilter) VALUES ?',
    [ids.map((id, i) => [id, 'USER', owner.id, addresses[i], profileId, 'SERVER_SIDE_SYNC', 'NONE', 'APPROVED', 'ENABLED', 'ALL'])],
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < ids.length) {
        const i = next++;
        await api.data('mutation($id: ID!, $input: MailboxCredentialsInput!) { setMailboxCredentials(id: $id, input: $input) { id } }', { id: Buffer.from(`Mailbox:${ids[i]}`).toString('base64url'), input: { username: addresses[i], password: peer.password } }, admin);
      }
    }),
  );
  return ids;
}

async function scalar(db: Awaited<ReturnType<typeof serverConnection>>, sql: string, params: unknown[] = []): Promise<number> {
  const [[row]] = await db.query<RowDataPacket[]>(sql, params);
  return Number(row.n);
}

const heldBy = (db: Awaited<ReturnType<typeof serverConnection>>, engineId: string) => scalar(db, 'SELECT COUNT(*) AS n FROM mailbox WHERE watchEngineId = ? AND watchLeaseUntil >= NOW(3)', [engineId]);

function summary(values: readonly (number | undefined)[], total: number): Summary {
  const ms = values.filter((v): v is number => v !== undefined);
  return { n: ms.length, missing: total - ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99) };
}

export async function waitUntil(test: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`watch: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const hashOf = (messageId: string) => createHash('sha256').update(messageId, 'utf8').digest('hex');

export function rawOf(messageId: string, to: string): Buffer {
  return Buffer.from(
    [`From: "Bench Sender" <sender@bench-customer.test>`, `To: <${to}>`, `Subject: Watch sample ${messageId.slice(6, 14)}`, `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`, `Message-ID: <${messageId}>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', '', 'A message for the push benchmark.', ''].join('\r\n'),
  );
}

/** The latency table and the targets table of a run; `bareRow` names the baseline's row. */
export function watchTables(r: WatchReport, bareRow: string): { latency: string; targets: string } {
  const gap = r.engine.p95 - r.bare.p95;
  const rows = [
    ['all mailboxes watched after engine start', `${r.watchedSeconds.toFixed(1)} s`, '≤ 60 s (EmailEngine: ~50 min with its default spacing)', verdict(r.watchedSeconds <= 60)],
    ['delivery → queryable p95 minus bare client p95', `${num(gap)} ms`, '≤ 2,000 ms', verdict(gap <= 2000 && r.engine.missing === 0)],
    ['engine peak RSS (VmHWM)', `${num(r.engineRssMb)} MB`, '< 300 MB', verdict(r.engineRssMb < 300)],
    ['two engines share, none watched twice', `${r.shared.a} + ${r.shared.b}; twice: ${r.shared.twiceInHub} (hub)`, 'sum = all, 0 twice', verdict(r.shared.a + r.shared.b === r.options.mailboxes && r.shared.twiceInHub === 0)],
    ["killed engine's mailboxes watched again", `${r.takeoverSeconds.toFixed(1)} s`, `≤ lease (${r.options.leaseSeconds} s) + claim interval`, verdict(r.takeoverSeconds <= r.options.leaseSeconds + 5)],
  ];
  const latency = [
    ['engine: delivery → mailbox_item row', String(r.engine.n), String(r.engine.missing), `${num(r.engine.p50)} ms`, `${num(r.engine.p95)} ms`, `${num(r.engine.p99)} ms`],
    [bareRow, String(r.bare.n), String(r.bare.missing), `${num(r.bare.p50)} ms`, `${num(r.bare.p95)} ms`, `${num(r.bare.p99)} ms`],
  ];
  return { latency: table(['', 'n', 'missing', 'p50', 'p95', 'p99'], latency), targets: table(['target', 'measured', 'target value', ''], rows) };
}
