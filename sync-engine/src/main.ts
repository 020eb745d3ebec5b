// First, before the other modules load and allocate: see young-generation.ts and memory-budget.ts.
import './young-generation.js';
import './memory-budget.js';
import { GraphqlHubApi } from './api-client.js';
import { ConfigError, parseConfig, type Config } from './config.js';
import { Engine } from './engine.js';
import { createLogger } from './logger.js';
import { HubWakeups } from './sync/hub-wakeups.js';
import { RealMailConnectors } from './sync/mail-connectors.js';

// A batch holds whole messages in memory until it is committed: bounded so a mailbox of large mail cannot exhaust the engine.
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

// Composition root: the only place that reads process.env, wires adapters and handles signals.
async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger('info').fatal({ code: 'CONFIG_INVALID', problems: error.problems }, 'invalid sync-engine configuration');
    process.exitCode = 1;
    return;
  }

  const log = createLogger(config.logLevel);
  const api = new GraphqlHubApi({ url: config.hubApiUrl, apiKey: config.hubApiKey });
  const autodiscover = config.ewsAutodiscoverUrl;
  const connectors = new RealMailConnectors(log, {
    timeoutMs: config.ewsTimeoutMs,
    autodiscoverUrls: autodiscover ? (domain) => [autodiscover.replace(/\{domain\}/g, encodeURIComponent(domain))] : undefined,
  });
  const wakeups = new HubWakeups({ url: config.hubApiUrl, apiKey: config.hubApiKey, log });
  const engine = new Engine(api, log, { ...config, maxBatchBytes: MAX_BATCH_BYTES, wakeups }, connectors);

  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info({ signal }, 'shutdown requested');
    stop.abort();
  };
  // `once`: a second SIGINT/SIGTERM finds no listener and kills the process the default way.
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  log.info({ hubApiUrl: config.hubApiUrl, engineId: config.engineId, pollIntervalMs: config.pollIntervalMs, maxMailboxes: config.maxMailboxes, watchMailboxes: config.watchMailboxes }, 'engine starting');
  try {
    // No process.exit(): the process ends when nothing is pending, which proves no timer or socket leaks.
    const listening = wakeups.run(stop.signal);
    process.exitCode = await engine.run(stop.signal);
    stop.abort(); // an engine that cannot run stops listening too
    await listening;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

main().catch((error: unknown) => {
  createLogger('info').fatal({ err: error }, 'sync engine crashed');
  process.exitCode = 1;
});
