import { Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { MaxLength, NotBlank } from '../common/validation';
import { EmailServerKind, MailAuthMethod, TlsMode } from './mail-enums';

export const PORT_RANGE = [1, 65535] as const;
export const POLL_INTERVAL_RANGE = [5, 86400] as const;
export const CONCURRENCY_RANGE = [1, 100] as const;
/** Longest password or access token accepted (OAuth access tokens run to a few KB). */
export const MAX_SECRET = 8192;

@InputType()
export class CreateEmailServerProfileInput {
  @Field()
  @NotBlank()
  @MaxLength(100)
  name: string;

  @Field(() => EmailServerKind)
  kind: EmailServerKind;

  @Field({ description: 'IMAP or POP3 server.' })
  @NotBlank()
  @MaxLength(255)
  incomingHost: string;

  @Field(() => Int, { description: '1–65535 (IMAP 143/993, POP3 110/995).' })
  @Min(PORT_RANGE[0])
  @Max(PORT_RANGE[1])
  incomingPort: number;

  @Field(() => TlsMode)
  incomingTls: TlsMode;

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

  @Field(() => MailAuthMethod, { defaultValue: MailAuthMethod.PASSWORD, description: 'OAUTH_BEARER (XOAUTH2) is IMAP_SMTP only.' })
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

  @Field({ nullable: true })
  @NotBlank()
  @MaxLength(255)
  incomingHost?: string;

  @Field(() => Int, { nullable: true })
  @Min(PORT_RANGE[0])
  @Max(PORT_RANGE[1])
  incomingPort?: number;

  @Field(() => TlsMode, { nullable: true })
  incomingTls?: TlsMode;

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
