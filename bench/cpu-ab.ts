// Two api builds measured at the same time: CPU per timeline request (first page, 10 clients each) of a process of
// each, both loaded at once by load clients of their own, so that whatever else the machine does weighs on both
// alike. For comparing a change with the build before it on a machine other work shares.
//
//   npm run build -w api && tsc -p bench && node bench/dist/bench/cpu-ab.js <other api/dist/main.js> [--seconds=8] [--rounds=3]
//     [--other-flags="--max-semi-space-size=64"]   (Node flags for the other side only; pass this build's main.js to compare settings)
//
// The other build is usually a worktree of the base commit (`git worktree add ../base <commit>`, its node_modules
// linked or installed, `npm run build -w api` there). `peer` instead of a path puts PostGraphile on the other side
// (its one page for both rows: it has no users). Needs the timeline datasets (`npm run bench -- --only=timeline`).
import path from 'node:path';
import { toGlobalId } from '../api/src/common/global-id';
import { startApiProcesses } from './api-processes';
import { ADMIN_EMAIL } from './bench-api';
import { cpuMs, signIn, SALESPERSON_EMAIL } from './cpu-per-request';
import { LoadClient } from './load-client';
import { startPeer } from './peer-process';
import { PEER_QUERY, TIMELINE_DATABASE, TIMELINE_QUERY } from './timeline';
import { HOT_CONTACT_ID } from './timeline-dataset';

const flag = (name: string, fallback: number): number => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.split('=')[1]) : fallback;
};

interface Side {
  readonly label: string;
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
  readonly load: LoadClient;
  /** The request each row sends: its headers and body. */
  readonly requests: Record<string, { headers: Record<string, string>; body: string }>;
  readonly perRequest: Record<string, number[]>;
}

const WHO = ['admin', 'salesperson'] as const;

async function main(): Promise<void> {
  const otherMain = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!otherMain) throw new Error('name the other build: node bench/dist/bench/cpu-ab.js <path to its api/dist/main.js>');
  const seconds = flag('seconds', 8);
  const rounds = flag('rounds', 3);
  const body = JSON.stringify({ query: TIMELINE_QUERY, variables: { recordId: toGlobalId('Contact', HOT_CONTACT_ID), first: 50, after: null } });
  const sides: Side[] = [];
  try {
    const otherFlags = process.argv.find((a) => a.startsWith('--other-flags='))?.slice('--other-flags='.length);
    const apiSide = async (label: string, main: string | undefined, flags: string | undefined): Promise<Side> => {
      const api = await startApiProcesses(TIMELINE_DATABASE, 1, main, flags);
      const requests: Side['requests'] = {};
      try {
        for (const [who, email] of [['admin', ADMIN_EMAIL], ['salesperson', SALESPERSON_EMAIL]] as const) {
          requests[who] = { headers: { authorization: `Bearer ${await signIn(api.graphqlUrl, email)}` }, body };
        }
      } catch (error) {
        // Not yet a side that `finally` stops: stop it here.
        await api.stop();
        throw error;
      }
      return { label, url: api.graphqlUrl, pid: api.pid, stop: () => api.stop(), load: LoadClient.start(), requests, perRequest: { admin: [], salesperson: [] } };
    };
    sides.push(await apiSide('this build', undefined, undefined));
    if (otherMain === 'peer') {
      const peer = startPeer({ rebuild: false });
      sides.push({ label: 'PostGraphile', url: '', pid: peer.pid, stop: () => peer.stop(), load: LoadClient.start(), requests: {}, perRequest: { admin: [], salesperson: [] } });
      const ready = await peer.ready;
      const peerBody = JSON.stringify({ query: PEER_QUERY, variables: { recordId: ready.recordId, first: 50, after: null } });
      sides[1] = { ...sides[1]!, url: ready.url, requests: { admin: { headers: {}, body: peerBody }, salesperson: { headers: {}, body: peerBody } } };
    } else {
      sides.push(await apiSide(`${path.resolve(otherMain)}${otherFlags ? ` ${otherFlags}` : ''}`, path.resolve(otherMain), otherFlags));
    }
    for (const side of sides) {
      for (const request of new Set(Object.values(side.requests))) {
        await side.load.run({ kind: 'sequential', url: side.url, headers: request.headers, body: request.body, warmup: 200, n: 300 });
      }
    }
    // Round 0 warms both up under load (V8 optimizes what runs hot) and is not counted.
    for (let round = 0; round <= rounds; round++) {
      for (const who of WHO) {
        const before = sides.map((side) => cpuMs(side.pid));
        const runs = await Promise.all(
          sides.map((side) => side.load.run({ kind: 'concurrent', url: side.url, headers: side.requests[who]!.headers, body: side.requests[who]!.body, clients: 10, seconds })),
        );
        const perRequest = sides.map((side, i) => {
          if (runs[i]!.errors > 0) throw new Error(`${side.label}: ${runs[i]!.errors} failed: ${runs[i]!.firstError}`);
          return (cpuMs(side.pid) - before[i]!) / runs[i]!.requests;
        });
        console.log(`round ${round}, ${who}: ` + sides.map((side, i) => `${side.label} ${perRequest[i]!.toFixed(3)} ms`).join('  |  '));
        if (round > 0) sides.forEach((side, i) => side.perRequest[who]!.push(perRequest[i]!));
      }
    }
    // Both sides ran at the same time, so each round's ratio cancels what the machine did then.
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    for (const who of WHO) {
      const [ours, theirs] = sides.map((side) => side.perRequest[who]!);
      const ratios = ours!.map((value, i) => value / theirs![i]!);
      console.log(
        `${who}: CPU ms per request, median of ${rounds} rounds: this build ${median(ours!).toFixed(3)}, other ${median(theirs!).toFixed(3)}; ` +
          `this / other per round ${ratios.map((r) => `${(r * 100).toFixed(0)} %`).join(', ')} (median ${(median(ratios) * 100).toFixed(0)} %)`,
      );
    }
  } finally {
    for (const side of sides) {
      await side.stop();
      side.load.close();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
