// The mail benchmark's figures as tables (printed, and section 3 of BENCHMARKS.md), with its targets.
import { mbPerSecond, perSecond, type Throughput } from './mail-baselines';
import type { MailReport, ProtocolRun } from './mail-ingest';
import { ms, num, table } from './stats';

export interface MailTarget {
  readonly what: string;
  readonly measured: string;
  readonly target: string;
  readonly pass: boolean;
}

const mb = (bytes: number) => `${num(bytes / 1e6, 1)} MB`;
const rate = (t: Throughput) => [num(perSecond(t), 1), num(mbPerSecond(t), 1), num(t.seconds, 1)];

/** 1 / (1/fetch + 1/parse + 1/insert) messages/s: one message through the three jobs done one after another. */
export function combinedLimit(run: ProtocolRun, report: MailReport): number {
  if (!report.insert) return NaN;
  return 1 / (1 / perSecond(run.fetch) + 1 / perSecond(run.parse) + 1 / perSecond(report.insert));
}

const routeMs = (run: ProtocolRun, route: string) => run.api.routes[route]?.ms ?? 0;
const routeCount = (run: ProtocolRun, route: string) => run.api.routes[route]?.count ?? 0;

/** Issue 14: the engine's peak RSS, whatever the mailbox and message size. */
const ENGINE_PEAK_TARGET_MB = 200;

export function mailTables(r: MailReport): { endToEnd: string; baselines: string; breakdown: string; memory: string; large: string | null; freshness: string | null; rows: string; targets: MailTarget[] } {
  const endToEnd = table(
    ['engine, claim → N-th message decided', 'messages/s', 'MB/s', 'seconds', 'combined limit (msg/s)', '÷ limit', 'engine peak RSS', 'engine longest stall', 'api peak RSS', 'api longest stall', 'reconcile after (its longest stall)'],
    r.runs.map((run) => [
      `${run.protocol} (${num(run.e2e.messages)} messages, ${mb(run.e2e.bytes)})`,
      ...rate(run.e2e),
      num(combinedLimit(run, r), 1),
      `${((100 * perSecond(run.e2e)) / combinedLimit(run, r)).toFixed(0)} %`,
      `${num(run.engine.peakRssMb)} MB`,
      ms(run.engine.stallMaxMs),
      `${num(run.api.peakRssMb)} MB`,
      ms(run.api.stallMaxMs),
      `${num(run.reconcileSeconds, 1)} s (${ms(run.engineReconcile.stallMaxMs)})`,
    ]),
  );
  const baselineRows: string[][] = [];
  for (const run of r.runs) {
    baselineRows.push([run.protocol === 'IMAP' ? `raw IMAP fetch (imapflow, UID FETCH BODY.PEEK[] of 100 UIDs at a time)` : 'raw POP3 fetch (plain socket, RETR 1..n one at a time)', ...rate(run.fetch)]);
  }
  for (const run of r.runs) {
    const invalid = run.parse.invalid ? `; ${run.parse.invalid} invalid` : '';
    baselineRows.push([`parse alone (the engine's parseRawMessage, one after another; half just before the ${run.protocol} run, half just after${invalid})`, ...rate(run.parse)]);
  }
  if (r.insert) {
    const rows = Object.values(r.insert.rows).reduce((a, b) => a + b, 0);
    baselineRows.push([`raw INSERT of the rows the api wrote (${num(rows)} rows, ${mb(r.insert.blobBytes)} of blob chunks; 100 messages per transaction)`, num(perSecond(r.insert), 1), num(mbPerSecond(r.insert), 1), num(r.insert.seconds, 1)]);
  }
  for (const run of r.runs) baselineRows.push([`combined limit, ${run.protocol}: 1 / (1/fetch + 1/parse + 1/insert)`, num(combinedLimit(run, r), 1), '', '']);
  const baselines = table(['baseline (the same messages, this run)', 'messages/s', 'MB/s', 'seconds'], baselineRows);

  const breakdownRows: string[][] = [];
  const cell = (run: ProtocolRun, msValue: number) => [num(msValue / 1000, 1), `${((100 * msValue) / 1000 / run.e2e.seconds).toFixed(0)} %`];
  const rowOf = (label: string, value: (run: ProtocolRun) => number) => breakdownRows.push([label, ...r.runs.flatMap((run) => cell(run, value(run)))]);
  rowOf('the api answering POST /graphql (trackEmails, and the claims and lease renewals)', (run) => routeMs(run, 'POST /graphql'));
  rowOf('the api answering PUT /blobs (attachment uploads)', (run) => routeMs(run, 'PUT /blobs'));
  rowOf('the rest: the engine fetching and parsing, and the wire', (run) => run.e2e.seconds * 1000 - routeMs(run, 'POST /graphql') - routeMs(run, 'PUT /blobs'));
  rowOf('(for scale) raw fetch + parse alone, from the baselines', (run) => 1000 * (run.fetch.seconds + run.parse.seconds));
  rowOf('(for scale) raw INSERT alone, from the baseline', () => 1000 * (r.insert?.seconds ?? NaN));
  // CPU seconds per 1,000 messages: what the two processes cost, far steadier than their rates on a shared machine.
  const cpuRow = (label: string, cpuMs: (run: ProtocolRun) => number) => [
    label,
    ...r.runs.flatMap((run) => [num(cpuMs(run) / 1000, 1), `${num(cpuMs(run) / run.e2e.messages, 2)} s per 1,000 messages`]),
  ];
  const breakdown = table(
    ['where the end-to-end time goes', ...r.runs.flatMap((run) => [`${run.protocol} s`, 'share'])],
    [
      ...breakdownRows,
      ['requests: POST /graphql, PUT /blobs', ...r.runs.flatMap((run) => [`${num(routeCount(run, 'POST /graphql'))}, ${num(routeCount(run, 'PUT /blobs'))}`, ''])],
      cpuRow('CPU time of the api (user + system)', (run) => run.api.cpuMs),
      cpuRow('CPU time of the engine (user + system, its MIME worker included)', (run) => run.engine.cpuMs),
    ],
  );

  const mbCell = (value: number) => `${num(value)} MB`;
  const memory = table(
    ['memory', ...r.runs.flatMap((run) => [`engine, ${run.protocol}`, `api, ${run.protocol}`])],
    [
      ['RSS when the engine started', ...r.runs.flatMap((run) => [mbCell(run.engineStartRssMb), mbCell(run.apiStartRssMb)])],
      ['peak RSS (VmHWM: the whole process, worker threads included)', ...r.runs.flatMap((run) => [mbCell(run.engine.peakRssMb), mbCell(run.api.peakRssMb)])],
      ['peak V8 heap used, main thread (sampled every 100 ms)', ...r.runs.flatMap((run) => [mbCell(run.engine.peakHeapUsedMb), mbCell(run.api.peakHeapUsedMb)])],
      ['peak memory outside the heap (Buffers), main thread', ...r.runs.flatMap((run) => [mbCell(run.engine.peakExternalMb), mbCell(run.api.peakExternalMb)])],
      ['peak V8 heap + memory outside it, worker threads (the engine has none since it streams large messages)', ...r.runs.flatMap((run) => [mbCell(run.engine.peakWorkerHeapUsedMb + run.engine.peakWorkerExternalMb), mbCell(run.api.peakWorkerHeapUsedMb + run.api.peakWorkerExternalMb)])],
      ['at the highest RSS sample: V8 heap committed / in use', ...r.runs.flatMap((run) => [run.engine, run.api].map((p) => (p.atPeak ? `${num(p.atPeak.heapTotalMb)} / ${num(p.atPeak.heapUsedMb)} MB` : '–')))],
      ['… of which the young generation (new space) committed', ...r.runs.flatMap((run) => [run.engine, run.api].map((p) => (p.atPeak ? mbCell((p.atPeak.spaces.new_space?.sizeMb ?? 0) + (p.atPeak.spaces.new_large_object_space?.sizeMb ?? 0)) : '–')))],
      ['… ArrayBuffers (Buffers) / other memory outside the heap', ...r.runs.flatMap((run) => [run.engine, run.api].map((p) => (p.atPeak ? `${num(p.atPeak.arrayBuffersMb)} / ${num(p.atPeak.externalMb - p.atPeak.arrayBuffersMb)} MB` : '–')))],
      ['… the rest of RSS (code, allocator, native buffers)', ...r.runs.flatMap((run) => [run.engine, run.api].map((p) => (p.atPeak ? mbCell(p.atPeak.rssMb - p.atPeak.heapTotalMb - p.atPeak.externalMb) : '–')))],
    ],
  );

  const raise = (run: MailReport['large'][number]) => run.with.peakRssMb - run.without.peakRssMb;
  const large = r.large.length
    ? table(
        ['engine peak RSS (VmHWM), a fresh engine and database each', ...r.large.map((run) => run.protocol)],
        [
          [`the first ${num(r.large[0].smallMessages)} messages of the dataset`, ...r.large.map((run) => `${num(run.without.peakRssMb)} MB (from ${num(run.without.startRssMb)} MB)`)],
          [
            `the same, then ${r.large[0].largeMessages} messages of ${num(r.large[0].largeBytes / 2 ** 20, 1)} MB (one incompressible PDF each, base64)`,
            ...r.large.map((run) => `${num(run.with.peakRssMb)} MB (from ${num(run.with.startRssMb)} MB)`),
          ],
          ['raise', ...r.large.map((run) => `${num(raise(run), 1)} MB`)],
          ['large attachments the hub stored', ...r.large.map((run) => `${run.largeAttachmentsStored} of ${run.largeMessages}`)],
          ['outcomes with the large messages', ...r.large.map((run) => `${Object.entries(run.with.outcomes).map(([k, v]) => `${num(v)} ${k}`).join(', ')}${run.with.quarantined ? `, ${run.with.quarantined} quarantined` : ''}`)],
        ],
      )
    : null;

  const f = r.freshness;
  const freshness = f
    ? table(
        [`delivery into the maildir → (${f.samples} messages, one every ${f.intervalMs} ms)`, 'p50', 'p95', 'max', 'missing'],
        [
          ['the activity queryable (the engine in IDLE; the database polled every 20 ms)', ms(f.engine.p50), ms(f.engine.p95), ms(f.engine.max), String(f.engine.missing)],
          ['EXISTS at a bare imapflow client IDLE-ing on the same INBOX', ms(f.bare.p50), ms(f.bare.p95), ms(f.bare.max), String(f.bare.missing)],
          ['difference', ms(f.engine.p50 - f.bare.p50), ms(f.engine.p95 - f.bare.p95), '', ''],
          ...(f.screen
            ? [
                ['the item on the sender’s contact page open in Chromium (live over graphql-ws; a MutationObserver in the page)', ms(f.screen.p50), ms(f.screen.p95), ms(f.screen.max), String(f.screen.missing)],
                ['difference to the bare client', ms(f.screen.p50 - f.bare.p50), ms(f.screen.p95 - f.bare.p95), '', ''],
              ]
            : [['the item on a contact page open in Chromium', '–', '–', '–', f.screenSkipped ?? 'not measured']]),
        ],
      )
    : null;

  const imap = r.runs.find((run) => run.protocol === 'IMAP');
  const rows = imap
    ? table(
        ['rows written in the IMAP run', 'rows', 'per message'],
        Object.entries(imap.rowsWritten)
          .sort((a, b) => b[1] - a[1])
          .map(([t, n]) => [t, num(n), num(n / imap.e2e.messages, 2)]),
      )
    : '';

  const targets: MailTarget[] = [];
  for (const run of r.runs) {
    const limit = combinedLimit(run, r);
    targets.push({ what: `${run.protocol} end to end vs the combined limit`, measured: `${num(perSecond(run.e2e), 1)} vs ${num(limit, 1)} msg/s (${((100 * perSecond(run.e2e)) / limit).toFixed(0)} %)`, target: '≥ 100 %', pass: perSecond(run.e2e) >= limit });
  }
  for (const run of r.runs) targets.push({ what: `engine peak RSS, ${run.protocol} (${num(run.e2e.messages)} messages)`, measured: `${num(run.engine.peakRssMb)} MB`, target: `< ${ENGINE_PEAK_TARGET_MB} MB`, pass: run.engine.peakRssMb < ENGINE_PEAK_TARGET_MB });
  for (const run of r.large) {
    const size = num(run.largeBytes / 2 ** 20, 1);
    targets.push({ what: `${run.largeMessages} messages of ${size} MB raise the engine's peak RSS, ${run.protocol}`, measured: `${num(raise(run), 1)} MB (${num(run.without.peakRssMb)} → ${num(run.with.peakRssMb)} MB)`, target: `< ${size} MB`, pass: raise(run) < run.largeBytes / 2 ** 20 && run.largeAttachmentsStored === run.largeMessages });
    targets.push({ what: `engine peak RSS with ${size} MB messages, ${run.protocol}`, measured: `${num(run.with.peakRssMb)} MB`, target: `< ${ENGINE_PEAK_TARGET_MB} MB`, pass: run.with.peakRssMb < ENGINE_PEAK_TARGET_MB });
  }
  if (f?.screen) targets.push({ what: 'freshness to the screen: p95 vs a bare IMAP IDLE client', measured: `${ms(f.screen.p95)} vs ${ms(f.bare.p95)}`, target: '≤ bare p95 + 2 s', pass: f.screen.missing === 0 && f.screen.p95 <= f.bare.p95 + 2000 });
  if (f) targets.push({ what: 'freshness p95 vs a bare IMAP IDLE client', measured: `${ms(f.engine.p95)} vs ${ms(f.bare.p95)}`, target: '≤ bare p95 + 2 s', pass: f.engine.missing === 0 && f.engine.p95 <= f.bare.p95 + 2000 });
  return { endToEnd, baselines, breakdown, memory, large, freshness, rows, targets };
}

/** Outcomes and anything the engine complained about, one line each. */
export function mailNotes(r: MailReport): string[] {
  return r.runs.map((run) => {
    const outcomes = Object.entries(run.outcomes).map(([k, v]) => `${num(v)} ${k}`).join(', ');
    const problems = run.engineProblems.length ? `; the engine logged ${run.engineProblems.length} warnings/errors, first: ${run.engineProblems[0].slice(0, 300)}` : '; the engine logged no warnings or errors';
    return `${run.protocol}: ${outcomes}${run.quarantined ? `, ${num(run.quarantined)} quarantined` : ''}${problems}.`;
  });
}

