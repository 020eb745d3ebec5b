// CPU time per timeline request (first page, 10 clients): of one api process, and of the PostGraphile peer for the
// same page. The measure for comparing builds, and the two servers, on a machine that other work shares:
// requests/s and latency swing with the load, CPU per request moves far less.
//
//   npm run build -w api && tsc -p bench && node bench/dist/bench/cpu-per-request.js [--seconds=8] [--rounds=2] [--no-peer]
//
// Needs the timeline dataset and the peer's (`npm run bench -- --only=timeline` builds both once). Starts the shipped
// api (api/dist/main.js, one process), signs in as admin and as the salesperson, and for each: 10 clients for
// `seconds`, reading user + system time from /proc before and after, of the server process, of the load client,
// and of the database server (MariaDB: all of it, so other work on it counts too; PostgreSQL: every postgres
// process, used by the peer alone).
import fs from 'node:fs';
import { toGlobalId } from '../api/src/common/global-id';
import { startApiProcesses } from './api-processes';
import { ADMIN_EMAIL, BENCH_PASSWORD, serverConnection } from './bench-api';
import { LoadClient } from './load-client';
import { latency } from './stats';
import { startPeer } from './peer-process';
import { PEER_QUERY, TIMELINE_DATABASE, TIMELINE_QUERY } from './timeline';
import { HOT_CONTACT_ID } from './timeline-dataset';

export const SALESPERSON_EMAIL = 'sam.sales@demo.crm.test';
const CLOCK_TICKS_PER_SECOND = 100;

const flag = (name: string, fallback: number): number => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split('=')[1]) : fallback;
};

/** User + system CPU of a process so far, in ms (Linux /proc); 0 once it is gone. */
export function cpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * The processes of a program, by its name in /proc/<pid>/comm. `other` leaves out instances started with a command
 * line naming a port (a second MariaDB beside the benchmark's, say, for another run on the same machine).
 */
function pidsOf(command: string, other?: RegExp): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== command) return false;
        return !other || !other.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

interface Measured {
  readonly requests: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly server: number;
  readonly database: number;
  readonly client: number;
  /** Statements MariaDB received per request (its Questions counter), when measured. */
  readonly statements?: number;
}

/** 10 clients for `seconds` against `url`; CPU ms per request of the server, the database and the load client. */
async function measure(
  load: LoadClient,
  url: string,
  headers: Record<string, string>,
  body: string,
  seconds: number,
  serverPid: number,
  databasePids: () => number[],
  questions?: () => Promise<number>,
): Promise<Measured> {
  // Database processes started during the run (a pool opening a connection) count from zero; one that ends
  // during it loses what it spent since the start (the peer's pool keeps its connections while busy).
  const databaseBefore = new Map(databasePids().map((pid) => [pid, cpuMs(pid)]));
  const questionsBefore = await questions?.();
  const before = { server: cpuMs(serverPid), database: 0, client: cpuMs(load.pid) };
  const run = await load.run({ kind: 'concurrent', url, headers, body, clients: 10, seconds });
  // The counter is read over a connection of its own: its own statement counts once, taken off.
  const statements = questions && questionsBefore !== undefined ? ((await questions()) - questionsBefore - 1) / run.requests : undefined;
  const after = { server: cpuMs(serverPid), database: databasePids().reduce((sum, pid) => sum + cpuMs(pid) - (databaseBefore.get(pid) ?? 0), 0), client: cpuMs(load.pid) };
  if (run.errors > 0) throw new Error(`${run.errors} of ${run.requests} failed: ${run.firstError}`);
  const per = (key: 'server' | 'database' | 'client') => (after[key] - before[key]) / run.requests;
  return { requests: run.requests, perSecond: run.requests / (run.elapsedMs / 1000), p50: latency(run.samplesMs).p50, server: per('server'), database: per('database'), client: per('client'), statements };
}

const line = (label: string, m: Measured) =>
  `${label.padEnd(28)} CPU ms/request: server ${m.server.toFixed(3)}  database ${m.database.toFixed(3)}  load client ${m.client.toFixed(3)}${m.statements === undefined ? '' : `  statements/request ${m.statements.toFixed(2)}`}  |  ${m.perSecond.toFixed(0)} requests/s  p50 ${m.p50.toFixed(2)} ms  (load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`;

export async function signIn(url: string, email: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: email, p: BENCH_PASSWORD } }),
  });
  const answer = (await response.json()) as { data?: { login: { token: string } }; errors?: unknown };
  if (!answer.data) throw new Error(`sign-in as ${email} failed: ${JSON.stringify(answer.errors)}`);
  return answer.data.login.token;
}

async function main(): Promise<void> {
  const seconds = flag('seconds', 8);
  const rounds = flag('rounds', 2);
  const withPeer = !process.argv.includes('--no-peer');
  const load = LoadClient.start();
  const api = await startApiProcesses(TIMELINE_DATABASE, 1);
  const peer = withPeer ? startPeer({ rebuild: false }) : undefined;
  const counter = await serverConnection();
  // MariaDB's count of statements received, server-wide (another client's statements would count too).
  const questions = async () => Number(((await counter.query("SHOW GLOBAL STATUS LIKE 'Questions'"))[0] as { Value: string }[])[0]!.Value);
  try {
    const body = JSON.stringify({ query: TIMELINE_QUERY, variables: { recordId: toGlobalId('Contact', HOT_CONTACT_ID), first: 50, after: null } });
    const users = [
      { who: 'admin', token: await signIn(api.graphqlUrl, ADMIN_EMAIL) },
      { who: 'salesperson', token: await signIn(api.graphqlUrl, SALESPERSON_EMAIL) },
    ];
    const ready = peer ? await peer.ready : undefined;
    const peerBody = ready ? JSON.stringify({ query: PEER_QUERY, variables: { recordId: ready.recordId, first: 50, after: null } }) : '';
    for (const user of users) await load.run({ kind: 'sequential', url: api.graphqlUrl, headers: { authorization: `Bearer ${user.token}` }, body, warmup: 200, n: 300 });
    if (ready) await load.run({ kind: 'sequential', url: ready.url, headers: {}, body: peerBody, warmup: 200, n: 300 });
    for (let round = 1; round <= rounds; round++) {
      for (const user of users) {
        const ours = await measure(load, api.graphqlUrl, { authorization: `Bearer ${user.token}` }, body, seconds, api.pid, () => pidsOf('mariadbd', /--port=(?!3306\b)/), questions);
        console.log(line(`round ${round} ours, ${user.who}`, ours));
      }
      if (ready && peer) {
        const theirs = await measure(load, ready.url, {}, peerBody, seconds, peer.pid, () => pidsOf('postgres'));
        console.log(line(`round ${round} PostGraphile`, theirs));
      }
    }
  } finally {
    await counter.end();
    await api.stop();
    await peer?.stop();
    load.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
