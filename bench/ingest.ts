// Benchmark 2: ingest through the API. trackEmails as the Sync Service key, in batches of 100 and
// one item per call, each into a fresh database; baseline: the rows the batches produced, inserted
// raw with multi-row INSERTs (100 messages' rows per transaction) into an empty copy of the schema.
import type { RowDataPacket } from 'mysql2';
import { ADMIN_EMAIL, dropDatabase, recreateDatabase, serverConnection, startBenchApi, type BenchApi } from './bench-api';
import type { LoadClient, LoadResult } from './load-client';
import { buildCorpus, type CorpusItem } from './mail-corpus';
import { latency, percentile, type Latency } from './stats';

export const INGEST_DATABASE = 'crm_bench_ingest';
const RAW_DATABASE = 'crm_bench_ingest_raw';
const BATCH = 100;
const MAILBOX_OWNERS = ['maria.manager@demo.crm.test', 'sam.sales@demo.crm.test', 'sara.sales@demo.crm.test', 'nora.north@demo.crm.test', 'sven.service@demo.crm.test'];
/** Every table a tracked email writes to, in an insert order that suits the raw baseline. */
const TABLES = ['blob_chunk', 'blob_content', 'activity', 'activity_party', 'timeline_entry', 'email_message', 'activity_mailbox', 'mailbox_item'] as const;

// What a sync engine asks for back: outcomes, not the decision traces.
export const TRACK_EMAILS = `mutation Track($mailboxId: ID!, $input: TrackEmailsInput!) {
  trackEmails(mailboxId: $mailboxId, input: $input) { cursor items { index outcome activityId errorCode errorMessage } }
}`;

export interface IngestOptions {
  readonly items: number;
  readonly load: LoadClient;
  readonly log: (line: string) => void;
}

export interface IngestRun {
  readonly calls: number;
  readonly seconds: number;
  readonly itemsPerSecond: number;
  readonly payloadMbPerSecond: number;
  readonly perCall: Latency;
  /** SQL statements the api sent, per call (mean). */
  readonly statementsPerCall: number;
  /** Those statements by verb and table (e.g. "INSERT blob_chunk"), per call (mean), most first. */
  readonly statementKinds: [string, number][];
}

export interface IngestReport {
  readonly items: number;
  readonly medianBodyKb: number;
  readonly partiesPerItem: { min: number; max: number; mean: number };
  readonly payloadMb: number;
  readonly outcomes: Record<string, number>;
  readonly batched: IngestRun;
  readonly single: IngestRun;
  readonly raw: { seconds: number; itemsPerSecond: number; rows: Record<string, number>; mb: number; statements: number };
}

interface Answer {
  data?: { trackEmails: { items: { index: number; outcome: string; activityId: string | null; errorCode: string | null; errorMessage: string | null }[] } };
  errors?: unknown;
}

/** A fresh database with the api on it, the owners' mailboxes set to track all mail (as admin, through updateMailbox). */
async function freshHub(): Promise<{ bench: BenchApi; mailboxIds: Map<string, string>; contacts: { address: string; name: string }[] }> {
  await recreateDatabase(INGEST_DATABASE);
  const bench = await startBenchApi(INGEST_DATABASE);
  const admin = await bench.login(ADMIN_EMAIL);
  const { mailboxes } = await bench.data<{ mailboxes: { id: string; address: string }[] }>('{ mailboxes { id address } }', {}, bench.syncServiceKey);
  const mailboxIds = new Map(mailboxes.map((m) => [m.address, m.id]));
  for (const owner of MAILBOX_OWNERS) {
    const id = mailboxIds.get(owner);
    if (!id) throw new Error(`no mailbox for ${owner}`);
    await bench.data('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id, input: { trackingFilter: 'ALL' } }, admin);
  }
  const { contacts } = await bench.data<{ contacts: { edges: { node: { fullName: string; emails: string[] } }[] } }>(
    '{ contacts(first: 100) { edges { node { fullName emails } } } }',
    {},
    admin,
  );
  return { bench, mailboxIds, contacts: contacts.edges.flatMap((e) => e.node.emails.map((address) => ({ address, name: e.node.fullName }))) };
}

/** The corpus in the order the engine sends it: mailbox by mailbox, in batches of `size`. */
function batchesOf(corpus: readonly CorpusItem[], size: number): CorpusItem[][] {
  const byMailbox = new Map<string, CorpusItem[]>();
  for (const c of corpus) byMailbox.set(c.mailbox, [...(byMailbox.get(c.mailbox) ?? []), c]);
  const batches: CorpusItem[][] = [];
  for (const list of byMailbox.values()) for (let i = 0; i < list.length; i += size) batches.push(list.slice(i, i + size));
  return batches;
}

/** "INSERT blob_chunk", "SELECT email_message", "START TRANSACTION"…: what a statement does to which table. */
function kindOf(sql: string): string {
  const verb = /^\s*(\w+(?:\s+TRANSACTION)?)/i.exec(sql)?.[1]?.toUpperCase() ?? '?';
  const table = /\b(?:FROM|INTO|UPDATE)\s+`?(\w+)`?/i.exec(sql)?.[1];
  return table ? `${verb} ${table}` : verb;
}

interface Tracked {
  readonly result: LoadResult;
  readonly answers: Answer[];
  readonly bytes: number;
  readonly statements: number;
  readonly kinds: Map<string, number>;
}

async function track(bench: BenchApi, load: LoadClient, mailboxIds: Map<string, string>, batches: CorpusItem[][]): Promise<Tracked> {
  const bodies = batches.map((batch, i) =>
    JSON.stringify({ query: TRACK_EMAILS, variables: { mailboxId: mailboxIds.get(batch[0].mailbox), input: { items: batch.map((c) => c.item), cursor: `uid=${i + 1}` } } }),
  );
  const bytes = bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0);
  const queries = bench.api.database.queries;
  const before = queries.statements;
  const kinds = new Map<string, number>();
  const logQuery = queries.logQuery.bind(queries);
  queries.logQuery = (query, parameters, runner) => {
    const kind = kindOf(query);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    logQuery(query, parameters, runner);
  };
  let result: LoadResult;
  try {
    result = await load.run({ kind: 'posts', url: bench.graphqlUrl, headers: { authorization: `Bearer ${bench.syncServiceKey}` }, bodies });
  } finally {
    queries.logQuery = logQuery;
  }
  const statements = queries.statements - before;
  if (result.errors > 0) throw new Error(`trackEmails failed in ${result.errors} of ${result.requests} calls, first: ${result.firstError}`);
  return { result, answers: result.answers!.map((a) => JSON.parse(a) as Answer), bytes, statements, kinds };
}

const runOf = ({ result: r, bytes, statements, kinds }: Tracked, items: number): IngestRun => ({
  calls: r.requests,
  seconds: r.elapsedMs / 1000,
  itemsPerSecond: items / (r.elapsedMs / 1000),
  payloadMbPerSecond: bytes / 1e6 / (r.elapsedMs / 1000),
  perCall: latency(r.samplesMs),
  statementsPerCall: statements / r.requests,
  statementKinds: [...kinds].map(([k, v]): [string, number] => [k, v / r.requests]).sort((a, b) => b[1] - a[1]),
});

export async function runIngestBenchmark(options: IngestOptions): Promise<IngestReport> {
  const { log, load } = options;

  // --- batches of 100 ----------------------------------------------------------------------------
  let hub = await freshHub();
  const corpus = buildCorpus({
    mailboxes: MAILBOX_OWNERS.map((address) => ({ address, name: address.split('@')[0] })),
    contacts: hub.contacts,
    count: options.items,
  });
  const batches = batchesOf(corpus, BATCH);
  const ordered = batches.flat();
  const blobsBefore = await blobsPresent();
  log(`ingest: ${corpus.length} items (median body ${(percentile(corpus.map((c) => c.bodyBytes), 50) / 1024).toFixed(1)} KB) in ${batches.length} batches of up to ${BATCH}`);
  const batched = await track(hub.bench, load, hub.mailboxIds, batches);
  const outcomes: Record<string, number> = {};
  const activityOf: (string | null)[] = [];
  for (const answer of batched.answers) {
    if (!answer.data) throw new Error(`trackEmails: ${JSON.stringify(answer.errors)}`);
    for (const item of answer.data.trackEmails.items) {
      outcomes[item.outcome] = (outcomes[item.outcome] ?? 0) + 1;
      activityOf.push(item.activityId ? Buffer.from(item.activityId, 'base64url').toString('utf8').split(':')[1] : null);
    }
  }
  const copied = await copyRows(new Set(activityOf.filter((id): id is string => id !== null)), blobsBefore);
  await hub.bench.close();

  // --- the same items, one per call, into a fresh database -----------------------------------------
  hub = await freshHub();
  log(`ingest: the same ${corpus.length} items one per call`);
  const single = await track(hub.bench, load, hub.mailboxIds, ordered.map((c) => [c]));
  const singleOutcomes: Record<string, number> = {};
  for (const a of single.answers) for (const item of a.data!.trackEmails.items) singleOutcomes[item.outcome] = (singleOutcomes[item.outcome] ?? 0) + 1;
  if (JSON.stringify(singleOutcomes) !== JSON.stringify(outcomes)) log(`ingest: note: one per call decided ${JSON.stringify(singleOutcomes)}, batches ${JSON.stringify(outcomes)}`);
  await hub.bench.close();

  // --- raw baseline ----------------------------------------------------------------------------------
  log('ingest: raw baseline: the batches\' rows as multi-row INSERTs, 100 messages per transaction');
  const raw = await rawInsert(copied, activityOf, ordered.length);

  const parties = corpus.map((c) => 1 + (c.item.to?.length ?? 0) + (c.item.cc?.length ?? 0));
  return {
    items: corpus.length,
    medianBodyKb: percentile(corpus.map((c) => c.bodyBytes), 50) / 1024,
    partiesPerItem: { min: Math.min(...parties), max: Math.max(...parties), mean: parties.reduce((a, b) => a + b, 0) / parties.length },
    payloadMb: batched.bytes / 1e6,
    outcomes,
    batched: runOf(batched, corpus.length),
    single: runOf(single, corpus.length),
    raw,
  };
}

type Rows = Record<(typeof TABLES)[number], RowDataPacket[]>;

async function blobsPresent(): Promise<Set<string>> {
  const conn = await serverConnection(INGEST_DATABASE);
  try {
    return new Set((await conn.query<RowDataPacket[]>('SELECT sha256 FROM blob_content'))[0].map((r) => r.sha256 as string));
  } finally {
    await conn.end();
  }
}

/** What the batches wrote to the tracking tables: rows of the activities they tracked, and the blobs that were new. */
async function copyRows(tracked: ReadonlySet<string>, blobsBefore: ReadonlySet<string>): Promise<Rows> {
  const conn = await serverConnection(INGEST_DATABASE);
  try {
    const rows = {} as Rows;
    for (const table of TABLES) {
      const all = (await conn.query<RowDataPacket[]>(`SELECT * FROM \`${table}\``))[0];
      rows[table] = all.filter((r) =>
        table === 'blob_chunk' ? !blobsBefore.has(r.blobKey) : table === 'blob_content' ? !blobsBefore.has(r.sha256) : tracked.has(table === 'activity' ? r.id : r.activityId),
      );
    }
    return rows;
  } finally {
    await conn.end();
  }
}

/**
 * Inserts the copied rows into an empty copy of the schema, grouped by message in the order they
 * were tracked: per 100 messages one transaction with one multi-row INSERT per table.
 */
async function rawInsert(rows: Rows, activityOf: readonly (string | null)[], items: number): Promise<IngestReport['raw']> {
  await recreateDatabase(RAW_DATABASE);
  const conn = await serverConnection(RAW_DATABASE);
  try {
    for (const table of TABLES) await conn.query(`CREATE TABLE \`${table}\` LIKE \`${INGEST_DATABASE}\`.\`${table}\``);
    // Rows by the message (position in tracking order) that wrote them.
    const position = new Map<string, number>();
    activityOf.forEach((id, i) => id && !position.has(id) && position.set(id, i));
    const batchOf = (activityId: string | null | undefined) => Math.floor((activityId ? position.get(activityId) ?? items - 1 : items - 1) / BATCH);
    const blobBatch = new Map<string, number>();
    for (const e of [...rows.email_message].sort((a, b) => (position.get(a.activityId) ?? 0) - (position.get(b.activityId) ?? 0))) {
      for (const sha of [e.textBodyBlob, e.htmlBodyBlob]) if (sha && !blobBatch.has(sha)) blobBatch.set(sha, batchOf(e.activityId));
    }
    const batchCount = Math.ceil(items / BATCH);
    const plan: Map<string, RowDataPacket[]>[] = Array.from({ length: batchCount }, () => new Map());
    const place = (table: string, row: RowDataPacket, batch: number) => {
      const target = plan[Math.min(batch, batchCount - 1)];
      target.set(table, [...(target.get(table) ?? []), row]);
    };
    for (const table of TABLES) {
      for (const row of rows[table]) {
        if (table === 'blob_chunk') place(table, row, blobBatch.get(row.blobKey) ?? batchCount - 1);
        else if (table === 'blob_content') place(table, row, blobBatch.get(row.sha256) ?? batchCount - 1);
        else place(table, row, batchOf(table === 'activity' ? row.id : row.activityId));
      }
    }
    const started = performance.now();
    let statements = 0;
    for (const batch of plan) {
      await conn.beginTransaction();
      statements += 2;
      for (const table of TABLES) {
        const list = batch.get(table);
        if (!list?.length) continue;
        const columns = Object.keys(list[0]);
        // blob_chunk rows are up to 60 KiB: several statements keep each under max_allowed_packet.
        const per = table === 'blob_chunk' ? 64 : list.length;
        for (let i = 0; i < list.length; i += per) {
          statements++;
          await conn.query(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [list.slice(i, i + per).map((r) => columns.map((c) => r[c]))]);
        }
      }
      await conn.commit();
    }
    const seconds = (performance.now() - started) / 1000;
    const counts = Object.fromEntries(TABLES.map((t) => [t, rows[t].length]));
    const mb = rows.blob_chunk.reduce((sum, r) => sum + (r.data as Buffer).length, 0) / 1e6;
    return { seconds, itemsPerSecond: items / seconds, rows: counts, mb, statements };
  } finally {
    await conn.end();
    await dropDatabase(RAW_DATABASE);
  }
}
