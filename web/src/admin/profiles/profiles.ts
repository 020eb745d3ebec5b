import { graphql } from '../../graphql/graphql-tag';
import type { EmailServerProfilesQuery, TlsMode } from '../../graphql/operations.generated';

// The email server profiles section's documents (schema.graphql: EmailServerProfile). Secrets are write-only:
// no document reads a password or token back, only whether one is stored (hasCredentials).

const PROFILE_FIELDS = /* GraphQL */ `
  fragment EmailServerProfileFields on EmailServerProfile {
    id name kind isDefault
    incomingHost incomingPort incomingTls ewsUrl useImpersonation
    outgoingHost outgoingPort outgoingTls
    authMethod useProfileCredentials credentialUsername hasCredentials allowInvalidCertificates
    pollIntervalSeconds maxConcurrentConnections processEmailFrom sentFolder updatedAt
  }
`;

/** Every profile, and every mailbox with the profile it uses (administrators see all): the list counts them per profile. */
export const EMAIL_SERVER_PROFILES_QUERY = graphql('EmailServerProfiles')`
  query EmailServerProfiles {
    emailServerProfiles { ...EmailServerProfileFields }
    mailboxes { id address profile { id } }
  }
  ${PROFILE_FIELDS}
`;

export const CREATE_PROFILE = graphql('CreateEmailServerProfile')`
  mutation CreateEmailServerProfile($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { ...EmailServerProfileFields } }
  ${PROFILE_FIELDS}
`;

export const UPDATE_PROFILE = graphql('UpdateEmailServerProfile')`
  mutation UpdateEmailServerProfile($id: ID!, $input: UpdateEmailServerProfileInput!) { updateEmailServerProfile(id: $id, input: $input) { ...EmailServerProfileFields } }
  ${PROFILE_FIELDS}
`;

export const DELETE_PROFILE = graphql('DeleteEmailServerProfile')`mutation DeleteEmailServerProfile($id: ID!) { deleteEmailServerProfile(id: $id) }`;

/** Test & Enable of one mailbox, answering what the profile's run shows of it. */
export const TEST_AND_ENABLE = graphql('TestAndEnableProfileMailbox')`
  mutation TestAndEnableProfileMailbox($id: ID!) {
    testAndEnableMailbox(id: $id) { id state incomingTest { status code reason } outgoingTest { status code reason } }
  }
`;

/** Read before a run's first request: the run follows mailboxChanged after it, so no engine report is missed. */
export const LIVE_CURSOR = graphql('TestAllLiveCursor')`query TestAllLiveCursor { liveCursor }`;

/** What a run reads of a mailbox's test, from the mutation's answer or a mailboxChanged event. */
export interface TestedMailbox {
  readonly state: string;
  readonly incomingTest: { readonly status: string; readonly code: string | null; readonly reason: string | null };
  readonly outgoingTest: { readonly status: string; readonly code: string | null; readonly reason: string | null };
}

/** A channel that failed its test, with the engine's code and words. */
export interface FailedChannel {
  readonly channel: 'incoming' | 'outgoing';
  readonly code: string | null;
  readonly reason: string | null;
}

/** Where a requested test stands: the engine has yet to report, every tested channel passed, or some failed. */
export type TestResult = { readonly status: 'testing' } | { readonly status: 'passed'; readonly enabled: boolean } | { readonly status: 'failed'; readonly failures: readonly FailedChannel[] };

export function testResultOf(mailbox: TestedMailbox): TestResult {
  const channels = [
    { channel: 'incoming' as const, ...mailbox.incomingTest },
    { channel: 'outgoing' as const, ...mailbox.outgoingTest },
  ];
  if (channels.some((c) => c.status === 'PENDING')) return { status: 'testing' };
  const failures = channels.filter((c) => c.status === 'FAILURE').map(({ channel, code, reason }) => ({ channel, code, reason }));
  return failures.length > 0 ? { status: 'failed', failures } : { status: 'passed', enabled: mailbox.state === 'ENABLED' };
}

export type EmailServerProfile = EmailServerProfilesQuery['emailServerProfiles'][number];
export type ProfileMailbox = EmailServerProfilesQuery['mailboxes'][number];

/** The mailboxes that use `profileId`, by address. */
export const mailboxesOf = (mailboxes: readonly ProfileMailbox[], profileId: string): ProfileMailbox[] =>
  mailboxes.filter((m) => m.profile?.id === profileId);

/** The usual port of a protocol and encryption (RFC 8314: implicit TLS 993/995/465; STARTTLS or plain 143/110/587). */
export function defaultPort(protocol: 'IMAP' | 'POP3' | 'SMTP', tls: TlsMode): number {
  const implicit = tls === 'IMPLICIT';
  if (protocol === 'IMAP') return implicit ? 993 : 143;
  if (protocol === 'POP3') return implicit ? 995 : 110;
  return implicit ? 465 : 587;
}
