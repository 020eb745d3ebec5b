import { Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '../common/global-id';
import type { EmailServerProfile } from './email-server-profile.entity';
import { EmailServerKind, MailAuthMethod, TlsMode } from './mail-enums';

/**
 * An email server profile as the API shows it: every column except the secret, which is built
 * out of the object (not hidden on it), so no resolver can return it by mistake.
 */
@ObjectType('EmailServerProfile', { description: 'Where and how mailboxes connect (Dynamics\' email server profile). Administrators only; secrets are write-only.' })
export class EmailServerProfileView {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => EmailServerKind)
  kind: EmailServerKind;

  @Field(() => String, { nullable: true, description: 'The IMAP or POP3 server; null for EXCHANGE_EWS (see ewsUrl).' })
  incomingHost: string | null;

  @Field(() => Int, { nullable: true })
  incomingPort: number | null;

  @Field(() => TlsMode, { nullable: true })
  incomingTls: TlsMode | null;

  @Field(() => String, { nullable: true, description: 'EXCHANGE_EWS: the EWS endpoint; null: Autodiscover from each mailbox\'s address.' })
  ewsUrl: string | null;

  @Field({ description: 'EXCHANGE_EWS: the profile\'s service account acts as each mailbox (ExchangeImpersonation).' })
  useImpersonation: boolean;

  @Field(() => String, { nullable: true, description: 'The SMTP server; null (with port and TLS) when nothing sends through this profile.' })
  outgoingHost: string | null;

  @Field(() => Int, { nullable: true })
  outgoingPort: number | null;

  @Field(() => TlsMode, { nullable: true })
  outgoingTls: TlsMode | null;

  @Field(() => MailAuthMethod)
  authMethod: MailAuthMethod;

  @Field({ description: 'Every mailbox of this profile signs in with the profile\'s credentials instead of its own.' })
  useProfileCredentials: boolean;

  @Field(() => String, { nullable: true })
  credentialUsername: string | null;

  @Field({ description: 'Whether the profile holds a password or access token (never readable).' })
  hasCredentials: boolean;

  @Field({ description: 'Accept server certificates that do not verify (self-signed test servers).' })
  allowInvalidCertificates: boolean;

  @Field(() => Int)
  pollIntervalSeconds: number;

  @Field(() => Int)
  maxConcurrentConnections: number;

  @Field(() => Date, { nullable: true, description: 'Mail received before this is never read; null: everything.' })
  processEmailFrom: Date | null;

  @Field(() => String, { nullable: true, description: 'IMAP folder of sent mail; null: the server\'s \\Sent special-use folder (RFC 6154).' })
  sentFolder: string | null;

  @Field({ description: 'New mailboxes get this profile.' })
  isDefault: boolean;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

/** The view of a stored profile, without its secret. */
export function profileView(profile: EmailServerProfile): EmailServerProfileView {
  const { credentialSecret, id, ...shown } = profile;
  return Object.assign(new EmailServerProfileView(), shown, {
    id: toGlobalId('EmailServerProfile', id),
    hasCredentials: credentialSecret !== null && credentialSecret !== '',
  });
}
