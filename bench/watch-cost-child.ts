// The child of bench/watch-cost.ts: argv = engine dist dir, port, password, addresses. Opens the engine's watch on
// each address's INBOX (50 at a time) and prints its memory before and after, as JSON lines.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';

const [dist, port, password, ...addresses] = process.argv.slice(2);
const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;

function memory(label: string): { rss: number; heapUsed: number; external: number; arrayBuffers: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_size)]));
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  process.stdout.write(`${JSON.stringify({ label, rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed), heapTotalMb: mb(usage.heapTotal), externalMb: mb(usage.external), arrayBuffersMb: mb(usage.arrayBuffers), hwm: /VmHWM:\s*(\d+)/.exec(status)?.[1], spaces })}\n`);
  return usage;
}

async function main(): Promise<void> {
  // What the engine's entry sets up before anything else (its young generation's cap), where that build has it.
  const entrySettings = path.join(dist, 'young-generation.js');
  if (fs.existsSync(entrySettings)) require(entrySettings);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { watchInbox } = require(path.join(dist, 'mail', 'imap', 'imap-watch.js')) as typeof import('../sync-engine/src/mail/imap/imap-watch');
  const endpoint = { host: '127.0.0.1', port: Number(port), tls: 'NONE' as const, allowInvalidCertificates: false };
  const watches: { close(): void }[] = [];
  const open = async (address: string) => {
    const { watch } = await watchInbox(endpoint as never, { method: 'PASSWORD', username: address, password } as never, null, { onNewMail: () => undefined, onClosed: () => undefined });
    watches.push(watch);
  };
  // One first, so the code it loads is in the "before" figure.
  await open(addresses[0]);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const before = memory('one connection');
  let next = 1;
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next < addresses.length) await open(addresses[next++]);
  }));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const after = memory(`${watches.length} connections`);
  const per = (key: 'rss' | 'heapUsed' | 'external' | 'arrayBuffers') => Math.round((after[key] - before[key]) / (watches.length - 1) / 102.4) / 10;
  process.stdout.write(`${JSON.stringify({ perConnectionKb: { rss: per('rss'), heapUsed: per('heapUsed'), external: per('external'), arrayBuffers: per('arrayBuffers') } })}\n`);
  if (process.env.WATCH_COST_SNAPSHOT) v8.writeHeapSnapshot(process.env.WATCH_COST_SNAPSHOT);
  for (const watch of watches) watch.close();
  await new Promise((resolve) => setTimeout(resolve, 500));
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
