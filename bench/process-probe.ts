// Preloaded (`node --require …/process-probe.js`) into the api and sync engine child processes the mail
// benchmarks start, to measure them from inside without changing their code: the longest event-loop stall
// (perf_hooks.monitorEventLoopDelay), peak RSS (VmHWM), CPU time (process.cpuUsage), and for an HTTP server the time spent
// answering each route. Written as JSON to BENCH_PROBE_FILE every second and at exit. SIGUSR2 closes a
// period: the figures so far go to BENCH_PROBE_FILE.period, then the stall, route and CPU-time figures start
// afresh (peakRssMb is not reset).
import cluster from 'node:cluster';
import fs from 'node:fs';
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import { BroadcastChannel, isMainThread } from 'node:worker_threads';
import { WORKER_FILE_INFIX } from './probe-files';

export interface ProbeReport {
  /** Longest event-loop stall (ms): the longest gap between two 10 ms timer ticks, minus the 10 ms. */
  readonly stallMaxMs: number;
  readonly stallP99Ms: number;
  /**
   * Peak resident set size since the process started (MB): Linux's VmHWM of this process image. Not getrusage's
   * maxrss, which survives execve: a child's starts at the RSS its parent had when it forked, so a benchmark
   * process holding a large mailbox (the EWS test server's) would lend it its own size.
   */
  readonly peakRssMb: number;
  readonly rssMb: number;
  /** Highest values sampled every 100 ms (MB): this thread's V8 heap, and memory outside it (Buffers…). */
  readonly peakHeapUsedMb: number;
  readonly peakExternalMb: number;
  /** Worker threads (the engine's MIME worker): the highest sum of their V8 heaps and of their memory outside it, sampled every 100 ms (MB). */
  readonly peakWorkerHeapUsedMb: number;
  readonly peakWorkerExternalMb: number;
  /** The highest RSS sampled every 100 ms (MB); unlike peakRssMb it starts afresh with each period. */
  readonly peakSampledRssMb: number;
  /**
   * Where the memory was at the highest RSS sample of the period (MB): V8's heap spaces (their committed size, and
   * what is in use), ArrayBuffers (Buffers), other memory V8 knows of outside the heap, and RSS minus all of these
   * (code, the allocator's reserve, native libraries' own buffers: zlib, TLS, sockets).
   */
  readonly atPeak?: { rssMb: number; heapTotalMb: number; heapUsedMb: number; arrayBuffersMb: number; externalMb: number; spaces: Record<string, { sizeMb: number; usedMb: number }> };
  /** CPU time (user + system, all threads) spent in the period, ms. */
  readonly cpuMs: number;
  /** Per "METHOD /path": requests answered and the sum of their durations (request in → response finished). */
  readonly routes: Record<string, { count: number; ms: number }>;
  readonly writtenAt: number;
}

const RESOLUTION_MS = 10;
// An api with API_PROCESSES > 1 is a node:cluster primary and its workers, all with this probe: each worker reports
// to a file of its own beside the primary's, which the benchmark adds up (mail-processes.ts).
const file = process.env.BENCH_PROBE_FILE && cluster.isWorker ? `${process.env.BENCH_PROBE_FILE}${WORKER_FILE_INFIX}${process.pid}` : process.env.BENCH_PROBE_FILE;

// Worker threads inherit --require (the engine parses large mail on one): they send their heap figures to the
// main thread, which reports.
const CHANNEL = 'bench-process-probe';
if (file && !isMainThread) {
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  const id = Math.random();
  setInterval(() => {
    const usage = process.memoryUsage();
    channel.postMessage({ id, heapUsed: usage.heapUsed, external: usage.external });
  }, 100).unref();
}
if (file && isMainThread) {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  let routes = new Map<string, { count: number; ms: number }>();
  let peakHeap = 0;
  let peakExternal = 0;
  let peakRss = 0;
  let atPeak: ProbeReport['atPeak'];
  // Per worker thread its latest figures; a worker that ended stops counting after a second.
  const workers = new Map<number, { heapUsed: number; external: number; at: number }>();
  let peakWorkerHeap = 0;
  let peakWorkerExternal = 0;
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  channel.onmessage = (event) => {
    const { id, heapUsed, external } = (event as unknown as { data: { id: number; heapUsed: number; external: number } }).data;
    workers.set(id, { heapUsed, external, at: Date.now() });
  };
  let cpuFrom = process.cpuUsage();
  setInterval(() => {
    const usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    peakExternal = Math.max(peakExternal, usage.external);
    if (usage.rss > peakRss) {
      const mb = (n: number) => n / 2 ** 20;
      const spaces: Record<string, { sizeMb: number; usedMb: number }> = {};
      for (const space of v8.getHeapSpaceStatistics()) spaces[space.space_name] = { sizeMb: mb(space.space_size), usedMb: mb(space.space_used_size) };
      atPeak = { rssMb: mb(usage.rss), heapTotalMb: mb(usage.heapTotal), heapUsedMb: mb(usage.heapUsed), arrayBuffersMb: mb(usage.arrayBuffers), externalMb: mb(usage.external), spaces };
    }
    peakRss = Math.max(peakRss, usage.rss);
    let heap = 0;
    let external = 0;
    for (const [id, worker] of workers) {
      if (Date.now() - worker.at > 1000) workers.delete(id);
      else (heap += worker.heapUsed), (external += worker.external);
    }
    peakWorkerHeap = Math.max(peakWorkerHeap, heap);
    peakWorkerExternal = Math.max(peakWorkerExternal, external);
  }, 100).unref();
  const emit = http.Server.prototype.emit as (this: http.Server, event: string, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    if (event === 'request') {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      const started = performance.now();
      const table = routes;
      // "/blobs/<sha256>" and "/blobs" count as one route.
      const key = `${req.method} ${(req.url ?? '').split('?')[0].split('/').slice(0, 2).join('/')}`;
      res.once('finish', () => {
        const entry = table.get(key) ?? { count: 0, ms: 0 };
        entry.count++;
        entry.ms += performance.now() - started;
        table.set(key, entry);
      });
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
  const write = (target = file) => {
    const report: ProbeReport = {
      stallMaxMs: Math.max(0, delay.max / 1e6 - RESOLUTION_MS),
      stallP99Ms: Math.max(0, delay.percentile(99) / 1e6 - RESOLUTION_MS),
      peakRssMb: peakRssOfImage() ?? process.resourceUsage().maxRSS / 1024,
      rssMb: process.memoryUsage.rss() / 2 ** 20,
      peakHeapUsedMb: peakHeap / 2 ** 20,
      peakExternalMb: peakExternal / 2 ** 20,
      peakWorkerHeapUsedMb: peakWorkerHeap / 2 ** 20,
      peakWorkerExternalMb: peakWorkerExternal / 2 ** 20,
      peakSampledRssMb: peakRss / 2 ** 20,
      atPeak,
      cpuMs: (() => {
        const used = process.cpuUsage(cpuFrom);
        return (used.user + used.system) / 1000;
      })(),
      routes: Object.fromEntries(routes),
      writtenAt: Date.now(),
    };
    // Written whole then renamed, so the reader never sees half a file.
    fs.writeFileSync(`${target}.tmp`, JSON.stringify(report));
    fs.renameSync(`${target}.tmp`, target);
  };
  setInterval(() => write(), 1000).unref();
  process.on('exit', () => {
    write();
    // BENCH_PROBE_KEEP_DIR: the final report also stays there (the benchmark deletes BENCH_PROBE_FILE).
    const keep = process.env.BENCH_PROBE_KEEP_DIR;
    if (keep) fs.copyFileSync(file, `${keep}/probe-${process.pid}-${Date.now()}.json`);
  });
  process.on('SIGUSR2', () => {
    // A cluster primary passes the period on to its workers (none in any other process).
    if (cluster.isPrimary) for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGUSR2');
    write(`${file}.period`);
    delay.reset();
    routes = new Map();
    peakHeap = 0;
    peakExternal = 0;
    peakWorkerHeap = 0;
    peakWorkerExternal = 0;
    peakRss = 0;
    atPeak = undefined;
    cpuFrom = process.cpuUsage();
  });
}

/** VmHWM from /proc/self/status in MB; null where there is no such file (not Linux). */
function peakRssOfImage(): number | null {
  try {
    const kb = /^VmHWM:\s*(\d+)\s*kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}
