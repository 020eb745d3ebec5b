// CPU time one api process spends per timeline request: the measure for comparing two builds of the api on a
// machine that other work shares (requests/s and latency swing with the load; CPU per request moves far less).
//
//   npm run build -w api && tsc -p bench && node bench/dist/bench/cpu-per-request.js [--seconds=8] [--rounds=2]
//
// Needs the timeline dataset (`npm run bench -- --only=timeline` builds it once). Starts the shipped api
// (api/dist/main.js, one process) on it, signs in as admin and as the salesperson, and for each: 10 clients for
// `seconds`, reading the process's user + system time from /proc before and after.
import fs from 'node:fs';
import { toGlobalId } from '../api/src/common/global-id';
import { startApiProcesses } from './api-processes';
import { ADMIN_EMAIL, BENCH_PASSWORD } from './bench-api';
import { LoadClient } from './load-client';
import { latency } from './stats';
import { TIMELINE_DATABASE, TIMELINE_QUERY } from './timeline';
import { HOT_CONTACT_ID } from './timeline-dataset';

const SALESPERSON_EMAIL = 'sam.sales@demo.crm.test';
const CLOCK_TICKS_PER_SECOND = 100;

const flag = (name: string, fallback: number): number => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split('=')[1]) : fallback;
};

/** User + system CPU of a process so far, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

async function signIn(url: string, email: string): Promise<string> {
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
  const load = LoadClient.start();
  const api = await startApiProcesses(TIMELINE_DATABASE, 1);
  try {
    const body = JSON.stringify({ query: TIMELINE_QUERY, variables: { recordId: toGlobalId('Contact', HOT_CONTACT_ID), first: 50, after: null } });
    const users = [
      { who: 'admin', token: await signIn(api.graphqlUrl, ADMIN_EMAIL) },
      { who: 'salesperson', token: await signIn(api.graphqlUrl, SALESPERSON_EMAIL) },
    ];
    for (const user of users) {
      const headers = { authorization: `Bearer ${user.token}` };
      await load.run({ kind: 'sequential', url: api.graphqlUrl, headers, body, warmup: 200, n: 300 });
    }
    for (let round = 1; round <= rounds; round++) {
      for (const user of users) {
        const headers = { authorization: `Bearer ${user.token}` };
        const before = cpuMs(api.pid);
        const run = await load.run({ kind: 'concurrent', url: api.graphqlUrl, headers, body, clients: 10, seconds });
        const spent = cpuMs(api.pid) - before;
        if (run.errors > 0) throw new Error(`${run.errors} of ${run.requests} failed: ${run.firstError}`);
        const l = latency(run.samplesMs);
        const load1 = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
        console.log(
          `round ${round} ${user.who.padEnd(11)} CPU ${(spent / run.requests).toFixed(3)} ms/request  ${(run.requests / (run.elapsedMs / 1000)).toFixed(0)} requests/s  p50 ${l.p50.toFixed(2)} ms  (load ${load1})`,
        );
      }
    }
  } finally {
    await api.stop();
    load.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
