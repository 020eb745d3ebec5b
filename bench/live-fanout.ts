// Benchmark 4: live fan-out. A thousand graphql-ws subscribers of activityChanged on one api process,
// events made through the api as a user at a steady rate, the time from commit to each subscriber's
// receipt and the api's CPU time per event; next to a bare `ws` server sending the same bytes to the
// same number of sockets in the same run. With the in-process bus (one api process takes the mutations
// and serves the sockets) and, when the build has it, with Redis (the mutations go to a second api
// process; the sockets' process hears of the commit over Redis).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRedisServer } from '../test/support/redis-server';
import { ADMIN_EMAIL } from './bench-api';
import { LiveSockets, type Receipts, type SocketSpec } from './live-sockets';
import { ApiProcess } from './mail-processes';
import { PlainBroadcaster } from './plain-broadcaster';
import { percentile } from './stats';
import { recordPageSubscription } from './web-queries';

export const LIVE_DATABASE = 'crm_bench_live';
const API_DIST = path.resolve(__dirname, '..', '..', '..', 'api', 'dist');

/** What an open record page asks for, as the web UI sends it. */
const SUBSCRIPTION = recordPageSubscription();
const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';
const CREATE_APPOINTMENT = 'mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }';
const DRAIN_TIMEOUT_MS = 15_000;

export interface LiveOptions {
  /** Subscribers of the large runs (1,000 in the issue). */
  readonly subscribers: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Processes the sockets are spread over. */
  readonly clientProcesses: number;
  /** Users the "many users" run spreads its subscribers over. */
  readonly users: number;
  readonly log: (line: string) => void;
}

export interface Figures {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface FanoutRun {
  readonly label: string;
  readonly server: 'graphql' | 'plain ws';
  readonly bus: 'in-process' | 'redis' | null;
  readonly shape: 'one record' | 'own records';
  readonly subscribers: number;
  readonly users: number;
  /** Sockets each event is for. */
  readonly receivers: number;
  readonly events: number;
  /** Commit → receipt, each (event, subscriber): from the mutation's HTTP answer at the driver (GraphQL) or the start of the send loop (plain). */
  readonly latency: Figures;
  /** GraphQL: from the moment the mutation was sent (an upper bound: includes the mutation itself). */
  readonly fromSend: Figures | null;
  /** GraphQL: the mutation's round trip. */
  readonly mutation: Figures | null;
  /** CPU time of the process serving the sockets per event, ms (in-process: it also ran the mutation). */
  readonly cpuPerEventMs: number;
  /** Redis: CPU time of the process that ran the mutations, per event, ms. */
  readonly writerCpuPerEventMs: number | null;
  readonly missing: number;
  readonly problems: number;
  readonly firstProblem: string | null;
  /** The machine's 1-minute load average as the run began (other work on the machine shows here). */
  readonly loadAverage: number;
}

export interface LiveReport {
  readonly settings: { subscribers: number; seconds: number; perSecond: number; clientProcesses: number; users: number };
  readonly runs: FanoutRun[];
  /** Why the Redis runs are absent, when they are. */
  readonly redisSkipped: string | null;
  readonly redisVersion: string | null;
  readonly payloadBytes: number;
  readonly nproc: number;
}

const summary = (values: number[]): Figures => ({
  n: values.length,
  p50: percentile(values, 50),
  p95: percentile(values, 95),
  p99: percentile(values, 99),
  max: values.length ? values.reduce((a, b) => Math.max(a, b), -Infinity) : NaN,
});

/** The machine's monotonic clock (CLOCK_MONOTONIC, shared by every process), in ms with ns precision. */
const clockNow = () => Number(process.hrtime.bigint()) / 1e6;

/** Who subscribes, to what, and which sockets each event is for. */
interface Shape {
  readonly name: 'one record' | 'own records';
  readonly specs: SocketSpec[];
  /** Event k (negative: warm-up) is for these sockets. */
  receivers(k: number): readonly number[];
  /** Warm-up events that reach every socket at least once. */
  readonly warmups: number;
  /** The mutation that makes event k, as the admin. */
  mutation(k: number): { query: string; variables: Record<string, unknown> };
}

interface Setup {
  readonly admin: string;
  readonly userTokens: string[];
  readonly target: string;
  readonly contacts: string[];
}

/** The admin's records and users for the runs: one target contact, a contact per subscriber, users in the admin's unit. */
async function prepare(api: ApiProcess, options: LiveOptions): Promise<Setup> {
  const admin = await api.login(ADMIN_EMAIL);
  const meta = await api.data<{ viewer: { businessUnit: { id: string } }; securityRoles: { id: string; name: string }[] }>('{ viewer { businessUnit { id } } securityRoles { id name } }', {}, admin);
  const role = meta.securityRoles.find((r) => r.name === 'Salesperson');
  if (!role) throw new Error('live: no Salesperson role in the seeded organization');
  const createContact = async (lastName: string) =>
    (await api.data<{ createContact: { id: string } }>('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { firstName: 'Live', lastName } }, admin)).createContact.id;
  const target = await createContact('Fan-out Target');
  const contacts: string[] = new Array(options.subscribers);
  for (let i = 0; i < options.subscribers; i += 8) {
    await Promise.all(Array.from({ length: Math.min(8, options.subscribers - i) }, async (_, j) => (contacts[i + j] = await createContact(`Subscriber ${i + j + 1}`))));
  }
  // Salespeople in the admin's unit read what the admin owns there (business-unit depth).
  const userTokens: string[] = [];
  const password = `live-bench-${Date.now().toString(36)}-Pw`;
  for (let u = 0; u < options.users; u++) {
    const email = `live.bench.${u + 1}@demo.crm.test`;
    await api.data('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', { input: { email, fullName: `Live Bench ${u + 1}`, businessUnitId: meta.viewer.businessUnit.id, password, roleIds: [role.id] } }, admin);
    const login = await api.data<{ login: { token: string } }>('mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }', { email, password });
    userTokens.push(login.login.token);
  }
  return { admin, userTokens, target, contacts };
}

const subject = (k: number) => `live-bench ${k}`;

function oneRecord(setup: Setup, subscribers: number, tokens: readonly string[]): Shape {
  const everyone = Array.from({ length: subscribers }, (_, i) => i);
  return {
    name: 'one record',
    specs: everyone.map((i) => ({ kind: 'graphql', token: tokens[i % tokens.length], query: SUBSCRIPTION, variables: { recordId: setup.target, includeRelated: false, kinds: null } })),
    receivers: () => everyone,
    warmups: 1,
    mutation: (k) => ({ query: CREATE_TASK, variables: { input: { subject: subject(k), regardingId: setup.target } } }),
  };
}

/** Every subscriber on its own contact; each event an appointment with 1 % of them (at least one) as attendees. */
function ownRecords(setup: Setup, subscribers: number, token: string): Shape {
  const perEvent = Math.max(1, Math.floor(subscribers / 100));
  const groups = Math.ceil(subscribers / perEvent);
  // Group g: sockets g, g + groups, …: spread over the client processes as the server's sockets are.
  const group = (g: number) => Array.from({ length: perEvent }, (_, j) => g + j * groups).filter((i) => i < subscribers);
  const groupOf = (k: number) => ((k % groups) + groups) % groups;
  return {
    name: 'own records',
    specs: Array.from({ length: subscribers }, (_, i) => ({ kind: 'graphql', token, query: SUBSCRIPTION, variables: { recordId: setup.contacts[i], includeRelated: false, kinds: null } })),
    receivers: (k) => group(groupOf(k)),
    warmups: groups,
    mutation: (k) => {
      const start = new Date(Date.UTC(2027, 0, 1, 9) + (k + groups) * 3_600_000);
      return {
        query: CREATE_APPOINTMENT,
        variables: { input: { subject: subject(k), startAt: start.toISOString(), endAt: new Date(start.getTime() + 1_800_000).toISOString(), requiredAttendeeIds: group(groupOf(k)).map((i) => setup.contacts[i]) } },
      };
    },
  };
}

/** Expected messages per socket for events `ks`. */
function expectedCounts(shape: Pick<Shape, 'receivers'>, ks: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const k of ks) for (const socket of shape.receivers(k)) counts.set(socket, (counts.get(socket) ?? 0) + 1);
  return counts;
}

class SocketFleet {
  constructor(readonly processes: LiveSockets[]) {}

  /** Socket i lives in process floor(i / (n / processes)): contiguous blocks. */
  private blockOf(n: number): number {
    return Math.ceil(n / this.processes.length);
  }

  async open(url: string, specs: SocketSpec[]): Promise<void> {
    const block = this.blockOf(specs.length);
    await Promise.all(this.processes.map((p, i) => p.open(url, i * block, specs.slice(i * block, (i + 1) * block))));
  }

  async reset(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.reset()));
  }

  /** Null once every socket received its expected count, else (after the timeout) what is missing. */
  async wait(expected: Map<number, number>, total: number, timeoutMs: number): Promise<string | null> {
    const block = this.blockOf(total);
    const shortfalls = await Promise.all(
      this.processes.map((p, i) => p.wait([...expected].filter(([socket]) => Math.floor(socket / block) === i), timeoutMs)),
    );
    const short = shortfalls.filter((s) => s !== null);
    return short.length ? short.join('; ') : null;
  }

  /** Throws unless every socket received its expected count within the timeout. */
  async expect(expected: Map<number, number>, total: number, timeoutMs: number, what: string): Promise<void> {
    const short = await this.wait(expected, total, timeoutMs);
    if (short) throw new Error(`live: ${what}: ${short}`);
  }

  async collect(): Promise<Receipts[]> {
    return Promise.all(this.processes.map((p) => p.collect()));
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.close()));
  }
}

interface Measured {
  readonly latencies: number[];
  readonly received: number;
  readonly problems: number;
  readonly firstProblem: string | null;
  readonly sample: string | null;
}

/** Pairs every receipt of a measured event (k ≥ 0) with that event's start. */
function measure(receipts: Receipts[], startOf: (k: number) => number | undefined): Measured {
  const latencies: number[] = [];
  const seen = new Set<string>();
  const odd: string[] = [];
  let oddCount = 0;
  const note = (text: string) => {
    oddCount++;
    if (odd.length < 3) odd.push(text);
  };
  for (const r of receipts) {
    for (let i = 0; i < r.events.length; i++) {
      const [socket, k] = [r.sockets[i], r.events[i]];
      const pair = `${socket}:${k}`;
      // Each socket should see each event once, and no warm-up event after the warm-up.
      if (seen.has(pair)) note(`socket ${socket} received event ${k} again`);
      seen.add(pair);
      const start = k >= 0 ? startOf(k) : undefined;
      if (start === undefined) note(`socket ${socket} received event ${k} during the run`);
      else latencies.push(r.at[i] - start);
    }
  }
  return {
    latencies,
    received: latencies.length,
    problems: receipts.reduce((a, r) => a + r.problemCount, 0) + oddCount,
    firstProblem: receipts.flatMap((r) => r.problems)[0] ?? odd[0] ?? null,
    sample: receipts.find((r) => r.sample)?.sample ?? null,
  };
}

function logRun(log: (line: string) => void, latencies: number[], cpuPerEventMs: number, missing: number): void {
  const f = summary(latencies);
  log(`live:   p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms; CPU per event ${cpuPerEventMs.toFixed(2)} ms; missing ${missing}; load average ${os.loadavg()[0].toFixed(1)}`);
}

/** One GraphQL run: sockets on `server`, mutations through `writer` (the same process in-process). */
async function graphqlRun(
  fleet: SocketFleet,
  shape: Shape,
  server: ApiProcess,
  writer: ApiProcess,
  admin: string,
  options: LiveOptions & { label: string; bus: 'in-process' | 'redis'; users: number },
): Promise<{ run: FanoutRun; sample: string | null }> {
  const { log } = options;
  const n = shape.specs.length;
  log(`live: ${options.label}: ${n} graphql-ws subscribers (${options.bus}), ${options.perSecond} events/s for ${options.seconds} s`);
  const cursor = (await writer.data<{ liveCursor: string }>('{ liveCursor }', {}, admin)).liveCursor;
  await fleet.open(server.graphqlUrl.replace(/^http/, 'ws'), shape.specs.map((s) => (s.kind === 'graphql' ? { ...s, variables: { ...s.variables, after: cursor } } : s)));
  // Warm-up: events that reach every socket prove every subscription is live (and warm the caches).
  const warmupKs = Array.from({ length: shape.warmups }, (_, i) => -1 - i);
  for (const k of warmupKs) {
    const m = shape.mutation(k);
    await writer.data(m.query, m.variables, admin);
  }
  await fleet.expect(expectedCounts(shape, warmupKs), n, DRAIN_TIMEOUT_MS, `${options.label}: warm-up`);
  await fleet.reset();

  const events = options.seconds * options.perSecond;
  const loadAverage = os.loadavg()[0];
  const sentAt: number[] = [];
  const answeredAt: number[] = [];
  let failed: string | null = null;
  await server.period();
  if (writer !== server) await writer.period();
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let k = 0; k < events; k++) {
    const due = started + (k * 1000) / options.perSecond;
    if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
    const m = shape.mutation(k);
    sentAt[k] = clockNow();
    inFlight.push(
      writer.gql(m.query, m.variables, admin).then((answer) => {
        answeredAt[k] = clockNow();
        if (answer.errors?.length) failed ??= JSON.stringify(answer.errors);
      }),
    );
  }
  await Promise.all(inFlight);
  if (failed) throw new Error(`live: ${options.label}: a mutation failed: ${failed}`);
  const ks = Array.from({ length: events }, (_, k) => k);
  // A server that falls behind shows as latency, and what has not arrived DRAIN_TIMEOUT_MS after the last event as missing.
  const short = await fleet.wait(expectedCounts(shape, ks), n, DRAIN_TIMEOUT_MS);
  const cpu = await server.period();
  const writerCpu = writer !== server ? await writer.period() : null;
  const receipts = await fleet.collect();
  await fleet.close();
  const fromAnswer = measure(receipts, (k) => answeredAt[k]);
  const fromSend = measure(receipts, (k) => sentAt[k]);
  const expected = ks.reduce((a, k) => a + shape.receivers(k).length, 0);
  logRun(log, fromAnswer.latencies, cpu.cpuMs / events, expected - fromAnswer.received);
  return {
    sample: fromAnswer.sample,
    run: {
      label: options.label,
      server: 'graphql',
      bus: options.bus,
      shape: shape.name,
      subscribers: n,
      users: options.users,
      receivers: shape.receivers(0).length,
      events,
      latency: summary(fromAnswer.latencies),
      fromSend: summary(fromSend.latencies),
      mutation: summary(ks.map((k) => answeredAt[k] - sentAt[k])),
      cpuPerEventMs: cpu.cpuMs / events,
      writerCpuPerEventMs: writerCpu ? writerCpu.cpuMs / events : null,
      missing: expected - fromAnswer.received,
      problems: fromAnswer.problems + (short ? 1 : 0),
      firstProblem: fromAnswer.firstProblem ?? short,
      loadAverage,
    },
  };
}

/** The same number of sockets on the bare ws server, the same bytes, the same receivers per event. */
async function plainRun(fleet: SocketFleet, broadcaster: PlainBroadcaster, shape: Shape, sample: string, options: LiveOptions & { label: string }): Promise<FanoutRun> {
  const n = shape.specs.length;
  options.log(`live: ${options.label}: ${n} sockets on a bare ws server, the same message, ${options.perSecond} events/s for ${options.seconds} s`);
  const template = sample.replace(/live-bench -?\d+/, 'live-bench __K__');
  await fleet.open(broadcaster.url, shape.specs.map(() => ({ kind: 'plain' })));
  const everyone = Array.from({ length: n }, (_, i) => i);
  await broadcaster.run({ template, events: 1, perSecond: options.perSecond, groups: [everyone] });
  await fleet.expect(new Map(everyone.map((i) => [i, 1])), n, DRAIN_TIMEOUT_MS, `${options.label}: warm-up`);
  await fleet.reset();
  const events = options.seconds * options.perSecond;
  const loadAverage = os.loadavg()[0];
  const ks = Array.from({ length: events }, (_, k) => k);
  // One group per event: the broadcaster takes groups[k % length].
  const result = await broadcaster.run({ template, events, perSecond: options.perSecond, groups: ks.map((k) => shape.receivers(k)) });
  const short = await fleet.wait(expectedCounts(shape, ks), n, DRAIN_TIMEOUT_MS);
  const receipts = await fleet.collect();
  await fleet.close();
  const measured = measure(receipts, (k) => result.sentAt[k]);
  const expected = ks.reduce((a, k) => a + shape.receivers(k).length, 0);
  logRun(options.log, measured.latencies, result.cpuMs / events, expected - measured.received);
  return {
    label: options.label,
    server: 'plain ws',
    bus: null,
    shape: shape.name,
    subscribers: n,
    users: 0,
    receivers: shape.receivers(0).length,
    events,
    latency: summary(measured.latencies),
    fromSend: null,
    mutation: null,
    cpuPerEventMs: result.cpuMs / events,
    writerCpuPerEventMs: null,
    missing: expected - measured.received,
    problems: measured.problems + (short ? 1 : 0),
    firstProblem: measured.firstProblem ?? short,
    loadAverage,
  };
}

function redisServerVersion(): string {
  try {
    return /v=([\d.]+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Whether this build of the api has the Redis bus (api/src/live/redis-bus.ts). */
const hasRedisBus = () => fs.existsSync(path.join(API_DIST, 'live', 'redis-bus.js'));

export async function runLiveBenchmark(options: LiveOptions): Promise<LiveReport> {
  const { log, subscribers } = options;
  const env = {
    // One user holds all the benchmark's connections (the default allows 50).
    LIVE_CONNECTIONS_PER_USER: String(subscribers + 100),
    // The driver does not wait for one event's mutation before the next is due: measure the fan-out, not the per-caller share (default 8).
    MAX_CONCURRENT_PER_CALLER: '1000',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    // For experiments: more of the api's environment, as JSON (e.g. '{"AUTH_CACHE_SECONDS":"60"}').
    ...(JSON.parse(process.env.BENCH_LIVE_API_ENV ?? '{}') as Record<string, string>),
  };
  // For experiments: only the runs whose label matches this regular expression (a plain ws run needs the GraphQL run before it).
  const wanted = (label: string) => !process.env.BENCH_LIVE_ONLY || new RegExp(process.env.BENCH_LIVE_ONLY).test(label);
  const runs: FanoutRun[] = [];
  let payloadBytes = NaN;
  let redisSkipped: string | null = null;
  let redisVersion: string | null = null;
  const fleet = new SocketFleet(Array.from({ length: options.clientProcesses }, () => LiveSockets.start()));
  const broadcaster = await PlainBroadcaster.start();
  let api: ApiProcess | null = null;
  try {
    log(`live: database ${LIVE_DATABASE}: the api's seed, then ${subscribers + 1} contacts and ${options.users} users through GraphQL`);
    api = await ApiProcess.start(LIVE_DATABASE, { env });
    const setup = await prepare(api, options);
    const small = Math.max(1, Math.floor(subscribers / 10));
    const shapes = {
      one: oneRecord(setup, subscribers, [setup.admin]),
      oneSmall: oneRecord(setup, small, [setup.admin]),
      oneUsers: oneRecord(setup, subscribers, setup.userTokens),
      own: ownRecords(setup, subscribers, setup.admin),
    };
    const common = { ...options, bus: 'in-process' as const };
    // Each GraphQL run, then (where given) the bare ws server with the message that run delivered.
    const local: [Shape, string, number, string | null][] = [
      [shapes.one, `one record, ${subscribers} subscribers, 1 user`, 1, `plain ws, ${subscribers} sockets, every event to all`],
      [shapes.oneSmall, `one record, ${small} subscribers, 1 user`, 1, `plain ws, ${small} sockets, every event to all`],
      [shapes.oneUsers, `one record, ${subscribers} subscribers, ${options.users} users`, options.users, null],
      [shapes.own, `own records, ${subscribers} subscribers, 1 % per event`, 1, `plain ws, ${subscribers} sockets, each event to 1 %`],
    ];
    for (const [shape, label, users, plainLabel] of local) {
      if (!wanted(label)) continue;
      const ours = await graphqlRun(fleet, shape, api, api, setup.admin, { ...common, label, users });
      runs.push(ours.run);
      if (Number.isNaN(payloadBytes)) payloadBytes = Buffer.byteLength(ours.sample ?? '');
      if (plainLabel && ours.sample) runs.push(await plainRun(fleet, broadcaster, shape, ours.sample, { ...options, label: plainLabel }));
    }
    await api.stop();
    api = null;

    if (!hasRedisBus()) {
      redisSkipped = 'this build of the api has no Redis bus (api/src/live/redis-bus.ts has not landed)';
      log(`live: Redis runs skipped: ${redisSkipped}`);
    } else {
      // A private redis-server on a free loopback port, nothing saved (as the tests start it).
      const redis = await startRedisServer();
      redisVersion = redisServerVersion();
      let writer: ApiProcess | null = null;
      let server: ApiProcess | null = null;
      try {
        const redisEnv = { ...env, REDIS_URL: redis.url };
        writer = await ApiProcess.start(LIVE_DATABASE, { env: redisEnv, reuse: true });
        server = await ApiProcess.start(LIVE_DATABASE, { env: redisEnv, reuse: true });
        const redisCommon = { ...options, bus: 'redis' as const };
        for (const [shape, label] of [[shapes.one, `Redis: one record, ${subscribers} subscribers, 1 user`], [shapes.own, `Redis: own records, ${subscribers} subscribers, 1 % per event`]] as const) {
          if (wanted(label)) runs.push((await graphqlRun(fleet, shape, server, writer, setup.admin, { ...redisCommon, label, users: 1 })).run);
        }
      } finally {
        await server?.stop();
        await writer?.stop();
        await redis.stop();
      }
    }
  } finally {
    await api?.stop();
    broadcaster.stop();
    for (const p of fleet.processes) p.stop();
  }
  return {
    settings: { subscribers, seconds: options.seconds, perSecond: options.perSecond, clientProcesses: options.clientProcesses, users: options.users },
    runs,
    redisSkipped,
    redisVersion,
    payloadBytes,
    nproc: os.availableParallelism(),
  };
}
