/** Log levels pino accepts; anything else is a typo we want reported at start. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The engine's settings, parsed once from the environment. */
export interface Config {
  readonly hubApiUrl: string;
  readonly hubApiKey: string;
  readonly logLevel: LogLevel;
  readonly pollIntervalMs: number;
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

  const pollRaw = value('POLL_INTERVAL_MS') ?? '30000';
  const pollIntervalMs = Number(pollRaw);
  if (!/^\d+$/.test(pollRaw) || pollIntervalMs < 1 || pollIntervalMs > MAX_TIMER_MS) {
    problems.push(`POLL_INTERVAL_MS must be an integer from 1 to ${MAX_TIMER_MS}, got "${pollRaw}"`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ hubApiUrl, hubApiKey, logLevel: logLevel as LogLevel, pollIntervalMs });
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
