import { Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { MaxLength, NotBlank } from '../common/validation';
import { EmailServerKind, MailAuthMethod, TlsMode } from './mail-enums';

export const PORT_RANGE = [1, 65535] as const;
export const POLL_INTERVAL_RANGE = [5, 86400] as const;
export const CONCURRENCY_RANGE = [1, 100] as const;
/** Longest password or access token accepted (OAuth access tokens run to a few KB). */
export const MAX_SECRET = 8192;
/** Longest EWS URL accepted (the practical URL limit of browsers and proxies). */
export const MAX_EWS_URL = 2048;

@InputType()
export class CreateEmailServerProfileInput {
  @Field()
  @NotBlank()
  @MaxLength(100)
  name: string;

  @Field(() => EmailServerKind)
  kind: EmailServerKind;

  @Field(() => String, { nullable: true, description: 'IMAP or POP3 server; required for IMAP_SMTP and POP3_SMTP, refused for EXCHANGE_EWS.' })
  @NotBlank()
  @MaxLength(255)
  incomingHost?: string | null;

  @Field(() => Int, { nullable: true, description: '1–65535 (IMAP 143/993, POP3 110/995); with incomingHost.' })
  @Min(PORT_RANGE[0])
  @Max(PORT_RANGE[1])
  incomingPort?: number | null;

  @Field(() => TlsMode, { nullable: true, description: 'With incomingHost.' })
  incomingTls?: TlsMode | null;

  @Field(() => String, { nullable: true, description: `EXCHANGE_EWS: the EWS endpoint, an http(s) URL of at most ${MAX_EWS_URL} characters (https://mail.example.com/EWS/Exchange.asmx); leave it out to find the server by Autodiscover from each mailbox's address.` })
  @MaxLength(MAX_EWS_URL)
  ewsUrl?: string | null;

  @Field({ defaultValue: false, description: 'EXCHANGE_EWS: the profile\'s service account (useProfileCredentials) acts as each mailbox through ExchangeImpersonation; it needs the ApplicationImpersonation role.' })
  useImpersonation: boolean;

  @Field(() => String, { nullable: true, description: 'SMTP server; leave the three outgoing fields out for a profile nothing sends through.' })
  @NotBlank()
  @MaxLength(255)
  outgoingHost?: string | null;

  @Field(() => Int, { nullable: true, description: '1–65535 (SMTP submission 587, implicit TLS 465); required with outgoingHost.' })
  @Min(PORT_RANGE[0])
  @Max(PORT_RANGE[1])
  outgoingPort?: number | null;

  @Field(() => TlsMode, { nullable: true, description: 'Required with outgoingHost.' })
  outgoingTls?: TlsMode | null;

  @Field(() => MailAuthMethod, { defaultValue: MailAuthMethod.PASSWORD, description: 'OAUTH_BEARER is for IMAP_SMTP (XOAUTH2) and EXCHANGE_EWS (bearer token); NTLM for EXCHANGE_EWS only.' })
  authMethod: MailAuthMethod;

  @Field({ defaultValue: false, description: 'Every mailbox signs in with the profile\'s credentials (then give username and password or accessToken).' })
  useProfileCredentials: boolean;

  @Field(() => String, { nullable: true })
  @MaxLength(320)
  credentialUsername?: string | null;

  @Field(() => String, { nullable: true, description: 'Write-only.' })
  @MaxLength(MAX_SECRET)
  password?: string | null;

  @Field(() => String, { nullable: true, description: 'Write-only; for OAUTH_BEARER.' })
  @MaxLength(MAX_SECRET)
  accessToken?: string | null;

  @Field({ defaultValue: false })
  allowInvalidCertificates: boolean;

  @Field(() => Int, { defaultValue: 60, description: '5–86400.' })
  @Min(POLL_INTERVAL_RANGE[0])
  @Max(POLL_INTERVAL_RANGE[1])
  pollIntervalSeconds: number;

  @Field(() => Int, { defaultValue: 10, description: '1–100 connections to the server at once, over all mailboxes of the profile.' })
  @Min(CONCURRENCY_RANGE[0])
  @Max(CONCURRENCY_RANGE[1])
  maxConcurrentConnections: number;

  @Field(() => Date, { nullable: true })
  processEmailFrom?: Date | null;

  @Field(() => String, { nullable: true })
  @MaxLength(255)
  sentFolder?: string | null;

  @Field({ defaultValue: false, description: 'Makes this the default for new mailboxes (the previous default stops being one).' })
  isDefault: boolean;
}

@InputType({ description: 'Fields left out keep their value; null clears an optional one.' })
export class UpdateEmailServerProfileInput {
  @Field({ nullable: true })
  @NotBlank()
  @MaxLength(100)
  name?: string;

  @Field(() => EmailServerKind, { nullable: true })
  kind?: EmailServerKind;

  @Field(() => String, { nullable: true, description: 'null removes the incoming server (port and TLS with it), as an EXCHANGE_EWS profile has none.' })
  @NotBlank()
  @MaxLength(255)
  incomingHost?: string | null;

  @Field(() => Int, { nullable: true })
  @Min(PORT_RANGE[0])
  @Max(PORT_RANGE[1])
  incomingPort?: number | null;

  @Field(() => TlsMode, { nullable: true })
  incomingTls?: TlsMode | null;

  @Field(() => String, { nullable: true, description: 'EXCHANGE_EWS: the EWS endpoint; null: Autodiscover.' })
  @MaxLength(MAX_EWS_URL)
  ewsUrl?: string | null;

  @Field({ nullable: true })
  useImpersonation?: boolean;

  @Field(() => String, { nullable: true, description: 'null removes the outgoing server (port and TLS with it); refused while a mailbox of the profile sends.' })
  @NotBlank()
  @MaxLength(255)
  outgoingHost?: string | null;

  @Field(() => Int, { nullable: true })
  @Min(PORT_RANGE[0])
  @Max(PORT_RANGE[1])
  outgoingPort?: number | null;

  @Field(() => TlsMode, { nullable: true })
  outgoingTls?: TlsMode | null;

  @Field(() => MailAuthMethod, { nullable: true })
  authMethod?: MailAuthMethod;

  @Field({ nullable: true })
  useProfileCredentials?: boolean;

  @Field(() => String, { nullable: true })
  @MaxLength(320)
  credentialUsername?: string | null;

  @Field(() => String, { nullable: true, description: 'Write-only; replaces the stored secret.' })
  @MaxLength(MAX_SECRET)
  password?: string | null;

  @Field(() => String, { nullable: true, description: 'Write-only; replaces the stored secret.' })
  @MaxLength(MAX_SECRET)
  accessToken?: string | null;

  @Field({ nullable: true })
  allowInvalidCertificates?: boolean;

  @Field(() => Int, { nullable: true })
  @Min(POLL_INTERVAL_RANGE[0])
  @Max(POLL_INTERVAL_RANGE[1])
  pollIntervalSeconds?: number;

  @Field(() => Int, { nullable: true })
  @Min(CONCURRENCY_RANGE[0])
  @Max(CONCURRENCY_RANGE[1])
  maxConcurrentConnections?: number;

  @Field(() => Date, { nullable: true })
  processEmailFrom?: Date | null;

  @Field(() => String, { nullable: true })
  @MaxLength(255)
  sentFolder?: string | null;

  @Field({ nullable: true })
  isDefault?: boolean;
}
