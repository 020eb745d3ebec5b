import path from 'node:path';
import { parseCredentialKey } from './mail/credential-cipher';

/** Everything the api process reads from its environment, parsed once. */
export interface ApiConfig {
  readonly port: number;
  readonly host: string;
  /** `sqlite:<file>` (embedded default) or `mysql://user:pass@host:port/db` (also MariaDB). */
  readonly databaseUrl: string;
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
  /** BLOB_UPLOAD_QUOTA_MB (default 100): what one person's uploads through PUT /blobs may hold at once. */
  readonly blobUploadQuotaBytes: number;
  /** UNREFERENCED_BLOB_GRACE_HOURS (default 24): how long a blob nothing references is kept before it is collected. */
  readonly unreferencedBlobGraceHours: number;
}

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
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  const databaseUrl = env.DATABASE_URL || `sqlite:${path.join(dataDir, 'hub.sqlite')}`;
  if (!/^(sqlite:|mysql:\/\/|mariadb:\/\/)/.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with sqlite:, mysql:// or mariadb://, got "${databaseUrl}"`);
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
  const config: ApiConfig = {
    port: int('PORT', 4000, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir,
    logLevel,
    sessionTtlHours: int('SESSION_TTL_HOURS', 12, 1, 24 * 90),
    authCacheSeconds: int('AUTH_CACHE_SECONDS', 5, 0, 300),
    syncServiceApiKey,
    webDistDir: path.resolve(env.WEB_DIST_DIR ?? path.join(__dirname, '..', '..', 'web', 'dist')),
    seedDemo: (env.SEED_DEMO ?? 'true') !== 'false',
    seedDemoActivities: (env.SEED_DEMO_ACTIVITIES ?? 'true') !== 'false',
    mailCredentialKey,
    blobUploadQuotaBytes: int('BLOB_UPLOAD_QUOTA_MB', 100, 1, 1024 * 1024) * 1024 * 1024,
    unreferencedBlobGraceHours: int('UNREFERENCED_BLOB_GRACE_HOURS', 24, 1, 24 * 365),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
