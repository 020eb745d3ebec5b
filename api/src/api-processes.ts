import cluster, { type Worker } from 'node:cluster';
import { relayClusterBus } from './live/cluster-bus';
import type { Logger } from './platform/logger';

// Several api processes on one port (API_PROCESSES): node:cluster's primary accepts connections and hands
// them to its workers, each a whole api (startApi). The primary itself opens no database; it starts the
// first worker alone, which migrates and seeds (SQLite has no startup lock across processes), then the
// others, relays the live bus between them (cluster-bus.ts) and starts again any worker that dies.

const FIRST_RESTART_MS = 1000;
const MAX_RESTART_MS = 30_000;
/** A worker that ran this long before dying starts again after the first delay. */
const STABLE_AFTER_MS = 60_000;
/** api/src/main.ts exits with 2 when its configuration is invalid; so would every restart. */
const CONFIG_INVALID_EXIT = 2;

/** Runs in the primary: `count` workers of this same script, until SIGTERM or SIGINT stops them all. */
export async function superviseApiProcesses(count: number, log: Logger): Promise<void> {
  relayClusterBus();
  let stopping = false;
  let restartDelay = FIRST_RESTART_MS;
  const startedAt = new Map<Worker, number>();

  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork();
      startedAt.set(worker, Date.now());
      const failed = (code: number | null) => reject(new Error(`api process ${worker.process.pid} exited (${code}) before it listened`));
      worker.once('exit', failed);
      worker.once('listening', () => {
        worker.off('exit', failed);
        resolve(worker);
      });
    });

  cluster.on('exit', (worker, code, signal) => {
    const ranMs = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) return;
    if (code === CONFIG_INVALID_EXIT) {
      log.fatal({ pid: worker.process.pid }, 'an api process found the configuration invalid; stopping');
      process.exit(CONFIG_INVALID_EXIT);
    }
    if (ranMs >= STABLE_AFTER_MS) restartDelay = FIRST_RESTART_MS;
    const delayMs = restartDelay;
    restartDelay = Math.min(restartDelay * 2, MAX_RESTART_MS);
    log.warn({ pid: worker.process.pid, code, signal, restartInMs: delayMs }, 'an api process stopped; starting another');
    setTimeout(() => {
      if (!stopping) fork().catch((err: unknown) => log.error({ err }, 'starting an api process failed'));
    }, delayMs);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping the api processes');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(0);
    let left = workers.length;
    for (const worker of workers) {
      worker.once('exit', () => --left === 0 && process.exit(0));
      worker.process.kill('SIGTERM');
    }
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  try {
    await fork();
    await Promise.all(Array.from({ length: count - 1 }, fork));
  } catch (err) {
    log.fatal({ err }, 'the api processes failed to start');
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    process.exit(1);
  }
  log.info({ processes: count }, `${count} api processes share the port`);
}
