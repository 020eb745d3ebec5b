import { describe, expect, it } from 'vitest';
import { decideItem, type TrackingSwitches } from './decide-item';
import { prepareItem } from './prepare-item';
import { DEFAULT_CORRELATION, type CorrelationEvidence, type KnownEmail } from './rules/correlation';
import { resolveParty, type PartyMatch } from './rules/party-resolution';
import { TrackingFilter } from './rules/tracking-filter';
import type { TrackEmailItemInput } from './track-emails.inputs';

const NOW = new Date('2026-11-22T10:00:00Z');
const SWITCHES: TrackingSwitches = {
  ...DEFAULT_CORRELATION,
  folderTracking: true,
  skipAutoReplies: true,
  skipBounces: true,
  skipBulkMail: true,
  blockedAddresses: [],
  blockedDomains: [],
};
const NO_EVIDENCE: CorrelationEvidence = { inReplyTo: null, referenceMessageId: null, token: null, threadIndex: null, smartCandidates: [] };
const DIRECTORY: Record<string, PartyMatch[]> = {
  'sam@hub.example': [{ kind: 'user', id: 'u-sam' }],
  'kund@contoso.example': [{ kind: 'contact', id: 'c-kund' }],
  'info@contoso.example': [{ kind: 'account', id: 'a-contoso' }],
  'lead@prospect.example': [{ kind: 'lead', id: 'l-1' }],
  'support@hub.example': [{ kind: 'queue', id: 'q-1' }],
};
const tracked = (regarding: KnownEmail['regarding']): KnownEmail => ({ activityId: 'act-1', regarding, occurredAt: new Date('2026-11-20T10:00:00Z'), participantAddresses: ['kund@contoso.example', 'sam@hub.example'] });

function decide(options: { from: string; to?: string[]; filter?: TrackingFilter; evidence?: Partial<CorrelationEvidence>; headers?: Record<string, string>; switches?: Partial<TrackingSwitches>; folder?: string; rule?: { folder: string; regarding: KnownEmail['regarding'] } }) {
  const input = {
    messageId: '<m@x>',
    from: { address: options.from },
    to: (options.to ?? ['sam@hub.example']).map((address) => ({ address })),
    cc: [],
    bcc: [],
    references: [],
    attachments: [],
    subject: 'Offer',
    folder: options.folder ?? 'INBOX',
    headers: Object.entries(options.headers ?? {}).map(([name, value]) => ({ name, value })),
  } as unknown as TrackEmailItemInput;
  return decideItem({
    item: prepareItem(input, 0, { mailboxAddress: 'sam@hub.example', maxBodyBytes: 1 << 20, now: NOW }),
    trackingFilter: options.filter ?? TrackingFilter.RESPONSES_TO_CRM_EMAIL,
    switches: { ...SWITCHES, ...options.switches },
    folderRule: options.rule ?? null,
    resolve: (address) => resolveParty(address, DIRECTORY[address] ?? []),
    evidence: { ...NO_EVIDENCE, ...options.evidence },
  });
}

describe('decideItem: the mailbox tracking option', () => {
  it.each([
    // [filter, from, to, responds?, tracked, reason]
    [TrackingFilter.ALL, 'stranger@nowhere.example', undefined, false, true, null],
    [TrackingFilter.RESPONSES_TO_CRM_EMAIL, 'kund@contoso.example', undefined, false, false, 'NOT_A_RESPONSE_TO_CRM_EMAIL'],
    [TrackingFilter.RESPONSES_TO_CRM_EMAIL, 'stranger@nowhere.example', undefined, true, true, null],
    [TrackingFilter.FROM_CRM_RECORDS, 'kund@contoso.example', undefined, false, true, null],
    [TrackingFilter.FROM_CRM_RECORDS, 'info@contoso.example', undefined, false, true, null],
    [TrackingFilter.FROM_CRM_RECORDS, 'lead@prospect.example', undefined, false, true, null],
    [TrackingFilter.FROM_CRM_RECORDS, 'support@hub.example', undefined, false, false, 'SENDER_NOT_A_CRM_RECORD'],
    [TrackingFilter.FROM_CRM_RECORDS, 'stranger@nowhere.example', undefined, false, false, 'SENDER_NOT_A_CRM_RECORD'],
    [TrackingFilter.FROM_EMAIL_ENABLED_RECORDS, 'support@hub.example', undefined, false, true, null],
    [TrackingFilter.FROM_EMAIL_ENABLED_RECORDS, 'stranger@nowhere.example', undefined, false, false, 'SENDER_NOT_EMAIL_ENABLED_RECORD'],
    // Sent items: the recipients decide.
    [TrackingFilter.FROM_CRM_RECORDS, 'sam@hub.example', ['stranger@nowhere.example', 'kund@contoso.example'], false, true, null],
    [TrackingFilter.FROM_CRM_RECORDS, 'sam@hub.example', ['stranger@nowhere.example'], false, false, 'NO_RECIPIENT_IS_A_CRM_RECORD'],
  ] as const)('%s from %s to %j (response: %s) → tracked %s', (filter, from, to, responds, track, reason) => {
    const decision = decide({ filter, from, to: to ? [...to] : undefined, evidence: responds ? { inReplyTo: tracked(null), referenceMessageId: 'p@x' } : {} });
    expect(decision.track).toBe(track);
    expect(decision.filterReason).toBe(reason);
    expect(decision.steps[0].step).toBe('FILTER');
  });
});

describe('decideItem: blocklist and automated mail', () => {
  it.each([
    ['a blocked domain', { from: 'a@mail.spam.example', switches: { blockedDomains: ['spam.example'] } }, 'BLOCKED'],
    ['a blocked address', { from: 'kund@contoso.example', switches: { blockedAddresses: ['kund@contoso.example'] } }, 'BLOCKED'],
    ['an RFC 3834 auto-reply', { from: 'kund@contoso.example', headers: { 'Auto-Submitted': 'auto-replied' } }, 'AUTO_REPLY'],
    ['a mailing list', { from: 'kund@contoso.example', headers: { 'List-Id': '<news.contoso.example>' } }, 'BULK'],
    ['a bounce', { from: 'MAILER-DAEMON@mx.example', headers: {} }, 'BOUNCE'],
  ] as const)('filters %s even under ALL', (_name, options, reason) => {
    const decision = decide({ ...options, filter: TrackingFilter.ALL } as never);
    expect([decision.track, decision.filterReason]).toEqual([false, reason]);
  });

  it('tracks an auto-reply when skipping them is switched off, and says so', () => {
    const decision = decide({ from: 'kund@contoso.example', filter: TrackingFilter.ALL, headers: { 'Auto-Submitted': 'auto-replied' }, switches: { skipAutoReplies: false } });
    expect(decision.track).toBe(true);
    expect(decision.steps.find((s) => s.step === 'AUTOMATED')?.outcome).toBe('ALLOWED');
  });

  it('blocks outgoing mail only when every recipient is blocked', () => {
    const switches = { blockedDomains: ['spam.example'] };
    expect(decide({ from: 'sam@hub.example', to: ['a@spam.example', 'kund@contoso.example'], filter: TrackingFilter.ALL, switches }).track).toBe(true);
    expect(decide({ from: 'sam@hub.example', to: ['a@spam.example'], filter: TrackingFilter.ALL, switches }).filterReason).toBe('BLOCKED');
  });
});

describe('decideItem: regarding', () => {
  const account = { kind: 'account' as const, id: 'a-contoso' };
  const opportunity = { kind: 'opportunity' as const, id: 'o-1' };

  it.each([
    ['In-Reply-To', { inReplyTo: tracked(account), referenceMessageId: 'p@x' }, 'IN_REPLY_TO'],
    ['a tracking token', { token: { token: 'CRM:0001001', email: tracked(account) } }, 'TRACKING_TOKEN'],
    ['Outlook Thread-Index', { threadIndex: { root: 'AQ==', email: tracked(account) } }, 'THREAD_INDEX'],
  ] as const)('takes the regarding record found through %s', (_name, evidence, method) => {
    const decision = decide({ from: 'kund@contoso.example', evidence });
    expect([decision.track, decision.method, decision.regarding]).toEqual([true, method, account]);
  });

  it('prefers In-Reply-To over a token pointing elsewhere (users edit subjects)', () => {
    const decision = decide({ from: 'kund@contoso.example', evidence: { inReplyTo: tracked(account), referenceMessageId: 'p@x', token: { token: 'CRM:0001001', email: tracked(opportunity) } } });
    expect(decision.regarding).toEqual(account);
  });

  it('smart-matches only when switched on, with shared recipients, and records the evidence', () => {
    const candidate = tracked(opportunity);
    const off = decide({ from: 'kund@contoso.example', filter: TrackingFilter.ALL, evidence: { smartCandidates: [candidate] } });
    expect(off.method).toBe('NONE');
    const on = decide({ from: 'kund@contoso.example', filter: TrackingFilter.ALL, evidence: { smartCandidates: [candidate] }, switches: { smartMatching: true } });
    expect([on.method, on.regarding]).toEqual(['SMART_MATCHING', opportunity]);
    expect(on.evidence).toContain('kund@contoso.example');
  });

  it('a folder rule tracks whatever the option says and overrides correlation', () => {
    const rule = { folder: 'INBOX/Contoso', regarding: opportunity };
    const decision = decide({ from: 'stranger@nowhere.example', folder: 'INBOX/Contoso', rule, evidence: { inReplyTo: tracked(account), referenceMessageId: 'p@x' } });
    expect([decision.track, decision.method, decision.regarding]).toEqual([true, 'FOLDER_RULE', opportunity]);
    const off = decide({ from: 'stranger@nowhere.example', folder: 'INBOX/Contoso', rule, switches: { folderTracking: false } });
    expect(off.filterReason).toBe('NOT_A_RESPONSE_TO_CRM_EMAIL');
  });

  it('records ambiguous addresses in the parties step, without resolving them', () => {
    DIRECTORY['twins@x.example'] = [{ kind: 'contact', id: 'c-a' }, { kind: 'contact', id: 'c-b' }, { kind: 'lead', id: 'l-9' }];
    const decision = decide({ from: 'twins@x.example', filter: TrackingFilter.ALL });
    expect(decision.parties[0].resolution).toMatchObject({ resolution: 'AMBIGUOUS', match: null });
    expect(decision.steps.find((s) => s.step === 'PARTIES')?.detail).toContain('ambiguous: twins@x.example');
  });
});
