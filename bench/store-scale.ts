// Benchmark 7: the store at scale. The same timeline reads and the same trackEmails ingest on two
// datasets built alike, 1M activities (a record with 100,000) and 10M (a record with 1M), each in
// its own database, one after the other in the same run: the 10M figures against the 1M ones.
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
  readonly pages: { label: string; gql: Latency }[];
  readonly ingest: { items: number; seconds: number; itemsPerSecond: number; perCall: Latency; outcomes: Record<string, number> };
}

export interface ScaleReport {
  readonly runs: ScaleRun[];
  readonly bufferPoolMb: number;
}

const databaseOf = (activities: number) => `crm_bench_scale_${activities >= 1e6 && activities % 1e6 === 0 ? `${activities / 1e6}m` : activities}`;

function expectClean(what: string, r: LoadResult): void {
  if (r.errors > 0) throw new Error(`${what}: ${r.errors} of ${r.requests} requests failed, first: ${r.firstError}`);
}

/** Sequential first and last pages as the administrator and the salesperson, as the timeline benchmark reads them. */
async function readPages(bench: BenchApi, database: string, shape: DatasetShape, options: ScaleOptions): Promise<ScaleRun['pages']> {
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
    const pages: ScaleRun['pages'] = [];
    for (const c of cases) {
      const body = JSON.stringify({ query: TIMELINE_QUERY, variables: { recordId, first: PAGE, after: c.after } });
      const answer = await bench.data<{ timeline: { edges: unknown[] } }>(TIMELINE_QUERY, { recordId, first: PAGE, after: c.after }, c.token);
      if (answer.timeline.edges.length !== PAGE) throw new Error(`${database}: "${c.label}" showed ${answer.timeline.edges.length} activities, not ${PAGE}`);
      options.log(`scale: ${database}: ${c.label}: ${options.n} sequential requests`);
      const run = await options.load.run({ kind: 'sequential', url: bench.graphqlUrl, headers: { authorization: `Bearer ${c.token}` }, body, warmup: options.warmup, n: options.n });
      expectClean(c.label, run);
      pages.push({ label: c.label, gql: latency(run.samplesMs) });
    }
    return pages;
  } finally {
    await pool.end();
  }
}

/** trackEmails as the Sync Service key into the dataset's own database: new mail (a corpus seeded by the clock) in batches of 100. */
async function ingest(bench: BenchApi, options: ScaleOptions): Promise<ScaleRun['ingest']> {
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
  const run = await options.load.run({ kind: 'posts', url: bench.graphqlUrl, headers, bodies: bodies.slice(1) });
  expectClean('trackEmails', run);
  const outcomes: Record<string, number> = {};
  for (const answer of run.answers ?? []) {
    const parsed = JSON.parse(answer) as { data: { trackEmails: { items: { outcome: string }[] } } };
    for (const item of parsed.data.trackEmails.items) outcomes[item.outcome] = (outcomes[item.outcome] ?? 0) + 1;
  }
  const items = corpus.length - BATCH;
  return { items, seconds: run.elapsedMs / 1000, itemsPerSecond: items / (run.elapsedMs / 1000), perCall: latency(run.samplesMs), outcomes };
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
  const runs: ScaleRun[] = [];
  // Built first, all of them, so no measurement shares the machine with a bulk load.
  for (const activities of options.sizes) {
    const database = databaseOf(activities);
    const prepared = await prepareTimelineDataset(database, { activities }, options.rebuild, options.log);
    await prepared.bench.close();
  }
  for (const activities of options.sizes) {
    const database = databaseOf(activities);
    const shape = { activities };
    const { bench, buildSeconds } = await prepareTimelineDataset(database, shape, false, options.log);
    try {
      const pages = await readPages(bench, database, shape, options);
      options.log(`scale: ${database}: trackEmails, ${options.items} emails in batches of ${BATCH}`);
      let tracked: ScaleRun['ingest'];
      try {
        tracked = await ingest(bench, options);
      } finally {
        // Even after a failed ingest: what it added stays, and the dataset is reused rather than rebuilt for half an hour.
        const conn = await serverConnection(database);
        await recountDataset(conn).finally(() => conn.end());
      }
      runs.push({ activities, hotEntries: hotEntriesOf(shape), database, buildSeconds, dataMb: await dataMegabytes(database), pages, ingest: tracked });
    } finally {
      await bench.close();
    }
  }
  const conn = await serverConnection();
  try {
    const [rows] = await conn.query('SELECT @@innodb_buffer_pool_size AS size');
    return { runs, bufferPoolMb: Number((rows as { size: number }[])[0].size) / 2 ** 20 };
  } finally {
    await conn.end();
  }
}

/** The section for BENCHMARKS.md: each size's figures, and the largest against the smallest. */
export function scaleSection(report: ScaleReport, commit: string): string {
  const [base, ...larger] = report.runs;
  const sizes = report.runs.map((r) => `${num(r.activities)} activities`);
  const pageRows = base.pages.map((p, i) => [p.label, ...report.runs.map((r) => `${ms(r.pages[i].gql.p50)} / ${ms(r.pages[i].gql.p99)}`)]);
  const ingestRow = ['trackEmails, batches of 100 (items/s)', ...report.runs.map((r) => `${num(r.ingest.itemsPerSecond, 1)} (${ms(r.ingest.perCall.p50)} per call)`)];
  const dataRow = ['database size (data and indexes)', ...report.runs.map((r) => `${num(r.dataMb / 1000, 1)} GB`)];
  const hotRow = ['entries on the busy contact', ...report.runs.map((r) => num(r.hotEntries))];
  const targets = larger.flatMap((r) => [
    ...r.pages.map((p, i) => {
      const x = p.gql.p50 / base.pages[i].gql.p50;
      return [`${p.label}: p50 at ${num(r.activities)} vs ${num(base.activities)}`, ratio(x), `≤ ${WITHIN}×`, verdict(x <= WITHIN)];
    }),
    (() => {
      const x = base.ingest.itemsPerSecond / r.ingest.itemsPerSecond;
      return [`ingest rate at ${num(r.activities)} vs ${num(base.activities)} (time per email)`, ratio(x), `≤ ${WITHIN}×`, verdict(x <= WITHIN)];
    })(),
  ]);
  const outcomes = report.runs.map((r) => `${r.database}: ${JSON.stringify(r.ingest.outcomes)}`).join('; ');
  return [
    `## 7. The store at scale (commit ${commit})`,
    '',
    `The timeline dataset of section 1 built at each size in its own database (${report.runs.map((r) => `\`${r.database}\``).join(', ')}; every tenth activity on the busy contact), measured one after the other in one run with the api in the benchmark process: 50-row timeline pages read sequentially (p50 / p99 of ${base.pages[0].gql.n} requests), then new mail tracked into the same database with trackEmails as the Sync Service key (${num(base.ingest.items)} emails in batches of 100, after one untimed batch). MariaDB as the machine has it (InnoDB buffer pool ${num(report.bufferPoolMb)} MB).`,
    '',
    table(['', ...sizes], [hotRow, dataRow, ...pageRows, ingestRow]),
    '',
    table(['target', 'measured', 'wanted', ''], targets),
    '',
    `Outcomes: ${outcomes}.`,
  ].join('\n');
}
