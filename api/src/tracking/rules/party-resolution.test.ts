import { describe, expect, it } from 'vitest';
import { PARTY_PRECEDENCE, resolveParty, type PartyMatch } from './party-resolution';

const user = (id: string): PartyMatch => ({ kind: 'user', id });
const queue = (id: string): PartyMatch => ({ kind: 'queue', id });
const contact = (id: string): PartyMatch => ({ kind: 'contact', id });
const account = (id: string): PartyMatch => ({ kind: 'account', id });
const lead = (id: string): PartyMatch => ({ kind: 'lead', id });

describe('PARTY_PRECEDENCE', () => {
  it('puts colleagues, then shared mailboxes, then people, organizations and leads', () => {
    expect(PARTY_PRECEDENCE).toEqual(['user', 'queue', 'contact', 'account', 'lead']);
  });
});

describe('resolveParty', () => {
  it.each([
    ['a single contact', [contact('c1')], contact('c1')],
    ['a colleague who is also a contact', [contact('c1'), user('u1')], user('u1')],
    ['a support queue also stored on an account', [account('a1'), queue('q1')], queue('q1')],
    ['a contact before the account that shares the address', [account('a1'), contact('c1')], contact('c1')],
    ['an account before a lead', [lead('l1'), account('a1')], account('a1')],
    ['one contact found twice', [contact('c1'), contact('c1')], contact('c1')],
    ['one contact, even with two ambiguous leads', [lead('l1'), lead('l2'), contact('c1')], contact('c1')],
  ])('resolves %s', (_name, matches, match) => {
    expect(resolveParty('anna@example.se', matches)).toEqual({ resolution: 'RESOLVED', match, candidates: [match] });
  });

  it.each([
    ['two contacts', [contact('c1'), contact('c2')], [contact('c1'), contact('c2')]],
    ['two contacts and an account', [account('a1'), contact('c1'), contact('c2'), contact('c1')], [contact('c1'), contact('c2')]],
    ['two leads', [lead('l1'), lead('l2')], [lead('l1'), lead('l2')]],
  ])('is ambiguous for %s', (_name, matches, candidates) => {
    expect(resolveParty('info@example.se', matches)).toEqual({ resolution: 'AMBIGUOUS', match: null, candidates });
  });

  it('is unresolved without matches', () => {
    expect(resolveParty('stranger@example.org', [])).toEqual({ resolution: 'UNRESOLVED', match: null, candidates: [] });
  });

  it('does not hand out the caller’s objects', () => {
    const input = contact('c1');
    expect(resolveParty('a@example.se', [input]).match).not.toBe(input);
  });
});
