import { graphql } from '../graphql/graphql-tag';
// The mailbox shapes the sync pages read, and the GraphQL documents that fetch and change them (schema.graphql: Mailbox).

export type MailboxState = 'ENABLED' | 'BACKING_OFF' | 'DISABLED_AUTH' | 'DISABLED_BY_ADMIN' | 'NOT_ENABLED';
export type EmailApproval = 'APPROVED' | 'PENDING_APPROVAL' | 'REJECTED';
export type ChannelTestStatus = 'NOT_RUN' | 'PENDING' | 'SUCCESS' | 'WARNING' | 'FAILURE';
export type AlertSeverity = 'ERROR' | 'WARNING' | 'INFORMATION';
export type IncomingMethod = 'NONE' | 'SERVER_SIDE_SYNC' | 'FORWARD_MAILBOX';
export type OutgoingMethod = 'NONE' | 'SERVER_SIDE_SYNC';

export interface ChannelTest {
  status: ChannelTestStatus;
  code: string | null;
  reason: string | null;
  testedAt: string | null;
}

export interface MailboxCoverage {
  serverCount: number;
  decidedCount: number;
  missingCount: number;
  checkedAt: string;
}

export interface MailboxAlert {
  id: string;
  severity: AlertSeverity;
  code: string;
  message: string;
  createdAt: string;
}

export interface QuarantinedMessage {
  id: string;
  code: string;
  reason: string;
  subject: string | null;
  fromAddress: string | null;
  folder: string | null;
  size: number | null;
  quarantinedAt: string;
}

export interface TrackingCount {
  outcome: string;
  reason: string | null;
  count: number;
}

/** One row of the mailbox list: what the sync dashboard shows without opening a mailbox. */
export interface MailboxRow {
  id: string;
  address: string;
  ownerKind: 'USER' | 'QUEUE';
  owner: { id: string; fullName: string } | null;
  profile: { name: string; kind: string; useProfileCredentials: boolean } | null;
  state: MailboxState;
  stateReason: string | null;
  approval: EmailApproval;
  incomingMethod: IncomingMethod;
  outgoingMethod: OutgoingMethod;
  incomingTest: ChannelTest;
  outgoingTest: ChannelTest;
  lastSyncAt: string | null;
  coverage: MailboxCoverage | null;
  /** The newest alert only (alerts(first: 1)). */
  alerts: MailboxAlert[];
}

/** A mailbox opened: its row plus the logs and counters of its detail page. */
export interface MailboxDetailValue extends Omit<MailboxRow, 'alerts'> {
  hasCredentials: boolean;
  credentialUsername: string | null;
  lastSyncItems: number;
  nextSyncAt: string | null;
  failureCount: number;
  resyncFrom: string | null;
  processEmailFrom: string | null;
  alerts: MailboxAlert[];
  quarantined: QuarantinedMessage[];
  trackingCounts: TrackingCount[];
}

/** One privilege of one of the viewer's roles (schema.graphql: RolePrivilege). */
export interface RolePrivilege {
  entity: string;
  privilege: string;
  depth: string;
}

export interface ViewerAccess {
  id: string;
  roles: { privileges: RolePrivilege[] }[];
}

/** How many alerts and quarantined messages a detail page shows (the API allows up to 500). */
export const LOG_PAGE_SIZE = 50;

const ROW_FIELDS = /* GraphQL */ `
  id address ownerKind owner { id fullName } profile { name kind useProfileCredentials }
  state stateReason approval incomingMethod outgoingMethod
  incomingTest { status code reason testedAt } outgoingTest { status code reason testedAt }
  lastSyncAt coverage { serverCount decidedCount missingCount checkedAt }
`;

const DETAIL_FIELDS = /* GraphQL */ `
  ${ROW_FIELDS}
  hasCredentials credentialUsername lastSyncItems nextSyncAt failureCount resyncFrom processEmailFrom
  alerts(first: ${LOG_PAGE_SIZE}) { id severity code message createdAt }
  quarantined(first: ${LOG_PAGE_SIZE}) { id code reason subject fromAddress folder size quarantinedAt }
  trackingCounts { outcome reason count }
`;

const VIEWER_ACCESS = 'viewer { id roles { privileges { entity privilege depth } } }';

const LIST_ROW_FIELDS = `${ROW_FIELDS} alerts(first: 1) { id severity code message createdAt }`;

// Each query reads liveCursor with its data, so the page subscribes after it and misses nothing committed in between.
export const MAILBOXES_QUERY = graphql`
  query Mailboxes {
    liveCursor
    ${VIEWER_ACCESS}
    mailboxes { ${LIST_ROW_FIELDS} }
  }
`;

export const MAILBOX_QUERY = graphql`
  query Mailbox($id: ID!) {
    liveCursor
    ${VIEWER_ACCESS}
    mailbox(id: $id) { ${DETAIL_FIELDS} }
  }
`;

export type MailboxChange = 'STATE' | 'CONFIGURATION' | 'TEST' | 'ALERT' | 'PROGRESS';

/** A change to a mailbox (schema.graphql: MailboxEvent), with the mailbox in the fields its page shows. */
export interface MailboxEvent<Value> {
  cursor: string;
  change: MailboxChange;
  mailboxId: string;
  /** As it is now; null once removed (or no longer visible to the viewer). */
  mailbox: Value | null;
  at: string;
}

/** Every mailbox the viewer may see, with the list's fields. */
export const MAILBOXES_CHANGED_SUBSCRIPTION = graphql`
  subscription MailboxesChanged($after: String) {
    mailboxChanged(after: $after) { cursor change mailboxId at mailbox { ${LIST_ROW_FIELDS} } }
  }
`;

/** One mailbox, with the detail page's fields. */
export const MAILBOX_CHANGED_SUBSCRIPTION = graphql`
  subscription MailboxChanged($mailboxId: ID, $after: String) {
    mailboxChanged(mailboxId: $mailboxId, after: $after) { cursor change mailboxId at mailbox { ${DETAIL_FIELDS} } }
  }
`;

/** The de-duplication key beside the cursor. */
export const mailboxEventIdentity = (event: MailboxEvent<unknown>): string => `${event.mailboxId}|${event.change}|${event.at}`;

/** How often a mailbox page re-reads while the live connection is down (not at all while it is live). */
export const FALLBACK_REFRESH_MS = 30_000;

/** The buttons of the mailbox page; each answers with the mailbox as committed. */
export const MAILBOX_ACTIONS = {
  approve: graphql`mutation ApproveMailboxEmail($id: ID!) { approveMailboxEmail(id: $id) { ${DETAIL_FIELDS} } }`,
  reject: graphql`mutation RejectMailboxEmail($id: ID!) { rejectMailboxEmail(id: $id) { ${DETAIL_FIELDS} } }`,
  testAndEnable: graphql`mutation TestAndEnableMailbox($id: ID!) { testAndEnableMailbox(id: $id) { ${DETAIL_FIELDS} } }`,
  disable: graphql`mutation DisableMailbox($id: ID!) { disableMailbox(id: $id) { ${DETAIL_FIELDS} } }`,
  resync: graphql`mutation ResyncMailbox($id: ID!, $from: DateTimeISO!) { resyncMailbox(id: $id, from: $from) { ${DETAIL_FIELDS} } }`,
  setCredentials: graphql`mutation SetMailboxCredentials($id: ID!, $input: MailboxCredentialsInput!) { setMailboxCredentials(id: $id, input: $input) { ${DETAIL_FIELDS} } }`,
} as const;

export type MailboxAction = keyof typeof MAILBOX_ACTIONS;
