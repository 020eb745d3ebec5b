import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../common/columns';
import { EmailServerKind, MailAuthMethod, TlsMode } from './mail-enums';

/**
 * Dynamics' email server profile: where and how mailboxes connect. Not a GraphQL type itself:
 * the secret columns must never be readable (see email-server-profile.types.ts).
 */
@Entity('email_server_profile')
export class EmailServerProfile {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index({ unique: true })
  @Column('varchar', { length: 100 })
  name: string;

  @EnumColumn(16)
  kind: EmailServerKind;

  /** The IMAP or POP3 server; the three incoming columns are null on an EXCHANGE_EWS profile (it has `ewsUrl`). */
  @Column('varchar', { length: 255, nullable: true })
  incomingHost: string | null;

  @Column('int', { nullable: true })
  incomingPort: number | null;

  @EnumColumn(16, { nullable: true })
  incomingTls: TlsMode | null;

  /** EXCHANGE_EWS: the EWS endpoint (https://host/EWS/Exchange.asmx); null: Autodiscover from each mailbox's address. */
  @Column('varchar', { length: 2048, nullable: true })
  ewsUrl: string | null;

  /** EXCHANGE_EWS: the profile's service account acts as each mailbox through ExchangeImpersonation. */
  @Column('boolean', { default: false })
  useImpersonation: boolean;

  /** The SMTP server; all three outgoing columns are null on a profile nothing sends through. */
  @Column('varchar', { length: 255, nullable: true })
  outgoingHost: string | null;

  @Column('int', { nullable: true })
  outgoingPort: number | null;

  @EnumColumn(16, { nullable: true })
  outgoingTls: TlsMode | null;

  @EnumColumn(16, { default: MailAuthMethod.PASSWORD })
  authMethod: MailAuthMethod;

  /** Dynamics' "use same credentials for all mailboxes": the profile's credentials instead of each mailbox's. */
  @Column('boolean', { default: false })
  useProfileCredentials: boolean;

  @Column('varchar', { length: 320, nullable: true })
  credentialUsername: string | null;

  /** Encrypted with the credential cipher (credential-cipher.ts); never leaves the api except to the sync engine. */
  @Column('text', { nullable: true })
  credentialSecret: string | null;

  /** Accept a server certificate that does not verify (self-signed test servers); off by default. */
  @Column('boolean', { default: false })
  allowInvalidCertificates: boolean;

  @Column('int', { default: 60 })
  pollIntervalSeconds: number;

  @Column('int', { default: 10 })
  maxConcurrentConnections: number;

  /** Mail received before this is never read (Dynamics' "process email from"); null: everything. */
  @DateTimeColumn({ nullable: true })
  processEmailFrom: Date | null;

  /** The IMAP folder sent mail is read from and appended to; null: the server's \Sent special-use folder (RFC 6154). */
  @Column('varchar', { length: 255, nullable: true })
  sentFolder: string | null;

  /** New mailboxes get this profile (at most one profile is the default). */
  @Column('boolean', { default: false })
  isDefault: boolean;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}
