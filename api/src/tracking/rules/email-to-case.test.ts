import { describe, expect, it } from 'vitest';
import { caseCustomerFor, noCaseAlert, reopensCase, type CaseCustomerOptions, type NoCaseReason } from './email-to-case';
import type { PartyMatch, PartyResolution } from './party-resolution';

const resolved = (match: PartyMatch): PartyResolution => ({ resolution: 'RESOLVED', match, candidates: [match] });
const ambiguous = (...candidates: PartyMatch[]): PartyResolution => ({ resolution: 'AMBIGUOUS', match: null, candidates });
const unresolved: PartyResolution = { resolution: 'UNRESOLVED', match: null, candidates: [] };
const defaults: CaseCustomerOptions = { createContactForUnknownSender: false, createContactForLeadSender: true };

describe('caseCustomerFor: who a new conversation\'s case is for', () => {
  it.each([
    ['a contact', resolved({ kind: 'contact', id: 'c1' }), defaults, { action: 'CASE_FOR', customer: { kind: 'contact', id: 'c1' } }],
    ['an account', resolved({ kind: 'account', id: 'a1' }), defaults, { action: 'CASE_FOR', customer: { kind: 'account', id: 'a1' } }],
    ['a lead (the default makes a contact from it)', resolved({ kind: 'lead', id: 'l1' }), defaults, { action: 'CONTACT_FROM_LEAD', leadId: 'l1' }],
    ['a lead, the queue making no contacts for leads', resolved({ kind: 'lead', id: 'l1' }), { ...defaults, createContactForLeadSender: false }, { action: 'NO_CASE', reason: 'LEAD_SENDER' }],
    ['an unknown sender (no contact by default)', unresolved, defaults, { action: 'NO_CASE', reason: 'UNKNOWN_SENDER' }],
    ['an unknown sender, the queue making contacts', unresolved, { ...defaults, createContactForUnknownSender: true }, { action: 'CONTACT_FOR_UNKNOWN' }],
    ['two contacts sharing the address', ambiguous({ kind: 'contact', id: 'c1' }, { kind: 'contact', id: 'c2' }), defaults, { action: 'NO_CASE', reason: 'AMBIGUOUS_SENDER' }],
    ['two leads sharing the address', ambiguous({ kind: 'lead', id: 'l1' }, { kind: 'lead', id: 'l2' }), defaults, { action: 'NO_CASE', reason: 'AMBIGUOUS_SENDER' }],
    ['a colleague', resolved({ kind: 'user', id: 'u1' }), defaults, { action: 'NO_CASE', reason: 'INTERNAL_SENDER' }],
    ['another queue', resolved({ kind: 'queue', id: 'q1' }), defaults, { action: 'NO_CASE', reason: 'INTERNAL_SENDER' }],
    ['no valid sender at all', null, { createContactForUnknownSender: true, createContactForLeadSender: true }, { action: 'NO_CASE', reason: 'NO_SENDER' }],
  ] as const)('%s', (_name, sender, options, expected) => {
    expect(caseCustomerFor(sender, options)).toEqual(expected);
  });
});

describe('reopensCase', () => {
  const now = new Date('2026-12-04T12:00:00Z');
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
  it.each([
    ['resolved 47 h ago, 48 h rule', { resolved: true, resolvedAt: hoursAgo(47) }, 48, true],
    ['resolved exactly 48 h ago', { resolved: true, resolvedAt: hoursAgo(48) }, 48, true],
    ['resolved 49 h ago', { resolved: true, resolvedAt: hoursAgo(49) }, 48, false],
    ['never reopens (null)', { resolved: true, resolvedAt: hoursAgo(1) }, null, false],
    ['still active', { resolved: false, resolvedAt: hoursAgo(1) }, 48, false],
  ] as const)('%s → %s', (_name, kase, hours, expected) => {
    expect(reopensCase(kase, hours, now)).toBe(expected);
  });
});

describe('noCaseAlert', () => {
  const reasons: NoCaseReason[] = ['NO_SENDER', 'AMBIGUOUS_SENDER', 'INTERNAL_SENDER', 'UNKNOWN_SENDER', 'LEAD_SENDER'];
  it('gives each reason its own whole sentence under one code, naming the option that would change it', () => {
    const lines = reasons.map(noCaseAlert);
    expect(new Set(lines.map((l) => l.code))).toEqual(new Set(['CASE_NOT_CREATED']));
    expect(new Set(lines.map((l) => l.message)).size).toBe(reasons.length);
    for (const line of lines) expect(line.message).toMatch(/^Email to case opened no case .*\.$/);
    expect(noCaseAlert('UNKNOWN_SENDER').message).toContain('createContactForUnknownSender');
    expect(noCaseAlert('LEAD_SENDER').message).toContain('createContactForLeadSender');
    expect(noCaseAlert('INTERNAL_SENDER').severity).toBe('INFORMATION');
  });
});
