import type { PartyKind } from './party-resolution';

// The per-mailbox "which mail is tracked" option, as Dynamics server-side sync applies it.

export type { PartyKind } from './party-resolution';

/** The per-mailbox tracking option; values are the wire values. */
export enum TrackingFilter {
  ALL = 'ALL',
  RESPONSES_TO_CRM_EMAIL = 'RESPONSES_TO_CRM_EMAIL',
  FROM_CRM_RECORDS = 'FROM_CRM_RECORDS',
  FROM_EMAIL_ENABLED_RECORDS = 'FROM_EMAIL_ENABLED_RECORDS',
}

/** Why a message was or was not tracked, stored with the decision. */
export type TrackingReason =
  | 'TRACK_ALL'
  | 'RESPONDS_TO_TRACKED_EMAIL'
  | 'NOT_A_RESPONSE_TO_CRM_EMAIL'
  | 'SENDER_IS_A_CRM_RECORD'
  | 'SENDER_NOT_A_CRM_RECORD'
  | 'RECIPIENT_IS_A_CRM_RECORD'
  | 'NO_RECIPIENT_IS_A_CRM_RECORD'
  | 'SENDER_IS_EMAIL_ENABLED_RECORD'
  | 'SENDER_NOT_EMAIL_ENABLED_RECORD'
  | 'RECIPIENT_IS_EMAIL_ENABLED_RECORD'
  | 'NO_RECIPIENT_IS_EMAIL_ENABLED_RECORD';

/** What the filter needs to know about one message: its direction and the record kinds its parties resolved to. */
export interface TrackingFilterInput {
  direction: 'INCOMING' | 'OUTGOING';
  senderKinds: readonly PartyKind[];
  recipientKinds: readonly PartyKind[];
  respondsToTrackedEmail: boolean;
}

// "Email messages from Dynamics 365 leads, contacts and accounts".
const CRM_RECORD_KINDS: readonly PartyKind[] = ['contact', 'account', 'lead'];

/**
 * Whether `filter` tracks the message. Incoming mail is judged by its sender; sent items by
 * their recipients, any one of which is enough (Dynamics applies the same option to both).
 */
export function applyTrackingFilter(filter: TrackingFilter, input: TrackingFilterInput): { track: boolean; reason: TrackingReason } {
  const incoming = input.direction === 'INCOMING';
  const parties = incoming ? input.senderKinds : input.recipientKinds;
  switch (filter) {
    case TrackingFilter.ALL:
      return { track: true, reason: 'TRACK_ALL' };
    case TrackingFilter.RESPONSES_TO_CRM_EMAIL:
      return input.respondsToTrackedEmail
        ? { track: true, reason: 'RESPONDS_TO_TRACKED_EMAIL' }
        : { track: false, reason: 'NOT_A_RESPONSE_TO_CRM_EMAIL' };
    case TrackingFilter.FROM_CRM_RECORDS: {
      const track = parties.some((kind) => CRM_RECORD_KINDS.includes(kind));
      if (incoming) return { track, reason: track ? 'SENDER_IS_A_CRM_RECORD' : 'SENDER_NOT_A_CRM_RECORD' };
      return { track, reason: track ? 'RECIPIENT_IS_A_CRM_RECORD' : 'NO_RECIPIENT_IS_A_CRM_RECORD' };
    }
    case TrackingFilter.FROM_EMAIL_ENABLED_RECORDS: {
      // Any resolved kind, users and queues included: that is what "email-enabled" adds.
      const track = parties.length > 0;
      if (incoming) return { track, reason: track ? 'SENDER_IS_EMAIL_ENABLED_RECORD' : 'SENDER_NOT_EMAIL_ENABLED_RECORD' };
      return { track, reason: track ? 'RECIPIENT_IS_EMAIL_ENABLED_RECORD' : 'NO_RECIPIENT_IS_EMAIL_ENABLED_RECORD' };
    }
    default:
      return unknownFilter(filter);
  }
}

function unknownFilter(filter: never): never {
  throw new TypeError(`unknown tracking filter: ${String(filter)}`);
}
