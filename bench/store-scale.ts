// Benchmark 7: the store at scale. The same timeline reads and the same trackEmails ingest on two
// datasets built alike, 1M activities (a record with 100,000) and 10M (a record with 1M), each in
// its own database, in the same run: the 10M figures against the 1M ones. The sizes take turns, in
// ROUNDS rounds, and each ratio is the median of the rounds' ratios, so that a machine whose load
// changes during the run weighs on every size alike.
import mysql from 'mysql2/promise';
import { encodeTimelineCursor } from '../api/src/activities/timeline.service';
import { toGlobalId } from '../api/src/common/global-id';
import { ADMIN_EMAIL, MARIADB_SERVER_URL, serverConnection, type BenchApi } from './bench-api';
import { prepareTimelineDataset } from './dataset-build';
import { TRACK_EMAILS } from './ingest';
import type { LoadClient, LoadResult } from './load-client';
import { buildCorpus } from './mail-corpus';
import { latency, ms, num, ratio, table, verdict, type Latency } from './stats';
import { TIMELINE_QUERY } from './timeline';
import { HOT_CONTACT_ID, hotEntriesOf, recountDataset, type DatasetShape } from './timeline-dataset';

const SALESPERSON_EMAIL = 'sam.sales@demo.crm.test';
const PAGE = 50;
const BATCH = 100;
const MAILBOX_OWNERS = ['maria.manager@demo.crm.test', 'sam.sales@demo.crm.test', 'sara.sales@demo.crm.test', 'nora.north@demo.crm.test', 'sven.service@demo.crm.test'];
/** The figure at the large size may be at most this many times the small one's. */
const WITHIN = 1.2;
/** Turns each size takes at the reads and at the ingest (the order reversed every other round). */
const ROUNDS = 5;


export interface ScaleOptions {
  /** The sizes, smallest first: the first is the baseline. */
  readonly sizes: readonly number[];
  readonly rebuild: boolean;
  readonly n: number;
  readonly warmup: number;
  /** Emails tracked per size (batches of 100), after one untimed batch. */
  readonly items: number;
  readonly load: LoadClient;
  readonly log: (line: string) => void;
}

export interface ScaleRun {
  readonly activities: number;
  readonly hotEntries: number;
  readonly database: string;
  readonly buildSeconds: number | null;
  readonly dataMb: number;
  /** Every request's latency together, and each round's p50. */
  readonly pages: { label: string; gql: Latency; roundP50s: number[] }[];
  /** All rounds together, and each round's time per email (ms). */
  readonly ingest: { items: number; seconds: number; itemsPerSecond: number; perCall: Latency; outcomes: Record<string, number>; roundMsPerItem: number[] };
}

export interface ScaleReport {
  readonly runs: ScaleRun[];
  readonly bufferPoolMb: number;
}

const databaseOf = (activities: number) => `crm_bench_scale_${activities >= 1e6 && activities % 1e6 === 0 ? `${activities / 1e6}m` : activities}`;

function expectClean(what: string, r: LoadResult): void {
  if (r.errors > 0) throw new Error(`${what}: ${r.errors} of ${r.requests} requests failed, first: ${r.firstError}`);
}

interface PageCase {
  readonly label: string;
  readonly token: string;
  readonly body: string;
}

/** First and last pages as the administrator and the salesperson, as the timeline benchmark reads them; each checked once. */
async function pageCases(bench: BenchApi, database: string, shape: DatasetShape): Promise<PageCase[]> {
  const pool = mysql.createPool({ uri: `${MARIADB_SERVER_URL}/${database}`, timezone: 'Z', connectionLimit: 2 });
  try {
    const recordId = toGlobalId('Contact', HOT_CONTACT_ID);
    const admin = await bench.login(ADMIN_EMAIL);
    const salesperson = await bench.login(SALESPERSON_EMAIL);
    // The last page: after the cursor of the 51st row from the end, built as the api builds cursors.
    const [rows] = await pool.query(
      "SELECT occurredAt, activityId FROM timeline_entry WHERE recordKind = 'contact' AND recordId = ? ORDER BY occurredAt DESC, activityId DESC LIMIT 1 OFFSET ?",
      [HOT_CONTACT_ID, hotEntriesOf(shape) - PAGE - 1],
    );
    const last = (rows as { occurredAt: Date; activityId: string }[])[0];
    const cases = [
      { label: 'admin, first page', token: admin, after: null as string | null },
      { label: 'admin, last page', token: admin, after: encodeTimelineCursor({ occurredAt: last.occurredAt, id: last.activityId }) },
      { label: 'salesperson, first page', token: salesperson, after: null },
    ];
    const prepared: PageCase[] = [];
    for (const c of cases) {
      const answer = await bench.data<{ timeline: { edges: unknown[] } }>(TIMELINE_QUERY, { recordId, first: PAGE, after: c.after }, c.token);
      if (answer.timeline.edges.length !== PAGE) throw new Error(`${database}: "${c.label}" showed ${answer.timeline.edges.length} activities, not ${PAGE}`);
      prepared.push({ label: c.label, token: c.token, body: JSON.stringify({ query: TIMELINE_QUERY, variables: { recordId, first: PAGE, after: c.after } }) });
    }
    return prepared;
  } finally {
    await pool.end();
  }
}

/**
 * trackEmails as the Sync Service key into the dataset's own database: new mail (a corpus seeded by the clock) in
 * batches of 100, the request bodies of each, after one untimed batch sent here.
 */
async function ingestBatches(bench: BenchApi, options: ScaleOptions): Promise<{ headers: Record<string, string>; bodies: string[] }> {
  const admin = await bench.login(ADMIN_EMAIL);
  const { mailboxes } = await bench.data<{ mailboxes: { id: string; address: string }[] }>('{ mailboxes { id address } }', {}, bench.syncServiceKey);
  const mailboxIds = new Map(mailboxes.map((m) => [m.address, m.id]));
  for (const owner of MAILBOX_OWNERS) {
    await bench.data('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: mailboxIds.get(owner), input: { trackingFilter: 'ALL' } }, admin);
  }
  const { contacts } = await bench.data<{ contacts: { edges: { node: { fullName: string; emails: string[] } }[] } }>('{ contacts(first: 100) { edges { node { fullName emails } } } }', {}, admin);
  const corpus = buildCorpus({
    mailboxes: MAILBOX_OWNERS.map((address) => ({ address, name: address.split('@')[0] })),
    contacts: contacts.edges.flatMap((e) => e.node.emails.map((address) => ({ address, name: e.node.fullName }))),
    count: options.items + BATCH,
    // New message ids every run: the dataset is reused between runs, and known mail would only be recognized as such.
    seed: Date.now() % 2 ** 31,
  });
  const bodies: string[] = [];
  for (let i = 0; i < corpus.length; i += BATCH) {
    const batch = corpus.slice(i, i + BATCH);
    bodies.push(JSON.stringify({ query: TRACK_EMAILS, variables: { mailboxId: mailboxIds.get(batch[0].mailbox), input: { items: batch.map((c) => c.item), cursor: null } } }));
  }
  const headers = { authorization: `Bearer ${bench.syncServiceKey}` };
  const warm = await options.load.run({ kind: 'posts', url: bench.graphqlUrl, headers, bodies: bodies.slice(0, 1) });
  expectClean('trackEmails (warm-up)', warm);
  return { headers, bodies: bodies.slice(1) };
}

/** The outcomes of trackEmails answers, counted. */
function countOutcomes(answers: readonly string[], into: Record<string, number>): void {
  for (const answer of answers) {
    const parsed = JSON.parse(answer) as { data: { trackEmails: { items: { outcome: string }[] } } };
    for (const item of parsed.data.trackEmails.items) into[item.outcome] = (into[item.outcome] ?? 0) + 1;
  }
}

async function dataMegabytes(database: string): Promise<number> {
  const conn = await serverConnection(database);
  try {
    const [rows] = await conn.query('SELECT SUM(DATA_LENGTH + INDEX_LENGTH) AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?', [database]);
    return Number((rows as { bytes: number }[])[0].bytes) / 1e6;
  } finally {
    await conn.end();
  }
}

export async function runScaleBenchmark(options: ScaleOptions): Promise<ScaleReport> {
  // Built first, all of them, so no measurement shares the machine with a bulk load.
  for (const activities of options.sizes) {
    const database = databaseOf(activities);
    const prepared = await prepareTimelineDataset(database, { activities }, options.rebuild, options.log);
    await prepared.bench.close();
  }
  // Every size's api open at once (each in this process, on its own database), so that they can take turns.
  const sides: {
    activities: number;
    database: string;
    shape: DatasetShape;
    bench: BenchApi;
    buildSeconds: number | null;
    cases: PageCase[];
    samples: number[][];
    roundP50s: number[][];
    ingest: { headers: Record<string, string>; bodies: string[]; elapsedMs: number; samples: number[]; answers: string[]; roundMsPerItem: number[] };
  }[] = [];
  try {
    for (const activities of options.sizes) {
      const database = databaseOf(activities);
      const shape = { activities };
      const { bench, buildSeconds } = await prepareTimelineDataset(database, shape, false, options.log);
      sides.push({ activities, database, shape, bench, buildSeconds, cases: [], samples: [], roundP50s: [], ingest: { headers: {}, bodies: [], elapsedMs: 0, samples: [], answers: [], roundMsPerItem: [] } });
      const side = sides.at(-1)!;
      side.cases = await pageCases(bench, database, shape);
      side.samples = side.cases.map(() => []);
      side.roundP50s = side.cases.map(() => []);
    }
    const perRound = Math.ceil(options.n / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 ? [...sides].reverse() : sides) {
        for (const [i, c] of side.cases.entries()) {
          options.log(`scale: round ${round + 1} of ${ROUNDS}: ${side.database}: ${c.label}: ${perRound} sequential requests`);
          const run = await options.load.run({ kind: 'sequential', url: side.bench.graphqlUrl, headers: { authorization: `Bearer ${c.token}` }, body: c.body, warmup: Math.min(options.warmup, 20), n: perRound });
          expectClean(c.label, run);
          side.samples[i]!.push(...run.samplesMs);
          side.roundP50s[i]!.push(latency(run.samplesMs).p50);
        }
      }
    }
    for (const side of sides) {
      options.log(`scale: ${side.database}: trackEmails, ${options.items} emails in batches of ${BATCH}, ${ROUNDS} turns`);
      Object.assign(side.ingest, await ingestBatches(side.bench, options));
    }
    const batchesPerRound = Math.ceil(sides[0]!.ingest.bodies.length / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 ? [...sides].reverse() : sides) {
        const bodies = side.ingest.bodies.slice(round * batchesPerRound, (round + 1) * batchesPerRound);
        if (bodies.length === 0) continue;
        const run = await options.load.run({ kind: 'posts', url: side.bench.graphqlUrl, headers: side.ingest.headers, bodies });
        expectClean('trackEmails', run);
        side.ingest.elapsedMs += run.elapsedMs;
        side.ingest.samples.push(...run.samplesMs);
        side.ingest.answers.push(...(run.answers ?? []));
        side.ingest.roundMsPerItem.push(run.elapsedMs / (bodies.length * BATCH));
      }
    }
    const runs: ScaleRun[] = [];
    for (const side of sides) {
      const outcomes: Record<string, number> = {};
      countOutcomes(side.ingest.answers, outcomes);
      const items = side.ingest.bodies.length * BATCH;
      runs.push({
        activities: side.activities,
        hotEntries: hotEntriesOf(side.shape),
        database: side.database,
        buildSeconds: side.buildSeconds,
        dataMb: await dataMegabytes(side.database),
        pages: side.cases.map((c, i) => ({ label: c.label, gql: latency(side.samples[i]!), roundP50s: side.roundP50s[i]! })),
        ingest: { items, seconds: side.ingest.elapsedMs / 1000, itemsPerSecond: items / (side.ingest.elapsedMs / 1000), perCall: latency(side.ingest.samples), outcomes, roundMsPerItem: side.ingest.roundMsPerItem },
      });
    }
    const conn = await serverConnection();
    try {
      const [rows] = await conn.query('SELECT @@innodb_buffer_pool_size AS size');
      return { runs, bufferPoolMb: Number((rows as { size: number }[])[0].size) / 2 ** 20 };
    } finally {
      await conn.end();
    }
  } finally {
    for (const side of sides) {
      // Even after a failed ingest: what it added stays counted, and the dataset is reused rather than rebuilt for half an hour.
      const conn = await serverConnection(side.database);
      await recountDataset(conn).finally(() => conn.end());
      await side.bench.close();
    }
  }
}

/** The median of the rounds' ratios of `ours` to `base`, round by round. */
function medianRatio(ours: readonly number[], base: readonly number[]): number {
  const ratios = ours.map((value, i) => value / base[i]!).sort((a, b) => a - b);
  const middle = Math.floor(ratios.length / 2);
  return ratios.length % 2 ? ratios[middle]! : (ratios[middle - 1]! + ratios[middle]!) / 2;
}

/** The section for BENCHMARKS.md: each size's figures, and the largest against the smallest. */
export function scaleSection(report: ScaleReport, commit: string): string {
  const [base, ...larger] = report.runs;
  const sizes = report.runs.map((r) => `${num(r.activities)} activities`);
  const pageRows = base.pages.map((p, i) => [p.label, ...report.runs.map((r) => `${ms(r.pages[i].gql.p50)} / ${ms(r.pages[i].gql.p99)}`)]);
  const ingestRow = ['trackEmails, batches of 100 (items/s)', ...report.runs.map((r) => `${num(r.ingest.itemsPerSecond, 1)} (${ms(r.ingest.perCall.p50)} per call)`)];
  const dataRow = ['database size (data and indexes)', ...report.runs.map((r) => `${num(r.dataMb / 1000, 1)} GB`)];
  const hotRow = ['entries on the busy contact', ...report.runs.map((r) => num(r.hotEntries))];
  // Ratios of the rounds' figures, taken round by round (medianRatio).
  const targets = larger.flatMap((r) => [
    ...r.pages.map((p, i) => {
      const x = medianRatio(p.roundP50s, base.pages[i].roundP50s);
      return [`${p.label}: p50 at ${num(r.activities)} vs ${num(base.activities)}`, ratio(x), `≤ ${WITHIN}×`, verdict(x <= WITHIN)];
    }),
    (() => {
      const x = medianRatio(r.ingest.roundMsPerItem, base.ingest.roundMsPerItem);
      return [`ingest at ${num(r.activities)} vs ${num(base.activities)} (time per email)`, ratio(x), `≤ ${WITHIN}×`, verdict(x <= WITHIN)];
    })(),
  ]);
  const outcomes = report.runs.map((r) => `${r.database}: ${JSON.stringify(r.ingest.outcomes)}`).join('; ');
  return [
    `## 7. The store at scale (commit ${commit})`,
    '',
    `The timeline dataset of section 1 built at each size in its own database (${report.runs.map((r) => `\`${r.database}\``).join(', ')}; every tenth activity on the busy contact), measured in one run with each size's api in the benchmark process: 50-row timeline pages read sequentially (p50 / p99 of ${base.pages[0].gql.n} requests), then new mail tracked into the same database with trackEmails as the Sync Service key (${num(base.ingest.items)} emails in batches of 100, after one untimed batch). The sizes take turns in ${ROUNDS} rounds (the order reversed every other round), and each ratio below is the median of the ${ROUNDS} rounds' ratios, so that other work on the machine weighs on every size alike. MariaDB as the machine has it (InnoDB buffer pool ${num(report.bufferPoolMb)} MB).`,
    '',
    table(['', ...sizes], [hotRow, dataRow, ...pageRows, ingestRow]),
    '',
    table(['target', 'measured', 'wanted', ''], targets),
    '',
    `Outcomes: ${outcomes}.`,
  ].join('\n');
}
