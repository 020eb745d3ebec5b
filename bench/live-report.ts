// The live fan-out benchmark's tables, targets and BENCHMARKS.md section.
import type { FanoutRun, LiveReport } from './live-fanout';
import { LIVE_DATABASE } from './live-fanout';
import { ms, num, ratio, table, verdict } from './stats';

export interface LiveTarget {
  readonly what: string;
  readonly measured: string;
  readonly target: string;
  readonly pass: boolean;
}

const us = (milliseconds: number) => (Number.isFinite(milliseconds) ? `${num(milliseconds * 1000, 1)} µs` : '–');

function runsTable(r: LiveReport): string {
  return table(
    ['run', 'sockets', 'users', 'sockets per event', 'events', 'commit → receive p50', 'p95', 'p99', 'max', 'CPU per event (socket process)', 'send → receive p50', 'mutation p50', 'missing', 'load average'],
    r.runs.map((run) => [
      run.label,
      num(run.subscribers),
      run.server === 'plain ws' ? '–' : num(run.users),
      num(run.receivers),
      num(run.events),
      ms(run.latency.p50),
      ms(run.latency.p95),
      ms(run.latency.p99),
      ms(run.latency.max),
      run.writerCpuPerEventMs === null ? ms(run.cpuPerEventMs) : `${ms(run.cpuPerEventMs)} (+ ${ms(run.writerCpuPerEventMs)} in the writer)`,
      run.fromSend ? ms(run.fromSend.p50) : '',
      run.mutation ? ms(run.mutation.p50) : '',
      num(run.missing),
      num(run.loadAverage, 1),
    ]),
  );
}

const find = (r: LiveReport, server: FanoutRun['server'], shape: FanoutRun['shape'], subscribers: number, bus: FanoutRun['bus'], users = 1) =>
  r.runs.find((x) => x.server === server && x.shape === shape && x.subscribers === subscribers && x.bus === bus && (server === 'plain ws' || x.users === users));

export function liveTargets(r: LiveReport): LiveTarget[] {
  const targets: LiveTarget[] = [];
  const n = r.settings.subscribers;
  const small = Math.max(1, Math.floor(n / 10));
  for (const [shape, count] of [['one record', n], ['own records', n], ['one record', small]] as const) {
    const ours = find(r, 'graphql', shape, count, 'in-process');
    const plain = find(r, 'plain ws', shape, count, null);
    if (!ours || !plain) continue;
    targets.push({ what: `${shape}, ${num(count)} subscribers: p95 vs plain ws`, measured: `${ms(ours.latency.p95)} vs ${ms(plain.latency.p95)} (${ratio(ours.latency.p95 / plain.latency.p95)})`, target: '≤ 2× plain ws', pass: ours.latency.p95 <= 2 * plain.latency.p95 });
    targets.push({ what: `${shape}, ${num(count)} subscribers: p95`, measured: ms(ours.latency.p95), target: '< 100 ms', pass: ours.latency.p95 < 100 });
  }
  const many = find(r, 'graphql', 'one record', n, 'in-process', r.settings.users);
  if (many) targets.push({ what: `one record, ${num(n)} subscribers over ${r.settings.users} users: p95`, measured: ms(many.latency.p95), target: '< 100 ms', pass: many.latency.p95 < 100 });
  for (const shape of ['one record', 'own records'] as const) {
    const local = find(r, 'graphql', shape, n, 'in-process');
    const redis = find(r, 'graphql', shape, n, 'redis');
    if (!local || !redis) continue;
    targets.push({ what: `${shape}, ${num(n)} subscribers: what Redis adds at p50`, measured: `${ms(redis.latency.p50 - local.latency.p50)} (${ms(redis.latency.p50)} vs ${ms(local.latency.p50)})`, target: '≤ 2 ms', pass: redis.latency.p50 - local.latency.p50 <= 2 });
  }
  // Every server pays a send per socket; what must not grow is the rest (the delivery's resolution):
  // the CPU each extra subscriber adds, against what an extra socket costs the bare ws server.
  const [oursBig, oursSmall, plainBig, plainSmall] = [find(r, 'graphql', 'one record', n, 'in-process'), find(r, 'graphql', 'one record', small, 'in-process'), find(r, 'plain ws', 'one record', n, null), find(r, 'plain ws', 'one record', small, null)];
  if (oursBig && oursSmall && plainBig && plainSmall && n > small) {
    const oursMarginal = (oursBig.cpuPerEventMs - oursSmall.cpuPerEventMs) / (n - small);
    const plainMarginal = (plainBig.cpuPerEventMs - plainSmall.cpuPerEventMs) / (n - small);
    targets.push({
      what: `CPU per event, ${num(small)} → ${num(n)} subscribers of the same payload: what each extra subscriber adds, vs an extra plain ws socket`,
      measured: `${ms(oursSmall.cpuPerEventMs)} → ${ms(oursBig.cpuPerEventMs)}: ${us(oursMarginal)} per subscriber vs ${us(plainMarginal)} (${ratio(oursMarginal / plainMarginal)})`,
      target: '≤ 2× plain ws',
      pass: oursMarginal <= 2 * plainMarginal,
    });
  }
  return targets;
}

export const liveTargetTable = (targets: readonly LiveTarget[]) => table(['target', 'measured', 'wanted', ''], targets.map((t) => [t.what, t.measured, t.target, verdict(t.pass)]));

/** What the terminal shows. */
export function liveText(r: LiveReport): string {
  const notes = [
    `payload: ${num(r.payloadBytes)} bytes per message`,
    r.redisSkipped ? `Redis runs skipped: ${r.redisSkipped}` : `Redis ${r.redisVersion}`,
    ...r.runs.filter((x) => x.problems > 0).map((x) => `${x.label}: ${x.problems} problems, first: ${x.firstProblem}`),
  ];
  return `${runsTable(r)}\n\n${notes.join('\n')}\n\n${liveTargetTable(liveTargets(r))}`;
}

/** The BENCHMARKS.md section (its heading included). */
export function liveSection(r: LiveReport, heading: string): string {
  const s = r.settings;
  return `${heading}

A fresh database (\`${LIVE_DATABASE}\`) with the api's seed, one target contact, ${num(s.subscribers)} more contacts (one per subscriber) and ${s.users} Salesperson users in the administrator's unit, all made through GraphQL. The api is the shipped build (\`api/dist/main.js\`) in its own process, with \`LIVE_CONNECTIONS_PER_USER\` raised so that one user may hold every socket; the sockets live in ${s.clientProcesses} client processes (\`bench/live-sockets.ts\`, graphql-transport-ws spoken directly over \`ws\`), each socket subscribed as an open record page subscribes (\`ACTIVITY_CHANGED_SUBSCRIPTION\` of \`web/src/timeline/activity-events.ts\`: the event and the activity's timeline fields, parties and regarding record included), with \`includeRelated: false\` and \`after\` set to a \`liveCursor\` read just before.

Events are made by the administrator over HTTP at ${s.perSecond} per second for ${s.seconds} s (${num(s.seconds * s.perSecond)} events per run): "one record" creates a task regarding the target contact (every socket receives it); "own records" gives each socket its own contact and creates an appointment with 1 % of those contacts as required attendees (each event reaches 1 % of the sockets, the others' subscriptions filter it out). Before each run, warm-up events reach every socket once, which proves every subscription live. **Commit → receive** is each (event, socket) pair's arrival time, stamped in the client process before parsing, minus the moment the mutation's HTTP answer reached the driver (after the commit, so slightly flattering); all processes read the same clock (CLOCK_MONOTONIC through \`process.hrtime\`). "send → receive" counts from when the mutation was sent (an upper bound). CPU per event is the socket-serving api process's CPU time (user + system, \`process.cpuUsage\` through \`bench/process-probe.ts\`) from the first event until every socket had its messages, divided by the events; in-process it includes running the mutations. A server that falls behind shows as latency; what has not arrived 15 s after the last event counts as missing. The last column is the machine's 1-minute load average as each run began (${r.nproc} CPUs, shared by MariaDB, the api, the client processes and the baseline; anything else running on the machine shows there).

The baseline, in the same run: a bare \`ws\` server in its own process (\`bench/plain-broadcaster.ts\`) sends the same message (${num(r.payloadBytes)} bytes, captured from the GraphQL run before it) to the same number of sockets, in the same client processes, at the same rate and to the same receivers per event (the text encoded once, then \`send\` to each socket, as in ws's broadcast example); its latency counts from the start of its send loop, its CPU is its own process's.

${r.redisSkipped ? `With Redis: not measured — ${r.redisSkipped}.` : `With Redis (${r.redisVersion}, a private \`redis-server\` on loopback, nothing saved): two api processes on the same database, both with \`REDIS_URL\`; the mutations go to one, the sockets are on the other, which hears of each commit over Redis and reads the event from the database.`}

${runsTable(r)}

### Targets

${liveTargetTable(liveTargets(r))}

The CPU target reads "does not grow with the number of subscribers who see the same payload"; every server pays one send per socket, so it is checked as what each extra subscriber adds to the api's CPU per event, against what an extra socket adds to the bare ws server's.
`;
}
