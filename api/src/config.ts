import os from 'node:os';
import path from 'node:path';
import type { SignInLimits } from './identity/sign-in-throttle';
import { parseCredentialKey } from './mail/credential-cipher';
import { isCurrencyCode } from './records/currency';
import { validEmail } from './records/email-addresses';
import { parseTrustProxy, type TrustProxy } from './server/trust-proxy';

/** Everything the api process reads from its environment, parsed once. */
export interface ApiConfig {
  readonly port: number;
  /** API_PROCESSES: api processes sharing the port (api-processes.ts); a number, or `auto` for every core. Default 1. */
  readonly processes: number;
  /** HOST: loopback (127.0.0.1) unless set, so `npm start` is not on the network; containers set 0.0.0.0. */
  readonly host: string;
  /** TRUST_PROXY: the proxies whose X-Forwarded-For names the client (server/trust-proxy.ts); none unless set. */
  readonly trustProxy: TrustProxy;
  /** `sqlite:<file>` (embedded default) or `mysql://user:pass@host:port/db` (also MariaDB). */
  readonly databaseUrl: string;
  /** REDIS_URL (`redis://[:password@]host:port[/db]`, or rediss://): the live bus between api processes; unset, in-process. */
  readonly redisUrl: string | undefined;
  readonly dataDir: string;
  readonly logLevel: string;
  readonly sessionTtlHours: number;
  /** How long a resolved caller is reused by this process (AUTH_CACHE_SECONDS, default 5; 0 turns it off). */
  readonly authCacheSeconds: number;
  /** When set, the api registers this exact key for the Sync Service user (shared secret with the engines). */
  readonly syncServiceApiKey: string | undefined;
  readonly webDistDir: string;
  readonly seedDemo: boolean;
  /** With the demo records, a history of emails, calls, tasks and meetings (SEED_DEMO_ACTIVITIES, default true). */
  readonly seedDemoActivities: boolean;
  /** MAIL_CREDENTIAL_KEY (32 bytes, base64 or hex), the same in every api process; unset: a key kept in DATA_DIR. */
  readonly mailCredentialKey: Buffer | undefined;
  /** Each caller's share of the api (server/caller-share.ts): people, and the Sync Service's API key. */
  readonly shares: {
    /** GraphQL operations one signed-in user (or one client address, unauthenticated) may run at once (MAX_CONCURRENT_PER_CALLER, 8). */
    readonly concurrentPerCaller: number;
    /** All people together (MAX_CONCURRENT_OPERATIONS, 64); the Sync Service's key has its own pool. */
    readonly concurrentTotal: number;
    /** A query's time budget (OPERATION_TIMEOUT_SECONDS, 30). */
    readonly operationTimeoutMs: number;
    /** The most an answer may hold (MAX_RESPONSE_MB, 32). */
    readonly responseBytes: number;
    /** The Sync Service key's request body limit (SYNC_MAX_REQUEST_MB, 32: trackEmails batches carry whole bodies). */
    readonly syncRequestBytes: number;
    /** SYNC_MAX_CONCURRENT (64): every engine shares the one key. */
    readonly syncConcurrent: number;
    /** SYNC_OPERATION_TIMEOUT_SECONDS (120, the engine's own wait for a batch). */
    readonly syncOperationTimeoutMs: number;
    /** SYNC_MAX_RESPONSE_MB (256: claimed outgoing email carries whole bodies). */
    readonly syncResponseBytes: number;
  };
  // Identity: the first administrator and the organization (used on the first start only), sign-in limits.
  /** ADMIN_EMAIL: the first administrator's sign-in email; unset, the demo's admin@demo.crm.test (required without demo data). */
  readonly adminEmail: string | undefined;
  /** ORGANIZATION_NAME: the root business unit's name. */
  readonly organizationName: string | undefined;
  /** BASE_CURRENCY (EUR): the ISO 4217 currency new opportunities get unless they name one. */
  readonly baseCurrency: string;
  /** SIGN_IN_LIMIT_PER_CLIENT and SIGN_IN_LIMIT_TOTAL: password sign-in attempts per minute. */
  readonly signInLimits: SignInLimits;
  /** BLOB_UPLOAD_QUOTA_MB (default 100): what one person's uploads through PUT /blobs may hold at once. */
  readonly blobUploadQuotaBytes: number;
  /** UNREFERENCED_BLOB_GRACE_HOURS (default 24): how long a blob nothing references is kept before it is collected. */
  readonly unreferencedBlobGraceHours: number;
  /** LIVE_EVENT_RETENTION_HOURS (default 168): how far back a subscriber can resume with its cursor. */
  readonly liveEventRetentionHours: number;
  /** The image proxy that shows an email's remote images once the reader asks (docs/deployment.md, "Remote images"). */
  readonly remoteImages: {
    /** REMOTE_IMAGE_MAX_KB (5,120): the largest image fetched. */
    readonly maxBytes: number;
    /** REMOTE_IMAGE_TIMEOUT_SECONDS (10): the whole fetch, redirects included. */
    readonly timeoutMs: number;
    /** REMOTE_IMAGE_ALLOW_PRIVATE_ADDRESSES (false): fetch from loopback and private networks too; for tests and closed networks only. */
    readonly allowPrivateAddresses: boolean;
    /** REMOTE_IMAGE_PER_MINUTE (300): images one person may have fetched per minute, per api process. */
    readonly perPersonPerMinute: number;
  };
  /** The realtime endpoint's limits (README, "Errors and limits"). */
  readonly live: {
    /** LIVE_CONNECTIONS_PER_USER (50): WebSocket connections and SSE streams one user may hold open. */
    readonly connectionsPerUser: number;
    /** LIVE_SUBSCRIPTIONS_PER_CONNECTION (50). */
    readonly subscriptionsPerConnection: number;
    /** LIVE_INIT_TIMEOUT_SECONDS (10): how long a new socket has to send connection_init. */
    readonly connectionInitTimeoutMs: number;
    /** LIVE_MAX_QUEUED_EVENTS (1000): events waiting for one slow subscription before its connection is closed (4499). */
    readonly maxQueuedEvents: number;
    /** LIVE_RECHECK_SECONDS (30): how often open connections' credentials are checked again, besides each delivery and each access change. */
    readonly recheckMs: number;
    /** LIVE_POLL_MS (1000): how often the event log is read without a wake-up (the longest delay while Redis is down). */
    readonly pollMs: number;
  };
}

const MB = 1024 * 1024;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid api configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Parses the environment; throws one ConfigError that lists every bad variable. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false, got "${env[name]}"`);
    return fallback;
  };
  const baseCurrency = (env.BASE_CURRENCY?.trim() || 'EUR').toUpperCase();
  if (!isCurrencyCode(baseCurrency)) problems.push(`BASE_CURRENCY must be an ISO 4217 currency code such as EUR, SEK or USD, got "${env.BASE_CURRENCY}"`);
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  const databaseUrl = env.DATABASE_URL || `sqlite:${path.join(dataDir, 'hub.sqlite')}`;
  if (!/^(sqlite:|mysql:\/\/|mariadb:\/\/)/.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with sqlite:, mysql:// or mariadb://, got "${databaseUrl}"`);
  }
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined && !isRedisUrl(redisUrl)) {
    // Not echoed: the URL may carry a password.
    problems.push('REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379');
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "${logLevel}"`);
  }
  const syncServiceApiKey = env.SYNC_SERVICE_API_KEY || undefined;
  if (syncServiceApiKey !== undefined && syncServiceApiKey.length < 32) {
    problems.push('SYNC_SERVICE_API_KEY must be at least 32 characters');
  }
  const keyText = env.MAIL_CREDENTIAL_KEY?.trim() || undefined;
  const mailCredentialKey = keyText === undefined ? undefined : parseCredentialKey(keyText);
  if (keyText !== undefined && !mailCredentialKey) problems.push('MAIL_CREDENTIAL_KEY must be 32 bytes, written as base64 or 64 hex digits');
  let adminEmail = env.ADMIN_EMAIL?.trim() || undefined;
  if (adminEmail !== undefined) {
    try {
      adminEmail = validEmail('ADMIN_EMAIL', adminEmail);
    } catch {
      problems.push(`ADMIN_EMAIL must be an email address, got "${adminEmail}"`);
    }
  }
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  if ('problem' in trustProxy) problems.push(trustProxy.problem);
  const organizationName = env.ORGANIZATION_NAME?.trim() || undefined;
  if (organizationName !== undefined && organizationName.length > 160) problems.push('ORGANIZATION_NAME may have at most 160 characters');
  const processesText = env.API_PROCESSES?.trim() || '1';
  const processes = processesText === 'auto' ? os.availableParallelism() : Number(processesText);
  if (!Number.isInteger(processes) || processes < 1 || processes > 256) problems.push(`API_PROCESSES must be auto or a whole number from 1 to 256, got "${processesText}"`);
  const config: ApiConfig = {
    port: int('PORT', 4000, 0, 65535),
    processes,
    host: env.HOST || '127.0.0.1',
    trustProxy: 'value' in trustProxy ? trustProxy.value : false,
    databaseUrl,
    redisUrl,
    dataDir,
    logLevel,
    sessionTtlHours: int('SESSION_TTL_HOURS', 12, 1, 24 * 90),
    authCacheSeconds: int('AUTH_CACHE_SECONDS', 5, 0, 300),
    syncServiceApiKey,
    webDistDir: path.resolve(env.WEB_DIST_DIR ?? path.join(__dirname, '..', '..', 'web', 'dist')),
    seedDemo: (env.SEED_DEMO ?? 'true') !== 'false',
    seedDemoActivities: (env.SEED_DEMO_ACTIVITIES ?? 'true') !== 'false',
    mailCredentialKey,
    shares: {
      concurrentPerCaller: int('MAX_CONCURRENT_PER_CALLER', 8, 1, 1000),
      concurrentTotal: int('MAX_CONCURRENT_OPERATIONS', 64, 1, 10_000),
      operationTimeoutMs: int('OPERATION_TIMEOUT_SECONDS', 30, 1, 3600) * 1000,
      responseBytes: int('MAX_RESPONSE_MB', 32, 1, 4096) * MB,
      syncRequestBytes: int('SYNC_MAX_REQUEST_MB', 32, 2, 1024) * MB,
      syncConcurrent: int('SYNC_MAX_CONCURRENT', 64, 1, 10_000),
      syncOperationTimeoutMs: int('SYNC_OPERATION_TIMEOUT_SECONDS', 120, 1, 3600) * 1000,
      syncResponseBytes: int('SYNC_MAX_RESPONSE_MB', 256, 1, 4096) * MB,
    },
    adminEmail,
    organizationName,
    baseCurrency,
    signInLimits: { perClient: int('SIGN_IN_LIMIT_PER_CLIENT', 20, 1, 1_000_000), total: int('SIGN_IN_LIMIT_TOTAL', 300, 1, 1_000_000) },
    blobUploadQuotaBytes: int('BLOB_UPLOAD_QUOTA_MB', 100, 1, 1024 * 1024) * 1024 * 1024,
    unreferencedBlobGraceHours: int('UNREFERENCED_BLOB_GRACE_HOURS', 24, 1, 24 * 365),
    liveEventRetentionHours: int('LIVE_EVENT_RETENTION_HOURS', 168, 1, 24 * 365),
    remoteImages: {
      maxBytes: int('REMOTE_IMAGE_MAX_KB', 5120, 1, 100 * 1024) * 1024,
      timeoutMs: int('REMOTE_IMAGE_TIMEOUT_SECONDS', 10, 1, 120) * 1000,
      allowPrivateAddresses: flag('REMOTE_IMAGE_ALLOW_PRIVATE_ADDRESSES', false),
      perPersonPerMinute: int('REMOTE_IMAGE_PER_MINUTE', 300, 1, 100_000),
    },
    live: {
      connectionsPerUser: int('LIVE_CONNECTIONS_PER_USER', 50, 1, 100_000),
      subscriptionsPerConnection: int('LIVE_SUBSCRIPTIONS_PER_CONNECTION', 50, 1, 1000),
      connectionInitTimeoutMs: int('LIVE_INIT_TIMEOUT_SECONDS', 10, 1, 300) * 1000,
      maxQueuedEvents: int('LIVE_MAX_QUEUED_EVENTS', 1000, 1, 1_000_000),
      recheckMs: int('LIVE_RECHECK_SECONDS', 30, 1, 3600) * 1000,
      pollMs: int('LIVE_POLL_MS', 1000, 50, 600_000),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function isRedisUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}
