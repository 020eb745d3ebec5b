// The api and the sync engine as the mail benchmarks run them: each the shipped build (api/dist/main.js,
// sync-engine/dist/main.js) in its own process, with bench/process-probe.js preloaded to report its
// event-loop stalls, peak RSS and (the api) time per route. Plus the admin's GraphQL steps that give a
// mailbox a server and enable it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../test/support/dovecot';
import { ADMIN_EMAIL, BENCH_PASSWORD, MARIADB_SERVER_URL, recreateDatabase, type GqlAnswer } from './bench-api';
import { WORKER_FILE_INFIX } from './probe-files';
import type { ProbeReport } from './process-probe';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PROBE = path.join(__dirname, 'process-probe.js');
// BENCH_API_MAIN: another build of the api (an A/B of two api builds in one run of the same benchmark code).
const API_MAIN = process.env.BENCH_API_MAIN ? path.resolve(process.env.BENCH_API_MAIN) : path.join(ROOT, 'api', 'dist', 'main.js');
// BENCH_ENGINE_MAIN: another build of the engine (an A/B of two builds in one run of the same benchmark code).
const ENGINE_MAIN = process.env.BENCH_ENGINE_MAIN ? path.resolve(process.env.BENCH_ENGINE_MAIN) : path.join(ROOT, 'sync-engine', 'dist', 'main.js');

/** Throws unless the api and the engine are built (this benchmark runs them as shipped, from dist/). */
export function assertBuilt(): void {
  const missing = [API_MAIN, ENGINE_MAIN].filter((file) => !fs.existsSync(file));
  if (missing.length) throw new Error(`not built: ${missing.map((f) => path.relative(ROOT, f)).join(', ')}; run npx tsc -p api/tsconfig.build.json && npx tsc -p sync-engine/tsconfig.build.json`);
}

/** BENCH_PROBE_KEEP_DIR: each child's final probe report is also kept there (bench/process-probe.ts). */
const keepProbe = (): Record<string, string> => (process.env.BENCH_PROBE_KEEP_DIR ? { BENCH_PROBE_KEEP_DIR: process.env.BENCH_PROBE_KEEP_DIR } : {});

/**
 * The variables named `<prefix><NAME>`, as NAME: BENCH_ENGINE_ENV_<NAME>=value gives the engine's process NAME=value
 * (an A/B of, say, MALLOC_ARENA_MAX), BENCH_API_ENV_<NAME> the api's (say, API_PROCESSES).
 */
const envWithPrefix = (prefix: string): Record<string, string> =>
  Object.fromEntries(Object.entries(process.env).flatMap(([name, value]) => (name.startsWith(prefix) && value !== undefined ? [[name.slice(prefix.length), value]] : [])));

/** A child process with the probe preloaded: its report, and stop (SIGTERM, then the probe's last write). */
class Probed {
  protected readonly child: ChildProcess;
  protected output = '';
  readonly exited: Promise<number | null>;
  private readonly probeFile: string;

  constructor(main: string, env: Record<string, string>, label: string) {
    this.probeFile = path.join(os.tmpdir(), `crm-bench-probe-${label}-${process.pid}-${randomBytes(4).toString('hex')}.json`);
    // BENCH_PROFILE_DIR: also write a V8 CPU profile of the process there (where does the time go?).
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`, `--cpu-prof-name=${label}-${Date.now()}.cpuprofile`] : [];
    // BENCH_ENGINE_NODE_ARGS: node flags for the engine's process (an A/B of V8 settings), e.g. "--max-semi-space-size=2".
    const nodeArgs = label === 'engine' && process.env.BENCH_ENGINE_NODE_ARGS ? process.env.BENCH_ENGINE_NODE_ARGS.split(/\s+/).filter(Boolean) : [];
    this.child = spawn(process.execPath, [...profile, ...nodeArgs, '--require', PROBE, main], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...keepProbe(), ...(label === 'engine' ? envWithPrefix('BENCH_ENGINE_ENV_') : {}), ...env, ...(label === 'api' ? envWithPrefix('BENCH_API_ENV_') : {}), BENCH_PROBE_FILE: this.probeFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString('utf8')).slice(-8000)));
    this.exited = once(this.child, 'close').then(([code]) => code as number | null);
  }

  /** The probe's latest report (at most a second old; exact after stop()); an api of several processes: all of them added up. */
  probe(): ProbeReport {
    return addReports([this.probeFile, ...this.workerFiles()].map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as ProbeReport));
  }

  /** Closes a period: resolves with the figures since the start or the last period, and starts them afresh. */
  async period(): Promise<ProbeReport> {
    const periodFiles = [this.probeFile, ...this.workerFiles()].map((f) => `${f}.period`);
    for (const f of periodFiles) fs.rmSync(f, { force: true });
    this.child.kill('SIGUSR2');
    const deadline = Date.now() + 5000;
    while (!periodFiles.every((f) => fs.existsSync(f))) {
      if (Date.now() > deadline) throw new Error('the probe did not answer SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const reports = periodFiles.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as ProbeReport);
    for (const f of periodFiles) fs.rmSync(f, { force: true });
    return addReports(reports);
  }

  /** The report files of an api's cluster workers (API_PROCESSES > 1); none for any other process. */
  private workerFiles(): string[] {
    const dir = path.dirname(this.probeFile);
    const prefix = `${path.basename(this.probeFile)}${WORKER_FILE_INFIX}`;
    return fs
      .readdirSync(dir)
      .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
      .map((name) => path.join(dir, name));
  }

  /** Sends `name` (kill -9: SIGKILL) without waiting. */
  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  /** SIGTERM and wait for the exit; returns the probe's final report. */
  async stop(): Promise<ProbeReport | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
      await this.exited;
      clearTimeout(timer);
    }
    try {
      return this.probe();
    } catch {
      return null;
    } finally {
      for (const f of this.workerFiles()) fs.rmSync(f, { force: true });
      fs.rmSync(this.probeFile, { force: true });
    }
  }
}

export class ApiProcess extends Probed {
  readonly graphqlUrl: string;
  readonly syncServiceKey: string;
  private readonly dataDir: string;

  private constructor(readonly database: string, port: number, syncServiceKey: string, dataDir: string, env: Record<string, string>) {
    super(
      API_MAIN,
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `${MARIADB_SERVER_URL}/${database}`,
        DATA_DIR: dataDir,
        WEB_DIST_DIR: path.join(dataDir, 'no-web'),
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        SYNC_SERVICE_API_KEY: syncServiceKey,
        // The demo records (users, contacts, accounts), but no demo history: the benchmark counts what the engine writes.
        SEED_DEMO_ACTIVITIES: 'false',
        DEMO_PASSWORD: BENCH_PASSWORD,
        ...env,
      },
      'api',
    );
    // Its log lines (warnings and errors only) are kept for failure messages; a pipe nobody reads would block it.
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString('utf8')).slice(-8000)));
    this.graphqlUrl = `http://127.0.0.1:${port}/graphql`;
    this.syncServiceKey = syncServiceKey;
    this.dataDir = dataDir;
  }

  /**
   * The api on `database`, resolved once it answers GraphQL: a fresh database (dropped and created)
   * unless `reuse` (a second api process on the same data); `env` adds to or overrides its environment.
   */
  static async start(database: string, options: { env?: Record<string, string>; reuse?: boolean } = {}): Promise<ApiProcess> {
    if (!options.reuse) await recreateDatabase(database);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-api-'));
    const api = new ApiProcess(database, await freePort(), `crm_key_${randomBytes(32).toString('base64url')}`, dataDir, options.env ?? {});
    let exited = false;
    void api.exited.then(() => (exited = true));
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (exited) throw new Error(`the api exited before it served:\n${api.output}`);
      if (Date.now() > deadline) throw new Error(`the api did not answer within 120 s:\n${api.output}`);
      try {
        if ((await api.gql('{ __typename }')).status === 200) return api;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlAnswer<T>> {
    const response = await fetch(this.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  }

  /** Like gql, but throws on any error and returns the data. */
  async data<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T> {
    const answer = await this.gql<T>(query, variables, token);
    if (answer.errors?.length || !answer.data) throw new Error(`GraphQL failed (HTTP ${answer.status}): ${JSON.stringify(answer.errors ?? answer)}`);
    return answer.data;
  }

  async login(email = ADMIN_EMAIL): Promise<string> {
    const result = await this.data<{ login: { token: string } }>('mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }', { email, password: BENCH_PASSWORD });
    return result.login.token;
  }

  override async stop(): Promise<ProbeReport | null> {
    const report = await super.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    return report;
  }
}

/** One pino line of the engine (its `time` is ISO 8601). */
export type LogLine = Record<string, unknown> & { level: number; msg: string; time: string };

/** When the engine wrote `line`, in ms since the epoch. */
export const timeOf = (line: LogLine): number => Date.parse(line.time);

export class EngineProcess extends Probed {
  readonly lines: LogLine[] = [];
  private waiters: (() => void)[] = [];
  private done = false;

  constructor(env: Record<string, string>) {
    super(ENGINE_MAIN, env, 'engine');
    createInterface({ input: this.child.stdout! }).on('line', (text) => {
      try {
        this.lines.push(JSON.parse(text) as LogLine);
      } catch {
        this.output = (this.output + text + '\n').slice(-8000);
      }
      this.notify();
    });
    void this.exited.then(() => {
      this.done = true;
      this.notify();
    });
  }

  /** The first line (from index `from` on) that matches; rejects when the engine exits without one or after `timeoutMs`. */
  waitForLine(test: (line: LogLine) => boolean, options: { from?: number; timeoutMs?: number } = {}): Promise<LogLine> {
    const from = options.from ?? 0;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`engine: no expected log line within ${options.timeoutMs} ms; last lines:\n${this.tail()}`)), options.timeoutMs ?? 600_000);
      const check = (): void => {
        const line = this.lines.slice(from).find(test);
        if (line) {
          clearTimeout(timer);
          return resolve(line);
        }
        if (this.done) {
          clearTimeout(timer);
          return reject(new Error(`engine exited without the expected log line:\n${this.tail()}`));
        }
        this.waiters.push(check);
      };
      check();
    });
  }

  /** Errors and warnings it logged (a clean run has none). */
  problems(): LogLine[] {
    return this.lines.filter((line) => line.level >= 40);
  }

  tail(n = 20): string {
    return [...this.lines.slice(-n).map((line) => JSON.stringify(line)), this.output].join('\n');
  }

  private notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) waiter();
  }
}

/** The Dovecot server on loopback (IMAP or POP3), or an Exchange server's EWS URL. */
export type MailServer = { readonly kind: 'IMAP_SMTP' | 'POP3_SMTP'; readonly port: number } | { readonly kind: 'EXCHANGE_EWS'; readonly url: string };

/** The email server profile for `server`, as an administrator fills it in. */
function profileInput(server: MailServer): Record<string, unknown> {
  if (server.kind === 'EXCHANGE_EWS') return { name: 'EWS test server', kind: server.kind, ewsUrl: server.url, authMethod: 'PASSWORD', pollIntervalSeconds: 5 };
  return {
    name: `Dovecot ${server.kind}`,
    kind: server.kind,
    incomingHost: '127.0.0.1',
    incomingPort: server.port,
    incomingTls: 'NONE',
    outgoingHost: '127.0.0.1',
    outgoingPort: 25,
    outgoingTls: 'NONE',
    pollIntervalSeconds: 5,
  };
}

/**
 * The administrator's steps (Dynamics' mailbox form) for `address`: a server profile, server-side sync,
 * credentials, approval, tracking filter ALL, then Test & Enable (which needs an engine running).
 * Returns the mailbox id.
 */
export async function configureMailbox(api: ApiProcess, admin: string, address: string, server: MailServer, password: string, options: { appointments?: boolean } = {}): Promise<string> {
  const { mailboxes } = await api.data<{ mailboxes: { id: string; address: string }[] }>('{ mailboxes { id address } }', {}, admin);
  const mailboxId = mailboxes.find((m) => m.address === address)?.id;
  if (!mailboxId) throw new Error(`no mailbox for ${address}`);
  // Outgoing method NONE: the engine neither tests nor uses an outgoing server here; an IMAP/POP3 profile still names one.
  const profile = await api.data<{ createEmailServerProfile: { id: string } }>(
    'mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { id } }',
    { input: profileInput(server) },
    admin,
  );
  const profileId = profile.createEmailServerProfile.id;
  await api.data('mutation($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { id } }', { id: mailboxId, input: { profileId, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'NONE', ...(options.appointments ? { appointmentsContactsTasksMethod: 'SERVER_SIDE_SYNC' } : {}) } }, admin);
  await api.data('mutation($id: ID!, $input: MailboxCredentialsInput!) { setMailboxCredentials(id: $id, input: $input) { id } }', { id: mailboxId, input: { username: address, password } }, admin);
  await api.data('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: mailboxId }, admin);
  await api.data('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: mailboxId, input: { trackingFilter: 'ALL' } }, admin);
  await api.data('mutation($id: ID!) { testAndEnableMailbox(id: $id) { id } }', { id: mailboxId }, admin);
  return mailboxId;
}

/** Waits until the mailbox is ENABLED (Test & Enable passed); throws with the test results when it is not. */
export async function waitForEnabled(api: ApiProcess, admin: string, mailboxId: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { mailboxes } = await api.data<{ mailboxes: { id: string; state: string; incomingTest: unknown; outgoingTest: unknown }[] }>(
      '{ mailboxes { id state incomingTest { status code reason } outgoingTest { status code reason } } }',
      {},
      admin,
    );
    const mailbox = mailboxes.find((m) => m.id === mailboxId)!;
    if (mailbox.state === 'ENABLED') return;
    if (Date.now() > deadline) throw new Error(`the mailbox was not enabled: ${JSON.stringify(mailbox)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Several processes' reports as one: CPU time, requests and memory added up (the memory peaks are each process's
 * own, so their sum is an upper bound of the peak of them all), the longest stall of any. A single report is itself.
 */
function addReports(reports: readonly ProbeReport[]): ProbeReport {
  if (reports.length === 1) return reports[0];
  const sum = (pick: (r: ProbeReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
  const routes: Record<string, { count: number; ms: number }> = {};
  for (const report of reports) {
    for (const [key, { count, ms }] of Object.entries(report.routes)) {
      const entry = (routes[key] ??= { count: 0, ms: 0 });
      entry.count += count;
      entry.ms += ms;
    }
  }
  return {
    stallMaxMs: Math.max(...reports.map((r) => r.stallMaxMs)),
    stallP99Ms: Math.max(...reports.map((r) => r.stallP99Ms)),
    peakRssMb: sum((r) => r.peakRssMb),
    rssMb: sum((r) => r.rssMb),
    peakHeapUsedMb: sum((r) => r.peakHeapUsedMb),
    peakExternalMb: sum((r) => r.peakExternalMb),
    peakWorkerHeapUsedMb: sum((r) => r.peakWorkerHeapUsedMb),
    peakWorkerExternalMb: sum((r) => r.peakWorkerExternalMb),
    peakSampledRssMb: sum((r) => r.peakSampledRssMb),
    atPeak: reports[0].atPeak,
    cpuMs: sum((r) => r.cpuMs),
    routes,
    writtenAt: Math.max(...reports.map((r) => r.writtenAt)),
  };
}
