import { graphql } from '../graphql/graphql-tag';
import type { ActivityFieldsFragment, ActivityKind, EmailContentQuery } from '../graphql/operations.generated';
// The activity shapes the timeline reads from the GraphQL API (schema.graphql: interface Activity and its types).

export type { ActivityKind, ActivityState, Direction, PartyResolution, PartyRole, PrivacyLevel } from '../graphql/operations.generated';

export const ACTIVITY_KINDS: readonly ActivityKind[] = ['EMAIL', 'APPOINTMENT', 'TASK', 'PHONE_CALL'];

/** An activity as the timeline (and every live event, which selects the same fragment) receives it. */
export type Activity = ActivityFieldsFragment;
export type EmailActivity = Extract<Activity, { __typename: 'Email' }>;
export type AppointmentActivity = Extract<Activity, { __typename: 'Appointment' }>;
export type TaskActivity = Extract<Activity, { __typename: 'Task' }>;
export type PhoneCallActivity = Extract<Activity, { __typename: 'PhoneCall' }>;

export type ActivityParty = Activity['parties'][number];
export type PartyRecord = NonNullable<ActivityParty['record']>;
export type RegardingRecord = NonNullable<Activity['regarding']>;
/** A repair tracking made to a malformed message (Email.repairs): a sentence for people, the detail as recorded. */
export type EmailRepair = EmailActivity['repairs'][number];

/** What opening an email loads: its body and the reasons it was tracked where it was. */
export type EmailContent = Extract<NonNullable<EmailContentQuery['node']>, { __typename: 'Email' }>;
export type Attachment = EmailContent['attachments'][number];
export type TrackingDecision = NonNullable<EmailContent['trackingDecision']>;

const RECORD_NAMES = /* GraphQL */ `
  ... on Account { id name }
  ... on Contact { id fullName }
  ... on Lead { id fullName }
`;

/** The fields of an activity the timeline shows; live events ask for the same, so an item looks alike either way. */
export const ACTIVITY_FRAGMENT = /* GraphQL */ `
  fragment ActivityFields on Activity {
    __typename id kind subject description state direction occurredAt visibleAs viewerAccess { write append }
    owner { fullName }
    regarding { __typename ${RECORD_NAMES} ... on Opportunity { id name } ... on Case { id title ticketNumber } }
    parties {
      role address displayName resolution
      record { __typename ${RECORD_NAMES} ... on User { id fullName } ... on Queue { id name } }
    }
    ... on Email { status failureReason preview blockedRemoteImages attachments { fileName } repairs { code message detail } }
    ... on Appointment { startAt endAt allDay location followsOrganizer changesReachAttendees instanceType recurrence { pattern interval daysOfWeek dayOfMonth weekIndex month rangeEnd count } series { id recurrence { pattern interval daysOfWeek dayOfMonth weekIndex month rangeEnd count } } syncConflicts { occurredAt rule winner losingVersion { subject startAt endAt allDay location cancelled } } }
    ... on Task { dueAt scheduledStartAt percentComplete priority syncConflicts { occurredAt rule winner losingVersion { subject dueDay completed } } }
    ... on PhoneCall { phoneNumber durationMinutes }
  }
`;

export const TIMELINE_QUERY = graphql('Timeline')`
  query Timeline($recordId: ID!, $first: Int, $after: String, $filter: TimelineFilter, $includeRelated: Boolean) {
    liveCursor
    timeline(recordId: $recordId, first: $first, after: $after, filter: $filter, includeRelated: $includeRelated) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node { ...ActivityFields }
      }
    }
  }
  ${ACTIVITY_FRAGMENT}
`;

export const EMAIL_CONTENT_QUERY = graphql('EmailContent')`
  query EmailContent($id: ID!) {
    node(id: $id) {
      __typename
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
