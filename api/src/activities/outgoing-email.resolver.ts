import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { MailServerText } from '../common/argument-guard';
import { principalOf, type RequestContext } from '../graphql/context';
import type { Activity } from './activity.entity';
import { MailTransport } from '../mail/mailbox-sync.types';
import { EmailView } from './activity.types';
import { SendEmailInput } from './outgoing-email.inputs';
import { CLAIM_LIMIT, LEASE_SECONDS, type MailAddress, type OutgoingAttachment, type OutgoingEmail } from './outgoing-email.types';

@ObjectType('MailAddress', { description: 'An address and the name to show beside it in a mail header.' })
export class MailAddressView implements MailAddress {
  @Field()
  address: string;

  @Field(() => String, { nullable: true })
  name: string | null;
}

@ObjectType('OutgoingAttachment')
export class OutgoingAttachmentView implements OutgoingAttachment {
  @Field()
  fileName: string;

  @Field()
  contentType: string;

  @Field(() => Int, { description: 'Bytes.' })
  size: number;

  @Field({ description: 'The content\'s SHA-256 (hex) in the hub\'s blob store.' })
  sha256: string;
}

@ObjectType('OutgoingEmail', { description: 'An email a sync engine claimed to send; report the outcome with markEmailSent or markEmailFailed, quoting leaseId, before leaseUntil.' })
export class OutgoingEmailView implements OutgoingEmail {
  @Field(() => ID, { description: 'The Email\'s id.' })
  emailId: string;

  @Field(() => ID)
  leaseId: string;

  @Field({ description: 'Report before this time; after it the email becomes UNCERTAIN and is not sent again without a decision.' })
  leaseUntil: Date;

  @Field(() => ID, { description: 'The Mailbox to send from.' })
  mailboxId: string;

  @Field(() => MailAddressView)
  from: MailAddress;

  @Field(() => [MailAddressView])
  to: MailAddress[];

  @Field(() => [MailAddressView])
  cc: MailAddress[];

  @Field(() => [MailAddressView], { description: 'Envelope recipients only: never write them into a header.' })
  bcc: MailAddress[];

  @Field()
  subject: string;

  @Field({ description: 'Without angle brackets; send it as the Message-ID header ("<…>") so replies correlate.' })
  messageId: string;

  @Field(() => String, { nullable: true, description: 'Without angle brackets.' })
  inReplyTo: string | null;

  @Field(() => [String], { description: 'The References header, oldest first, without angle brackets.' })
  references: string[];

  @Field(() => String, { nullable: true })
  textBody: string | null;

  @Field(() => String, { nullable: true })
  htmlBody: string | null;

  @Field(() => [OutgoingAttachmentView])
  attachments: OutgoingAttachment[];

  @Field(() => Int, { description: 'Which attempt this is: 1 the first time.' })
  attempt: number;

  @Field(() => MailTransport, { description: 'How to send it: the sender mailbox\'s SMTP server, its IMAP Sent folder, its credentials.' })
  transport: MailTransport;
}

/** Email sent from the hub: users queue it; sync engines claim, send and report. */
@Resolver()
export class OutgoingEmailResolver {
  @Mutation(() => EmailView, { description: 'Queues an email for sending (status PENDING_SEND); a sync engine sends it from the mailbox.' })
  sendEmail(@Arg('input') input: SendEmailInput, @Ctx() ctx: RequestContext): Promise<Activity> {
    return ctx.services.emailComposer.send(principalOf(ctx), input);
  }

  @Mutation(() => [OutgoingEmailView], {
    description: `Sync engine only: claims due emails to send, oldest first, each under a lease. limit ${CLAIM_LIMIT.min}–${CLAIM_LIMIT.max}; leaseSeconds ${LEASE_SECONDS.min}–${LEASE_SECONDS.max}.`,
  })
  claimOutgoingEmails(
    @Arg('limit', () => Int, { defaultValue: CLAIM_LIMIT.default }) limit: number,
    @Arg('leaseSeconds', () => Int, { defaultValue: LEASE_SECONDS.default }) leaseSeconds: number,
    @Ctx() ctx: RequestContext,
  ): Promise<OutgoingEmail[]> {
    return ctx.services.sendQueue.claim(principalOf(ctx), limit, leaseSeconds);
  }

  @Mutation(() => EmailView, { description: 'Sync engine only: the mail server accepted the email. CONFLICT when the lease is not current; repeating the same report is harmless.' })
  markEmailSent(
    @Arg('emailId', () => ID) emailId: string,
    @Arg('leaseId', () => ID) leaseId: string,
    @Arg('sentAt', () => Date, { nullable: true }) sentAt: Date | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Activity> {
    return ctx.services.sendQueue.markSent(principalOf(ctx), emailId, leaseId, sentAt);
  }

  @MailServerText()
  @Mutation(() => EmailView, {
    description:
      'Sync engine only: sending failed. retryable means it was certainly not delivered (e.g. refused before DATA): it is tried again after a back-off, at most 5 attempts in all; otherwise it is FAILED.',
  })
  markEmailFailed(
    @Arg('emailId', () => ID) emailId: string,
    @Arg('leaseId', () => ID) leaseId: string,
    @Arg('reason') reason: string,
    @Arg('retryable') retryable: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<Activity> {
    return ctx.services.sendQueue.markFailed(principalOf(ctx), emailId, leaseId, reason, retryable);
  }

  @Mutation(() => EmailView, { description: 'Sync engine only: whether an UNCERTAIN email\'s Message-ID is in the mailbox\'s Sent folder: SENT, or back to PENDING_SEND.' })
  resolveUncertainEmail(
    @Arg('emailId', () => ID) emailId: string,
    @Arg('delivered') delivered: boolean,
    @Arg('sentAt', () => Date, { nullable: true }) sentAt: Date | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Activity> {
    return ctx.services.sendQueue.resolveUncertain(principalOf(ctx), emailId, delivered, sentAt);
  }

  @Mutation(() => EmailView, { description: 'Sends a FAILED or UNCERTAIN email again (an UNCERTAIN one may then arrive twice). Needs write access to the email.' })
  retrySend(@Arg('emailId', () => ID) emailId: string, @Ctx() ctx: RequestContext): Promise<Activity> {
    return ctx.services.outgoingActions.retry(principalOf(ctx), emailId);
  }

  @Mutation(() => EmailView, { description: 'Withdraws a PENDING_SEND, FAILED or UNCERTAIN email (not one being sent: CONFLICT). Needs write access to the email.' })
  cancelEmail(@Arg('emailId', () => ID) emailId: string, @Ctx() ctx: RequestContext): Promise<Activity> {
    return ctx.services.outgoingActions.cancel(principalOf(ctx), emailId);
  }
}
