import { describe, expect, it } from 'vitest';
import { HubApiError, type HubApi } from './api-client.js';
import { backoffDelay, Engine, type EngineOptions } from './engine.js';
import type { MailboxWork, OutgoingEmail, Viewer } from './hub-types.js';
import type { MailConnectors } from './sync/connectors.js';
import type { Log } from './logger.js';

describe('backoffDelay', () => {
  const policy = { baseMs: 500, maxMs: 30_000 };

  it.each([
    // attempt, random, expected: ceiling = min(max, base * 2^attempt); delay = ceiling/2 + ceiling/2 * random
    [0, 0, 250],
    [0, 0.999, 500],
    [1, 0, 500],
    [3, 0.5, 3000],
    [5, 0, 8000],
    [6, 0, 15_000], // 32 000 is past the cap
    [6, 0.999, 29_985],
    [60, 0, 15_000], // 2^60 must not overflow into Infinity or NaN
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, policy, random)).toBe(expected);
  });

  it('never waits less than half the ceiling, so retries never run back to back', () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      expect(backoffDelay(attempt, policy, 0)).toBeGreaterThanOrEqual(250);
    }
  });

  it('treats a negative attempt as the first', () => {
    expect(backoffDelay(-1, policy, 0)).toBe(250);
  });
});

const syncUser: Viewer = { id: 'u-1', fullName: 'Sync Service', roles: [{ name: 'Sync Service' }] };

const unused = (): never => {
  throw new Error('not used by these tests');
};

/** A HubApi whose whoAmI answers from a script, one entry per call (the last entry repeats), and that has no work to give. */
class ScriptedHubApi implements HubApi {
  calls = 0;
  claims = 0;
  private claimed: (() => void)[] = [];
  constructor(private readonly script: (Viewer | HubApiError)[]) {}
  async whoAmI(): Promise<Viewer> {
    const next = this.script[Math.min(this.calls++, this.script.length - 1)];
    if (next instanceof HubApiError) throw next;
    return next;
  }
  async claimMailboxes(): Promise<MailboxWork[]> {
    this.claims++;
    this.claimed.splice(0).forEach((resolve) => resolve());
    return [];
  }
  async claimOutgoingEmails(): Promise<OutgoingEmail[]> {
    return [];
  }
  nextClaim(): Promise<void> {
    return new Promise((resolve) => this.claimed.push(resolve));
  }
  renewMailboxLease = unused;
  claimMailboxWatches = unused;
  renewMailboxWatches = unused;
  releaseMailboxWatches = unused;
  mailboxesChanged = unused;
  releaseMailbox = unused;
  reportMailboxTest = unused;
  trackEmails = unused;
  undecidedMessages = unused;
  reportMailboxCoverage = unused;
  reportMailboxTimeZone = unused;
  reportMailboxFolders = unused;
  syncMailboxCalendar = unused;
  claimCalendarWrites = unused;
  reportCalendarWrites = unused;
  syncMailboxTasks = unused;
  claimTaskWrites = unused;
  reportTaskWrites = unused;
  syncMailboxContacts = unused;
  claimContactWrites = unused;
  reportContactWrites = unused;
  uploadBlob = unused;
  uploadBlobStream = unused;
  downloadBlob = unused;
  markEmailSent = unused;
  markEmailFailed = unused;
}

const noConnectors: MailConnectors = { incoming: unused, checkIncoming: unused, sender: unused, checkOutgoing: unused, checkAct: unused, calendar: unused, tasks: unused, contacts: unused, sentFolder: unused, closeAll: async () => undefined };

const options = (extra: Partial<EngineOptions> = {}): EngineOptions => ({
  pollIntervalMs: 60_000,
  engineId: 'test-engine',
  maxMailboxes: 2,
  sendBatch: 10,
  batchSize: 100,
  maxBatchBytes: 1 << 20,
  maxRequestBytes: 32 << 20,
  leaseSeconds: 60,
  idleSeconds: 0,
  reconcileIntervalSeconds: 3600,
  ...extra,
});

/** Records log calls and lets a test wait for a message. */
class RecordingLog implements Log {
  readonly lines: { level: string; fields: Record<string, unknown>; msg: string }[] = [];
  private waiters: { msg: string; resolve: () => void }[] = [];
  debug = this.record('debug');
  info = this.record('info');
  warn = this.record('warn');
  error = this.record('error');
  fatal = this.record('fatal');

  next(msg: string): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ msg, resolve }));
  }

  private record(level: string): Log['info'] {
    const write = (fieldsOrMsg: unknown, msg?: string): void => {
      const line = typeof fieldsOrMsg === 'string'
        ? { level, fields: {}, msg: fieldsOrMsg }
        : { level, fields: fieldsOrMsg as Record<string, unknown>, msg: msg ?? '' };
      this.lines.push(line);
      for (const waiter of this.waiters.filter((w) => w.msg === line.msg)) waiter.resolve();
      this.waiters = this.waiters.filter((w) => w.msg !== line.msg);
    };
    return write as Log['info'];
  }
}

const fastBackoff = { baseMs: 1, maxMs: 4 };

describe('Engine', () => {
  it('logs the key user, asks for work, and resolves 0 once stopped', async () => {
    const log = new RecordingLog();
    const api = new ScriptedHubApi([syncUser]);
    const engine = new Engine(api, log, options(), noConnectors);
    const stop = new AbortController();
    const claimed = api.nextClaim();
    const exit = engine.run(stop.signal);
    await claimed;
    stop.abort();
    expect(await exit).toBe(0);
    const started = log.lines.find((line) => line.msg === 'engine started');
    expect(started?.fields).toEqual({ viewer: { id: 'u-1', fullName: 'Sync Service', roles: ['Sync Service'] } });
    expect(api.claims).toBeGreaterThanOrEqual(1);
    expect(log.lines.at(-1)?.msg).toBe('engine stopped');
  });

  it('retries TEMPORARY failures with back-off until the API answers', async () => {
    const temporary = new HubApiError('TEMPORARY', 'connect ECONNREFUSED');
    const api = new ScriptedHubApi([temporary, temporary, temporary, syncUser]);
    const log = new RecordingLog();
    const engine = new Engine(api, log, options({ backoff: fastBackoff, random: () => 0 }), noConnectors);
    const stop = new AbortController();
    const exit = engine.run(stop.signal);
    await log.next('engine started');
    stop.abort();
    expect(await exit).toBe(0);
    expect(api.calls).toBe(4);
    const retries = log.lines.filter((line) => line.level === 'warn').map((line) => line.fields.delayMs);
    expect(retries).toEqual([1, 1, 2]);
  });

  it.each(['AUTH_FAILED', 'INVALID_RESPONSE'] as const)('resolves 1 with a fatal %s line without retrying', async (code) => {
    const api = new ScriptedHubApi([new HubApiError(code, 'nope', 'UNAUTHENTICATED')]);
    const log = new RecordingLog();
    const exit = await new Engine(api, log, options(), noConnectors).run(new AbortController().signal);
    expect(exit).toBe(1);
    expect(api.calls).toBe(1);
    expect(log.lines.at(-1)).toMatchObject({ level: 'fatal', fields: { code, serverCode: 'UNAUTHENTICATED' } });
  });

  it('stops while still waiting for the API, resolving 0', async () => {
    const api = new ScriptedHubApi([new HubApiError('TEMPORARY', 'down')]);
    const log = new RecordingLog();
    const engine = new Engine(api, log, options({ backoff: { baseMs: 60_000, maxMs: 60_000 } }), noConnectors);
    const stop = new AbortController();
    const exit = engine.run(stop.signal);
    await log.next('hub API unavailable; retrying');
    stop.abort();
    expect(await exit).toBe(0);
    expect(log.lines.some((line) => line.msg === 'engine started')).toBe(false);
  });
});
