// Where a V8 CPU profile's time went: busy samples by package (or our own file, or node's module) and by function,
// as BENCHMARKS.md quotes them. Writes the profiles: BENCH_PROFILE_DIR=/tmp/prof with --only=mail, or cpu-per-request.
//
//   npx tsc -p bench && node bench/dist/bench/profile-summary.js /tmp/prof/engine-….cpuprofile [--skip-seconds=15] [--top=40]
//   node bench/dist/bench/profile-summary.js <profile> --callers='^slice$'   (who calls a function, by its name)
//
// Idle samples are left out; --skip-seconds leaves out the start (module loading, warm-up).
import fs from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const flag = (name: string): string | undefined => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

/** A package under node_modules, our own compiled file (api/…, engine/…), a node: module, or the native frame's name. */
function placeOf(frame: CallFrame): string {
  const url = frame.url;
  const inPackage = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (inPackage) return inPackage[1]!;
  const ours = url.match(/\/(api|sync-engine|bench)\/dist\/(.*)$/);
  if (ours) return `${ours[1]}:${ours[2]}`;
  if (url.startsWith('node:')) return url;
  return url ? 'other' : `(native) ${frame.functionName}`;
}

const nameOf = (frame: CallFrame): string => `${frame.functionName || '(anonymous)'} ${frame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, '')}:${frame.lineNumber}`;

/** Each node's own (self) time after the first `skipMicros`, idle left out, and their sum. */
function summarize(profile: CpuProfile, byId: ReadonlyMap<number, ProfileNode>, skipMicros: number): { busy: number; self: Map<number, number> } {
  const self = new Map<number, number>();
  let elapsed = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    elapsed += delta;
    if (elapsed < skipMicros) continue;
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + delta);
  }
  for (const [id] of self) if (byId.get(id)!.callFrame.functionName === '(idle)') self.delete(id);
  let busy = 0;
  for (const micros of self.values()) busy += micros;
  return { busy, self };
}

function top(totals: Map<string, number>, busy: number, count: number): string {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, micros]) => `${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${key}`)
    .join('\n');
}

function main(): void {
  const file = process.argv[2];
  if (!file || file.startsWith('--')) throw new Error('usage: profile-summary <file.cpuprofile> [--skip-seconds=N] [--top=N] [--callers=<function name pattern>]');
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const { busy, self } = summarize(profile, byId, Number(flag('skip-seconds') ?? 0) * 1e6);
  const count = Number(flag('top') ?? 40);
  const callers = flag('callers');
  if (callers) {
    // Each matching function's own time, by the two frames that called it.
    const parentOf = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
    const pattern = new RegExp(callers);
    const chains = new Map<string, number>();
    for (const [id, micros] of self) {
      if (!pattern.test(byId.get(id)!.callFrame.functionName)) continue;
      const chain: string[] = [];
      for (let at = parentOf.get(id); at !== undefined && chain.length < 2; at = parentOf.get(at)) chain.push(nameOf(byId.get(at)!.callFrame));
      const key = chain.join(' <- ');
      chains.set(key, (chains.get(key) ?? 0) + micros);
    }
    process.stdout.write(`${top(chains, busy, count)}\n`);
    return;
  }
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)!.callFrame;
    const place = placeOf(frame);
    const name = nameOf(frame);
    places.set(place, (places.get(place) ?? 0) + micros);
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  process.stdout.write(`busy ${(busy / 1e6).toFixed(2)} s\n--- by package or file\n${top(places, busy, count)}\n--- by function\n${top(functions, busy, count)}\n`);
}

main();
