import { describe, expect, it } from 'vitest';
import {
  correlate,
  DEFAULT_CORRELATION,
  type CorrelationEvidence,
  type CorrelationSwitches,
  type KnownEmail,
  type RecordRef,
} from './correlation';

const NOW = new Date('2024-06-10T09:30:00Z');
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000);
const opportunity: RecordRef = { kind: 'opportunity', id: 'opp-1' };
const account: RecordRef = { kind: 'account', id: 'acc-1' };
const caseRef: RecordRef = { kind: 'case', id: 'case-1' };

const ME = 'anna.svensson@contoso.se';
const CLIENT = 'erik.lund@fabrikam.se';
const CLIENT_2 = 'maria.berg@fabrikam.se';

const email = (activityId: string, regarding: RecordRef | null, occurredAt = daysBefore(1), participantAddresses = [ME, CLIENT]): KnownEmail => ({
  activityId,
  regarding,
  occurredAt,
  participantAddresses,
});

const noEvidence: CorrelationEvidence = { inReplyTo: null, referenceMessageId: null, token: null, threadIndex: null, smartCandidates: [] };
const smartOn: CorrelationSwitches = { ...DEFAULT_CORRELATION, smartMatching: true };

const run = (evidence: Partial<CorrelationEvidence>, switches: CorrelationSwitches = DEFAULT_CORRELATION, participants = [ME, CLIENT, CLIENT_2]) =>
  correlate({ occurredAt: NOW, participantAddresses: participants, evidence: { ...noEvidence, ...evidence }, switches });

const THREAD_ROOT = 'AcON3CInEwkfLOQsQGeK8VCv3M+ipA==';
const GMAIL_ID = '<CAH1x8=Lw9Ud3bQk@mail.gmail.com>';

describe('DEFAULT_CORRELATION', () => {
  it('matches Dynamics: smart matching off, 2 shared recipients, 90 days', () => {
    expect(DEFAULT_CORRELATION).toEqual({
      inReplyTo: true,
      trackingToken: true,
      threadIndex: true,
      smartMatching: false,
      smartMatchMinSharedRecipients: 2,
      smartMatchWindowDays: 90,
    });
  });
});

describe('correlate', () => {
  it('prefers In-Reply-To and stops there', () => {
    const result = run({
      inReplyTo: email('e-reply', opportunity),
      referenceMessageId: GMAIL_ID,
      token: { token: 'CRM:0001234', email: email('e-token', account) },
      threadIndex: { root: THREAD_ROOT, email: email('e-thread', caseRef) },
    });
    expect(result).toMatchObject({ method: 'IN_REPLY_TO', regarding: opportunity, respondsToTrackedEmail: true });
    expect(result.email?.activityId).toBe('e-reply');
    expect(result.evidence).toBe(`${GMAIL_ID} is tracked email e-reply`);
    expect(result.considered).toEqual([{ method: 'IN_REPLY_TO', outcome: 'MATCHED', detail: result.evidence }]);
  });

  it('uses the token when no referenced Message-ID is tracked', () => {
    const result = run({ referenceMessageId: GMAIL_ID, token: { token: 'CRM:0001234', email: email('e-token', account) } });
    expect(result).toMatchObject({ method: 'TRACKING_TOKEN', regarding: account, evidence: 'token CRM:0001234 is on tracked email e-token' });
    expect(result.considered.map((c) => [c.method, c.outcome])).toEqual([
      ['IN_REPLY_TO', 'NO_MATCH'],
      ['TRACKING_TOKEN', 'MATCHED'],
    ]);
    expect(result.considered[0].detail).toContain(GMAIL_ID);
  });

  it('uses the Outlook Thread-Index when the subject token was edited away', () => {
    const result = run({ token: { token: 'CRM:0009999', email: null }, threadIndex: { root: THREAD_ROOT, email: email('e-thread', caseRef) } });
    expect(result).toMatchObject({ method: 'THREAD_INDEX', regarding: caseRef, respondsToTrackedEmail: true });
    expect(result.considered.map((c) => [c.method, c.outcome, c.detail])).toEqual([
      ['IN_REPLY_TO', 'NO_MATCH', 'no In-Reply-To or References header'],
      ['TRACKING_TOKEN', 'NO_MATCH', 'token CRM:0009999 belongs to no tracked email'],
      ['THREAD_INDEX', 'MATCHED', `Thread-Index conversation ${THREAD_ROOT} contains tracked email e-thread`],
    ]);
  });

  it('finds the conversation even when the tracked email is regarding nothing', () => {
    const result = run({ inReplyTo: email('e-unlinked', null), referenceMessageId: GMAIL_ID, token: { token: 'CRM:0001234', email: email('e-token', account) } });
    expect(result).toMatchObject({ method: 'IN_REPLY_TO', regarding: null, respondsToTrackedEmail: true });
    expect(result.email?.activityId).toBe('e-unlinked');
  });

  it('skips disabled methods and records them before the winner', () => {
    const switches = { ...DEFAULT_CORRELATION, inReplyTo: false, trackingToken: false };
    const result = run(
      { inReplyTo: email('e-reply', opportunity), token: { token: 'CRM:0001234', email: email('e-token', account) }, threadIndex: { root: THREAD_ROOT, email: email('e-thread', caseRef) } },
      switches,
    );
    expect(result.method).toBe('THREAD_INDEX');
    expect(result.considered.map((c) => [c.method, c.outcome])).toEqual([
      ['IN_REPLY_TO', 'DISABLED'],
      ['TRACKING_TOKEN', 'DISABLED'],
      ['THREAD_INDEX', 'MATCHED'],
    ]);
  });

  it('reports NONE with every method when nothing matches', () => {
    const result = run({ threadIndex: { root: THREAD_ROOT, email: null }, smartCandidates: [email('e-old', account)] });
    expect(result).toMatchObject({ method: 'NONE', email: null, regarding: null, respondsToTrackedEmail: false });
    expect(result.considered.map((c) => [c.method, c.outcome])).toEqual([
      ['IN_REPLY_TO', 'NO_MATCH'],
      ['TRACKING_TOKEN', 'NO_MATCH'],
      ['THREAD_INDEX', 'NO_MATCH'],
      ['SMART_MATCHING', 'DISABLED'],
    ]);
  });

  it('does not smart-match when smart matching is off (the default)', () => {
    expect(run({ smartCandidates: [email('e-same-subject', account)] }).method).toBe('NONE');
  });
});

describe('correlate by smart matching', () => {
  const smart = (candidates: KnownEmail[], switches: CorrelationSwitches = smartOn, participants = [ME, CLIENT, CLIENT_2]) =>
    run({ smartCandidates: candidates }, switches, participants);

  it('matches an earlier email with the same subject and two shared addresses, and says why', () => {
    const result = smart([email('e-invoice', account, daysBefore(3), [ME, CLIENT])]);
    expect(result).toMatchObject({ method: 'SMART_MATCHING', regarding: account, respondsToTrackedEmail: true });
    expect(result.evidence).toBe(
      `same subject as tracked email e-invoice of ${daysBefore(3).toISOString()}, sharing ${ME}, ${CLIENT}`,
    );
  });

  it.each([
    ['one shared address is not enough', [ME, 'someone@else.example'], daysBefore(1), false],
    ['addresses compare case-insensitively', [ME.toUpperCase(), ` ${CLIENT} `], daysBefore(1), true],
    ['an address listed twice counts once', [CLIENT, CLIENT.toUpperCase()], daysBefore(1), false],
    ['exactly 90 days before is inside the window', [ME, CLIENT], daysBefore(90), true],
    ['91 days before is outside the window', [ME, CLIENT], daysBefore(91), false],
    ['the same instant counts as before', [ME, CLIENT], NOW, true],
    ['a later email is never a match', [ME, CLIENT], new Date(NOW.getTime() + 1000), false],
  ])('%s', (_name, participants, occurredAt, matches) => {
    const result = smart([email('e-cand', account, occurredAt, participants)]);
    expect(result.method).toBe(matches ? 'SMART_MATCHING' : 'NONE');
  });

  it('picks the newest eligible candidate', () => {
    const result = smart([
      email('e-older', account, daysBefore(30)),
      email('e-newest-but-one-shared', caseRef, daysBefore(1), [CLIENT]),
      email('e-newer', opportunity, daysBefore(5)),
      email('e-future', caseRef, new Date(NOW.getTime() + 60_000)),
    ]);
    expect(result.email?.activityId).toBe('e-newer');
    expect(result.regarding).toEqual(opportunity);
  });

  it('honours a stricter shared-address minimum and a shorter window', () => {
    const strict = { ...smartOn, smartMatchMinSharedRecipients: 3, smartMatchWindowDays: 7 };
    expect(smart([email('e-two', account, daysBefore(1))], strict).method).toBe('NONE');
    expect(smart([email('e-three-old', account, daysBefore(8), [ME, CLIENT, CLIENT_2])], strict).method).toBe('NONE');
    expect(smart([email('e-three', account, daysBefore(6), [ME, CLIENT, CLIENT_2])], strict).method).toBe('SMART_MATCHING');
  });

  it('never matches on the subject alone, even when configured with 0', () => {
    const lax = { ...smartOn, smartMatchMinSharedRecipients: 0 };
    expect(smart([email('e-stranger', account, daysBefore(1), ['x@y.example'])], lax).method).toBe('NONE');
  });

  it('explains a miss', () => {
    const result = smart([email('e-old', account, daysBefore(200))]);
    expect(result.considered.at(-1)).toEqual({
      method: 'SMART_MATCHING',
      outcome: 'NO_MATCH',
      detail: '1 same-subject email(s), none within 90 days before sharing 2 address(es)',
    });
  });

  it('loses to an earlier method', () => {
    const result = run({ threadIndex: { root: THREAD_ROOT, email: email('e-thread', caseRef) }, smartCandidates: [email('e-smart', account)] }, smartOn);
    expect(result.method).toBe('THREAD_INDEX');
    expect(result.considered.map((c) => c.method)).not.toContain('SMART_MATCHING');
  });
});
