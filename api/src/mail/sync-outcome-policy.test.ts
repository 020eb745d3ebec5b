import { describe, expect, it } from 'vitest';
import { AlertSeverity, ChannelTestStatus, MailboxState } from './mail-enums';
import {
  afterSync,
  afterTest,
  BACKOFF_CAP_MS,
  backoffDelayMs,
  SyncOutcome,
  type SyncPolicyContext,
  type SyncReport,
  type SyncStateBefore,
} from './sync-outcome-policy';

const now = new Date('2026-03-01T12:00:00.000Z');
const ctx = (over: Partial<SyncPolicyContext> = {}): SyncPolicyContext => ({ now, pollIntervalSeconds: 60, lastAlert: null, random: 0.5, ...over });
const state = (over: Partial<SyncStateBefore> = {}): SyncStateBefore => ({ state: MailboxState.ENABLED, stateReason: null, failureCount: 0, consecutiveEmptyPolls: 0, ...over });
const report = (outcome: SyncOutcome, over: Partial<SyncReport> = {}): SyncReport => ({ outcome, code: null, message: null, itemsProcessed: 0, nextSyncInSeconds: null, ...over });
const secondsFromNow = (d: Date | null) => (d ? (d.getTime() - now.getTime()) / 1000 : null);

describe('afterSync', () => {
  it.each<[string, SyncStateBefore, SyncReport, { state: MailboxState; failureCount: number; nextIn: number | null; empty: number; alert: [AlertSeverity, string] | null }]>([
    ['a quiet poll counts an empty poll', state({ consecutiveEmptyPolls: 2 }), report(SyncOutcome.SUCCESS), { state: MailboxState.ENABLED, failureCount: 0, nextIn: 60, empty: 3, alert: null }],
    ['new mail resets the empty polls; the engine may ask to come back sooner', state({ consecutiveEmptyPolls: 4 }), report(SyncOutcome.SUCCESS, { itemsProcessed: 100, nextSyncInSeconds: 0 }), { state: MailboxState.ENABLED, failureCount: 0, nextIn: 0, empty: 0, alert: null }],
    ['SUCCESS after BACKING_OFF recovers with an information line', state({ state: MailboxState.BACKING_OFF, failureCount: 3, stateReason: 'timeout' }), report(SyncOutcome.SUCCESS, { itemsProcessed: 1 }), { state: MailboxState.ENABLED, failureCount: 0, nextIn: 60, empty: 0, alert: [AlertSeverity.INFORMATION, 'RECOVERED'] }],
    ['the first transient failure backs off 30 s and warns', state(), report(SyncOutcome.TEMPORARY_FAILURE, { code: 'TIMEOUT', message: 'connect timed out' }), { state: MailboxState.BACKING_OFF, failureCount: 1, nextIn: 30, empty: 0, alert: [AlertSeverity.WARNING, 'TIMEOUT'] }],
    ['a configuration error backs off too, as an error', state(), report(SyncOutcome.CONFIG_ERROR, { code: 'FOLDER_MISSING', message: 'no folder "Projects"' }), { state: MailboxState.BACKING_OFF, failureCount: 1, nextIn: 30, empty: 0, alert: [AlertSeverity.ERROR, 'FOLDER_MISSING'] }],
    ['an authentication failure stops the mailbox until the credentials change', state({ failureCount: 2, state: MailboxState.BACKING_OFF }), report(SyncOutcome.AUTH_FAILED, { code: 'AUTH_FAILED', message: 'LOGIN failed' }), { state: MailboxState.DISABLED_AUTH, failureCount: 2, nextIn: null, empty: 0, alert: [AlertSeverity.ERROR, 'AUTH_FAILED'] }],
    ['disabled by an administrator meanwhile: stays disabled, not scheduled', state({ state: MailboxState.DISABLED_BY_ADMIN, stateReason: 'by admin' }), report(SyncOutcome.SUCCESS, { itemsProcessed: 5 }), { state: MailboxState.DISABLED_BY_ADMIN, failureCount: 0, nextIn: null, empty: 0, alert: null }],
    ['disabled by an administrator meanwhile, then a failure: still disabled', state({ state: MailboxState.DISABLED_BY_ADMIN }), report(SyncOutcome.AUTH_FAILED), { state: MailboxState.DISABLED_BY_ADMIN, failureCount: 0, nextIn: null, empty: 0, alert: [AlertSeverity.ERROR, 'AUTH_FAILED'] }],
  ])('%s', (_name, before, rep, expected) => {
    const { after, alert } = afterSync(before, rep, ctx());
    expect(after.state).toBe(expected.state);
    expect(after.failureCount).toBe(expected.failureCount);
    expect(secondsFromNow(after.nextSyncAt)).toBe(expected.nextIn);
    expect(after.consecutiveEmptyPolls).toBe(expected.empty);
    expect(alert ? [alert.severity, alert.code] : null).toEqual(expected.alert);
  });

  it('a successful sync records when and how much; a failed one does not', () => {
    expect(afterSync(state(), report(SyncOutcome.SUCCESS, { itemsProcessed: 7 }), ctx()).after).toMatchObject({ lastSyncAt: now, lastSyncItems: 7, stateReason: null });
    expect(afterSync(state(), report(SyncOutcome.TEMPORARY_FAILURE), ctx()).after).not.toHaveProperty('lastSyncAt');
  });

  it('the reason is the engine\'s message, or a sentence for the outcome', () => {
    expect(afterSync(state(), report(SyncOutcome.TEMPORARY_FAILURE, { message: ' DNS lookup of imap.example failed ' }), ctx()).after.stateReason).toBe('DNS lookup of imap.example failed');
    expect(afterSync(state(), report(SyncOutcome.AUTH_FAILED), ctx()).alert!.message).toMatch(/refused the credentials/);
  });

  describe('alert de-duplication while backing off', () => {
    const backingOff = state({ state: MailboxState.BACKING_OFF, failureCount: 4, stateReason: 'connect timed out' });
    it.each<[string, SyncStateBefore, SyncReport, SyncPolicyContext['lastAlert'], boolean]>([
      ['the same problem again writes nothing', backingOff, report(SyncOutcome.TEMPORARY_FAILURE, { code: 'TIMEOUT', message: 'connect timed out' }), { code: 'TIMEOUT', message: 'connect timed out' }, false],
      ['a different message is a new line', backingOff, report(SyncOutcome.TEMPORARY_FAILURE, { code: 'TIMEOUT', message: 'read timed out' }), { code: 'TIMEOUT', message: 'connect timed out' }, true],
      ['a different code is a new line', backingOff, report(SyncOutcome.TEMPORARY_FAILURE, { code: 'DNS', message: 'connect timed out' }), { code: 'TIMEOUT', message: 'connect timed out' }, true],
      ['the newest line is something else (e.g. a quarantined message)', backingOff, report(SyncOutcome.TEMPORARY_FAILURE, { code: 'TIMEOUT', message: 'connect timed out' }), { code: 'MESSAGE_QUARANTINED', message: 'x' }, true],
      ['entering BACKING_OFF always writes, even the same text as an old line', state(), report(SyncOutcome.TEMPORARY_FAILURE, { code: 'TIMEOUT', message: 'connect timed out' }), { code: 'TIMEOUT', message: 'connect timed out' }, true],
      ['a repeated configuration error writes nothing', backingOff, report(SyncOutcome.CONFIG_ERROR, { code: 'FOLDER_MISSING', message: 'gone' }), { code: 'FOLDER_MISSING', message: 'gone' }, false],
      ['an authentication failure always writes', state({ state: MailboxState.ENABLED }), report(SyncOutcome.AUTH_FAILED, { message: 'x' }), { code: 'AUTH_FAILED', message: 'x' }, true],
    ])('%s', (_name, before, rep, lastAlert, written) => {
      expect(afterSync(before, rep, ctx({ lastAlert })).alert !== null).toBe(written);
    });
  });

  it('nothing blocks forever: every failure but authentication is scheduled again', () => {
    for (const outcome of [SyncOutcome.TEMPORARY_FAILURE, SyncOutcome.CONFIG_ERROR]) {
      const next = afterSync(state({ state: MailboxState.BACKING_OFF, failureCount: 500 }), report(outcome), ctx()).after.nextSyncAt;
      expect(secondsFromNow(next)).toBeLessThanOrEqual(6 * 3600);
      expect(secondsFromNow(next)).toBeGreaterThan(0);
    }
  });
});

describe('backoffDelayMs', () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [4, 240],
    [8, 3840],
    [10, 15_360],
    [11, 21_600], // 30 720 s capped to 6 h
    [40, 21_600],
    [10_000, 21_600],
  ])('failure %i waits %i s without jitter', (failures, seconds) => {
    expect(backoffDelayMs(failures, 0.5)).toBe(seconds * 1000);
  });

  it('jitter stays within ±20 % and under the cap', () => {
    for (const failures of [1, 2, 5, 9, 10, 11, 30]) {
      const plain = backoffDelayMs(failures, 0.5);
      for (const random of [0, 0.001, 0.25, 0.75, 0.999999]) {
        const delay = backoffDelayMs(failures, random);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(plain * 0.8));
        expect(delay).toBeLessThanOrEqual(Math.min(BACKOFF_CAP_MS, Math.ceil(plain * 1.2)));
      }
    }
    expect(backoffDelayMs(1, 0)).toBe(24_000);
    expect(backoffDelayMs(1, 0.999999)).toBe(36_000);
  });

  it('grows with each failure in a row', () => {
    const delays = Array.from({ length: 12 }, (_, i) => backoffDelayMs(i + 1, 0.5));
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
  });
});

describe('afterTest', () => {
  const ok = { status: ChannelTestStatus.SUCCESS, code: null, reason: null };
  const notRun = { status: ChannelTestStatus.NOT_RUN, code: null, reason: null };
  const warn = { status: ChannelTestStatus.WARNING, code: 'TLS', reason: 'certificate not trusted' };
  const refused = { status: ChannelTestStatus.FAILURE, code: 'AUTH_FAILED', reason: 'LOGIN failed' };
  const dns = { status: ChannelTestStatus.FAILURE, code: 'DNS', reason: 'no such host smtp.example' };
  const notEnabled = { state: MailboxState.NOT_ENABLED, stateReason: null };

  it.each<[string, Parameters<typeof afterTest>[1], MailboxState, [AlertSeverity, string][]]>([
    ['both channels pass: enabled', { incoming: ok, outgoing: ok }, MailboxState.ENABLED, [[AlertSeverity.INFORMATION, 'TEST_SUCCEEDED']]],
    ['a warning still passes', { incoming: ok, outgoing: warn }, MailboxState.ENABLED, [[AlertSeverity.INFORMATION, 'TEST_SUCCEEDED']]],
    ['a channel whose method is NONE is not tested', { incoming: ok, outgoing: notRun }, MailboxState.ENABLED, [[AlertSeverity.INFORMATION, 'TEST_SUCCEEDED']]],
    ['a failed channel leaves NOT_ENABLED as it was', { incoming: ok, outgoing: dns }, MailboxState.NOT_ENABLED, [[AlertSeverity.ERROR, 'DNS']]],
    ['refused credentials disable the mailbox', { incoming: refused, outgoing: ok }, MailboxState.DISABLED_AUTH, [[AlertSeverity.ERROR, 'AUTH_FAILED']]],
    ['one error line per failed channel', { incoming: refused, outgoing: dns }, MailboxState.DISABLED_AUTH, [[AlertSeverity.ERROR, 'AUTH_FAILED'], [AlertSeverity.ERROR, 'DNS']]],
  ])('%s', (_name, channels, expectedState, alerts) => {
    const result = afterTest(notEnabled, channels, now);
    expect(result.after.state).toBe(expectedState);
    expect(result.alerts.map((a) => [a.severity, a.code])).toEqual(alerts);
  });

  it('success makes the mailbox due at once; the reasons are in the alert text', () => {
    const passed = afterTest(notEnabled, { incoming: ok, outgoing: warn }, now);
    expect(passed.after).toMatchObject({ nextSyncAt: now, failureCount: 0, stateReason: null });
    expect(passed.alerts[0].message).toContain('certificate not trusted');
    const failed = afterTest({ state: MailboxState.ENABLED, stateReason: null }, { incoming: ok, outgoing: dns }, now);
    expect(failed.after).toEqual({ state: MailboxState.ENABLED, stateReason: null });
    expect(failed.alerts[0].message).toContain('no such host smtp.example');
  });
});
