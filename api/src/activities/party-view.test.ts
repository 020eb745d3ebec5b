import { describe, expect, it } from 'vitest';
import { PartyResolution } from './activity-enums';
import type { TrackingDecision } from './activity.types';
import { globalIdOfRef, partiesDetail, refKey, refsIn, seenDecision, seenLink, seenName, type PartyLink, type Ref } from './party-view';

const contact = (n: number): Ref => ({ kind: 'contact', id: `01900000-0000-7000-8000-${String(n).padStart(12, '0')}` });
const [a, b, c] = [contact(1), contact(2), contact(3)];
const only = (...refs: Ref[]) => (ref: Ref) => refs.some((r) => refKey(r) === refKey(ref));
const UNRESOLVED: PartyLink = { resolution: PartyResolution.UNRESOLVED, match: null, candidates: [] };

describe('seenLink: a party as the reader sees it', () => {
  it.each<[string, PartyLink, (ref: Ref) => boolean, PartyLink]>([
    ['resolved, readable', { resolution: PartyResolution.RESOLVED, match: a, candidates: [a] }, only(a), { resolution: PartyResolution.RESOLVED, match: a, candidates: [a] }],
    ['resolved, hidden: like an unknown address', { resolution: PartyResolution.RESOLVED, match: a, candidates: [a] }, only(), UNRESOLVED],
    ['ambiguous, all hidden', { resolution: PartyResolution.AMBIGUOUS, match: null, candidates: [a, b] }, only(), UNRESOLVED],
    ['ambiguous, one readable: resolved to it', { resolution: PartyResolution.AMBIGUOUS, match: null, candidates: [a, b] }, only(b), { resolution: PartyResolution.RESOLVED, match: b, candidates: [b] }],
    ['ambiguous, two of three readable', { resolution: PartyResolution.AMBIGUOUS, match: null, candidates: [a, b, c] }, only(a, c), { resolution: PartyResolution.AMBIGUOUS, match: null, candidates: [a, c] }],
    ['unresolved stays unresolved', UNRESOLVED, only(a), UNRESOLVED],
  ])('%s', (_name, link, readable, seen) => {
    expect(seenLink(link, readable)).toEqual(seen);
  });
});

describe('seenName: of a party the reader sees otherwise than stored', () => {
  it.each([
    ['a name from the message stays (as an unknown address keeps it)', 'Pat', true, 'Pat'],
    ['a name copied from a record goes (an unknown address has none)', 'Secret Name', false, null],
  ])('%s', (_name, stored, fromMessage, shown) => {
    expect(seenName(stored, fromMessage)).toBe(shown);
  });
});

describe('seenDecision', () => {
  const decision = (): TrackingDecision => ({
    outcome: 'TRACKED',
    filterReason: null,
    correlationMethod: 'NONE' as TrackingDecision['correlationMethod'],
    correlationEvidence: null,
    parties: [
      { role: 'FROM' as never, address: 'x@example.test', resolution: PartyResolution.RESOLVED, kind: 'contact', recordId: globalIdOfRef(a), candidates: [] },
      { role: 'TO' as never, address: 'y@example.test', resolution: PartyResolution.AMBIGUOUS, kind: null, recordId: null, candidates: [globalIdOfRef(b), globalIdOfRef(c)] },
    ],
    steps: [
      { step: 'FILTER', outcome: 'PASSED', detail: 'TRACK_ALL (mailbox tracks ALL)' },
      { step: 'PARTIES', outcome: 'RESOLVED', detail: '1 of 2 addresses resolved; ambiguous: y@example.test' },
      { step: 'CORRELATION:IN_REPLY_TO', outcome: 'MATCHED', detail: '<m@x> is tracked email 01900000-0000-7000-8000-000000000009' },
      { step: 'FOLDER_RULE', outcome: 'MATCHED', detail: `folder "Deals" maps to contact ${a.id}` },
      { step: 'QUEUE_RULE', outcome: 'NO_CUSTOMER', detail: 'sender is a lead, not a contact or account' },
      { step: 'STORE', outcome: 'TRACKED', detail: `regarding contact ${globalIdOfRef(a)}` },
    ],
  });

  it('shows everything to a reader of everything', () => {
    expect(seenDecision(decision(), () => true, a)).toEqual(decision());
  });

  it('tells a reader of nothing what an unknown address would have told them', () => {
    const seen = seenDecision(decision(), () => false, a);
    expect(seen.parties.map((p) => [p.resolution, p.kind, p.recordId, p.candidates])).toEqual([
      [PartyResolution.UNRESOLVED, null, null, []],
      [PartyResolution.UNRESOLVED, null, null, []],
    ]);
    expect(seen.steps).toEqual([
      { step: 'FILTER', outcome: 'PASSED', detail: 'TRACK_ALL (mailbox tracks ALL)' },
      { step: 'PARTIES', outcome: 'RESOLVED', detail: '0 of 2 addresses resolved' },
      { step: 'CORRELATION:IN_REPLY_TO', outcome: 'MATCHED', detail: '<m@x> is a tracked email' },
      { step: 'STORE', outcome: 'TRACKED', detail: 'regarding nothing' },
    ]);
    expect(JSON.stringify(seen)).not.toMatch(/01900000/);
  });

  it('re-tells the PARTIES step from the reader\'s view', () => {
    const seen = seenDecision(decision(), only(a, b), a);
    expect(seen.parties[1]).toMatchObject({ resolution: PartyResolution.RESOLVED, kind: 'contact', recordId: globalIdOfRef(b), candidates: [] });
    expect(seen.steps.find((s) => s.step === 'PARTIES')!.detail).toBe(partiesDetail(seen.parties));
    expect(seen.steps.find((s) => s.step === 'PARTIES')!.detail).toBe('2 of 2 addresses resolved');
  });

  it('finds record references by global id, by kind and raw id, and tracked emails', () => {
    expect(refsIn(`case ${globalIdOfRef({ kind: 'case', id: a.id })} for contact ${globalIdOfRef(b)}`)).toEqual([{ kind: 'case', id: a.id }, b]);
    expect(refsIn(`maps to account ${c.id}; is tracked email ${a.id}`)).toEqual([{ kind: 'account', id: c.id }, { kind: 'email', id: a.id }]);
    expect(refsIn('no tracking token in the subject')).toEqual([]);
  });
});
