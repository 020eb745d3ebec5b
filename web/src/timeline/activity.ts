import { graphql } from '../graphql/graphql-tag';
// The activity shapes the timeline reads from the GraphQL API (schema.graphql: interface Activity and its types).

export type ActivityKind = 'EMAIL' | 'APPOINTMENT' | 'TASK' | 'PHONE_CALL';
export type Direction = 'INCOMING' | 'OUTGOING';
export type PrivacyLevel = 'FULL' | 'SUBJECT_ONLY' | 'METADATA_ONLY';
export type ActivityState = 'OPEN' | 'COMPLETED' | 'CANCELLED';
export type PartyRole = 'FROM' | 'TO' | 'CC' | 'BCC' | 'ORGANIZER' | 'REQUIRED' | 'OPTIONAL';
export type PartyResolution = 'RESOLVED' | 'UNRESOLVED' | 'AMBIGUOUS';

export const ACTIVITY_KINDS: readonly ActivityKind[] = ['EMAIL', 'APPOINTMENT', 'TASK', 'PHONE_CALL'];

export type PartyRecord =
  | { __typename: 'Account'; id: string; name: string }
  | { __typename: 'Contact'; id: string; fullName: string }
  | { __typename: 'Lead'; id: string; fullName: string }
  | { __typename: 'User'; id: string; fullName: string }
  | { __typename: 'Queue'; id: string; name: string };

export type RegardingRecord =
  | { __typename: 'Account'; id: string; name: string }
  | { __typename: 'Contact'; id: string; fullName: string }
  | { __typename: 'Lead'; id: string; fullName: string }
  | { __typename: 'Opportunity'; id: string; name: string }
  | { __typename: 'Case'; id: string; title: string; ticketNumber: string };

export interface ActivityParty {
  role: PartyRole;
  address: string | null;
  displayName: string | null;
  resolution: PartyResolution;
  record: PartyRecord | null;
}

interface ActivityBase {
  id: string;
  kind: ActivityKind;
  /** Null when a mailbox privacy level hides it from the viewer. */
  subject: string | null;
  description: string | null;
  state: ActivityState;
  direction: Direction | null;
  occurredAt: string;
  visibleAs: PrivacyLevel;
  owner: { fullName: string } | null;
  regarding: RegardingRecord | null;
  parties: ActivityParty[];
}

/** A repair tracking made to a malformed message (Email.repairs): a sentence for people, the detail as recorded. */
export interface EmailRepair {
  code: string;
  message: string;
  detail: string;
}

export interface EmailActivity extends ActivityBase {
  __typename: 'Email';
  status: string;
  preview: string | null;
  blockedRemoteImages: number;
  attachments: { fileName: string }[];
  /** Empty unless the viewer sees the whole email. */
  repairs: EmailRepair[];
}
export interface AppointmentActivity extends ActivityBase {
  __typename: 'Appointment';
  startAt: string;
  endAt: string;
  allDay: boolean;
  location: string | null;
}
export interface TaskActivity extends ActivityBase {
  __typename: 'Task';
  dueAt: string | null;
  priority: 'LOW' | 'NORMAL' | 'HIGH';
}
export interface PhoneCallActivity extends ActivityBase {
  __typename: 'PhoneCall';
  phoneNumber: string | null;
  durationMinutes: number | null;
}

export type Activity = EmailActivity | AppointmentActivity | TaskActivity | PhoneCallActivity;

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  stored: boolean;
  skippedReason: string | null;
  /** Relative to the API origin; GET it with the bearer token. Null when not stored. */
  downloadUrl: string | null;
  inline: boolean;
}

export interface TrackingDecision {
  outcome: string;
  correlationMethod: string;
  correlationEvidence: string | null;
  steps: { step: string; outcome: string; detail: string }[];
}

/** What opening an email loads: its body and the reasons it was tracked where it was. */
export interface EmailContent {
  id: string;
  htmlBody: string | null;
  textBody: string | null;
  bodyTruncated: boolean;
  blockedRemoteImages: number;
  correlationMethod: string | null;
  attachments: Attachment[];
  trackingDecision: TrackingDecision | null;
}

const RECORD_NAMES = /* GraphQL */ `
  ... on Account { id name }
  ... on Contact { id fullName }
  ... on Lead { id fullName }
`;

/** The fields of an activity the timeline shows; live events ask for the same, so an item looks alike either way. */
export const ACTIVITY_FIELDS = /* GraphQL */ `
  __typename id kind subject description state direction occurredAt visibleAs
  owner { fullName }
  regarding { __typename ${RECORD_NAMES} ... on Opportunity { id name } ... on Case { id title ticketNumber } }
  parties {
    role address displayName resolution
    record { __typename ${RECORD_NAMES} ... on User { id fullName } ... on Queue { id name } }
  }
  ... on Email { status preview blockedRemoteImages attachments { fileName } repairs { code message detail } }
  ... on Appointment { startAt endAt allDay location }
  ... on Task { dueAt priority }
  ... on PhoneCall { phoneNumber durationMinutes }
`;

export const TIMELINE_QUERY = graphql`
  query Timeline($recordId: ID!, $first: Int, $after: String, $filter: TimelineFilter, $includeRelated: Boolean) {
    liveCursor
    timeline(recordId: $recordId, first: $first, after: $after, filter: $filter, includeRelated: $includeRelated) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node { ${ACTIVITY_FIELDS} }
      }
    }
  }
`;

export const EMAIL_CONTENT_QUERY = graphql`
  query EmailContent($id: ID!) {
    node(id: $id) {
      ... on Email {
        id htmlBody textBody bodyTruncated blockedRemoteImages correlationMethod
        attachments { id fileName contentType size stored skippedReason downloadUrl inline }
        trackingDecision { outcome correlationMethod correlationEvidence steps { step outcome detail } }
      }
    }
  }
`;

/** The name to show for a party's or regarding record. */
export function recordName(record: PartyRecord | RegardingRecord): string {
  switch (record.__typename) {
    case 'Account':
    case 'Opportunity':
    case 'Queue':
      return record.name;
    case 'Contact':
    case 'Lead':
    case 'User':
      return record.fullName;
    case 'Case':
      return `${record.title} (${record.ticketNumber})`;
  }
}
