import 'reflect-metadata';
import cluster from 'node:cluster';
import { superviseApiProcesses } from './api-processes';
import { loadApiConfig, type ApiConfig } from './config';
import { openDatabase, type Database } from './db/data-source';
import { createServices } from './composition-root';
import type { Services } from './graphql/services';
import { loadOrCreateKeyFile } from './mail/credential-cipher';
import { createLiveBus } from './live/redis-bus';
import { DEFAULT_TAIL_OPTIONS } from './live/live-tail';
import type { Clock } from './platform/clock';
import { createLogger, type Logger } from './platform/logger';
import { makePrivate } from './platform/private-files';
import { bootstrap } from './seed/bootstrap';
import { callerShares } from './server/caller-share';
import { createHubServer, type HubServer } from './server/http-server';
import { DEFAULT_LIVE_SOCKET_LIMITS } from './server/live-socket';

export interface RunningApi {
  readonly port: number;
  readonly database: Database;
  readonly server: HubServer;
  /** For tests and embedders: the process's services (e.g. to observe activity events). */
  readonly services: Services;
  close(): Promise<void>;
}

const HOUR = 3_600_000;

/** Hourly: chunks of uploads abandoned for a day (a client that died mid-PUT) are removed. */
function sweepAbandonedUploads(services: Services, log: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    services.blobs
      .sweepAbandoned(new Date(Date.now() - 24 * HOUR))
      .then((removed) => removed > 0 && log.info({ removed }, 'removed chunks of abandoned uploads'))
      .catch((err: unknown) => log.warn({ err }, 'sweeping abandoned uploads failed; will try again'));
  }, HOUR);
  timer.unref();
  return timer;
}

/** Hourly: uploads past the grace period stop counting, and blobs nothing references are collected. */
function collectUnreferencedBlobs(services: Services, log: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    services.blobUploads
      .collect()
      .then(({ blobsRemoved }) => blobsRemoved > 0 && log.info({ removed: blobsRemoved }, 'removed blobs nothing references'))
      .catch((err: unknown) => log.warn({ err }, 'collecting unreferenced blobs failed; will try again'));
  }, HOUR);
  timer.unref();
  return timer;
}

/** Hourly: live events older than the retention are removed; a cursor before them gets CURSOR_EXPIRED. */
function pruneLiveEvents(services: Services, retentionHours: number, log: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    services.liveEvents
      .prune(new Date(Date.now() - retentionHours * HOUR))
      .then((removed) => removed > 0 && log.info({ removed }, 'pruned live events past their retention'))
      .catch((err: unknown) => log.warn({ err }, 'pruning live events failed; will try again'));
  }, HOUR);
  timer.unref();
  return timer;
}

/** Hourly: the sync dashboard's history older than its longest range (a week) and a bucket is removed. */
function pruneSyncMetrics(services: Services, log: Logger): NodeJS.Timeout {
  const timer = setInterval(() => {
    services.syncMetrics
      .prune()
      .then((removed) => removed > 0 && log.info({ removed }, 'pruned sync metrics past a week'))
      .catch((err: unknown) => log.warn({ err }, 'pruning sync metrics failed; will try again'));
  }, HOUR);
  timer.unref();
  return timer;
}

/** The composition root: config → database (migrated) → first-start seed → services → HTTP. */
export async function startApi(config: ApiConfig, log: Logger, options: { demoPassword?: string; clock?: Clock } = {}): Promise<RunningApi> {
  makePrivate(config.dataDir);
  const database = await openDatabase(config.databaseUrl, log, (dataSource) =>
    bootstrap(dataSource, log, {
      organizationName: config.organizationName,
      adminEmail: config.adminEmail,
      seedDemo: config.seedDemo,
      seedDemoActivities: config.seedDemoActivities,
      baseCurrency: config.baseCurrency,
      demoPassword: options.demoPassword,
      syncServiceApiKey: config.syncServiceApiKey,
    }),
  );
  const credentialKey = config.mailCredentialKey ?? loadOrCreateKeyFile(config.dataDir);
  const services = createServices(database.dataSource, {
    sessionTtlHours: config.sessionTtlHours,
    authCacheSeconds: config.authCacheSeconds,
    signInLimits: config.signInLimits,
    log,
    credentialKey,
    uploads: { quotaBytes: config.blobUploadQuotaBytes, graceMs: config.unreferencedBlobGraceHours * HOUR },
    bus: createLiveBus(config.redisUrl, log),
    liveLimits: { maxQueued: config.live.maxQueuedEvents },
    tail: { ...DEFAULT_TAIL_OPTIONS, pollMs: config.live.pollMs },
    clock: options.clock,
    baseCurrency: config.baseCurrency,
  });
  // Subscriptions start from the newest committed event; the tail must run before clients connect.
  await services.liveTail.start();
  // Back from an outage: read what other processes committed meanwhile at once, not at the next poll.
  services.bus.onReconnect = () => void services.liveTail.wake();
  const server = await createHubServer({ database, services, log, webDistDir: config.webDistDir, shares: callerShares(config.shares),
    trustProxy: config.trustProxy,
    remoteImages: config.remoteImages,
    liveLimits: {
      ...DEFAULT_LIVE_SOCKET_LIMITS,
      connectionsPerUser: config.live.connectionsPerUser,
      subscriptionsPerConnection: config.live.subscriptionsPerConnection,
      connectionInitTimeoutMs: config.live.connectionInitTimeoutMs,
      recheckMs: config.live.recheckMs,
    },
  });
  const port = await server.listen(config.port, config.host);
  const sweeper = sweepAbandonedUploads(services, log);
  const collector = collectUnreferencedBlobs(services, log);
  const pruner = pruneLiveEvents(services, config.liveEventRetentionHours, log);
  const metricsPruner = pruneSyncMetrics(services, log);
  log.info({ port, database: database.dialect, pid: process.pid }, `api listening on http://localhost:${port}/graphql`);
  return {
    port,
    database,
    server,
    services,
    close: async () => {
      clearInterval(sweeper);
      clearInterval(collector);
      clearInterval(pruner);
      clearInterval(metricsPruner);
      await server.close();
      await services.liveTail.stop();
      await services.bus.close();
      await database.dataSource.destroy();
    },
  };
}

if (require.main === module) {
  let config: ApiConfig;
  try {
    config = loadApiConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  if (config.processes > 1 && cluster.isPrimary) {
    // Several processes on the port: this one supervises them, each runs the branch below.
    void superviseApiProcesses(config.processes, log);
  } else {
    startApi(config, log, { demoPassword: process.env.DEMO_PASSWORD || undefined })
      .then((api) => {
        const stop = (signal: string) => {
          log.info({ signal }, 'shutting down');
          api.close().then(() => process.exit(0), (err) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      })
      .catch((err) => {
        log.fatal({ err }, 'api failed to start');
        process.exit(1);
      });
  }
}
