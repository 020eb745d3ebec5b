import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EmailServerKind, MailAuthMethod, TlsMode } from './mail-enums';
import { SyncOutcome } from './sync-outcome-policy';

// What the api hands a sync engine: where and how to connect, with the secret decrypted. These
// types are reachable only through MAIL_SYNC operations (claimMailboxes, claimOutgoingEmails).

/** SYNC: read new mail (and whatever the flags enable); TEST: Test & Enable, report with reportMailboxTest. */
export enum MailboxJob {
  SYNC = 'SYNC',
  TEST = 'TEST',
}

registerEnumType(MailboxJob, { name: 'MailboxJob' });

/** Why `credentials` is null, or that it is not: the engine tells "set them" from "set them again". */
export enum CredentialsStatus {
  NONE = 'NONE',
  UNREADABLE = 'UNREADABLE',
  PRESENT = 'PRESENT',
}
registerEnumType(CredentialsStatus, {
  name: 'CredentialsStatus',
  description: 'NONE: none are set; UNREADABLE: stored but they no longer decrypt (an alert says so); PRESENT: in `credentials`.',
});
registerEnumType(SyncOutcome, { name: 'SyncOutcome', description: 'How a SYNC lease ended; the engine\'s own error code travels beside it.' });

@ObjectType('MailEndpoint', { description: 'One server to connect to.' })
export class MailEndpoint {
  @Field()
  host: string;

  @Field(() => Int)
  port: number;

  @Field(() => TlsMode)
  tls: TlsMode;

  @Field({ description: 'Accept a certificate that does not verify (self-signed test servers).' })
  allowInvalidCertificates: boolean;
}

@ObjectType('EwsConnection', { description: 'How the engine reaches an Exchange server over EWS (EXCHANGE_EWS profiles).' })
export class EwsConnection {
  @Field(() => String, { nullable: true, description: 'The EWS endpoint; null: find it by Autodiscover from the mailbox address.' })
  url: string | null;

  @Field(() => String, { nullable: true, description: 'The SMTP address to act as through ExchangeImpersonation; null: sign in as the mailbox itself.' })
  impersonateAddress: string | null;

  @Field({ description: 'Accept a certificate that does not verify (self-signed test servers).' })
  allowInvalidCertificates: boolean;

  @Field(() => Int, { description: 'At most this many EWS calls at once to the server, over all mailboxes of the profile.' })
  maxConnections: number;
}

@ObjectType('MailCredentials', { description: 'Decrypted: only ever sent to the sync engine.' })
export class MailCredentials {
  @Field(() => MailAuthMethod)
  method: MailAuthMethod;

  @Field()
  username: string;

  @Field({ description: 'The password (PASSWORD, NTLM), or the OAuth access token for OAUTH_BEARER.' })
  secret: string;
}

@ObjectType('ForwardSource', { description: 'A mailbox whose mail arrives through the forward mailbox.' })
export class ForwardSource {
  @Field(() => ID)
  mailboxId: string;

  @Field()
  address: string;
}

@ObjectType('MailboxWork', { description: 'A mailbox claimed under a lease: everything the engine needs for one SYNC or TEST job.' })
export class MailboxWork {
  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID, { description: 'Quote it in every call about this mailbox until the lease ends.' })
  leaseId: string;

  @Field({ description: 'Renew before this time (renewMailboxLease) or the mailbox may be claimed by another engine.' })
  leaseUntil: Date;

  @Field(() => MailboxJob)
  job: MailboxJob;

  @Field()
  address: string;

  @Field(() => EmailServerKind)
  kind: EmailServerKind;

  @Field(() => MailEndpoint, { nullable: true, description: 'IMAP or POP3; null for EXCHANGE_EWS (see ews).' })
  incoming: MailEndpoint | null;

  @Field(() => MailEndpoint, { nullable: true, description: 'SMTP; null when the profile has no outgoing server, and for EXCHANGE_EWS.' })
  outgoing: MailEndpoint | null;

  @Field(() => EwsConnection, { nullable: true, description: 'The Exchange server of an EXCHANGE_EWS profile; null for the others.' })
  ews: EwsConnection | null;

  @Field(() => MailCredentials, { nullable: true, description: 'The mailbox\'s, or the profile\'s when it uses the same credentials for all mailboxes; null when none are set or they cannot be decrypted (credentialsStatus says which).' })
  credentials: MailCredentials | null;

  @Field(() => CredentialsStatus)
  credentialsStatus: CredentialsStatus;

  @Field({ description: 'Read incoming mail (server-side synchronization, or the forward mailbox).' })
  incomingEnabled: boolean;

  @Field({ description: 'The mailbox sends email (claimOutgoingEmails hands out its emails): over SMTP (`outgoing`), or through Exchange (`ews`).' })
  outgoingEnabled: boolean;

  @Field({ description: 'Appointments, contacts and tasks are synchronized with the server (EXCHANGE_EWS only): Test & Enable checks that channel too.' })
  actEnabled: boolean;

  @Field()
  isForwardMailbox: boolean;

  @Field()
  deleteForwardedCopies: boolean;

  @Field(() => [ForwardSource], { description: 'For the forward mailbox: the mailboxes whose forwarded copies it receives.' })
  forwardSources: ForwardSource[];

  @Field(() => String, { nullable: true, description: 'The cursor the last committed trackEmails batch left.' })
  cursor: string | null;

  @Field(() => Date, { nullable: true, description: 'Mail received before this is not read (the mailbox\'s own setting, else the profile\'s).' })
  processEmailFrom: Date | null;

  @Field(() => Date, { nullable: true, description: 'An administrator asked to re-read mail received since then; report it in resyncCompleted when done.' })
  resyncFrom: Date | null;

  @Field(() => String, { nullable: true, description: 'The IMAP Sent folder; null: the folder with the \\Sent special use (RFC 6154).' })
  sentFolder: string | null;

  @Field(() => [String], { description: 'Further folders to read (folder tracking rules), when the organization uses folder tracking.' })
  trackedFolders: string[];

  @Field(() => [String], { nullable: 'items', description: 'The server\'s id of each folder in trackedFolders, in the same order, where a folder report named it (Exchange FolderId): a renamed folder is found by it. Null items: find the folder by its path.' })
  trackedFolderIds: (string | null)[];

  @Field(() => Int)
  pollIntervalSeconds: number;

  @Field(() => Int, { description: 'The organization\'s maxBodyKb: trackEmails keeps this much of each body, so the engine need not send more.' })
  maxBodyKb: number;

  @Field(() => Int, { description: 'The organization\'s pastExpansionWindowMonths: recurring meetings are expanded this many months back.' })
  pastExpansionWindowMonths: number;

  @Field(() => Int, { description: 'The organization\'s futureExpansionWindowMonths: recurring meetings are expanded this many months ahead.' })
  futureExpansionWindowMonths: number;

  @Field(() => String, { nullable: true, description: 'The mailbox\'s time zone as the hub has it (reportMailboxTimeZone); the engine reports it again only when the server\'s differs.' })
  timeZone: string | null;
}

@ObjectType('MailTransport', { description: 'How to send one outgoing email: SMTP and the IMAP Sent folder to keep a copy in, or Exchange (which keeps its own copy).' })
export class MailTransport {
  @Field(() => EmailServerKind)
  kind: EmailServerKind;

  @Field(() => MailEndpoint, { nullable: true, description: 'Null for EXCHANGE_EWS, which sends through `ews`.' })
  smtp: MailEndpoint | null;

  @Field(() => EwsConnection, { nullable: true, description: 'EXCHANGE_EWS: the Exchange server to send through (CreateItem with SendAndSaveCopy).' })
  ews: EwsConnection | null;

  @Field(() => MailEndpoint, { nullable: true, description: 'For IMAP profiles: where to append the copy to the Sent folder.' })
  imap: MailEndpoint | null;

  @Field(() => String, { nullable: true, description: 'The IMAP Sent folder; null: the \\Sent special-use folder (RFC 6154).' })
  sentFolder: string | null;

  @Field(() => MailCredentials, { nullable: true })
  credentials: MailCredentials | null;

  @Field(() => CredentialsStatus)
  credentialsStatus: CredentialsStatus;
}
