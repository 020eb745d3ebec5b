// `npm run bench`: the timeline read benchmark, the ingest benchmark, the mail benchmark (sync engine
// ingest and freshness) and the live fan-out benchmark, printed as tables and written to BENCHMARKS.md
// (on a full run). Flags:
//   --rebuild          rebuild the timeline datasets (MariaDB crm_bench, PostgreSQL crm_bench_peer)
//   --only=timeline    or --only=ingest, --only=mail (ingest over IMAP and POP3, and freshness), --only=freshness,
//                      --only=live, --only=ews, --only=roundtrip, --only=watch, --only=watch-ews, --only=scale: run part of it (BENCHMARKS.md is then left alone;
//                      --only=mail, --only=live, --only=ews and --only=roundtrip write their section to bench/dist/)
//   --roundtrip-samples=20   (appointments per mode in the CRM ⇄ Exchange round trip)
//   --only=scale --scale-sizes=1000000,10000000 --scale-items=2000   (the store at scale: not part of a full run;
//                      builds crm_bench_scale_1m and crm_bench_scale_10m once, about half an hour for 10M)
//   --watch-mailboxes=1000 --watch-rate=20 --watch-seconds=60 --watch-lease=30 --watch-slots=8   (push mode; --only=watch (IMAP)
//                      or --only=watch-ews (Exchange), never in a full run)
//   --n=300 --warmup=30 --clients=10 --seconds=10 --items=5000
//   --messages=20000 --samples=60 --interval=300   (the mail benchmark; --no-freshness, --no-large leave out those parts)
//   --subscribers=1000 --rate=10 --live-seconds=10 --users=10 --client-processes=2   (live fan-out; the issue's run is --live-seconds=60)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MARIADB_SERVER_URL } from './bench-api';
import { runIngestBenchmark, type IngestReport } from './ingest';
import { runLiveBenchmark, type LiveReport } from './live-fanout';
import { liveSection, liveText } from './live-report';
import { LoadClient } from './load-client';
import { ewsText, runEwsBenchmark, type EwsReport } from './ews-ingest';
import { roundTripText, runRoundTripBenchmark, type RoundTripReport } from './ews-roundtrip';
import { runMailBenchmark, type MailReport } from './mail-ingest';
import { mailNotes, mailTables } from './mail-report';
import { startPeer } from './peer-process';
import { runScaleBenchmark, scaleSection } from './store-scale';
import { ms, num, ratio, table, verdict } from './stats';
import { runEwsWatchBenchmark, watchEwsText } from './watch-ews';
import { runWatchBenchmark, watchText } from './watch-thousand';
import { runTimelineBenchmark, TIMELINE_DATABASE, type TimelineReport } from './timeline';

/** The api's process count when BENCH_API_ENV_API_PROCESSES sets it (the mail benchmarks' api runs one by default). */
const apiProcessesNote = (): string => {
  const count = process.env.BENCH_API_ENV_API_PROCESSES;
  return count && count !== '1' ? `, \`API_PROCESSES=${count}\`: its processes' CPU times, requests and peak RSS are added up` : '';
};

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Figures the issue quotes for PostGraphile 5 on this kind of machine. */
const REFERENCE = { p50: 2.6, p99: 8.3, requestsPerSecond: 822 };

function flag(name: string): string | undefined {
  const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (!arg) return undefined;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : 'true';
}
const intFlag = (name: string, fallback: number, min: number) => {
  const value = Number(flag(name) ?? fallback);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return value;
};

const log = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function machine(report: TimelineReport | undefined) {
  const cpus = os.cpus();
  let debian = '';
  try {
    debian = `Debian ${fs.readFileSync('/etc/debian_version', 'utf8').trim()}`;
  } catch {
    debian = os.platform();
  }
  return {
    nproc: os.availableParallelism(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${debian}, Linux ${os.release()}`,
    node: process.version,
    mariadb: report?.mariadbVersion ?? mariadbVersion(),
    postgres: report?.peer.versions.postgres ?? '–',
    postgraphile: report?.peer.versions.postgraphile ?? '–',
    commit: commitOf(),
  };
}

/** The commit measured, and whether api/ had uncommitted changes (they are measured too). */
function commitOf(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'api'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} with uncommitted changes in api/` : head;
  } catch {
    return 'unknown';
  }
}

function mariadbVersion(): string {
  try {
    return execFileSync('mysql', ['-h127.0.0.1', '-uroot', '-N', '-e', 'SELECT VERSION()'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

interface Target {
  readonly what: string;
  readonly measured: string;
  readonly target: string;
  readonly pass: boolean;
}

/** What ANALYZE FORMAT=JSON says about the page statement: server time and rows read from timeline_entry. */
function analyzed(json: string): { ms: number; teRows: number } {
  let teRows = NaN;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.table_name === 'te' && typeof o.r_rows === 'number') teRows = o.r_rows;
    Object.values(o).forEach(visit);
  };
  try {
    const plan = JSON.parse(json);
    visit(plan);
    return { ms: Number(plan.query_block?.r_total_time_ms), teRows };
  } catch {
    return { ms: NaN, teRows };
  }
}

function timeBreakdown(r: TimelineReport): string {
  const first = r.series[0];
  const plan = analyzed(r.explain[0].analyze);
  return table(
    ['where the time of one request goes (admin, first page; sequential p50)', 'p50'],
    [
      ['the whole GraphQL request', ms(first.gql.p50)],
      [`an authenticated { __typename } (HTTP, express, Apollo, authentication: ${r.floor.statements} statements when warm)`, ms(r.floor.gql.p50)],
      ['{ __typename } without a token (HTTP, express, Apollo)', ms(r.bare.p50)],
      [`the request's ${first.statements} statements replayed raw, one after another`, ms(first.allStatementsRaw.p50)],
      ['the page statement alone, raw through mysql2', ms(first.raw.p50)],
      ['the page statement inside MariaDB (ANALYZE r_total_time_ms)', ms(plan.ms)],
      ['rows it reads from timeline_entry (ANALYZE r_rows)', num(plan.teRows)],
    ],
  );
}

/** The median of the rounds' ours ÷ PostGraphile requests/s ratios: the verdict of a paired row. */
const roundsRatio = (u: TimelineReport['processes'][number]['users'][number]): number => {
  const sorted = [...u.roundRatios].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Issue 14: the shipped api in processes of its own against PostGraphile's one process, and what a second process adds. */
function processTables(r: TimelineReport): { table: string; targets: Target[] } {
  const rows = r.processes.flatMap((p) =>
    p.users.map((u) => [
      `${p.count} api process${p.count > 1 ? 'es' : ''}, ${u.who}`,
      ms(u.first.p50),
      ms(u.peerFirst.p50),
      num(u.throughput.requestsPerSecond),
      num(u.peerThroughput.requestsPerSecond),
      ratio(roundsRatio(u)),
      u.roundRatios.map(ratio).join(', '),
      `${ms(u.throughput.p50)} / ${ms(u.throughput.p99)}`,
    ]),
  );
  const processTable = table(
    [
      'first page',
      'ours p50 (sequential)',
      'PostGraphile p50 (paired)',
      `ours requests/s (${r.settings.clients} clients)`,
      'PostGraphile requests/s (paired)',
      'ours / PostGraphile (median of the rounds)',
      'each round',
      'ours p50 / p99 under load',
    ],
    rows,
  );
  const targets: Target[] = [];
  const one = r.processes.find((p) => p.count === 1);
  const two = r.processes.find((p) => p.count === 2);
  for (const u of one?.users ?? []) {
    targets.push({ what: `one api process, ${u.who}: requests/s vs PostGraphile (one process, median of the paired rounds)`, measured: `${ratio(roundsRatio(u))} (${num(u.throughput.requestsPerSecond)} vs ${num(u.peerThroughput.requestsPerSecond)} in all)`, target: '≥ 1.0× PostGraphile', pass: roundsRatio(u) >= 1 });
    targets.push({ what: `one api process, ${u.who}: first page p50 vs PostGraphile (paired rounds)`, measured: `${ms(u.first.p50)} vs ${ms(u.peerFirst.p50)}`, target: '≤ PostGraphile', pass: u.first.p50 <= u.peerFirst.p50 });
  }
  for (const u of two?.users ?? []) {
    const single = one?.users.find((o) => o.who === u.who);
    if (!single) continue;
    // Against each row's own paired PostGraphile rounds, so a busier or quieter machine between the rows does not count.
    const gain = roundsRatio(u) / roundsRatio(single);
    targets.push({ what: `two api processes, ${u.who}: requests/s grow with a second process (each relative to its paired PostGraphile rounds)`, measured: `${ratio(roundsRatio(u))} vs ${ratio(roundsRatio(single))} (${ratio(gain)})`, target: '> one process', pass: gain > 1 });
  }
  return { table: processTable, targets };
}

/** The api-processes part of §1, also written alone to bench/dist/timeline-processes-section.md by --only=timeline. */
function processSection(r: TimelineReport, p: { table: string; targets: Target[] }): string {
  return `### One and two api processes against PostGraphile (issue 14)

The api as shipped (\`api/dist/main.js\`, \`NODE_ENV=production\`) in a process of its own, as PostGraphile runs, on the same database as above: \`API_PROCESSES=1\`, then \`API_PROCESSES=2\` (node:cluster, two processes sharing the port). Per user, ${r.pairing.rounds} rounds in which ours and PostGraphile (one process, its first page) take turns, the one going first alternating: each side's sequential first-page requests (${r.pairing.n} a round, after ${r.settings.warmup} of warm-up in the first), then ${r.settings.clients} clients for ${r.pairing.seconds} s, from the same load client process as every other row. Latencies and requests/s pool every round; the ratio is the median of the rounds' ratios, so both sides see the same machine and one disturbed round does not decide. Measured on ${commitOf()}, ${os.availableParallelism()} cores shared by the database, the load client and the servers.

${p.table}

${targetTable(p.targets)}
`;
}

function timelineTables(r: TimelineReport): { latency: string; throughput: string; peer: string; targets: Target[] } {
  const latencyTable = table(
    ['request (50 per page, contact with 100,000 activities)', 'GraphQL p50', 'raw SQL p50', 'Δ p50', 'p50 ratio', 'GraphQL p99', 'raw SQL p99', 'p99 ratio', 'statements', 'all statements raw p50'],
    [
      ...r.series.map((s) => [s.label, ms(s.gql.p50), ms(s.raw.p50), ms(s.gql.p50 - s.raw.p50), ratio(s.gql.p50 / s.raw.p50), ms(s.gql.p99), ms(s.raw.p99), ratio(s.gql.p99 / s.raw.p99), String(s.statements), ms(s.allStatementsRaw.p50)]),
      ['(for scale) admin, authenticated { __typename }', ms(r.floor.gql.p50), '', '', '', ms(r.floor.gql.p99), '', '', String(r.floor.statements), ''],
      ['(for scale) { __typename } without a token', ms(r.bare.p50), '', '', '', ms(r.bare.p99), '', '', '0', ''],
    ],
  );
  const throughputTable = table(
    [`${r.settings.clients} concurrent clients, ${r.settings.seconds} s each`, 'requests/s', 'p50', 'p99', 'errors'],
    [...r.throughput, r.peer.throughput].map((t) => [t.label, num(t.requestsPerSecond), ms(t.p50), ms(t.p99), String(t.errors)]),
  );
  const [adminFirst, adminDeep, samFirst, samDeep] = r.series;
  const ours = r.throughput.find((t) => t.label.startsWith('GraphQL') && t.label.includes('admin'))!;
  const peerTable = table(
    ['', 'ours (GraphQL, admin)', 'PostGraphile (measured now)', 'ours / PostGraphile', 'PostGraphile (issue reference)'],
    [
      ['first page p50', ms(adminFirst.gql.p50), ms(r.peer.first.p50), ratio(adminFirst.gql.p50 / r.peer.first.p50), ms(REFERENCE.p50)],
      ['first page p99', ms(adminFirst.gql.p99), ms(r.peer.first.p99), ratio(adminFirst.gql.p99 / r.peer.first.p99), ms(REFERENCE.p99)],
      ['page 2,000 (last) p50', ms(adminDeep.gql.p50), ms(r.peer.deep.p50), ratio(adminDeep.gql.p50 / r.peer.deep.p50), 'flat'],
      ['page 2,000 (last) p99', ms(adminDeep.gql.p99), ms(r.peer.deep.p99), ratio(adminDeep.gql.p99 / r.peer.deep.p99), ''],
      ['last / first page p50', ratio(adminDeep.gql.p50 / adminFirst.gql.p50), ratio(r.peer.deep.p50 / r.peer.first.p50), '', ''],
      [`requests/s, ${r.settings.clients} clients`, num(ours.requestsPerSecond), num(r.peer.throughput.requestsPerSecond), ratio(ours.requestsPerSecond / r.peer.throughput.requestsPerSecond), num(REFERENCE.requestsPerSecond)],
    ],
  );
  const targets: Target[] = [];
  for (const s of r.series) {
    targets.push({ what: `${s.label}: p50 within raw + 2 ms`, measured: `${ms(s.gql.p50)} vs ${ms(s.raw.p50 + 2)}`, target: '≤ raw p50 + 2 ms', pass: s.gql.p50 <= s.raw.p50 + 2 });
    targets.push({ what: `${s.label}: p99 within 3× raw`, measured: `${ms(s.gql.p99)} vs ${ms(3 * s.raw.p99)}`, target: '≤ 3 × raw p99', pass: s.gql.p99 <= 3 * s.raw.p99 });
  }
  for (const [first, deep] of [[adminFirst, adminDeep], [samFirst, samDeep]]) {
    targets.push({ what: `${deep.label} within 1.2× first page (p50)`, measured: ratio(deep.gql.p50 / first.gql.p50), target: '≤ 1.20×', pass: deep.gql.p50 <= 1.2 * first.gql.p50 });
  }
  targets.push({ what: 'p50 first page vs PostGraphile measured in this run', measured: `${ms(adminFirst.gql.p50)} vs ${ms(r.peer.first.p50)}`, target: '≤ PostGraphile', pass: adminFirst.gql.p50 <= r.peer.first.p50 });
  targets.push({ what: `requests/s (${r.settings.clients} clients) vs PostGraphile measured in this run`, measured: `${num(ours.requestsPerSecond)} vs ${num(r.peer.throughput.requestsPerSecond)}`, target: '≥ PostGraphile', pass: ours.requestsPerSecond >= r.peer.throughput.requestsPerSecond });
  targets.push({ what: 'p50 first page vs PostGraphile reference (issue)', measured: `${ms(adminFirst.gql.p50)} vs ${ms(REFERENCE.p50)}`, target: '≤ 2.6 ms', pass: adminFirst.gql.p50 <= REFERENCE.p50 });
  targets.push({ what: `requests/s (${r.settings.clients} clients) vs PostGraphile reference (issue)`, measured: `${num(ours.requestsPerSecond)} vs ${num(REFERENCE.requestsPerSecond)}`, target: '≥ 822', pass: ours.requestsPerSecond >= REFERENCE.requestsPerSecond });
  return { latency: latencyTable, throughput: throughputTable, peer: peerTable, targets };
}

const statementKinds = (run: IngestReport['batched']) =>
  run.statementKinds
    .slice(0, 10)
    .map(([kind, n]) => `${kind} ${num(n, 1)}`)
    .join(', ');

function ingestTables(r: IngestReport): { runs: string; targets: Target[] } {
  const runs = table(
    ['trackEmails as the Sync Service key', 'calls', 'seconds', 'items/s', '÷ raw', 'payload MB/s', 'p50 per call', 'p99 per call', 'statements per call'],
    [
      [`batches of 100 (${num(r.items)} items, ${num(r.payloadMb, 1)} MB of JSON)`, num(r.batched.calls), num(r.batched.seconds, 1), num(r.batched.itemsPerSecond, 1), ratio(r.batched.itemsPerSecond / r.raw.itemsPerSecond), num(r.batched.payloadMbPerSecond, 2), ms(r.batched.perCall.p50), ms(r.batched.perCall.p99), num(r.batched.statementsPerCall, 1)],
      ['one item per call', num(r.single.calls), num(r.single.seconds, 1), num(r.single.itemsPerSecond, 1), ratio(r.single.itemsPerSecond / r.raw.itemsPerSecond), num(r.single.payloadMbPerSecond, 2), ms(r.single.perCall.p50), ms(r.single.perCall.p99), num(r.single.statementsPerCall, 1)],
      [`raw multi-row INSERTs of the same rows (${num(Object.values(r.raw.rows).reduce((a, b) => a + b, 0))} rows, ${num(r.raw.mb, 1)} MB of bodies)`, num(Math.ceil(r.items / 100)), num(r.raw.seconds, 1), num(r.raw.itemsPerSecond, 1), '1.00×', '', '', '', num(r.raw.statements / Math.ceil(r.items / 100), 1)],
    ],
  );
  const targets: Target[] = [
    { what: 'batches of 100 vs one item per call', measured: ratio(r.batched.itemsPerSecond / r.single.itemsPerSecond), target: '≥ 5×', pass: r.batched.itemsPerSecond >= 5 * r.single.itemsPerSecond },
    { what: 'batches of 100 vs raw INSERTs of the same rows', measured: `${((100 * r.batched.itemsPerSecond) / r.raw.itemsPerSecond).toFixed(0)} %`, target: '≥ 25 %', pass: r.batched.itemsPerSecond >= 0.25 * r.raw.itemsPerSecond },
  ];
  return { runs, targets };
}

const targetTable = (targets: readonly Target[]) => table(['target', 'measured', 'wanted', ''], targets.map((t) => [t.what, t.measured, t.target, verdict(t.pass)]));

const MAIL_ANALYSIS = `### Where the time and the memory go (found by profiling; see the tables above for this run's figures)

- **Throughput.** The engine reads and parses the next batch while the current one commits, so fetching and parsing overlap the api's work; before that overlap the same benchmark reached 55–60 % of the combined limit. The api's share is \`trackEmails\`, which also stores the attachments of messages up to 1 MiB (sent inside their items), and the uploads of larger messages' attachments (\`PUT /blobs\`, streamed chunks written 16 to a statement), both waiting on MariaDB's log flushes (\`innodb_flush_log_at_trx_commit=1\`).
- **Engine memory.** The engine starts at about 80 MB (the Exchange adapters, about 50 MB with ews-javascript-api, load only with the first Exchange mailbox). A message over 1 MiB is never held whole: IMAP downloads it in 512 KB pieces and POP3 reads RETR as a stream (the socket paused while the file catches up) into a temporary file; the parser (\`@zone-eu/mailsplit\`) reads it back as a stream and pipes each attachment straight into a chunked \`PUT /blobs\`, and postal-mime reads only what is left (headers, text bodies cut at 6× the body limit, invitations, attached messages). The MIME worker thread, whose peak alone was 150–170 MB, is gone. What is left is the main thread's heap (about 50 MB: up to three batches of parsed bodies in flight) and its Buffers (about 70 MB: the small messages of up to two batches of 8 MB, parse buffers, uploads), which do not depend on a message's size: three 25 MB messages raise the peak by about what one 8 MB batch of small messages does (the large-message table).
- **Stalls.** The engine's longest IMAP stall is imapflow turning one FETCH response of 250 messages' metadata into objects in one run of microtasks (about 200 ms at 1,000 per FETCH); messages over 1 MiB are split as a stream, chunk by chunk, and only their small remainder is parsed in one go.
`;

function mailSection(r: MailReport): string {
  const m = mailTables(r);
  const d = r.dataset;
  const f = r.freshness;
  const ingest = r.runs.length
    ? `Dataset: ${num(d.count)} messages, ${num(d.totalBytes / 1e6)} MB (median ${num(d.medianBytes / 1024, 1)} KB, 90th percentile ${num(d.p90Bytes / 1024, 1)} KB, largest ${num(d.maxBytes / 2 ** 20, 1)} MB), generated by \`bench/mail-dataset.ts\` from a fixed seed: Outlook, Gmail, Apple Mail and Thunderbird shapes (Received and DKIM-Signature headers, multipart/alternative text and HTML in quoted-printable, Thread-Index), ${num(d.replies)} replies with In-Reply-To/References and the quoted original, ${num(d.withAttachments)} with a document attached (${num(d.withLargeAttachments)} of them 1–3 MB), parties mixing the seeded contacts, colleagues and unknown addresses. Written once as maildir files (cached in the temp dir) and hard-linked into each Dovecot user's \`cur/\`; Dovecot 2.3 on loopback, no TLS.

Setup per protocol: a fresh database (\`crm_bench_mail_imap\`, \`crm_bench_mail_pop3\`), the api (\`api/dist/main.js\`${apiProcessesNote()}) and the sync engine (\`sync-engine/dist/main.js\`) each in its own process; the mailbox configured through GraphQL as the administrator (server profile, server-side sync, credentials, approval, tracking filter ALL, Test & Enable), its first sync run on the empty maildir, then the messages linked in and the engine started again with \`IDLE_SECONDS=0\`, \`BATCH_SIZE=100\`, \`SEND_BATCH=0\`, reconcile once per process. Measured from the engine's "mailbox claimed" log line to the N-th \`mailbox_item\` row (polled every 200 ms); the reconcile that follows in the same claim is timed apart. Peak RSS is the process's VmHWM over its whole life (the api's includes its start; not getrusage's maxrss, which a child inherits from the process that forked it); the longest stall is the longest gap of a 10 ms timer (perf_hooks.monitorEventLoopDelay) minus 10 ms, for the engine from the end of its start-up to the N-th message, and apart during the reconcile; both are measured inside each process by \`bench/process-probe.ts\`, preloaded with \`node --require\`, which also sums the api's request durations per route.

${m.endToEnd}

${m.baselines}

The fetch baselines run on the same Dovecot mailbox right before the engine, after a warm-up that makes Dovecot index it; the parse baseline runs in the benchmark process on the same files (reading them is not timed); the insert baseline copies, 100 messages at a time in tracking order, the rows the IMAP run wrote into an empty copy of those tables (only the INSERTs are timed).

${m.breakdown}

${m.memory}

${mailNotes(r).join(' ')}
${
  m.large
    ? `
#### A 25 MB message

What large messages add to the engine's peak: the first messages of the dataset in a fresh mailbox (a fresh database, api and engine), then the same messages followed by a few messages of 25 MB in another fresh one; the organization's attachment limit raised to 32 MB in both, so the hub stores the large attachments. Messages over 1 MiB are spooled to a file as they arrive and their attachments streamed into \`PUT /blobs\`, so the peak should not grow with a message's size.

${m.large}
`
    : ''
}
${m.rows}
`
    : '';
  const freshness = f
    ? `### Freshness

The engine as shipped (IDLE on, \`IDLE_SECONDS\` default) on the mailbox${r.runs.length ? ' the IMAP run synced' : ''}, after its claim's reconcile (${num(f.readySeconds, 1)} s from its start to IDLE-ing) and one untimed warm-up message. Each message is delivered as a delivery agent does (written under \`tmp/\`, renamed into \`new/\`), one every ${f.intervalMs} ms; the clock starts at the rename. Dovecot runs with \`mailbox_idle_check_interval = 1 secs\`. The messages come from one of Sam's contacts; ${f.screen ? "Sam is signed in to the built UI (\`web/dist\`, served by the api) in Chromium (\`test/support/browser.ts\`) on that contact's page, which follows its timeline over graphql-ws; a MutationObserver in the page notes (\`Date.now()\`) when each message's subject first shows among the timeline items, against the benchmark's \`Date.now()\` at the rename (the same wall clock, ms)." : `the screen was not measured: ${f.screenSkipped ?? 'unknown'}.`}

${m.freshness}
`
    : '';
  return `${ingest}
${freshness}
### Targets

${targetTable(m.targets)}

${MAIL_ANALYSIS}`;
}

const LIVE_HEADING = '## 4. Live fan-out';

function markdown(timeline: TimelineReport, ingest: IngestReport, mail: MailReport, live: LiveReport, facts: ReturnType<typeof machine>, minutes: number): string {
  const t = timelineTables(timeline);
  const i = ingestTables(ingest);
  const explain = timeline.explain
    .map((e) => `**${e.label}**\n\n\`\`\`sql\n${e.sql}\n\`\`\`\n\n\`\`\`\n${e.plan}\n\`\`\`\n\n<details><summary>ANALYZE FORMAT=JSON</summary>\n\n\`\`\`json\n${e.analyze}\n\`\`\`\n\n</details>`)
    .join('\n\n');
  const d = timeline.dataset;
  return `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (the whole run took ${minutes.toFixed(1)} min${d.builtNow ? `, including building the timeline dataset in ${num(d.buildSeconds ?? 0)} s` : ''}). Every figure is measured in the same run as the baseline it is compared with; the targets are reported, never enforced.

## Machine

| | |
|---|---|
| CPUs (nproc) | ${facts.nproc} × ${facts.cpu} |
| memory | ${facts.memoryGb} GB |
| OS | ${facts.os} |
| Node.js | ${facts.node} |
| MariaDB | ${facts.mariadb} (server defaults: 128 MB buffer pool, innodb_flush_log_at_trx_commit=1) |
| PostgreSQL | ${facts.postgres} |
| PostGraphile | ${facts.postgraphile} (peer) |
| code measured | ${facts.commit} |

## How to reproduce

\`\`\`sh
npm ci                 # the repository's dependencies
npm run bench          # installs bench/peer (PostGraphile) on first use, builds the api, the engine, the UI and bench/, runs every benchmark
npm run bench -- --rebuild          # rebuild the timeline datasets first
npm run bench -- --only=timeline    # or --only=ingest, --only=mail, --only=freshness, --only=live, --only=ews, --only=roundtrip; BENCHMARKS.md is rewritten only by a full run
npm run bench -- --only=live --live-seconds=60   # the live fan-out at the issue's 60 s per run
npm run bench -- --n=1000 --seconds=30 --items=10000   # larger samples
npm run bench -- --only=mail --messages=50000          # the mail benchmark on a larger mailbox
BENCH_PROFILE_DIR=/tmp/prof npm run bench -- --only=mail   # also writes V8 CPU profiles of the api and the engine
node bench/dist/bench/profile-summary.js /tmp/prof/engine-….cpuprofile   # where a profile's busy time went, by package and by function (--callers='<name>' for who calls a function)
npm run bench -- --only=scale       # the store at 1M and 10M activities (section 7; not in a full run: the 10M dataset takes about an hour to build once)
npm run bench -- --only=watch       # a thousand IMAP mailboxes in push mode (section 8; not in a full run); --watch-slots=16 for more work slots
npm run bench -- --only=watch-ews   # a thousand Exchange mailboxes in push mode (section 8, the EWS test server in its own process; not in a full run)
BENCH_MAIL_DATABASE_PREFIX=ab_run npm run bench -- --only=mail   # databases of its own, for two runs side by side
\`\`\`

The first run (or \`--rebuild\`) also builds the timeline datasets: about 110 s for MariaDB, with PostgreSQL's loading alongside; a whole run with \`--rebuild\` took 5.8 min on this machine.

Needs MariaDB on 127.0.0.1:3306 (root, no password; \`scripts/ensure-test-services.sh\` starts it) with the Sequence engine, and PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) for the peer. The mail benchmark needs Dovecot 2.3 (\`dovecot-imapd\`, \`dovecot-pop3d\`), started by \`test/support/dovecot.ts\` in a temp dir (as root it runs mail as a \`vmail\` user it creates), and the built api and engine (\`npx tsc -p api/tsconfig.build.json && npx tsc -p sync-engine/tsconfig.build.json\`), which it runs as shipped. Freshness also watches a contact page in Chromium (\`/usr/bin/chromium\`, \`scripts/install-chromium.sh\`) on the built UI; without either, its screen row says why it was not measured. The live fan-out benchmark starts its own \`redis-server\` (\`/usr/bin/redis-server\`, \`scripts/ensure-test-services.sh\` installs it) for its Redis runs. \`BENCH_MARIADB_URL\` and \`PEER_PG_URL\` point elsewhere. The benchmark code is in \`bench/\`: TypeScript compiled by \`tsc -p bench\` together with the api sources it starts in process; PostGraphile lives in its own package in \`bench/peer/\` (its own \`node_modules\`, not a workspace).

## 1. Timeline read

Dataset (database \`${TIMELINE_DATABASE}\`, kept between runs while its row counts match): the api's migrations and demo seed, then ${num(d.activities)} activities (85 % email, 7 % appointments, 5 % tasks, 3 % phone calls; owners the six seeded people, so business-unit scopes filter; occurredAt spread over 2023–2025) with what ActivityWriter writes for them — two activity_party rows each (tasks none), ${num(d.timelineEntries)} timeline_entry rows (the contact party, and the regarding account or opportunity), ${num(d.emails)} email_message rows (unique messageIdHash, status, preview) and the per-kind detail rows. One contact has ${num(d.hotEntries)} activities on its timeline; ${num(timeline.users.salesperson.visible)} of them are in the business unit of the Salesperson (${timeline.users.salesperson.email}, READ at business-unit depth). Loaded with INSERT … SELECT from MariaDB's Sequence engine, secondary indexes rebuilt afterwards, then ANALYZE TABLE.

Request: \`timeline(recordId, first: 50, after) { edges { cursor node { id kind subject occurredAt direction } } pageInfo { hasNextPage endCursor } }\` over HTTP to the api running in the benchmark process (the load client is a separate process), sequentially: warm-up, then ${timeline.series[0].gql.n} requests per row. The last page is read after the cursor of the 50th row from the end, built as the api builds cursors (\`encodeTimelineCursor\`). "raw SQL" is the page statement the api sent (taken from its query log, with its parameters) run through mysql2 in the same process; "all statements raw" replays every statement of one warm request (whatever authentication still reads, the record check, the page) one after another.

${t.latency}

Statements of one (warm) timeline request, by the table each reads: ${timeline.series[0].statementTables.join(' → ')} (the last is the page: for these fields, timeline_entry alone, whose rows carry copies of the activity columns the page shows).

${timeBreakdown(timeline)}

${t.throughput}

### Against PostGraphile 5

PostGraphile ${timeline.peer.versions.postgraphile} (amber preset, grafserv on node:http, its own process) over PostgreSQL ${timeline.peer.versions.postgres}, database \`crm_bench_peer\`: one table \`activity\` with the same generators (${num(d.activities)} rows, ${num(d.hotEntries)} on one record), index on (record_id, occurred_at desc, id desc). Query: \`allActivities(condition: {recordId}, orderBy: [OCCURRED_AT_DESC, ROW_ID_DESC], first: 50, after)\` (v5 names the primary key \`rowId\`). PostGraphile reads one table with no access rules; ours reads timeline_entry (one row per activity and record it is on, with copies of the activity's columns the page shows), applies the caller's scope and checks that the caller may read the record.

${t.peer}

${processSection(timeline, processTables(timeline))}

### Targets

${targetTable(t.targets)}

### Plans of the page statement

${explain}

## 2. Ingest through the API

\`trackEmails\` as the Sync Service key into a fresh database (\`crm_bench_ingest\`, dropped and created for each pass), five demo users' mailboxes set to tracking filter ALL through \`updateMailbox\` as the administrator. ${num(ingest.items)} messages built like test/support/mail-fixtures.ts (Outlook, Gmail, Apple Mail, Thunderbird header shapes; a third are replies with In-Reply-To/References and Thread-Index), median ${ingest.medianBodyKb.toFixed(1)} KB of text plus HTML body, ${ingest.partiesPerItem.min}–${ingest.partiesPerItem.max} parties (mean ${ingest.partiesPerItem.mean.toFixed(1)}) mixing seeded contacts, colleagues and unknown addresses. Outcomes: ${Object.entries(ingest.outcomes).map(([k, v]) => `${num(v)} ${k}`).join(', ')}. Sent sequentially by the load client process, mailbox by mailbox. The baseline inserts the rows the batched pass wrote (${Object.entries(ingest.raw.rows).map(([k, v]) => `${k} ${num(v)}`).join(', ')}) into an empty copy of the schema with multi-row INSERTs through mysql2, 100 messages' rows per transaction.

${i.runs}

Statements per batch of 100, by kind (mean, the ten most frequent): ${statementKinds(ingest.batched)}.

Statements per single-item call: ${statementKinds(ingest.single)}.

### Targets

${targetTable(i.targets)}

## 3. Mail ingest through the sync engine, and freshness

${mailSection(mail)}
${liveSection(live, LIVE_HEADING)}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const only = flag('only');
  if (only && !['timeline', 'ingest', 'mail', 'freshness', 'live', 'ews', 'roundtrip', 'scale', 'watch', 'watch-ews'].includes(only)) throw new Error('--only must be timeline, ingest, mail, freshness, live, ews, roundtrip, scale, watch or watch-ews');
  const rebuild = flag('rebuild') === 'true';
  const settings = {
    n: intFlag('n', 300, 1),
    warmup: intFlag('warmup', 30, 0),
    clients: intFlag('clients', 10, 1),
    seconds: intFlag('seconds', 10, 1),
    items: intFlag('items', 5000, 100),
    messages: intFlag('messages', 20_000, 100),
    ewsMessages: intFlag('ews-messages', 10_000, 100),
    roundTripSamples: intFlag('roundtrip-samples', 20, 1),
    watchMailboxes: intFlag('watch-mailboxes', 1000, 2),
    watchRate: intFlag('watch-rate', 20, 1),
    watchSeconds: intFlag('watch-seconds', 60, 1),
    watchLeaseSeconds: intFlag('watch-lease', 30, 5),
    watchSlots: intFlag('watch-slots', 8, 1),
    samples: intFlag('samples', 60, 1),
    interval: intFlag('interval', 300, 10),
    subscribers: intFlag('subscribers', 1000, 10),
    rate: intFlag('rate', 10, 1),
    users: intFlag('users', 10, 1),
    clientProcesses: intFlag('client-processes', 2, 1),
  };
  const liveSeconds = intFlag('live-seconds', settings.seconds, 1);
  log(`bench: MariaDB ${MARIADB_SERVER_URL}; n=${settings.n} warmup=${settings.warmup} clients=${settings.clients} seconds=${settings.seconds} items=${settings.items}`);
  const load = LoadClient.start();
  let timeline: TimelineReport | undefined;
  let ingest: IngestReport | undefined;
  let mail: MailReport | undefined;
  let live: LiveReport | undefined;
  let ews: EwsReport | undefined;
  let roundTrip: RoundTripReport | undefined;
  try {
    if (!only || only === 'timeline') {
      // The peer builds its PostgreSQL dataset while ours loads; it is measured after ours, alone.
      const peer = startPeer({ rebuild });
      try {
        timeline = await runTimelineBenchmark({ ...settings, rebuild, load, peer, log });
      } finally {
        await peer.stop();
      }
      const t = timelineTables(timeline);
      const p = processTables(timeline);
      process.stdout.write(`\n== Timeline read ==\n\n${t.latency}\n\n${t.throughput}\n\n${t.peer}\n\n${targetTable(t.targets)}\n\n`);
      process.stdout.write(`== Timeline read: api processes of their own (issue 14) ==\n\n${p.table}\n\n${targetTable(p.targets)}\n\n`);
      fs.mkdirSync(path.join(ROOT, 'bench', 'dist'), { recursive: true });
      fs.writeFileSync(path.join(ROOT, 'bench', 'dist', 'timeline-processes-section.md'), processSection(timeline, p));
      process.stdout.write(`statements per (warm) timeline request: ${timeline.series[0].statementTables.join(' → ')}\n\n${timeBreakdown(timeline)}\n\n`);
      for (const e of timeline.explain) process.stdout.write(`EXPLAIN (${e.label}):\n${e.plan}\n\n`);
    }
    if (!only || only === 'ingest') {
      ingest = await runIngestBenchmark({ items: settings.items, load, log });
      const i = ingestTables(ingest);
      process.stdout.write(
        `\n== Ingest ==\n\noutcomes: ${JSON.stringify(ingest.outcomes)}; median body ${ingest.medianBodyKb.toFixed(1)} KB\n\n${i.runs}\n\n` +
          `statements per batch of 100: ${statementKinds(ingest.batched)}\nstatements per single-item call: ${statementKinds(ingest.single)}\n\n${targetTable(i.targets)}\n\n`,
      );
    }
    if (!only || only === 'mail' || only === 'freshness') {
      log(`bench: mail: ${only === 'freshness' ? 'freshness only' : `${settings.messages} messages`}; ${settings.samples} freshness samples every ${settings.interval} ms`);
      mail = await runMailBenchmark({ messages: settings.messages, ingest: only !== 'freshness', freshness: flag('no-freshness') !== 'true', large: flag('no-large') !== 'true', samples: settings.samples, intervalMs: settings.interval, log });
      const m = mailTables(mail);
      const ingestText = mail.runs.length ? [m.endToEnd, m.baselines, m.breakdown, m.memory, mailNotes(mail).join('\n'), m.rows] : [];
      process.stdout.write(`\n== Mail ingest and freshness ==\n\n${[...ingestText, m.freshness ?? '', targetTable(m.targets)].join('\n\n')}\n\n`);
      if (only) {
        // For splicing into BENCHMARKS.md by hand when only this part was run.
        const file = path.join(ROOT, 'bench', 'dist', 'mail-section.md');
        fs.writeFileSync(file, `## 3. Mail ingest through the sync engine, and freshness\n\n${mailSection(mail)}`);
        log(`bench: the BENCHMARKS.md section for this run is in ${path.relative(ROOT, file)}`);
      }
    }
    if (!only || only === 'live') {
      live = await runLiveBenchmark({ subscribers: settings.subscribers, seconds: liveSeconds, perSecond: settings.rate, clientProcesses: settings.clientProcesses, users: settings.users, log });
      process.stdout.write(`\n== Live fan-out ==\n\n${liveText(live)}\n\n`);
      if (only) {
        const file = path.join(ROOT, 'bench', 'dist', 'live-section.md');
        fs.writeFileSync(file, liveSection(live, LIVE_HEADING));
        log(`bench: the BENCHMARKS.md section for this run is in ${path.relative(ROOT, file)}`);
      }
    }
    if (!only || only === 'ews') {
      log(`bench: mail ingest over EWS: ${settings.ewsMessages} messages`);
      ews = await runEwsBenchmark({ messages: settings.ewsMessages, log });
      process.stdout.write(`\n== Mail ingest over EWS ==\n\n${ewsText(ews, commitOf())}\n`);
      if (only) {
        const file = path.join(ROOT, 'bench', 'dist', 'ews-section.md');
        fs.writeFileSync(file, ewsText(ews, commitOf()));
        log(`bench: the BENCHMARKS.md section for this run is in ${path.relative(ROOT, file)}`);
      }
    }
    if (!only || only === 'roundtrip') {
      log(`bench: appointment round trip CRM ⇄ Exchange: ${settings.roundTripSamples} per mode`);
      roundTrip = await runRoundTripBenchmark({ samples: settings.roundTripSamples, log });
      process.stdout.write(`\n== Appointment round trip ==\n\n${roundTripText(roundTrip, commitOf())}\n`);
      if (only) {
        const file = path.join(ROOT, 'bench', 'dist', 'roundtrip-section.md');
        fs.writeFileSync(file, roundTripText(roundTrip, commitOf()));
        log(`bench: the BENCHMARKS.md section for this run is in ${path.relative(ROOT, file)}`);
      }
    }
    // Not part of a full run: building the 10M dataset alone takes about half an hour.
    if (only === 'scale') {
      const sizes = (flag('scale-sizes') ?? '1000000,10000000').split(',').map(Number);
      if (sizes.length < 2 || sizes.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error('--scale-sizes must list at least two sizes of 1000 or more, smallest first');
      log(`bench: the store at scale: ${sizes.join(', ')} activities`);
      const report = await runScaleBenchmark({ sizes, rebuild, n: settings.n, warmup: settings.warmup, items: intFlag('scale-items', 2000, 100), load, log });
      const text = scaleSection(report, commitOf());
      process.stdout.write(`\n${text}\n`);
      const file = path.join(ROOT, 'bench', 'dist', 'scale-section.md');
      fs.writeFileSync(file, text);
      log(`bench: the BENCHMARKS.md section for this run is in ${path.relative(ROOT, file)}`);
    }
    // A thousand mailboxes in push mode: on request only (about 5 minutes, 2,000 IMAP connections).
    if (only === 'watch') {
      log(`bench: a thousand mailboxes in push mode: ${settings.watchMailboxes} mailboxes, ${settings.watchRate}/s for ${settings.watchSeconds} s`);
      const watch = await runWatchBenchmark({ mailboxes: settings.watchMailboxes, ratePerSecond: settings.watchRate, seconds: settings.watchSeconds, leaseSeconds: settings.watchLeaseSeconds, slots: settings.watchSlots, log });
      process.stdout.write(`\n== A thousand mailboxes in push mode ==\n\n${watchText(watch, commitOf())}\n`);
      const file = path.join(ROOT, 'bench', 'dist', 'watch-section.md');
      fs.writeFileSync(file, watchText(watch, commitOf()));
      log(`bench: the BENCHMARKS.md section for this run is in ${path.relative(ROOT, file)}`);
    }
    // The same with Exchange mailboxes: on request only (1,000 streaming subscriptions for the engine and 1,000 for the bare client).
    if (only === 'watch-ews') {
      log(`bench: a thousand Exchange mailboxes in push mode: ${settings.watchMailboxes} mailboxes, ${settings.watchRate}/s for ${settings.watchSeconds} s`);
      const watch = await runEwsWatchBenchmark({ mailboxes: settings.watchMailboxes, ratePerSecond: settings.watchRate, seconds: settings.watchSeconds, leaseSeconds: settings.watchLeaseSeconds, slots: settings.watchSlots, log });
      const text = watchEwsText(watch, commitOf());
      process.stdout.write(`\n== A thousand Exchange mailboxes in push mode ==\n\n${text}\n`);
      const file = path.join(ROOT, 'bench', 'dist', 'watch-ews-section.md');
      fs.writeFileSync(file, text);
      log(`bench: the BENCHMARKS.md subsection for this run is in ${path.relative(ROOT, file)}`);
    }
  } finally {
    load.close();
  }
  const minutes = (Date.now() - started) / 60_000;
  if (timeline && ingest && mail && live && ews && roundTrip) {
    fs.writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), `${markdown(timeline, ingest, mail, live, machine(timeline), minutes)}\n${ewsText(ews, commitOf())}\n${roundTripText(roundTrip, commitOf())}`);
    log(`bench: wrote BENCHMARKS.md (${minutes.toFixed(1)} min)`);
  } else {
    log(`bench: done in ${minutes.toFixed(1)} min (BENCHMARKS.md is written by a full run only)`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
