import { graphql } from '../graphql/graphql-tag';
import type { SubscriptionEvent } from '../live/live-subscription';
import type { MailboxChange, MailboxDetailFieldsFragment, MailboxListRowFieldsFragment, ViewerAccessFieldsFragment } from '../graphql/operations.generated';
// The mailbox shapes the sync pages read, and the GraphQL documents that fetch and change them (schema.graphql: Mailbox).

export type {
  AlertSeverity,
  ChannelTestStatus,
  EmailApproval,
  IncomingMethod,
  MailboxChange,
  MailboxState,
  OutgoingMethod,
} from '../graphql/operations.generated';

/** One row of the mailbox list and the sync dashboard: what they show without opening a mailbox (alerts: the newest only). */
export type MailboxRow = MailboxListRowFieldsFragment;
/** A mailbox opened: its row plus the logs and counters of its detail page. */
export type MailboxDetailValue = MailboxDetailFieldsFragment;
export type ChannelTest = MailboxRow['incomingTest'];
export type MailboxCoverage = NonNullable<MailboxRow['coverage']>;
export type MailboxAlert = MailboxDetailValue['alerts'][number];
export type QuarantinedMessage = MailboxDetailValue['quarantined'][number];
export type TrackingCount = MailboxDetailValue['trackingCounts'][number];
export type FolderTrackingRule = MailboxDetailValue['folderTrackingRules'][number];

/** The viewer's roles, for deciding which buttons to offer (schema.graphql: RolePrivilege). */
export type ViewerAccess = ViewerAccessFieldsFragment;
export type RolePrivilege = ViewerAccess['roles'][number]['privileges'][number];

/** How many alerts and quarantined messages a detail page shows (the API allows up to 500). */
export const LOG_PAGE_SIZE = 50;

// The fields each page reads, as fragments: one generated type per fragment (operations.generated.ts).
const MAILBOX_ROW_FRAGMENT = /* GraphQL */ `
  fragment MailboxRowFields on Mailbox {
    id address ownerKind owner { id fullName } profile { name kind useProfileCredentials }
    state stateReason approval incomingMethod outgoingMethod
    incomingTest { status code reason testedAt } outgoingTest { status code reason testedAt }
    lastSyncAt coverage { serverCount decidedCount missingCount checkedAt }
  }
`;

const MAILBOX_LIST_ROW_FRAGMENT = /* GraphQL */ `
  fragment MailboxListRowFields on Mailbox {
    ...MailboxRowFields lastSyncItems nextSyncAt failureCount trackingCounts { outcome reason count }
    alerts(first: 1) { id severity code message createdAt }
  }
  ${MAILBOX_ROW_FRAGMENT}
`;

/** The record a folder tracking rule files mail under, with the name it is shown by. */
const REGARDING_NAMES = /* GraphQL */ `
  ... on Account { id name } ... on Contact { id fullName } ... on Lead { id fullName } ... on Opportunity { id name } ... on Case { id title }
`;

const MAILBOX_DETAIL_FRAGMENT = /* GraphQL */ `
  fragment MailboxDetailFields on Mailbox {
    ...MailboxRowFields
    hasCredentials credentialUsername lastSyncItems nextSyncAt failureCount resyncFrom processEmailFrom
    profile { id } appointmentsContactsTasksMethod appointmentsContactsTasksTest { status code reason testedAt } trackingFilter privacyLevel autoCreateRecords timeZone isForwardMailbox deleteForwardedCopies
    folderTrackingRules { folder missingSince regarding { __typename ${REGARDING_NAMES} } }
    serverFolders serverFoldersReadAt
    alerts(first: ${LOG_PAGE_SIZE}) { id severity code message createdAt }
    quarantined(first: ${LOG_PAGE_SIZE}) { id code reason subject fromAddress folder size quarantinedAt }
    trackingCounts { outcome reason count }
  }
  ${MAILBOX_ROW_FRAGMENT}
`;

const VIEWER_ACCESS_FRAGMENT = /* GraphQL */ `fragment ViewerAccessFields on User { id roles { privileges { entity privilege depth } } }`;

// Each query reads liveCursor with its data, so the page subscribes after it and misses nothing committed in between.
export const MAILBOXES_QUERY = graphql('Mailboxes')`
  query Mailboxes {
    liveCursor
    viewer { ...ViewerAccessFields }
    mailboxes { ...MailboxListRowFields }
  }
  ${VIEWER_ACCESS_FRAGMENT}
  ${MAILBOX_LIST_ROW_FRAGMENT}
`;

export const MAILBOX_QUERY = graphql('Mailbox')`
  query Mailbox($id: ID!) {
    liveCursor
    viewer { ...ViewerAccessFields }
    mailbox(id: $id) { ...MailboxDetailFields }
  }
  ${VIEWER_ACCESS_FRAGMENT}
  ${MAILBOX_DETAIL_FRAGMENT}
`;

/** A change to a mailbox (schema.graphql: MailboxEvent), with the list's fields; `mailbox` null once removed or hidden. */
export type MailboxListEvent = SubscriptionEvent<'MailboxesChanged', 'mailboxChanged'>;
/** The same, with the detail page's fields. */
export type MailboxDetailEvent = SubscriptionEvent<'MailboxChanged', 'mailboxChanged'>;

/** Every mailbox the viewer may see, with the list's fields. */
export const MAILBOXES_CHANGED_SUBSCRIPTION = graphql('MailboxesChanged')`
  subscription MailboxesChanged($after: String) {
    mailboxChanged(after: $after) { cursor change mailboxId at mailbox { ...MailboxListRowFields } }
  }
  ${MAILBOX_LIST_ROW_FRAGMENT}
`;

/** One mailbox, with the detail page's fields. */
export const MAILBOX_CHANGED_SUBSCRIPTION = graphql('MailboxChanged')`
  subscription MailboxChanged($mailboxId: ID, $after: String) {
    mailboxChanged(mailboxId: $mailboxId, after: $after) { cursor change mailboxId at mailbox { ...MailboxDetailFields } }
  }
  ${MAILBOX_DETAIL_FRAGMENT}
`;

/** The de-duplication key beside the cursor. */
export const mailboxEventIdentity = (event: MailboxListEvent | MailboxDetailEvent): string => `${event.mailboxId}|${event.change}|${event.at}`;

/** How often a mailbox page re-reads while the live connection is down (not at all while it is live). */
export const FALLBACK_REFRESH_MS = 30_000;

/** The buttons of the mailbox page; each answers with the mailbox as committed. */
export const MAILBOX_ACTIONS = {
  approve: graphql('ApproveMailboxEmail')`mutation ApproveMailboxEmail($id: ID!) { approveMailboxEmail(id: $id) { ...MailboxDetailFields } } ${MAILBOX_DETAIL_FRAGMENT}`,
  reject: graphql('RejectMailboxEmail')`mutation RejectMailboxEmail($id: ID!) { rejectMailboxEmail(id: $id) { ...MailboxDetailFields } } ${MAILBOX_DETAIL_FRAGMENT}`,
  testAndEnable: graphql('TestAndEnableMailbox')`mutation TestAndEnableMailbox($id: ID!) { testAndEnableMailbox(id: $id) { ...MailboxDetailFields } } ${MAILBOX_DETAIL_FRAGMENT}`,
  disable: graphql('DisableMailbox')`mutation DisableMailbox($id: ID!) { disableMailbox(id: $id) { ...MailboxDetailFields } } ${MAILBOX_DETAIL_FRAGMENT}`,
  resync: graphql('ResyncMailbox')`mutation ResyncMailbox($id: ID!, $from: DateTimeISO!) { resyncMailbox(id: $id, from: $from) { ...MailboxDetailFields } } ${MAILBOX_DETAIL_FRAGMENT}`,
  configure: graphql('ConfigureMailbox')`mutation ConfigureMailbox($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { ...MailboxDetailFields } } ${MAILBOX_DETAIL_FRAGMENT}`,
  update: graphql('UpdateMailbox')`mutation UpdateMailbox($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { ...MailboxDetailFields } } ${MAILBOX_DETAIL_FRAGMENT}`,
  setCredentials: graphql('SetMailboxCredentials')`mutation SetMailboxCredentials($id: ID!, $input: MailboxCredentialsInput!) { setMailboxCredentials(id: $id, input: $input) { ...MailboxDetailFields } } ${MAILBOX_DETAIL_FRAGMENT}`,
} as const;

export type MailboxAction = keyof typeof MAILBOX_ACTIONS;
