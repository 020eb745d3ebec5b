// Benchmark 1: reading a busy record's timeline through GraphQL, against the same SQL run raw
// through mysql2 and against PostGraphile 5 over PostgreSQL with the same data.
import mysql from 'mysql2/promise';
import { encodeTimelineCursor } from '../api/src/activities/timeline.service';
import { toGlobalId } from '../api/src/common/global-id';
import { startApiProcesses } from './api-processes';
import { ADMIN_EMAIL, MARIADB_SERVER_URL } from './bench-api';
import type { LoadClient, LoadResult } from './load-client';
import type { PeerHandle } from './peer-process';
import { latency, type Latency } from './stats';
import { prepareTimelineDataset } from './dataset-build';
import { DEFAULT_SHAPE, expectedCounts, HOT_CONTACT_ID, HOT_ENTRIES } from './timeline-dataset';

export const TIMELINE_DATABASE = 'crm_bench';
const SALESPERSON_EMAIL = 'sam.sales@demo.crm.test';
const PAGE = 50;

export const TIMELINE_QUERY = `query Timeline($recordId: ID!, $first: Int, $after: String) {
  timeline(recordId: $recordId, first: $first, after: $after) {
    edges { cursor node { id kind subject occurredAt direction } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const PEER_QUERY = `query Timeline($recordId: UUID!, $first: Int, $after: Cursor) {
  allActivities(condition: { recordId: $recordId }, orderBy: [OCCURRED_AT_DESC, ROW_ID_DESC], first: $first, after: $after) {
    edges { cursor node { rowId kind subject occurredAt direction } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface TimelineOptions {
  readonly rebuild: boolean;
  /** Measured requests per sequential series (after `warmup`). */
  readonly n: number;
  readonly warmup: number;
  readonly clients: number;
  readonly seconds: number;
  readonly load: LoadClient;
  readonly peer: PeerHandle;
  readonly log: (line: string) => void;
}

export interface Series {
  readonly label: string;
  readonly gql: Latency;
  readonly raw: Latency;
  /** Statements the api sent for one such request (after one untapped request, so caches are warm). */
  readonly statements: number;
  /** The table each of those statements reads first, in order. */
  readonly statementTables: string[];
  /** Every statement of one such request replayed raw, one after another: the database's share. */
  readonly allStatementsRaw: Latency;
}

export interface Throughput {
  readonly label: string;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

export interface TimelineReport {
  readonly settings: { n: number; warmup: number; clients: number; seconds: number };
  readonly dataset: { activities: number; timelineEntries: number; emails: number; hotEntries: number; builtNow: boolean; buildSeconds: number | null };
  readonly users: { admin: { visible: number }; salesperson: { email: string; visible: number; deepPage: number } };
  readonly series: Series[];
  /** An authenticated `{ __typename }`: what every request costs before it reads anything. */
  readonly floor: { gql: Latency; statements: number; statementTables: string[] };
  /** `{ __typename }` without a token: HTTP, express and Apollo alone. */
  readonly bare: Latency;
  readonly throughput: Throughput[];
  readonly peer: { versions: { postgraphile: string; postgres: string }; loadedNow: boolean; first: Latency; deep: Latency; throughput: Throughput };
  /** The shipped api in processes of its own: 1, then 2 sharing the port. */
  readonly processes: ProcessRun[];
  /** How the process rows were paired with PostGraphile: rounds, and per side and round the sequential requests and the seconds of load. */
  readonly pairing: { rounds: number; n: number; seconds: number };
  readonly explain: { label: string; sql: string; plan: string; analyze: string }[];
  readonly mariadbVersion: string;
}

export interface ProcessRun {
  readonly count: number;
  readonly users: {
    who: 'admin' | 'salesperson';
    first: Latency;
    throughput: Throughput;
    /** PostGraphile's first page, measured in the same rounds as ours, taking turns (sequential, then concurrent). */
    peerFirst: Latency;
    peerThroughput: Throughput;
    /** Ours ÷ PostGraphile's requests/s in each round. */
    roundRatios: number[];
  }[];
}

/** One side of a paired run: where its requests go. */
interface PairedSide {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly label: string;
}

/** Rounds of the paired runs (ours and PostGraphile's, taking turns). */
const PAIR_ROUNDS = 5;

interface Captured {
  readonly sql: string;
  readonly params: unknown[];
}

/** Sequential raw runs of one statement (or several, one after another) through a mysql2 pool. */
async function rawSequential(pool: mysql.Pool, statements: readonly Captured[], warmup: number, n: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) for (const s of statements) await pool.query(s.sql, s.params);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    for (const s of statements) await pool.query(s.sql, s.params);
    samples.push(performance.now() - t0);
  }
  return samples;
}

async function rawConcurrent(pool: mysql.Pool, statement: Captured, clients: number, seconds: number): Promise<LoadResult> {
  const started = performance.now();
  const until = started + seconds * 1000;
  const samplesMs: number[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await pool.query(statement.sql, statement.params);
        samplesMs.push(performance.now() - t0);
      }
    }),
  );
  return { samplesMs, requests: samplesMs.length, errors: 0, firstError: null, elapsedMs: performance.now() - started };
}

const requestsPerSecond = (r: LoadResult): number => r.requests / (r.elapsedMs / 1000);

const throughputOf = (label: string, r: LoadResult): Throughput => {
  const l = latency(r.samplesMs);
  return { label, requestsPerSecond: requestsPerSecond(r), p50: l.p50, p99: l.p99, errors: r.errors };
};

/** Several runs as one: their requests over their time together. */
const pooled = (runs: readonly LoadResult[]): LoadResult => ({
  samplesMs: runs.flatMap((r) => r.samplesMs),
  requests: runs.reduce((sum, r) => sum + r.requests, 0),
  errors: runs.reduce((sum, r) => sum + r.errors, 0),
  firstError: runs.find((r) => r.firstError)?.firstError ?? null,
  elapsedMs: runs.reduce((sum, r) => sum + r.elapsedMs, 0),
});

function expectClean(what: string, r: LoadResult): void {
  if (r.errors > 0) throw new Error(`${what}: ${r.errors} of ${r.requests} requests failed, first: ${r.firstError}`);
}

export async function runTimelineBenchmark(options: TimelineOptions): Promise<TimelineReport> {
  const { log, load, n, warmup } = options;
  const { bench, builtNow, buildSeconds } = await prepareTimelineDataset(TIMELINE_DATABASE, DEFAULT_SHAPE, options.rebuild, log);
  const pool = mysql.createPool({ uri: `${MARIADB_SERVER_URL}/${TIMELINE_DATABASE}`, timezone: 'Z', connectionLimit: options.clients, charset: 'utf8mb4_unicode_ci' });
  try {
    const [versionRows] = await pool.query('SELECT VERSION() AS v');
    const mariadbVersion = (versionRows as { v: string }[])[0].v;
    const recordId = toGlobalId('Contact', HOT_CONTACT_ID);
    const admin = await bench.login(ADMIN_EMAIL);
    const salesperson = await bench.login(SALESPERSON_EMAIL);

    // The last page of what each user sees: after the cursor of the 50th row from the end, built
    // the way the api builds cursors (encodeTimelineCursor over occurredAt and the activity id).
    const [userRows] = await pool.query('SELECT businessUnitId FROM app_user WHERE email = ?', [SALESPERSON_EMAIL]);
    const samUser = (userRows as { businessUnitId: string }[])[0];
    const [visibleRows] = await pool.query(
      "SELECT COUNT(*) AS n FROM timeline_entry te JOIN activity a ON a.id = te.activityId WHERE te.recordKind = 'contact' AND te.recordId = ? AND a.businessUnitId = ?",
      [HOT_CONTACT_ID, samUser.businessUnitId],
    );
    const samVisible = Number((visibleRows as { n: number }[])[0].n);
    const cursorAt = async (offset: number, unit: string | null): Promise<string> => {
      const [rows] = await pool.query(
        `SELECT te.occurredAt, te.activityId FROM timeline_entry te ${unit ? 'JOIN activity a ON a.id = te.activityId' : ''}
          WHERE te.recordKind = 'contact' AND te.recordId = ? ${unit ? 'AND a.businessUnitId = ?' : ''}
          ORDER BY te.occurredAt DESC, te.activityId DESC LIMIT 1 OFFSET ${offset}`,
        unit ? [HOT_CONTACT_ID, unit] : [HOT_CONTACT_ID],
      );
      const row = (rows as { occurredAt: Date; activityId: string }[])[0];
      return encodeTimelineCursor({ occurredAt: row.occurredAt, id: row.activityId });
    };
    const adminDeepCursor = await cursorAt(HOT_ENTRIES - PAGE - 1, null);
    const samDeepCursor = await cursorAt(samVisible - PAGE - 1, samUser.businessUnitId);

    const cases = [
      { label: 'admin, first page', token: admin, after: null as string | null },
      { label: `admin, page ${HOT_ENTRIES / PAGE} (last)`, token: admin, after: adminDeepCursor },
      { label: 'salesperson, first page', token: salesperson, after: null },
      { label: `salesperson, page ${Math.ceil(samVisible / PAGE)} (last)`, token: salesperson, after: samDeepCursor },
    ];

    // Measured alone: the peer finishes starting (and loading its dataset) before any measurement.
    log('timeline: waiting for the PostGraphile peer to be ready (it builds its PostgreSQL dataset on first use)');
    const peer = await options.peer.ready;

    // One request of each case with the statement log tapped: the exact SQL and parameters the api sends.
    const queries = bench.api.database.queries;
    let tap: Captured[] | null = null;
    const logQuery = queries.logQuery.bind(queries);
    queries.logQuery = (query, parameters, runner) => {
      tap?.push({ sql: query, params: parameters ?? [] });
      logQuery(query, parameters, runner);
    };
    const prepared = [];
    for (const c of cases) {
      // Once untapped first, so what is tapped is a steady-state request (caches warm), not a first one.
      await bench.data(TIMELINE_QUERY, { recordId, first: PAGE, after: c.after }, c.token);
      tap = [];
      const answer = await bench.data<{ timeline: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } } }>(TIMELINE_QUERY, { recordId, first: PAGE, after: c.after }, c.token);
      const statements = tap;
      tap = null;
      const page = statements.find((s) => /FROM\s+`timeline_entry`/i.test(s.sql) && /ORDER BY/i.test(s.sql) && !/COUNT\(/i.test(s.sql));
      if (!page) throw new Error(`no timeline page statement among the ${statements.length} the api sent for "${c.label}"`);
      // The raw statement must return what GraphQL showed: the same activities in the same order.
      const [rows] = await pool.query(page.sql, page.params);
      const rawIds = (rows as { a_id: string }[]).map((r) => r.a_id);
      const shownIds = answer.timeline.edges.map((e) => Buffer.from(e.node.id, 'base64url').toString('utf8').split(':')[1]);
      if (shownIds.length !== PAGE || JSON.stringify(rawIds.slice(0, PAGE)) !== JSON.stringify(shownIds)) {
        throw new Error(`"${c.label}": GraphQL showed ${shownIds.length} activities that differ from the raw statement's rows`);
      }
      if (c.after && answer.timeline.pageInfo.hasNextPage) throw new Error(`"${c.label}" is not the last page`);
      prepared.push({ ...c, page, statements });
    }
    await bench.data('{ __typename }', {}, admin);
    tap = [];
    await bench.data('{ __typename }', {}, admin);
    const floorStatements = tap;
    tap = null;
    queries.logQuery = logQuery;

    const series: Series[] = [];
    for (const c of prepared) {
      log(`timeline: ${c.label}: ${n} sequential GraphQL requests, then the same SQL raw`);
      const body = JSON.stringify({ query: TIMELINE_QUERY, variables: { recordId, first: PAGE, after: c.after } });
      const gql = await load.run({ kind: 'sequential', url: bench.graphqlUrl, headers: { authorization: `Bearer ${c.token}` }, body, warmup, n });
      expectClean(c.label, gql);
      const raw = await rawSequential(pool, [c.page], warmup, n);
      const all = await rawSequential(pool, c.statements, Math.min(warmup, 20), Math.min(n, 200));
      series.push({ label: c.label, gql: latency(gql.samplesMs), raw: latency(raw), statements: c.statements.length, statementTables: c.statements.map(tableOf), allStatementsRaw: latency(all) });
    }
    log(`timeline: { __typename } with and without a token: ${n} sequential requests each`);
    const floorRun = await load.run({ kind: 'sequential', url: bench.graphqlUrl, headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify({ query: '{ __typename }' }), warmup, n });
    expectClean('{ __typename }', floorRun);
    const floor = { gql: latency(floorRun.samplesMs), statements: floorStatements.length, statementTables: floorStatements.map(tableOf) };
    const bareRun = await load.run({ kind: 'sequential', url: bench.graphqlUrl, headers: {}, body: JSON.stringify({ query: '{ __typename }' }), warmup, n });
    expectClean('{ __typename } without a token', bareRun);

    const throughput: Throughput[] = [];
    for (const c of [prepared[0], prepared[2]]) {
      log(`timeline: ${c.label}: ${options.clients} concurrent clients for ${options.seconds} s, GraphQL then raw SQL`);
      const body = JSON.stringify({ query: TIMELINE_QUERY, variables: { recordId, first: PAGE, after: null } });
      const gql = await load.run({ kind: 'concurrent', url: bench.graphqlUrl, headers: { authorization: `Bearer ${c.token}` }, body, clients: options.clients, seconds: options.seconds });
      expectClean(c.label, gql);
      throughput.push(throughputOf(`GraphQL, ${c.label}`, gql));
      throughput.push(throughputOf(`raw SQL, ${c.label}`, await rawConcurrent(pool, c.page, options.clients, options.seconds)));
    }

    // Where the time goes in the database: the plan and, with ANALYZE, rows read and time per table.
    const explain = [];
    for (const c of [prepared[0], prepared[1], prepared[2]]) {
      const sql = pool.format(c.page.sql, c.page.params as unknown[]);
      const [plan] = await pool.query(`EXPLAIN ${sql}`);
      const [analyzed] = await pool.query(`ANALYZE FORMAT=JSON ${sql}`);
      explain.push({ label: c.label, sql, plan: formatPlan(plan as Record<string, unknown>[]), analyze: String(Object.values((analyzed as Record<string, unknown>[])[0])[0]) });
    }

    // The api as shipped in processes of its own (as the peer runs), 1 then 2 sharing the port, the in-process api idle.
    // Ours and PostGraphile take turns in PAIR_ROUNDS rounds, the one going first alternating (ABBA), so both sides see
    // the same machine (whatever else runs on it then); a single pair swung from 0.6× to 1.1× between rows on this
    // machine. The figures pool every round; the verdict is the median of the rounds' ratios.
    const pairedPeerBody = JSON.stringify({ query: PEER_QUERY, variables: { recordId: peer.recordId, first: PAGE, after: null } });
    const pairing = { rounds: PAIR_ROUNDS, n: Math.max(50, Math.round(n / PAIR_ROUNDS)), seconds: Math.max(2, options.seconds / 2) };
    const processes: ProcessRun[] = [];
    for (const count of [1, 2]) {
      const started = await startApiProcesses(TIMELINE_DATABASE, count);
      try {
        const users: ProcessRun['users'] = [];
        for (const c of [prepared[0], prepared[2]]) {
          const who = c.token === admin ? 'admin' : 'salesperson';
          log(`timeline: ${count} api process${count > 1 ? 'es' : ''}, ${who}, first page: ${pairing.rounds} rounds with PostGraphile of ${pairing.n} sequential requests, then ${options.clients} clients for ${pairing.seconds} s`);
          const ours: PairedSide = { url: started.graphqlUrl, headers: { authorization: `Bearer ${c.token}` }, body: JSON.stringify({ query: TIMELINE_QUERY, variables: { recordId, first: PAGE, after: null } }), label: `${count} processes, ${who}` };
          const theirs: PairedSide = { url: peer.url, headers: {}, body: pairedPeerBody, label: 'PostGraphile, paired' };
          const runs = new Map<PairedSide, { first: LoadResult[]; concurrent: LoadResult[] }>([
            [ours, { first: [], concurrent: [] }],
            [theirs, { first: [], concurrent: [] }],
          ]);
          const roundRatios: number[] = [];
          for (let round = 0; round < pairing.rounds; round++) {
            for (const side of round % 2 === 0 ? [ours, theirs] : [theirs, ours]) {
              const first = await load.run({ kind: 'sequential', url: side.url, headers: side.headers, body: side.body, warmup: round === 0 ? warmup : 5, n: pairing.n });
              expectClean(`${side.label}, sequential`, first);
              const concurrent = await load.run({ kind: 'concurrent', url: side.url, headers: side.headers, body: side.body, clients: options.clients, seconds: pairing.seconds });
              expectClean(`${side.label}, concurrent`, concurrent);
              runs.get(side)!.first.push(first);
              runs.get(side)!.concurrent.push(concurrent);
            }
            const rate = (side: PairedSide) => requestsPerSecond(runs.get(side)!.concurrent[round]!);
            roundRatios.push(rate(ours) / rate(theirs));
          }
          users.push({
            who,
            first: latency(runs.get(ours)!.first.flatMap((r) => r.samplesMs)),
            throughput: throughputOf(`GraphQL, ${count} api process${count > 1 ? 'es' : ''}, ${who}, first page`, pooled(runs.get(ours)!.concurrent)),
            peerFirst: latency(runs.get(theirs)!.first.flatMap((r) => r.samplesMs)),
            peerThroughput: throughputOf('PostGraphile, first page (paired)', pooled(runs.get(theirs)!.concurrent)),
            roundRatios,
          });
        }
        processes.push({ count, users });
      } finally {
        await started.stop();
      }
    }

    // The peer: measured after ours, with our api idle, by the same client process.
    const peerAsk = async (variables: Record<string, unknown>) => {
      const response = await fetch(peer.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: PEER_QUERY, variables }) });
      const answer = (await response.json()) as { data?: any; errors?: unknown };
      if (answer.errors || !answer.data) throw new Error(`PostGraphile: ${JSON.stringify(answer.errors)}`);
      return answer.data.allActivities as { edges: { cursor: string; node: { rowId: string } }[]; pageInfo: { hasNextPage: boolean } };
    };
    // PostGraphile's cursor of the 99,950th row, taken from PostGraphile itself (offset, one row).
    const offsetQuery = `query($recordId: UUID!, $offset: Int!) { allActivities(condition: { recordId: $recordId }, orderBy: [OCCURRED_AT_DESC, ROW_ID_DESC], first: 1, offset: $offset) { edges { cursor } } }`;
    const offsetAnswer = await fetch(peer.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: offsetQuery, variables: { recordId: peer.recordId, offset: peer.hotRows - PAGE - 1 } }) });
    const peerDeepCursor = ((await offsetAnswer.json()) as any).data.allActivities.edges[0].cursor as string;
    const peerFirst = await peerAsk({ recordId: peer.recordId, first: PAGE });
    const peerDeep = await peerAsk({ recordId: peer.recordId, first: PAGE, after: peerDeepCursor });
    if (peerFirst.edges.length !== PAGE || peerDeep.edges.length !== PAGE || peerDeep.pageInfo.hasNextPage) throw new Error('PostGraphile did not return the expected pages');
    const peerBody = (after: string | null) => JSON.stringify({ query: PEER_QUERY, variables: { recordId: peer.recordId, first: PAGE, after } });
    log(`timeline: PostGraphile ${peer.versions.postgraphile}: first page and last page, ${n} sequential requests each, then ${options.clients} clients for ${options.seconds} s`);
    const pFirst = await load.run({ kind: 'sequential', url: peer.url, headers: {}, body: peerBody(null), warmup, n });
    const pDeep = await load.run({ kind: 'sequential', url: peer.url, headers: {}, body: peerBody(peerDeepCursor), warmup, n });
    const pConcurrent = await load.run({ kind: 'concurrent', url: peer.url, headers: {}, body: peerBody(null), clients: options.clients, seconds: options.seconds });
    for (const [what, r] of [['PostGraphile first page', pFirst], ['PostGraphile last page', pDeep], ['PostGraphile concurrent', pConcurrent]] as const) expectClean(what, r);

    const counts = expectedCounts();
    return {
      settings: { n, warmup, clients: options.clients, seconds: options.seconds },
      dataset: { activities: counts.activities, timelineEntries: counts.timelineEntries, emails: counts.emails, hotEntries: counts.hotEntries, builtNow, buildSeconds },
      users: { admin: { visible: HOT_ENTRIES }, salesperson: { email: SALESPERSON_EMAIL, visible: samVisible, deepPage: Math.ceil(samVisible / PAGE) } },
      series,
      floor,
      bare: latency(bareRun.samplesMs),
      throughput,
      peer: {
        versions: peer.versions,
        loadedNow: peer.loadedNow,
        first: latency(pFirst.samplesMs),
        deep: latency(pDeep.samplesMs),
        throughput: throughputOf('PostGraphile, first page', pConcurrent),
      },
      processes,
      pairing,
      explain,
      mariadbVersion,
    };
  } finally {
    await pool.end();
    await bench.close();
  }
}

/** The first table a statement reads: enough to say where a request's statements go. */
const tableOf = (s: Captured): string => /FROM\s+`?(\w+)`?/i.exec(s.sql)?.[1] ?? s.sql.slice(0, 30);

/** EXPLAIN rows as a compact text table. */
function formatPlan(rows: readonly Record<string, unknown>[]): string {
  const columns = ['id', 'select_type', 'table', 'type', 'key', 'key_len', 'ref', 'rows', 'Extra'];
  return rows.map((r) => columns.map((c) => `${c}=${r[c] ?? 'NULL'}`).join('  ')).join('\n');
}
