// Benchmark 3: mail ingest end to end, and freshness. A real Dovecot holds N generated messages (bench/
// mail-dataset.ts) in one user's maildir per protocol; the shipped sync engine (one child process) reads
// them over IMAP, then over POP3, into the shipped api (another child process) on a fresh MariaDB database
// each; the mailboxes are configured as an administrator does it, through GraphQL, tracking ALL mail.
// Baselines in the same run (bench/mail-baselines.ts): the raw fetch of the same mailbox, the parse alone (half
// just before each protocol's run, half just after), the raw insert of the rows the api wrote. Then freshness
// (bench/freshness.ts) on the synced IMAP mailbox.
import fs from 'node:fs';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2';
import { startDovecot, type StartedDovecot } from '../test/support/dovecot';
import { dropDatabase, serverConnection } from './bench-api';
import { runFreshness, type FreshnessReport } from './freshness';
import { parseAround, rawImapFetch, rawInsert, rawPop3Fetch, warmImap, warmPop3, type InsertFigures, type MailLogin, type ParseFigures, type Throughput } from './mail-baselines';
import { largeMessages, linkInto, prepareDataset, readIntoPageCache, type Dataset } from './mail-dataset';
import { ApiProcess, assertBuilt, configureMailbox, EngineProcess, timeOf, waitForEnabled } from './mail-processes';
import type { ProbeReport } from './process-probe';

// BENCH_MAIL_DATABASE_PREFIX keeps runs side by side on one server apart (an A/B of two builds, two people).
const MAIL_PREFIX = process.env.BENCH_MAIL_DATABASE_PREFIX ?? 'crm_bench_mail';
export const MAIL_DATABASES = { imap: `${MAIL_PREFIX}_imap`, pop3: `${MAIL_PREFIX}_pop3`, raw: `${MAIL_PREFIX}_raw`, large: `${MAIL_PREFIX}_large` } as const;
const BATCH = 100;
const PASSWORD = 'bench-mail-secret';
const IMAP_USER = 'sam.sales@demo.crm.test';
const POP3_USER = 'nora.north@demo.crm.test';
const COLLEAGUES = ['maria.manager@demo.crm.test', 'sara.sales@demo.crm.test', 'sven.service@demo.crm.test', 'nora.north@demo.crm.test'];
const RUN_TIMEOUT_MS = 20 * 60_000;
// The large-message row: the first LARGE_ROW_SMALL dataset messages alone, then with LARGE_COUNT messages of 25 MB
// after them, each in its own mailbox (IMAP: Maria's, POP3: Sven's) on a fresh database.
const LARGE_ROW_SMALL = 300;
const LARGE_COUNT = 3;
const LARGE_BYTES = 25 * 1024 * 1024;
const LARGE_USERS = { IMAP: 'maria.manager@demo.crm.test', POP3: 'sven.service@demo.crm.test' } as const;
const WEB_DIST = path.resolve(__dirname, '..', '..', '..', 'web', 'dist');

export interface MailOptions {
  readonly messages: number;
  /** Run the ingest (both protocols and the baselines). */
  readonly ingest: boolean;
  /** Run the freshness measurement (after the IMAP ingest when both run). */
  readonly freshness: boolean;
  /** Run the large-message rows (after the ingest; default true). */
  readonly large?: boolean;
  readonly samples: number;
  readonly intervalMs: number;
  readonly log: (line: string) => void;
}

export interface ProtocolRun {
  readonly protocol: 'IMAP' | 'POP3';
  /** The minimal client fetching the same mailbox. */
  readonly fetch: Throughput;
  /** The engine's parse alone over the same messages: half just before this run, half just after (parseAround). */
  readonly parse: ParseFigures;
  /** The engine: its claim of the mailbox → the N-th message decided in the database. */
  readonly e2e: Throughput;
  /** The reconcile that followed in the same claim (inventory of the server against the hub). */
  readonly reconcileSeconds: number;
  /** Engine process, from "engine started" to the N-th message decided (peak RSS: since it started). */
  readonly engine: ProbeReport;
  /** Engine process during the reconcile that ends the claim (peak RSS: since it started). */
  readonly engineReconcile: ProbeReport;
  /** The engine's RSS once started, before its claim (MB). */
  readonly engineStartRssMb: number;
  readonly apiStartRssMb: number;
  /** Api process, from the engine's start to the N-th message decided (peak RSS: since the api started). */
  readonly api: ProbeReport;
  readonly outcomes: Record<string, number>;
  readonly quarantined: number;
  /** Rows each table gained during the run. */
  readonly rowsWritten: Record<string, number>;
  /** Warnings and errors the engine logged. */
  readonly engineProblems: string[];
}

/** One protocol's large-message row: the engine's peak on the small messages alone, and with the large ones after them. */
export interface LargeMessageRun {
  readonly protocol: 'IMAP' | 'POP3';
  readonly smallMessages: number;
  readonly largeMessages: number;
  /** The size of each large message (bytes). */
  readonly largeBytes: number;
  readonly without: { readonly peakRssMb: number; readonly startRssMb: number; readonly seconds: number };
  readonly with: { readonly peakRssMb: number; readonly startRssMb: number; readonly seconds: number; readonly outcomes: Record<string, number>; readonly quarantined: number };
  /** Attachments of the large messages the hub stored (sha256 set) and their total size. */
  readonly largeAttachmentsStored: number;
}

export interface MailReport {
  readonly dataset: Omit<Dataset, 'messages'> & { readonly count: number };
  readonly large: LargeMessageRun[];
  readonly insert: InsertFigures | null;
  readonly runs: ProtocolRun[];
  readonly freshness: FreshnessReport | null;
}

export const engineEnv = (api: ApiProcess, name: string, extra: Record<string, string>): Record<string, string> => ({
  HUB_API_URL: api.graphqlUrl,
  HUB_API_KEY: api.syncServiceKey,
  ENGINE_ID: name,
  LOG_LEVEL: 'info',
  SEND_BATCH: '0', // nothing is sent here: no outgoing polling in the figures
  ...extra,
});

/**
 * For engines that set a mailbox up or measure its ingest: push is measured apart (freshness, `--only=watch`). An engine
 * that ends its sync while it watches the mailbox leaves its next sync WATCHED_POLL_SECONDS (5 minutes) away, which the
 * next engine of the run would wait out, since nothing new arrives to wake it; its push connection would also run
 * beside the measured fetch.
 */
export const NO_WATCH = { WATCH_MAILBOXES: '0' } as const;

/** Dovecot's mail root and the uid/gid owning it, from the config test/support/dovecot.ts wrote. */
function mailRootOf(dovecot: StartedDovecot): { root: string; owner: { uid: number; gid: number } } {
  const match = /^mail_location = maildir:(.*)\/%u$/m.exec(fs.readFileSync(dovecot.configPath, 'utf8'));
  if (!match) throw new Error('cannot find mail_location in the Dovecot config');
  const stat = fs.statSync(match[1]);
  return { root: match[1], owner: { uid: stat.uid, gid: stat.gid } };
}

export async function rowCounts(database: string): Promise<Record<string, number>> {
  const conn = await serverConnection(database);
  try {
    const [tables] = await conn.query<RowDataPacket[]>("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", [database]);
    const counts: Record<string, number> = {};
    for (const { name } of tables) counts[name] = Number((await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${name}\``))[0][0].n);
    return counts;
  } finally {
    await conn.end();
  }
}

const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

/**
 * A fresh api with the mailbox of `address` configured and enabled (an engine does Test & Enable and the
 * first, empty sync, then stops), so the measured engine starts on a mailbox due for its first real sync.
 */
async function enabledMailbox(database: string, address: string, server: { kind: 'IMAP_SMTP' | 'POP3_SMTP'; port: number }, env: Record<string, string> = {}) {
  const api = await ApiProcess.start(database, { env });
  const admin = await api.login();
  const setup = new EngineProcess(engineEnv(api, `bench-setup-${server.kind}`, { POLL_INTERVAL_MS: '200', IDLE_SECONDS: '0', ...NO_WATCH }));
  try {
    const mailboxId = await configureMailbox(api, admin, address, server, PASSWORD);
    await waitForEnabled(api, admin, mailboxId);
    await setup.waitForLine((line) => line.msg === 'mailbox sync finished', { timeoutMs: 60_000 });
  } finally {
    await setup.stop();
  }
  const { mailboxes } = await api.data<{ mailboxes: { id: string; address: string }[] }>('{ mailboxes { id address } }', {}, admin);
  return { api, admin, mailboxId: rawId(mailboxes.find((m) => m.address === address)!.id) };
}

/** The engine's run from a warm page cache, with the parse baseline around it (parseAround). */
async function engineRunWithParse<T>(dataset: Dataset, protocol: 'IMAP' | 'POP3', run: () => Promise<T>, log: MailOptions['log']): Promise<{ parse: ParseFigures; result: T }> {
  log(`mail: ${protocol}: parse baseline, the first half; the engine; the second half`);
  return parseAround(dataset, BATCH, () => {
    readIntoPageCache(dataset);
    log(`mail: ${protocol}: the engine`);
    return run();
  });
}

/** The measured engine run: claim → N decided (polled every 200 ms), then the rest of its claim (the reconcile). */
export async function measureEngine(api: ApiProcess, database: string, mailboxId: string, protocol: string, count: number, log: MailOptions['log']) {
  const before = await rowCounts(database);
  const apiAtStart = await api.period(); // the api's stall and route figures start here
  const engine = new EngineProcess(
    engineEnv(api, `bench-${protocol.toLowerCase()}`, {
      LOG_LEVEL: 'debug', // "mailbox claimed" is a debug line: the start of the measurement
      POLL_INTERVAL_MS: '1000',
      IDLE_SECONDS: '0', // the claim ends after the fetch (and the reconcile)
      RECONCILE_INTERVAL_SECONDS: String(7 * 86400), // once, in the claim, after the fetch
      BATCH_SIZE: String(BATCH),
      ...NO_WATCH,
    }),
  );
  const conn = await serverConnection(database);
  try {
    // Its stall figures start once it is up: loading its modules at start is no stall of the sync.
    await engine.waitForLine((line) => line.msg === 'engine started', { timeoutMs: 60_000 });
    const atStart = await engine.period();
    const claimed = await engine.waitForLine((line) => line.msg === 'mailbox claimed' && line.job === 'SYNC', { timeoutMs: 60_000 });
    const decided = async () => {
      const [[items], [quarantined]] = await Promise.all([
        conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM mailbox_item WHERE mailboxId = ?', [mailboxId]),
        conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM quarantined_message WHERE mailboxId = ?', [mailboxId]),
      ]);
      return Number(items[0].n) + Number(quarantined[0].n);
    };
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    let lastLog = Date.now();
    for (;;) {
      const n = await decided();
      if (n >= count) break;
      if (Date.now() > deadline) throw new Error(`${protocol}: only ${n} of ${count} messages decided after ${RUN_TIMEOUT_MS / 60_000} min; engine:\n${engine.tail()}`);
      const exited = await Promise.race([engine.exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 200))]);
      if (exited) throw new Error(`${protocol}: the engine exited after ${n} of ${count} messages:\n${engine.tail()}`);
      if (Date.now() - lastLog > 15_000) {
        log(`mail: ${protocol}: ${n} of ${count} decided`);
        lastLog = Date.now();
      }
    }
    const doneAt = Date.now();
    const seconds = (doneAt - timeOf(claimed)) / 1000;
    // Closed at once: the reconcile starts right after the last batch, and is reported apart.
    const [apiReport, engineReport] = await Promise.all([api.period(), engine.period()]);
    const reconciled = await engine.waitForLine((line) => line.msg === 'mailbox reconciled', { timeoutMs: 300_000 });
    await engine.waitForLine((line) => line.msg === 'mailbox sync finished', { timeoutMs: 60_000 });
    const engineReconcile = await engine.period();
    const [outcomes] = await conn.query<RowDataPacket[]>('SELECT outcome, COUNT(*) AS n FROM mailbox_item WHERE mailboxId = ? GROUP BY outcome', [mailboxId]);
    const [quarantined] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM quarantined_message WHERE mailboxId = ?', [mailboxId]);
    const after = await rowCounts(database);
    return {
      seconds,
      reconcileSeconds: Math.max(0, (timeOf(reconciled) - doneAt) / 1000),
      engine: engineReport,
      engineReconcile,
      engineStartRssMb: atStart.rssMb,
      apiStartRssMb: apiAtStart.rssMb,
      api: apiReport,
      outcomes: Object.fromEntries(outcomes.map((r) => [r.outcome as string, Number(r.n)])),
      quarantined: Number(quarantined[0].n),
      rowsWritten: Object.fromEntries(Object.entries(after).filter(([t, n]) => n !== before[t]).map(([t, n]) => [t, n - (before[t] ?? 0)])),
      engineProblems: engine.problems().map((line) => `${line.msg} ${JSON.stringify({ ...line, level: undefined, time: undefined, pid: undefined, hostname: undefined, msg: undefined })}`),
    };
  } finally {
    await conn.end();
    await engine.stop();
  }
}

export async function runMailBenchmark(options: MailOptions): Promise<MailReport> {
  const { log } = options;
  assertBuilt();
  const dovecot = await startDovecot({ users: [IMAP_USER, POP3_USER, LARGE_USERS.IMAP, LARGE_USERS.POP3].map((address) => ({ address, password: PASSWORD })) });
  const mail = mailRootOf(dovecot);
  const runs: ProtocolRun[] = [];
  let dataset: Dataset | null = null;
  let insert: InsertFigures | null = null;
  let freshness: FreshnessReport | null = null;
  let firstContact: { address: string; name: string } | null = null;
  const large: LargeMessageRun[] = [];
  try {
    // --- IMAP: setup, dataset, baselines, the engine ------------------------------------------------
    log('mail: IMAP mailbox: fresh database, Test & Enable, first (empty) sync');
    // The built UI, when there is one: freshness also watches a contact page in Chromium.
    const servesUi = options.freshness && fs.existsSync(path.join(WEB_DIST, 'index.html'));
    const imap = await enabledMailbox(MAIL_DATABASES.imap, IMAP_USER, { kind: 'IMAP_SMTP', port: dovecot.imapPort }, servesUi ? { WEB_DIST_DIR: WEB_DIST } : {});
    try {
      if (options.ingest) {
        const { contacts } = await imap.api.data<{ contacts: { edges: { node: { fullName: string; emails: string[] } }[] } }>('{ contacts(first: 100) { edges { node { fullName emails } } } }', {}, imap.admin);
        firstContact = { address: contacts.edges[0].node.emails[0], name: contacts.edges[0].node.fullName };
        dataset = prepareDataset(
          {
            count: options.messages,
            owner: { address: IMAP_USER, name: 'Sam Sales' },
            contacts: contacts.edges.flatMap((e) => e.node.emails.map((address) => ({ address, name: e.node.fullName }))),
            colleagues: COLLEAGUES.map((address) => ({ address, name: null })),
            fileOwner: mail.owner,
          },
          log,
        );
        linkInto(dataset, path.join(mail.root, IMAP_USER), mail.owner);
        const login: MailLogin = { port: dovecot.imapPort, user: IMAP_USER, password: PASSWORD };
        log(`mail: IMAP: Dovecot indexes the maildir (${await warmImap(login)} messages); raw fetch baseline`);
        readIntoPageCache(dataset);
        const fetch = await rawImapFetch(login, BATCH);
        if (fetch.messages !== dataset.messages.length) throw new Error(`raw IMAP fetch read ${fetch.messages} of ${dataset.messages.length} messages`);
        const count = dataset.messages.length;
        const { parse, result: measured } = await engineRunWithParse(dataset, 'IMAP', () => measureEngine(imap.api, MAIL_DATABASES.imap, imap.mailboxId, 'IMAP', count, log), log);
        runs.push({ protocol: 'IMAP', fetch, parse, e2e: { messages: dataset.messages.length, bytes: dataset.totalBytes, seconds: measured.seconds }, ...measured });
        log(`mail: IMAP: ${(dataset.messages.length / measured.seconds).toFixed(0)} messages/s`);
        log('mail: raw insert baseline: the IMAP run\'s rows into an empty copy of the schema');
        insert = await rawInsert(MAIL_DATABASES.imap, MAIL_DATABASES.raw, imap.mailboxId, dataset.totalBytes, BATCH);
        await dropDatabase(MAIL_DATABASES.raw);
      }
      if (options.freshness) {
        log('mail: freshness: the engine with IDLE on the synced mailbox');
        const engine = new EngineProcess(engineEnv(imap.api, 'bench-freshness', { POLL_INTERVAL_MS: '1000' }));
        try {
          freshness = await runFreshness({ api: imap.api, engine, dovecot, address: IMAP_USER, ownerName: 'Sam Sales', password: PASSWORD, samples: options.samples, intervalMs: options.intervalMs, servesUi, log });
        } finally {
          await engine.stop();
        }
      }
    } finally {
      await imap.api.stop();
    }
    await dropDatabase(MAIL_DATABASES.imap);

    // --- POP3 ----------------------------------------------------------------------------------------
    if (options.ingest && dataset) {
      log('mail: POP3 mailbox: fresh database, Test & Enable, first (empty) sync');
      const pop3 = await enabledMailbox(MAIL_DATABASES.pop3, POP3_USER, { kind: 'POP3_SMTP', port: dovecot.popPort });
      try {
        linkInto(dataset, path.join(mail.root, POP3_USER), mail.owner);
        const login: MailLogin = { port: dovecot.popPort, user: POP3_USER, password: PASSWORD };
        log(`mail: POP3: Dovecot indexes the maildir (${await warmPop3(login)} messages); raw fetch baseline`);
        readIntoPageCache(dataset);
        const fetch = await rawPop3Fetch(login);
        if (fetch.messages !== dataset.messages.length) throw new Error(`raw POP3 fetch read ${fetch.messages} of ${dataset.messages.length} messages`);
        const count = dataset.messages.length;
        const { parse, result: measured } = await engineRunWithParse(dataset, 'POP3', () => measureEngine(pop3.api, MAIL_DATABASES.pop3, pop3.mailboxId, 'POP3', count, log), log);
        runs.push({ protocol: 'POP3', fetch, parse, e2e: { messages: dataset.messages.length, bytes: dataset.totalBytes, seconds: measured.seconds }, ...measured });
        log(`mail: POP3: ${(dataset.messages.length / measured.seconds).toFixed(0)} messages/s`);
      } finally {
        await pop3.api.stop();
      }
      await dropDatabase(MAIL_DATABASES.pop3);
    }

    // --- Large messages: what a 25 MB message adds to the engine's peak ----------------------------------
    if (options.ingest && options.large !== false && dataset && firstContact) {
      for (const protocol of ['IMAP', 'POP3'] as const) large.push(await measureLargeMessages(protocol, dovecot, mail, dataset, firstContact, log));
    }
  } finally {
    await dovecot.stop();
  }
  const { messages, ...summary } = dataset ?? emptyDataset();
  return { dataset: { ...summary, count: messages.length }, large, insert, runs, freshness };
}

/**
 * The engine's peak RSS on the first LARGE_ROW_SMALL dataset messages, then (a fresh database and maildir) on the
 * same messages followed by LARGE_COUNT messages of 25 MB. The organization's attachment limit is raised to 32 MB in
 * both, so the hub stores the large attachments.
 */
async function measureLargeMessages(protocol: 'IMAP' | 'POP3', dovecot: StartedDovecot, mail: { root: string; owner: { uid: number; gid: number } }, dataset: Dataset, from: { address: string; name: string }, log: MailOptions['log']): Promise<LargeMessageRun> {
  const address = LARGE_USERS[protocol];
  const small = dataset.messages.slice(0, LARGE_ROW_SMALL);
  const big = largeMessages(dataset, { count: LARGE_COUNT, bytes: LARGE_BYTES, owner: { address, name: null }, from, fileOwner: mail.owner }).messages;
  const server = protocol === 'IMAP' ? { kind: 'IMAP_SMTP' as const, port: dovecot.imapPort } : { kind: 'POP3_SMTP' as const, port: dovecot.popPort };
  const measure = async (messages: Dataset['messages']) => {
    const maildir = path.join(mail.root, address);
    fs.rmSync(maildir, { recursive: true, force: true }); // nothing of the run before: a new maildir, new UIDs
    const run = await enabledMailbox(MAIL_DATABASES.large, address, server);
    try {
      await run.api.data('mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { maxAttachmentKb } }', { input: { maxAttachmentKb: 32 * 1024 } }, run.admin);
      linkInto({ ...dataset, messages }, maildir, mail.owner);
      const measured = await measureEngine(run.api, MAIL_DATABASES.large, run.mailboxId, protocol, messages.length, log);
      const conn = await serverConnection(MAIL_DATABASES.large);
      try {
        const [stored] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM activity_attachment WHERE size >= ? AND blobSha256 IS NOT NULL', [LARGE_BYTES / 2]);
        return { ...measured, stored: Number(stored[0].n) };
      } finally {
        await conn.end();
      }
    } finally {
      await run.api.stop();
      await dropDatabase(MAIL_DATABASES.large);
    }
  };
  log(`mail: large messages, ${protocol}: ${small.length} dataset messages alone`);
  const without = await measure(small);
  log(`mail: large messages, ${protocol}: the same and ${big.length} messages of ${(LARGE_BYTES / 2 ** 20).toFixed(0)} MB`);
  const withLarge = await measure([...small, ...big]);
  log(`mail: large messages, ${protocol}: engine peak ${without.engine.peakRssMb.toFixed(0)} MB → ${withLarge.engine.peakRssMb.toFixed(0)} MB`);
  return {
    protocol,
    smallMessages: small.length,
    largeMessages: big.length,
    largeBytes: Math.round(big.reduce((sum, m) => sum + m.bytes, 0) / big.length),
    without: { peakRssMb: without.engine.peakRssMb, startRssMb: without.engineStartRssMb, seconds: without.seconds },
    with: { peakRssMb: withLarge.engine.peakRssMb, startRssMb: withLarge.engineStartRssMb, seconds: withLarge.seconds, outcomes: withLarge.outcomes, quarantined: withLarge.quarantined },
    largeAttachmentsStored: withLarge.stored,
  };
}

function emptyDataset(): Dataset {
  return { dir: '', messages: [], totalBytes: 0, medianBytes: NaN, p90Bytes: NaN, maxBytes: NaN, withAttachments: 0, withLargeAttachments: 0, replies: 0, builtNow: false, buildSeconds: 0 };
}

