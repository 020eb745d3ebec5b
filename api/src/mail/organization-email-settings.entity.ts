import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { EnumColumn } from '../common/columns';
import { ActMethod, AutoCreateRecords, IncomingMethod, OutgoingMethod } from './mail-enums';

const jsonList = { to: (v: readonly string[]) => JSON.stringify(v ?? []), from: (v: string | null) => (v ? (JSON.parse(v) as string[]) : []) };

/** The organization's email settings (one row), with Dynamics' defaults. */
@ObjectType({ description: 'Organization-wide email tracking settings; Dynamics\' defaults unless an administrator changed them.' })
@Entity('organization_email_settings')
export class OrganizationEmailSettings {
  @PrimaryColumn('varchar', { length: 16 })
  id: string;

  @Field({ description: 'Append a tracking token (e.g. CRM:0001234) to the subject of email sent from the hub.' })
  @Column('boolean')
  trackingTokenEnabled: boolean;

  @Field()
  @Column('varchar', { length: 20 })
  tokenPrefix: string;

  @Field(() => Int)
  @Column('int')
  tokenBaseNumber: number;

  @Field(() => Int)
  @Column('int')
  tokenUserDigits: number;

  @Field(() => Int)
  @Column('int')
  tokenCounterDigits: number;

  @Field({ description: 'Correlate through In-Reply-To and References.' })
  @Column('boolean')
  correlateByInReplyTo: boolean;

  @Field()
  @Column('boolean')
  correlateByTrackingToken: boolean;

  @Field({ description: 'Correlate through Outlook\'s Thread-Index conversation.' })
  @Column('boolean')
  correlateByThreadIndex: boolean;

  @Field({ description: 'Smart matching (off by default, as in Dynamics): same subject and shared recipients.' })
  @Column('boolean')
  smartMatchingEnabled: boolean;

  @Field(() => Int)
  @Column('int')
  smartMatchMinSharedRecipients: number;

  @Field(() => Int)
  @Column('int')
  smartMatchWindowDays: number;

  @Field({ description: 'Use folder tracking rules.' })
  @Column('boolean')
  folderTrackingEnabled: boolean;

  @Field({ description: 'Apply queues\' email-to-case rules.' })
  @Column('boolean')
  queueCaseRulesEnabled: boolean;

  @Field()
  @Column('boolean')
  skipAutoReplies: boolean;

  @Field()
  @Column('boolean')
  skipBounces: boolean;

  @Field()
  @Column('boolean')
  skipBulkMail: boolean;

  @Field(() => [String], { description: 'Addresses whose mail is never tracked.' })
  @Column('text', { transformer: jsonList })
  blockedAddresses: string[];

  @Field(() => [String], { description: 'Domains (with their subdomains) whose mail is never tracked.' })
  @Column('text', { transformer: jsonList })
  blockedDomains: string[];

  @Field(() => AutoCreateRecords, { description: 'The default for new mailboxes; each mailbox may override it.' })
  @EnumColumn(8)
  defaultAutoCreateRecords: AutoCreateRecords;

  @Field(() => IncomingMethod, { description: 'Incoming method of new mailboxes (Dynamics: server-side synchronization).' })
  @EnumColumn(24, { default: IncomingMethod.SERVER_SIDE_SYNC })
  defaultIncomingMethod: IncomingMethod;

  @Field(() => OutgoingMethod, { description: 'Outgoing method of new mailboxes.' })
  @EnumColumn(24, { default: OutgoingMethod.SERVER_SIDE_SYNC })
  defaultOutgoingMethod: OutgoingMethod;

  @Field(() => ActMethod, { name: 'defaultAppointmentsContactsTasksMethod', description: 'Exchange profiles only; NONE by default.' })
  @EnumColumn(24, { default: ActMethod.NONE })
  defaultActMethod: ActMethod;

  @Field({ description: 'Dynamics\' "Process emails only for approved users/queues" (on by default): nothing syncs until an administrator approves the address.' })
  @Column('boolean', { default: true })
  processEmailOnlyForApprovedMailboxes: boolean;

  @Field(() => Int, { description: 'Largest attachment stored, in KB (Dynamics: 5,120; at most 131,072).' })
  @Column('int')
  maxAttachmentKb: number;

  @Field(() => Int, { description: 'Longest email body stored, in KB; longer bodies are cut and marked truncated.' })
  @Column('int')
  maxBodyKb: number;

  @Field(() => Int, { description: 'Dynamics\' PastExpansionWindow: occurrences of recurring meetings from Exchange are kept this many months back (1–120).' })
  @Column('int', { default: 3 })
  pastExpansionWindowMonths: number;

  @Field(() => Int, { description: 'Dynamics\' FutureExpansionWindow: occurrences of recurring meetings from Exchange are kept this many months ahead (1–140).' })
  @Column('int', { default: 12 })
  futureExpansionWindowMonths: number;

  @Field()
  @UpdateDateColumn({ type: 'datetime', precision: 6 })
  updatedAt: Date;
}

export const ORGANIZATION_SETTINGS_ID = 'default';

export const DEFAULT_EMAIL_SETTINGS: Omit<OrganizationEmailSettings, 'updatedAt'> = {
  id: ORGANIZATION_SETTINGS_ID,
  trackingTokenEnabled: true,
  tokenPrefix: 'CRM',
  tokenBaseNumber: 0,
  tokenUserDigits: 3,
  tokenCounterDigits: 3,
  correlateByInReplyTo: true,
  correlateByTrackingToken: true,
  correlateByThreadIndex: true,
  smartMatchingEnabled: false,
  smartMatchMinSharedRecipients: 2,
  smartMatchWindowDays: 90,
  folderTrackingEnabled: true,
  queueCaseRulesEnabled: true,
  skipAutoReplies: true,
  skipBounces: true,
  skipBulkMail: true,
  blockedAddresses: [],
  blockedDomains: [],
  defaultAutoCreateRecords: AutoCreateRecords.NONE,
  defaultIncomingMethod: IncomingMethod.SERVER_SIDE_SYNC,
  defaultOutgoingMethod: OutgoingMethod.SERVER_SIDE_SYNC,
  defaultActMethod: ActMethod.NONE,
  processEmailOnlyForApprovedMailboxes: true,
  maxAttachmentKb: 5120,
  maxBodyKb: 1024,
  pastExpansionWindowMonths: 3,
  futureExpansionWindowMonths: 12,
};
