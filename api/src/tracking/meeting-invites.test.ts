import { describe, expect, it } from 'vitest';
import { ActivityState, PartyRole } from '../activities/activity-enums';
import { inviteAction, prepareInvite, type KnownAppointment } from './meeting-invites';
import type { CalendarInput } from './track-emails.inputs';

const calendar = (over: Partial<CalendarInput> = {}): CalendarInput =>
  ({ method: 'REQUEST', uid: 'abc@example.com', sequence: 0, start: '2026-05-04T09:00:00Z', end: '2026-05-04T10:00:00Z', allDay: false, attendees: [], ...over }) as CalendarInput;

describe('prepareInvite', () => {
  it('keeps each address once, organizer first, in its role; non-participants (rooms) are not parties', () => {
    const invite = prepareInvite(
      calendar({
        organizer: { address: 'mailto:Sam@Example.com', name: 'Sam' },
        attendees: [
          { address: 'sam@example.com', role: 'CHAIR' },
          { address: 'ann@example.com' },
          { address: 'bob@example.com', role: 'opt-participant' },
          { address: 'room@example.com', role: 'NON-PARTICIPANT' },
          { address: 'not an address' },
        ],
      }),
    );
    expect(invite.parties).toEqual([
      { address: 'sam@example.com', name: 'Sam', role: PartyRole.ORGANIZER },
      { address: 'ann@example.com', name: null, role: PartyRole.REQUIRED },
      { address: 'bob@example.com', name: null, role: PartyRole.OPTIONAL },
    ]);
    expect(invite.problems).toEqual(['dropped addresses: "not an address"']);
  });

  it.each<[string, Partial<CalendarInput>, { start: string | null; end: string | null; problems: number }]>([
    ['times as given', {}, { start: '2026-05-04T09:00:00.000Z', end: '2026-05-04T10:00:00.000Z', problems: 0 }],
    // RFC 5545 3.6.1: no DTEND: a DATE event lasts the day, a DATE-TIME event ends when it starts.
    ['all-day without end: one day', { start: '2026-05-04', end: null, allDay: true }, { start: '2026-05-04T00:00:00.000Z', end: '2026-05-05T00:00:00.000Z', problems: 0 }],
    ['timed without end: ends at its start', { end: null }, { start: '2026-05-04T09:00:00.000Z', end: '2026-05-04T09:00:00.000Z', problems: 0 }],
    ['end before start is ignored', { end: '2026-05-04T08:00:00Z' }, { start: '2026-05-04T09:00:00.000Z', end: '2026-05-04T09:00:00.000Z', problems: 1 }],
    ['a start that is no time', { start: 'tomorrow' }, { start: null, end: '2026-05-04T10:00:00.000Z', problems: 1 }],
  ])('%s', (_name, over, expected) => {
    const invite = prepareInvite(calendar(over));
    expect(invite.start?.toISOString() ?? null).toBe(expected.start);
    expect(invite.end?.toISOString() ?? null).toBe(expected.end);
    expect(invite.problems).toHaveLength(expected.problems);
  });

  it('a CANCEL, or an event whose STATUS is CANCELLED, cancels; the method is read in any case', () => {
    expect(prepareInvite(calendar({ method: 'cancel' })).cancelled).toBe(true);
    expect(prepareInvite(calendar({ status: 'CANCELLED' })).cancelled).toBe(true);
    expect(prepareInvite(calendar({ status: 'TENTATIVE' })).cancelled).toBe(false);
  });

  it('a UID longer than the column keeps its identity as a digest; a negative SEQUENCE counts as 0', () => {
    const long = 'x'.repeat(300);
    expect(prepareInvite(calendar({ uid: long })).uid).toBe(prepareInvite(calendar({ uid: long })).uid);
    expect(prepareInvite(calendar({ uid: long })).uid).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(prepareInvite(calendar({ sequence: -3 })).sequence).toBe(0);
  });
});

describe('inviteAction', () => {
  const open = (sequence: number | null): KnownAppointment => ({ sequence, state: ActivityState.OPEN });
  const cancelled = (sequence: number): KnownAppointment => ({ sequence, state: ActivityState.CANCELLED });

  it.each<[string, Partial<CalendarInput>, KnownAppointment | null, string]>([
    ['REQUEST for a new UID creates it', {}, null, 'CREATE OPEN'],
    ['PUBLISH creates it too', { method: 'PUBLISH' }, null, 'CREATE OPEN'],
    ['CANCEL of an unknown meeting creates it cancelled', { method: 'CANCEL' }, null, 'CREATE CANCELLED'],
    ['without a start nothing is created', { start: null }, null, 'NONE'],
    ['a higher SEQUENCE updates', { sequence: 2 }, open(1), 'UPDATE OPEN'],
    ['the same SEQUENCE updates (attendees change without a bump)', { sequence: 1 }, open(1), 'UPDATE OPEN'],
    ['an older SEQUENCE changes nothing', { sequence: 0 }, open(1), 'NONE'],
    ['a CANCEL cancels', { method: 'CANCEL', sequence: 2 }, open(1), 'UPDATE CANCELLED'],
    ['an older CANCEL changes nothing', { method: 'CANCEL', sequence: 0 }, open(1), 'NONE'],
    ['a newer REQUEST after a cancellation re-invites', { sequence: 3 }, cancelled(2), 'UPDATE OPEN'],
    ['the same SEQUENCE does not undo a cancellation', { sequence: 2 }, cancelled(2), 'UPDATE CANCELLED'],
    ['a REPLY changes nothing', { method: 'REPLY', sequence: 5 }, open(1), 'NONE'],
    ['a COUNTER changes nothing', { method: 'COUNTER' }, null, 'NONE'],
    ['an appointment without a recorded SEQUENCE takes any', { sequence: 0 }, open(null), 'UPDATE OPEN'],
  ])('%s', (_name, over, known, expected) => {
    const action = inviteAction(prepareInvite(calendar(over)), known);
    expect([action.kind, 'state' in action ? action.state : null].filter(Boolean).join(' ')).toBe(expected);
  });
});
