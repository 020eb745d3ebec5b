import { describe, expect, it } from 'vitest';
import { applyTrackingFilter, TrackingFilter, type PartyKind, type TrackingFilterInput } from './tracking-filter';

const incoming = (senderKinds: PartyKind[], respondsToTrackedEmail = false): TrackingFilterInput => ({
  direction: 'INCOMING',
  senderKinds,
  recipientKinds: ['user'],
  respondsToTrackedEmail,
});
const outgoing = (recipientKinds: PartyKind[], respondsToTrackedEmail = false): TrackingFilterInput => ({
  direction: 'OUTGOING',
  senderKinds: ['user'],
  recipientKinds,
  respondsToTrackedEmail,
});

describe('applyTrackingFilter', () => {
  it.each([
    ['ALL tracks a stranger', TrackingFilter.ALL, incoming([]), true, 'TRACK_ALL'],
    ['ALL tracks sent mail to strangers', TrackingFilter.ALL, outgoing([]), true, 'TRACK_ALL'],

    ['RESPONSES tracks a reply to tracked mail', TrackingFilter.RESPONSES_TO_CRM_EMAIL, incoming([], true), true, 'RESPONDS_TO_TRACKED_EMAIL'],
    ['RESPONSES skips a contact writing fresh', TrackingFilter.RESPONSES_TO_CRM_EMAIL, incoming(['contact']), false, 'NOT_A_RESPONSE_TO_CRM_EMAIL'],
    ['RESPONSES tracks a sent reply in a tracked thread', TrackingFilter.RESPONSES_TO_CRM_EMAIL, outgoing([], true), true, 'RESPONDS_TO_TRACKED_EMAIL'],
    ['RESPONSES skips fresh sent mail to a contact', TrackingFilter.RESPONSES_TO_CRM_EMAIL, outgoing(['contact']), false, 'NOT_A_RESPONSE_TO_CRM_EMAIL'],

    ['CRM_RECORDS tracks a contact', TrackingFilter.FROM_CRM_RECORDS, incoming(['contact']), true, 'SENDER_IS_A_CRM_RECORD'],
    ['CRM_RECORDS tracks an account', TrackingFilter.FROM_CRM_RECORDS, incoming(['account']), true, 'SENDER_IS_A_CRM_RECORD'],
    ['CRM_RECORDS tracks a lead', TrackingFilter.FROM_CRM_RECORDS, incoming(['lead']), true, 'SENDER_IS_A_CRM_RECORD'],
    ['CRM_RECORDS skips a colleague', TrackingFilter.FROM_CRM_RECORDS, incoming(['user']), false, 'SENDER_NOT_A_CRM_RECORD'],
    ['CRM_RECORDS skips a queue', TrackingFilter.FROM_CRM_RECORDS, incoming(['queue']), false, 'SENDER_NOT_A_CRM_RECORD'],
    ['CRM_RECORDS skips a stranger', TrackingFilter.FROM_CRM_RECORDS, incoming([]), false, 'SENDER_NOT_A_CRM_RECORD'],
    ['CRM_RECORDS skips a stranger even in a tracked thread', TrackingFilter.FROM_CRM_RECORDS, incoming([], true), false, 'SENDER_NOT_A_CRM_RECORD'],
    ['CRM_RECORDS tracks sent mail when one recipient is a contact', TrackingFilter.FROM_CRM_RECORDS, outgoing(['user', 'contact']), true, 'RECIPIENT_IS_A_CRM_RECORD'],
    ['CRM_RECORDS skips sent mail to colleagues only', TrackingFilter.FROM_CRM_RECORDS, outgoing(['user', 'queue']), false, 'NO_RECIPIENT_IS_A_CRM_RECORD'],
    ['CRM_RECORDS skips sent mail to strangers', TrackingFilter.FROM_CRM_RECORDS, outgoing([]), false, 'NO_RECIPIENT_IS_A_CRM_RECORD'],

    ['EMAIL_ENABLED tracks a colleague', TrackingFilter.FROM_EMAIL_ENABLED_RECORDS, incoming(['user']), true, 'SENDER_IS_EMAIL_ENABLED_RECORD'],
    ['EMAIL_ENABLED tracks a queue', TrackingFilter.FROM_EMAIL_ENABLED_RECORDS, incoming(['queue']), true, 'SENDER_IS_EMAIL_ENABLED_RECORD'],
    ['EMAIL_ENABLED tracks a contact', TrackingFilter.FROM_EMAIL_ENABLED_RECORDS, incoming(['contact']), true, 'SENDER_IS_EMAIL_ENABLED_RECORD'],
    ['EMAIL_ENABLED skips a stranger', TrackingFilter.FROM_EMAIL_ENABLED_RECORDS, incoming([]), false, 'SENDER_NOT_EMAIL_ENABLED_RECORD'],
    ['EMAIL_ENABLED tracks sent mail to a colleague', TrackingFilter.FROM_EMAIL_ENABLED_RECORDS, outgoing(['user']), true, 'RECIPIENT_IS_EMAIL_ENABLED_RECORD'],
    ['EMAIL_ENABLED skips sent mail to strangers', TrackingFilter.FROM_EMAIL_ENABLED_RECORDS, outgoing([]), false, 'NO_RECIPIENT_IS_EMAIL_ENABLED_RECORD'],
  ])('%s', (_name, filter, input, track, reason) => {
    expect(applyTrackingFilter(filter, input)).toEqual({ track, reason });
  });

  it('judges incoming mail by its sender, not its recipients', () => {
    const input: TrackingFilterInput = { direction: 'INCOMING', senderKinds: [], recipientKinds: ['contact'], respondsToTrackedEmail: false };
    expect(applyTrackingFilter(TrackingFilter.FROM_CRM_RECORDS, input).track).toBe(false);
  });

  it('judges sent mail by its recipients, not its sender', () => {
    const input: TrackingFilterInput = { direction: 'OUTGOING', senderKinds: ['contact'], recipientKinds: [], respondsToTrackedEmail: false };
    expect(applyTrackingFilter(TrackingFilter.FROM_CRM_RECORDS, input).track).toBe(false);
  });

  it('carries its wire values', () => {
    expect(Object.values(TrackingFilter)).toEqual(['ALL', 'RESPONSES_TO_CRM_EMAIL', 'FROM_CRM_RECORDS', 'FROM_EMAIL_ENABLED_RECORDS']);
  });
});
