import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies defaults when only the key is set', () => {
    expect(parseConfig({ HUB_API_KEY: 'k' })).toEqual({
      hubApiUrl: 'http://localhost:4000/graphql',
      hubApiKey: 'k',
      logLevel: 'info',
      pollIntervalMs: 5_000,
      engineId: `${hostname()}-${process.pid}`,
      maxMailboxes: 8,
      leaseSeconds: 120,
      batchSize: 100,
      maxRequestBytes: 32 * 1024 * 1024,
      idleSeconds: 300,
      watchMailboxes: 1000,
      watchLeaseSeconds: 60,
      reconcileIntervalSeconds: 3600,
      sendBatch: 10,
      ewsTimeoutMs: 120_000,
      calendarWritePollMs: 15_000,
      ewsAutodiscoverUrl: null,
      // The expansion window: three months back, twelve ahead.
    });
  });

  it('reads every variable and returns a frozen object', () => {
    const config = parseConfig({
      HUB_API_URL: 'https://hub.example.test/graphql',
      HUB_API_KEY: ' key-with-spaces-around ',
      LOG_LEVEL: 'DEBUG',
      POLL_INTERVAL_MS: '1500',
      ENGINE_ID: 'engine-a',
      MAX_MAILBOXES: '3',
      LEASE_SECONDS: '60',
      BATCH_SIZE: '50',
      HUB_MAX_REQUEST_MB: '8',
      IDLE_SECONDS: '0',
      WATCH_MAILBOXES: '0',
      WATCH_LEASE_SECONDS: '30',
      RECONCILE_INTERVAL_SECONDS: '0',
      SEND_BATCH: '0',
      EWS_TIMEOUT_SECONDS: '30',
      EXCHANGE_WRITES_LOOK_SECONDS: '60',
      EWS_AUTODISCOVER_URL: 'https://autodiscover.{domain}/autodiscover/autodiscover.svc',
    });
    expect(config).toEqual({
      hubApiUrl: 'https://hub.example.test/graphql',
      hubApiKey: 'key-with-spaces-around',
      logLevel: 'debug',
      pollIntervalMs: 1500,
      engineId: 'engine-a',
      maxMailboxes: 3,
      leaseSeconds: 60,
      batchSize: 50,
      maxRequestBytes: 8 * 1024 * 1024,
      idleSeconds: 0,
      watchMailboxes: 0,
      watchLeaseSeconds: 30,
      reconcileIntervalSeconds: 0,
      sendBatch: 0,
      ewsTimeoutMs: 30_000,
      calendarWritePollMs: 60_000,
      ewsAutodiscoverUrl: 'https://autodiscover.{domain}/autodiscover/autodiscover.svc',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty strings as unset (compose passes `VAR=` for an unset ${VAR})', () => {
    expect(problemsOf({ HUB_API_KEY: '' })).toEqual([expect.stringContaining('HUB_API_KEY is required')]);
    expect(parseConfig({ HUB_API_KEY: 'k', HUB_API_URL: '', POLL_INTERVAL_MS: ' ' }).pollIntervalMs).toBe(5_000);
  });

  it('reports every bad variable in one error', () => {
    const problems = problemsOf({ HUB_API_URL: 'not a url', LOG_LEVEL: 'verbose', POLL_INTERVAL_MS: '10s' });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/HUB_API_URL[\s\S]*HUB_API_KEY[\s\S]*LOG_LEVEL[\s\S]*POLL_INTERVAL_MS/);
  });

  it.each([
    ['ftp://hub/graphql', 'HUB_API_URL'],
    ['0', 'POLL_INTERVAL_MS'],
    ['-5', 'POLL_INTERVAL_MS'],
    ['1.5', 'POLL_INTERVAL_MS'],
    ['2147483648', 'POLL_INTERVAL_MS'],
    ['0', 'MAX_MAILBOXES'],
    ['201', 'BATCH_SIZE'],
    ['1', 'HUB_MAX_REQUEST_MB'],
    ['4', 'LEASE_SECONDS'],
    ['1800', 'IDLE_SECONDS'],
    ['20001', 'WATCH_MAILBOXES'],
    ['4', 'WATCH_LEASE_SECONDS'],
    ['4', 'EWS_TIMEOUT_SECONDS'],
    ['0', 'EXCHANGE_WRITES_LOOK_SECONDS'],
    ['https://autodiscover.example.com/autodiscover/autodiscover.svc', 'EWS_AUTODISCOVER_URL'],
    ['file:///{domain}', 'EWS_AUTODISCOVER_URL'],
  ])('rejects %s for %s', (value, name) => {
    const problems = problemsOf({ HUB_API_KEY: 'k', [name]: value });
    expect(problems).toEqual([expect.stringContaining(name)]);
  });
});
