// A thousand mailboxes in push mode (issue 14, target 3): Dovecot on loopback with 1,000 users, 1,000 mailboxes in a
// fresh database, the shipped api and engine as processes. Measures the time until the engine watches all 1,000
// (IMAP IDLE held outside its 8 work slots); then deliveries into random mailboxes at 20/s for 60 s, delivery →
// queryable (the mailbox_item row) next to a bare imapflow client's delivery → EXISTS (its own process, the same
// mailboxes, the same run); the engine's peak RSS and CPU. Then a second engine: the two share the 1,000 with no
// mailbox watched twice (the hub's columns and Dovecot's own connection list), and after kill -9 of the first, how
// long until its mailboxes are watched again.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { RowDataPacket } from 'mysql2';
import { startDovecot, type StartedDovecot } from '../test/support/dovecot';
import { ADMIN_EMAIL, serverConnection } from './bench-api';
import { ApiProcess, assertBuilt, EngineProcess } from './mail-processes';
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

interface Summary {
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
  readonly engineIdleRssMb: number;
  readonly shared: { a: number; b: number; twiceInHub: number; twiceOnServer: number; seconds: number };
  readonly takeoverSeconds: number;
}

// BENCH_WATCH_DATABASE keeps runs side by side on one server apart.
const DATABASE = process.env.BENCH_WATCH_DATABASE ?? 'push_watch_bench';
const PASSWORD = 'watch-bench-secret';
const POLL_MS = 50;

export async function runWatchBenchmark(options: WatchOptions): Promise<WatchReport> {
  assertBuilt();
  const { log } = options;
  const addresses = Array.from({ length: options.mailboxes }, (_, i) => `watch${String(i).padStart(4, '0')}@bench.crm.test`);
  log(`watch: Dovecot with ${addresses.length} users`);
  const dovecot = await startDovecot({ users: addresses.map((address) => ({ address, password: PASSWORD })), sentFolder: false, connections: addresses.length * 2 + 200 });
  // Each INBOX exists before anyone logs in (a first delivery would otherwise create it under a watcher).
  await Promise.all(addresses.map((address) => dovecot.deliver(address, rawOf(`seed-${address}`, address))));
  const api = await ApiProcess.start(DATABASE);
  const db = await serverConnection(DATABASE);
  const engines: EngineProcess[] = [];
  const bare = spawn(process.execPath, [path.join(__dirname, 'watch-bare-client.js'), String(dovecot.imapPort), PASSWORD, ...addresses], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const configureStarted = Date.now();
    const ids = await configure(api, db, dovecot, addresses);
    const configureSeconds = (Date.now() - configureStarted) / 1000;
    log(`watch: ${ids.length} mailboxes configured in ${configureSeconds.toFixed(1)} s (rows in bulk SQL, credentials through setMailboxCredentials)`);

    // The baseline connects first, so the engine's start is timed alone.
    const bareHeard: { i: number; t: number }[] = [];
    let bareReady = false;
    createInterface({ input: bare.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as { i?: number; t?: number; ready?: number };
      if (line.ready !== undefined) bareReady = true;
      else bareHeard.push({ i: line.i!, t: line.t! });
    });
    await waitUntil(async () => bareReady, 300_000, 'the bare client to watch every mailbox');
    log('watch: the bare client watches every mailbox');

    const startEngine = (id: string) => {
      const engine = new EngineProcess({
        HUB_API_URL: api.graphqlUrl,
        HUB_API_KEY: api.syncServiceKey,
        ENGINE_ID: id,
        MAX_MAILBOXES: String(options.slots),
        LOG_LEVEL: 'info',
        POLL_INTERVAL_MS: '1000',
        WATCH_LEASE_SECONDS: String(options.leaseSeconds),
        RECONCILE_INTERVAL_SECONDS: '86400',
        SEND_BATCH: '0',
      });
      engines.push(engine);
      return engine;
    };
    const started = Date.now();
    const a = startEngine('watch-bench-a');
    await a.waitForLine((line) => line.msg === 'push connections open' && line.listening === addresses.length, { timeoutMs: 600_000 });
    const watchedSeconds = (Date.now() - started) / 1000;
    log(`watch: all ${addresses.length} watched ${watchedSeconds.toFixed(1)} s after the engine started`);
    await waitUntil(async () => (await scalar(db, 'SELECT COUNT(*) AS n FROM mailbox WHERE lastSyncAt IS NULL AND profileId IS NOT NULL')) === 0, 600_000, 'every mailbox to be synced once');
    const initialSyncSeconds = (Date.now() - started) / 1000;
    log(`watch: every mailbox synced once ${initialSyncSeconds.toFixed(1)} s after the engine started`);
    const idle = await a.period();

    // Deliveries at a steady rate into random mailboxes; each timed to its mailbox_item row and to the bare client's EXISTS.
    const total = options.ratePerSecond * options.seconds;
    const samples: { mailbox: number; messageId: string; at: number; queryable?: number; exists?: number }[] = [];
    const heardFrom = bareHeard.length;
    log(`watch: ${total} deliveries, ${options.ratePerSecond}/s for ${options.seconds} s`);
    const t0 = Date.now();
    const delivering = (async () => {
      for (let k = 0; k < total; k++) {
        const due = t0 + (k * 1000) / options.ratePerSecond;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        const mailbox = Math.floor(Math.random() * addresses.length);
        const messageId = `watch-${randomUUID()}@bench.crm.test`;
        await dovecot.deliver(addresses[mailbox], rawOf(messageId, addresses[mailbox]));
        samples.push({ mailbox, messageId, at: Date.now() }); // the rename into new/ is the delivery
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
    const busy = await a.period();
    const cpuWindowMs = Date.now() - t0;
    // The bare client's k-th EXISTS for a mailbox belongs to that mailbox's k-th delivery.
    const heard = new Map<number, number[]>();
    for (const { i, t } of bareHeard.slice(heardFrom)) heard.set(i, [...(heard.get(i) ?? []), t]);
    const seen = new Map<number, number>();
    for (const s of samples) {
      const k = seen.get(s.mailbox) ?? 0;
      seen.set(s.mailbox, k + 1);
      s.exists = heard.get(s.mailbox)?.[k];
    }
    const engine = summary(samples.map((s) => (s.queryable === undefined ? undefined : s.queryable - s.at)), total);
    const bareSummary = summary(samples.map((s) => (s.exists === undefined ? undefined : s.exists - s.at)), total);
    log(`watch: delivery → queryable p50 ${engine.p50} ms, p95 ${engine.p95} ms; bare EXISTS p50 ${bareSummary.p50} ms, p95 ${bareSummary.p95} ms`);

    // A second engine: the engines alive split the mailboxes; none is watched twice.
    const shareStarted = Date.now();
    const b = startEngine('watch-bench-b');
    const half = Math.floor(addresses.length / 2);
    await waitUntil(async () => (await heldBy(db, 'watch-bench-b')) >= half && (await heldBy(db, 'watch-bench-a')) + (await heldBy(db, 'watch-bench-b')) === addresses.length, 180_000, 'the two engines to share the mailboxes');
    await b.waitForLine((line) => line.msg === 'push connections open' && Number(line.listening) >= half, { timeoutMs: 120_000 });
    const shareSeconds = (Date.now() - shareStarted) / 1000;
    const shared = {
      a: await heldBy(db, 'watch-bench-a'),
      b: await heldBy(db, 'watch-bench-b'),
      twiceInHub: await scalar(db, 'SELECT COUNT(*) AS n FROM (SELECT watchLeaseId FROM mailbox WHERE watchLeaseId IS NOT NULL GROUP BY watchLeaseId HAVING COUNT(*) > 1) d'),
      // Dovecot's own view: a user with more than two IMAP sessions (the bare client's and one engine's) is watched twice, or is syncing.
      twiceOnServer: await usersWithSessions(dovecot, 3),
      seconds: shareSeconds,
    };
    log(`watch: shared ${shared.a} + ${shared.b} after ${shareSeconds.toFixed(1)} s; leases held twice ${shared.twiceInHub}; users with ≥ 3 sessions ${shared.twiceOnServer}`);

    // kill -9 the first engine: its mailboxes are watched again once its leases run out.
    const killedAt = Date.now();
    const from = b.lines.length;
    a.signal('SIGKILL');
    await b.waitForLine((line) => line.msg === 'push connections open' && line.listening === addresses.length, { from, timeoutMs: options.leaseSeconds * 1000 + 120_000 });
    const takeoverSeconds = (Date.now() - killedAt) / 1000;
    log(`watch: after kill -9 of the first engine, all ${addresses.length} watched again in ${takeoverSeconds.toFixed(1)} s (lease ${options.leaseSeconds} s)`);

    return {
      options: { mailboxes: options.mailboxes, ratePerSecond: options.ratePerSecond, seconds: options.seconds, leaseSeconds: options.leaseSeconds, slots: options.slots },
      configureSeconds,
      watchedSeconds,
      initialSyncSeconds,
      engine,
      bare: bareSummary,
      engineRssMb: busy.peakRssMb,
      engineIdleRssMb: idle.peakSampledRssMb,
      engineCpuPercent: (busy.cpuMs / cpuWindowMs) * 100,
      shared,
      takeoverSeconds,
    };
  } finally {
    bare.kill('SIGKILL');
    await Promise.all(engines.map((e) => e.stop()));
    await db.end();
    await api.stop();
    await dovecot.stop();
  }
}

/** 1,000 mailbox rows in one statement (GraphQL has no "create mailbox": one belongs to each user or queue); credentials through the api, which encrypts them. */
async function configure(api: ApiProcess, db: Awaited<ReturnType<typeof serverConnection>>, dovecot: StartedDovecot, addresses: readonly string[]): Promise<string[]> {
  const admin = await api.login(ADMIN_EMAIL);
  const profile = await api.data<{ createEmailServerProfile: { id: string } }>(
    'mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { id } }',
    { input: { name: 'Dovecot, 1,000 users', kind: 'IMAP_SMTP', incomingHost: '127.0.0.1', incomingPort: dovecot.imapPort, incomingTls: 'NONE', outgoingHost: '127.0.0.1', outgoingPort: 25, outgoingTls: 'NONE', pollIntervalSeconds: 300, maxConcurrentConnections: 100 } },
    admin,
  );
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
        await api.data('mutation($id: ID!, $input: MailboxCredentialsInput!) { setMailboxCredentials(id: $id, input: $input) { id } }', { id: Buffer.from(`Mailbox:${ids[i]}`).toString('base64url'), input: { username: addresses[i], password: PASSWORD } }, admin);
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

/** Users with at least `min` IMAP sessions open, by `doveadm who`. */
async function usersWithSessions(dovecot: StartedDovecot, min: number): Promise<number> {
  const stdout = await dovecot.doveadm(['who', '-1']);
  const count = new Map<string, number>();
  for (const line of stdout.split('\n').slice(1)) {
    const [user, , service] = line.trim().split(/\s+/);
    if (user && service === 'imap') count.set(user, (count.get(user) ?? 0) + 1);
  }
  return [...count.values()].filter((n) => n >= min).length;
}

function summary(values: readonly (number | undefined)[], total: number): Summary {
  const ms = values.filter((v): v is number => v !== undefined);
  return { n: ms.length, missing: total - ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99) };
}

async function waitUntil(test: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`watch: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const hashOf = (messageId: string) => createHash('sha256').update(messageId, 'utf8').digest('hex');

function rawOf(messageId: string, to: string): Buffer {
  return Buffer.from(
    [`From: "Bench Sender" <sender@bench-customer.test>`, `To: <${to}>`, `Subject: Watch sample ${messageId.slice(6, 14)}`, `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`, `Message-ID: <${messageId}>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', '', 'A message for the push benchmark.', ''].join('\r\n'),
  );
}

/** The section for BENCHMARKS.md (written to bench/dist/watch-section.md). */
export function watchText(r: WatchReport, commit: string): string {
  const gap = r.engine.p95 - r.bare.p95;
  const rows = [
    ['all mailboxes watched after engine start', `${r.watchedSeconds.toFixed(1)} s`, '≤ 60 s (EmailEngine: ~50 min with its default spacing)', verdict(r.watchedSeconds <= 60)],
    ['delivery → queryable p95 minus bare EXISTS p95', `${num(gap)} ms`, '≤ 2,000 ms', verdict(gap <= 2000 && r.engine.missing === 0)],
    ['engine peak RSS (VmHWM)', `${num(r.engineRssMb)} MB`, '< 300 MB', verdict(r.engineRssMb < 300)],
    ['two engines share, none watched twice', `${r.shared.a} + ${r.shared.b}; twice: ${r.shared.twiceInHub} (hub)`, 'sum = all, 0 twice', verdict(r.shared.a + r.shared.b === r.options.mailboxes && r.shared.twiceInHub === 0)],
    ['killed engine\'s mailboxes watched again', `${r.takeoverSeconds.toFixed(1)} s`, `≤ lease (${r.options.leaseSeconds} s) + claim interval`, verdict(r.takeoverSeconds <= r.options.leaseSeconds + 5)],
  ];
  const latency = [
    ['engine: delivery → mailbox_item row', String(r.engine.n), String(r.engine.missing), `${num(r.engine.p50)} ms`, `${num(r.engine.p95)} ms`, `${num(r.engine.p99)} ms`],
    ['bare imapflow IDLE: delivery → EXISTS', String(r.bare.n), String(r.bare.missing), `${num(r.bare.p50)} ms`, `${num(r.bare.p95)} ms`, `${num(r.bare.p99)} ms`],
  ];
  return `## 8. A thousand mailboxes in push mode (issue 14, target 3)

Measured on ${commit}: \`npm run bench -- --only=watch\`. Dovecot on loopback with ${r.options.mailboxes} users; ${r.options.mailboxes} mailboxes in a fresh MariaDB database (rows inserted in bulk, credentials set through \`setMailboxCredentials\`: ${r.configureSeconds.toFixed(1)} s); the shipped api and engine (MAX_MAILBOXES ${r.options.slots}, WATCH_MAILBOXES 1000, WATCH_LEASE_SECONDS ${r.options.leaseSeconds}) as processes; the bare client is imapflow IDLE-ing on every INBOX in its own process, in the same run. Deliveries: ${r.options.ratePerSecond}/s for ${r.options.seconds} s into random mailboxes (maildir tmp → new). Every mailbox had been synced once ${r.initialSyncSeconds.toFixed(1)} s after the engine started.

${table(['', 'n', 'missing', 'p50', 'p95', 'p99'], latency)}

Engine while delivering: CPU ${num(r.engineCpuPercent)} % of one core, peak RSS ${num(r.engineRssMb)} MB (RSS while only watching: ${num(r.engineIdleRssMb)} MB). Second engine: shared ${r.shared.a} + ${r.shared.b} after ${r.shared.seconds.toFixed(1)} s; Dovecot users with three or more IMAP sessions at that moment (bare + two engines, or a sync running): ${r.shared.twiceOnServer}.

${table(['target', 'measured', 'target value', ''], rows)}
`;
}
