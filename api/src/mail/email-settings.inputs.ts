import { ArrayMaxSize, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { MaxLength } from '../common/validation';
import { ActMethod, AutoCreateRecords, IncomingMethod, OutgoingMethod } from './mail-enums';

@InputType({ description: 'Fields left out keep their value.' })
export class UpdateEmailSettingsInput {
  @Field({ nullable: true })
  trackingTokenEnabled?: boolean;

  @Field({ nullable: true, description: '1–20 letters or digits.' })
  @MaxLength(20)
  tokenPrefix?: string;

  @Field(() => Int, { nullable: true })
  @Min(0)
  @Max(2147483647)
  tokenBaseNumber?: number;

  @Field(() => Int, { nullable: true })
  @Min(1)
  @Max(10)
  tokenUserDigits?: number;

  @Field(() => Int, { nullable: true })
  @Min(1)
  @Max(9)
  tokenCounterDigits?: number;

  @Field({ nullable: true })
  correlateByInReplyTo?: boolean;

  @Field({ nullable: true })
  correlateByTrackingToken?: boolean;

  @Field({ nullable: true })
  correlateByThreadIndex?: boolean;

  @Field({ nullable: true })
  smartMatchingEnabled?: boolean;

  @Field(() => Int, { nullable: true })
  @Min(1)
  @Max(50)
  smartMatchMinSharedRecipients?: number;

  @Field(() => Int, { nullable: true })
  @Min(1)
  @Max(3650)
  smartMatchWindowDays?: number;

  @Field({ nullable: true })
  folderTrackingEnabled?: boolean;

  @Field({ nullable: true })
  queueCaseRulesEnabled?: boolean;

  @Field({ nullable: true })
  skipAutoReplies?: boolean;

  @Field({ nullable: true })
  skipBounces?: boolean;

  @Field({ nullable: true })
  skipBulkMail?: boolean;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(5000)
  blockedAddresses?: string[];

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(5000)
  blockedDomains?: string[];

  @Field(() => AutoCreateRecords, { nullable: true })
  defaultAutoCreateRecords?: AutoCreateRecords;

  @Field(() => IncomingMethod, { nullable: true, description: 'For mailboxes created from now on.' })
  defaultIncomingMethod?: IncomingMethod;

  @Field(() => OutgoingMethod, { nullable: true, description: 'For mailboxes created from now on.' })
  defaultOutgoingMethod?: OutgoingMethod;

  @Field(() => ActMethod, { nullable: true, description: 'New mailboxes get it when their profile is EXCHANGE_EWS; on IMAP/POP3 profiles they get NONE, as in Dynamics.' })
  defaultAppointmentsContactsTasksMethod?: ActMethod;

  @Field({ nullable: true })
  processEmailOnlyForApprovedMailboxes?: boolean;

  @Field(() => Int, { nullable: true })
  @Min(1)
  @Max(131072)
  maxAttachmentKb?: number;

  @Field(() => Int, { nullable: true })
  @Min(1)
  @Max(16384)
  maxBodyKb?: number;

  @Field(() => Int, { nullable: true })
  @Min(1)
  @Max(120)
  pastExpansionWindowMonths?: number;

  @Field(() => Int, { nullable: true })
  @Min(1)
  @Max(140)
  futureExpansionWindowMonths?: number;
}
