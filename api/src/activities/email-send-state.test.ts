import { describe, expect, it } from 'vitest';
import { EmailStatus } from './activity-enums';
import { afterFailure, judgeLeaseReport, MAX_SEND_ATTEMPTS, nextSendStatus, retryDelayMs, SEND_TRANSITIONS, type SendEvent } from './email-send-state';

const { PENDING_SEND, SENDING, SENT, FAILED, UNCERTAIN, RECEIVED, DRAFT, CANCELLED } = EmailStatus;

describe('outgoing email transitions', () => {
  it.each<[EmailStatus, SendEvent, EmailStatus | null]>([
    [PENDING_SEND, 'CLAIM', SENDING],
    [SENDING, 'SENT', SENT],
    [SENDING, 'FAILED_RETRYABLE', PENDING_SEND],
    [SENDING, 'GAVE_UP', FAILED],
    [SENDING, 'LEASE_EXPIRED', UNCERTAIN],
    [UNCERTAIN, 'FOUND_IN_SENT', SENT],
    [UNCERTAIN, 'NOT_FOUND_IN_SENT', PENDING_SEND],
    [FAILED, 'RETRY', PENDING_SEND],
    [UNCERTAIN, 'RETRY', PENDING_SEND],
    [PENDING_SEND, 'CANCEL', CANCELLED],
    [FAILED, 'CANCEL', CANCELLED],
    [UNCERTAIN, 'CANCEL', CANCELLED],
    // What must never happen:
    [SENDING, 'CANCEL', null], // it may be on the wire
    [SENT, 'CANCEL', null],
    [CANCELLED, 'CLAIM', null],
    [CANCELLED, 'RETRY', null],
    [SENDING, 'CLAIM', null], // claimed twice
    [SENT, 'CLAIM', null],
    [UNCERTAIN, 'CLAIM', null], // an expired lease is not a licence to send again
    [SENT, 'RETRY', null],
    [SENDING, 'RETRY', null],
    [PENDING_SEND, 'SENT', null],
    [FAILED, 'SENT', null],
    [SENT, 'LEASE_EXPIRED', null],
    [RECEIVED, 'CLAIM', null],
    [RECEIVED, 'RETRY', null],
    [DRAFT, 'CLAIM', null],
  ])('%s --%s--> %s', (from, event, to) => {
    expect(nextSendStatus(from, event)).toBe(to);
  });

  it('no event leads from SENDING back to PENDING_SEND except a report that it was not delivered', () => {
    const back = (Object.keys(SEND_TRANSITIONS) as SendEvent[]).filter((e) => nextSendStatus(SENDING, e) === PENDING_SEND);
    expect(back).toEqual(['FAILED_RETRYABLE']);
    expect(SEND_TRANSITIONS.FAILED_RETRYABLE.needsLease).toBe(true);
  });

  it('only a lease holder reports the outcome of a send', () => {
    expect(SEND_TRANSITIONS.SENT.needsLease).toBe(true);
    expect(SEND_TRANSITIONS.GAVE_UP.needsLease).toBe(true);
    expect(SEND_TRANSITIONS.CLAIM.needsLease).toBe(false);
  });
});

describe('retry back-off', () => {
  it.each([
    [1, 60_000],
    [2, 120_000],
    [3, 240_000],
    [4, 480_000],
    [6, 1_920_000],
    [7, 3_600_000], // 64 min, capped at 1 h
    [40, 3_600_000],
    [0, 60_000],
  ])('after %i attempts waits %i ms', (attempts, delay) => {
    expect(retryDelayMs(attempts)).toBe(delay);
  });

  const now = new Date('2026-03-01T12:00:00.000Z');

  it('a retryable failure queues again, after the back-off', () => {
    expect(afterFailure(1, true, now)).toEqual({ event: 'FAILED_RETRYABLE', nextAttemptAt: new Date('2026-03-01T12:01:00.000Z') });
    expect(afterFailure(3, true, now)).toEqual({ event: 'FAILED_RETRYABLE', nextAttemptAt: new Date('2026-03-01T12:04:00.000Z') });
  });

  it(`gives up after ${MAX_SEND_ATTEMPTS} attempts, and at once on a permanent failure`, () => {
    expect(afterFailure(MAX_SEND_ATTEMPTS - 1, true, now).event).toBe('FAILED_RETRYABLE');
    expect(afterFailure(MAX_SEND_ATTEMPTS, true, now)).toEqual({ event: 'GAVE_UP' });
    expect(afterFailure(1, false, now)).toEqual({ event: 'GAVE_UP' });
  });
});

describe('judging a lease holder’s report', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  const later = new Date('2026-03-01T12:02:00.000Z');
  const earlier = new Date('2026-03-01T11:58:00.000Z');
  const sentDone = [SENT];

  it('applies while the lease is current and matches', () => {
    expect(judgeLeaseReport({ status: SENDING, sendLeaseId: 'L1', sendLeaseUntil: later }, 'L1', sentDone, now)).toEqual({ kind: 'APPLY' });
    // The last millisecond of the lease still counts.
    expect(judgeLeaseReport({ status: SENDING, sendLeaseId: 'L1', sendLeaseUntil: now }, 'L1', sentDone, now)).toEqual({ kind: 'APPLY' });
  });

  it('a repeated report under the same lease is answered as before', () => {
    expect(judgeLeaseReport({ status: SENT, sendLeaseId: 'L1', sendLeaseUntil: null }, 'L1', sentDone, now)).toEqual({ kind: 'ALREADY_APPLIED' });
    expect(judgeLeaseReport({ status: FAILED, sendLeaseId: 'L1', sendLeaseUntil: null }, 'L1', [PENDING_SEND, FAILED], now)).toEqual({ kind: 'ALREADY_APPLIED' });
  });

  it.each([
    ['another lease', { status: SENDING, sendLeaseId: 'L2', sendLeaseUntil: later }, /not the email's current one/],
    ['an expired lease', { status: SENDING, sendLeaseId: 'L1', sendLeaseUntil: earlier }, /expired/],
    ['an email that became UNCERTAIN', { status: UNCERTAIN, sendLeaseId: 'L1', sendLeaseUntil: earlier }, /UNCERTAIN/],
    ['an email sent under another lease', { status: SENT, sendLeaseId: 'L2', sendLeaseUntil: null }, /not the email's current one/],
    ['an email never claimed', { status: PENDING_SEND, sendLeaseId: null, sendLeaseUntil: null }, /PENDING_SEND/],
  ])('is a conflict for %s', (_name, email, reason) => {
    const verdict = judgeLeaseReport(email, 'L1', sentDone, now);
    expect(verdict.kind).toBe('CONFLICT');
    expect(verdict.kind === 'CONFLICT' && verdict.reason).toMatch(reason);
  });
});
