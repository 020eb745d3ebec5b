import { hostname } from 'node:os';

/** Log levels pino accepts; anything else is a typo we want reported at start. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The engine's settings, parsed once from the environment. */
export interface Config {
  readonly hubApiUrl: string;
  readonly hubApiKey: string;
  readonly logLevel: LogLevel;
  /** How often to ask the hub for due mailboxes and emails to send when there is nothing else to do. */
  readonly pollIntervalMs: number;
  /** Names this process in leases (ENGINE_ID; default host name and pid). */
  readonly engineId: string;
  /** Mailboxes this process works on at once (MAX_MAILBOXES, default 8); with WATCH_MAILBOXES 0, a claim waiting in IDLE or on EWS notifications holds one each. */
  readonly maxMailboxes: number;
  readonly leaseSeconds: number;
  /** Messages per trackEmails call (BATCH_SIZE, default 100; the hub takes at most 200). */
  readonly batchSize: number;
  /** The largest trackEmails request the hub takes from the engine (HUB_MAX_REQUEST_MB, default 32: the api's SYNC_MAX_REQUEST_MB). */
  readonly maxRequestBytes: number;
  /** IDLE_SECONDS (default 300): how often a watched mailbox is read again; with the watcher off, how long one claim may wait in IMAP IDLE or on EWS notifications before handing the mailbox back. */
  readonly idleSeconds: number;
  /** IMAP and Exchange mailboxes whose push connection (IDLE, EWS notifications) this process holds outside its work slots (WATCH_MAILBOXES, default 1000; 0: the wait is inside the claim, as before). */
  readonly watchMailboxes: number;
  /** How long a watch lease lasts unrenewed (WATCH_LEASE_SECONDS, default 60): a killed engine's mailboxes are watched again after at most this. */
  readonly watchLeaseSeconds: number;
  /** How often each mailbox is compared with the server (RECONCILE_INTERVAL_SECONDS, default 3600; 0: every sync). */
  readonly reconcileIntervalSeconds: number;
  /** Emails claimed per send round (SEND_BATCH, default 10; 0 turns sending off in this process). */
  readonly sendBatch: number;
  /**
   * While a mailbox syncing appointments, contacts and tasks waits, how often it looks for CRM changes to write to
   * Exchange on its own (EXCHANGE_WRITES_LOOK_SECONDS, default 15); the hub's wake-ups usually come first.
   */
  readonly calendarWritePollMs: number;
  /** How long one EWS request may take (EWS_TIMEOUT_SECONDS, default 120). */
  readonly ewsTimeoutMs: number;
  /**
   * The SOAP Autodiscover endpoint to ask for a mailbox's EWS URL, "{domain}" standing for the address's domain
   * (EWS_AUTODISCOVER_URL, e.g. https://autodiscover.{domain}/autodiscover/autodiscover.svc); unset: the standard search.
   */
  readonly ewsAutodiscoverUrl: string | null;
}

/** Thrown when one or more variables are missing or malformed; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid sync-engine configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

// setTimeout treats delays above 2^31-1 ms as 1 ms, which would turn the poll loop into a busy loop.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Parses the environment into a frozen Config, or throws a ConfigError naming every bad variable. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };

  const hubApiUrl = value('HUB_API_URL') ?? 'http://localhost:4000/graphql';
  if (!isHttpUrl(hubApiUrl)) problems.push(`HUB_API_URL must be an http(s) URL, got "${hubApiUrl}"`);

  const hubApiKey = value('HUB_API_KEY') ?? '';
  if (hubApiKey === '') problems.push('HUB_API_KEY is required (the Sync Service API key issued by the hub)');

  const logLevel = (value('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!isLogLevel(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const pollRaw = value('POLL_INTERVAL_MS') ?? '5000';
  const pollIntervalMs = Number(pollRaw);
  if (!/^\d+$/.test(pollRaw) || pollIntervalMs < 1 || pollIntervalMs > MAX_TIMER_MS) {
    problems.push(`POLL_INTERVAL_MS must be an integer from 1 to ${MAX_TIMER_MS}, got "${pollRaw}"`);
  }

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!/^\d+$/.test(raw) || parsed < min || parsed > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return parsed;
  };
  const engineId = value('ENGINE_ID') ?? `${hostname()}-${process.pid}`;
  if (engineId.length > 100) problems.push('ENGINE_ID must have at most 100 characters');
  const maxMailboxes = integer('MAX_MAILBOXES', 8, 1, 1000);
  const leaseSeconds = integer('LEASE_SECONDS', 120, 5, 3600);
  const batchSize = integer('BATCH_SIZE', 100, 1, 200);
  const maxRequestBytes = integer('HUB_MAX_REQUEST_MB', 32, 2, 1024) * 1024 * 1024;
  const idleSeconds = integer('IDLE_SECONDS', 300, 0, 1740); // RFC 2177: re-issue IDLE at least every 29 minutes
  const watchMailboxes = integer('WATCH_MAILBOXES', 1000, 0, 20000);
  const watchLeaseSeconds = integer('WATCH_LEASE_SECONDS', 60, 5, 3600);
  const reconcileIntervalSeconds = integer('RECONCILE_INTERVAL_SECONDS', 3600, 0, 7 * 86400);
  const sendBatch = integer('SEND_BATCH', 10, 0, 100);
  const ewsTimeoutMs = integer('EWS_TIMEOUT_SECONDS', 120, 5, 600) * 1000;
  const calendarWritePollMs = integer('EXCHANGE_WRITES_LOOK_SECONDS', 15, 1, 3600) * 1000;
  const ewsAutodiscoverUrl = value('EWS_AUTODISCOVER_URL') ?? null;
  if (ewsAutodiscoverUrl !== null && (!ewsAutodiscoverUrl.includes('{domain}') || !isHttpUrl(ewsAutodiscoverUrl.replace(/\{domain\}/g, 'example.com')))) {
    problems.push(`EWS_AUTODISCOVER_URL must be an http(s) URL containing {domain}, got "${ewsAutodiscoverUrl}"`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    hubApiUrl,
    hubApiKey,
    logLevel: logLevel as LogLevel,
    pollIntervalMs,
    engineId,
    maxMailboxes,
    leaseSeconds,
    batchSize,
    maxRequestBytes,
    idleSeconds,
    watchMailboxes,
    watchLeaseSeconds,
    reconcileIntervalSeconds,
    sendBatch,
    ewsTimeoutMs,
    calendarWritePollMs,
    ewsAutodiscoverUrl,
  });
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}
