import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Privilege } from '../access/privileges';
import { badInput, forbidden } from '../common/errors';
import { principalOf, type RequestContext } from '../graphql/context';
import { EmailServerProfileView, profileView } from './email-server-profile.types';
import { EmailApproval } from './mail-enums';
import { MailboxAlert } from './mailbox-alert.entity';
import { ConfigureMailboxInput, MailboxCredentialsInput } from './mailbox-config.inputs';
import { ChannelTest, channelTest, coverageOf, MailboxCoverage } from './mailbox-config.types';
import { Mailbox } from './mailbox.entity';
import { mayUseMailbox } from './mailbox.service';
import { QuarantinedMessage } from './quarantined-message.entity';

const MAX_PAGE = 500;

/** Dynamics' mailbox form and its buttons. */
@Resolver(() => Mailbox)
export class MailboxConfigResolver {
  @Mutation(() => Mailbox, { description: 'Administrators: server profile, synchronization methods, forward mailbox. A new profile or a newly enabled channel needs Test & Enable again.' })
  configureMailbox(@Arg('id', () => ID) id: string, @Arg('input') input: ConfigureMailboxInput, @Ctx() ctx: RequestContext): Promise<Mailbox> {
    return ctx.services.mailboxConfig.configure(principalOf(ctx), id, input);
  }

  @Mutation(() => Mailbox, { description: 'The mailbox owner or an administrator. Write-only; a mailbox stopped by a refused password resumes.' })
  setMailboxCredentials(@Arg('id', () => ID) id: string, @Arg('input') input: MailboxCredentialsInput, @Ctx() ctx: RequestContext): Promise<Mailbox> {
    return ctx.services.mailboxConfig.setCredentials(principalOf(ctx), id, input);
  }

  @Mutation(() => Mailbox, { description: 'Administrators: approve the mailbox\'s email address (Dynamics\' "Approve Email").' })
  approveMailboxEmail(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Mailbox> {
    return ctx.services.mailboxConfig.setApproval(principalOf(ctx), id, EmailApproval.APPROVED);
  }

  @Mutation(() => Mailbox, { description: 'Administrators: reject the mailbox\'s email address.' })
  rejectMailboxEmail(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Mailbox> {
    return ctx.services.mailboxConfig.setApproval(principalOf(ctx), id, EmailApproval.REJECTED);
  }

  @Mutation(() => Mailbox, {
    description: 'The mailbox owner or an administrator: a sync engine tests each channel and reports (incomingTest, outgoingTest); success enables the mailbox.',
  })
  testAndEnableMailbox(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Mailbox> {
    return ctx.services.mailboxConfig.testAndEnable(principalOf(ctx), id);
  }

  @Mutation(() => Mailbox, { description: 'Administrators: stop synchronizing (DISABLED_BY_ADMIN) until Test & Enable.' })
  disableMailbox(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Mailbox> {
    return ctx.services.mailboxConfig.disable(principalOf(ctx), id);
  }

  @Mutation(() => Mailbox, { description: 'Administrators: re-read mail received since `from` at the next sync, without duplicates.' })
  resyncMailbox(@Arg('id', () => ID) id: string, @Arg('from') from: Date, @Ctx() ctx: RequestContext): Promise<Mailbox> {
    return ctx.services.mailboxConfig.resync(principalOf(ctx), id, from);
  }

  @FieldResolver(() => EmailServerProfileView, { nullable: true, description: 'The server the mailbox connects to (never its secrets).' })
  async profile(@Root() mailbox: Mailbox, @Ctx() ctx: RequestContext): Promise<EmailServerProfileView | null> {
    if (!mailbox.profileId) return null;
    const profile = await ctx.loaders.emailServerProfiles.load(mailbox.profileId);
    return profile ? profileView(profile) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the mailbox holds its own password or token (never readable); a profile with useProfileCredentials needs none.' })
  hasCredentials(@Root() mailbox: Mailbox): boolean {
    return !!mailbox.credentialSecret;
  }

  @FieldResolver(() => String, { nullable: true })
  credentialUsername(@Root() mailbox: Mailbox): string | null {
    return mailbox.credentialUsername;
  }

  @FieldResolver(() => ChannelTest)
  incomingTest(@Root() mailbox: Mailbox): ChannelTest {
    return channelTest(mailbox, 'incoming');
  }

  @FieldResolver(() => ChannelTest)
  outgoingTest(@Root() mailbox: Mailbox): ChannelTest {
    return channelTest(mailbox, 'outgoing');
  }

  @FieldResolver(() => ChannelTest, { description: 'Test & Enable of appointments, contacts and tasks (Exchange profiles whose mailbox syncs them).' })
  appointmentsContactsTasksTest(@Root() mailbox: Mailbox): ChannelTest {
    return channelTest(mailbox, 'act');
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the mailbox is next due for a sync.' })
  nextSyncAt(@Root() mailbox: Mailbox): Date | null {
    return mailbox.nextSyncAt;
  }

  @FieldResolver(() => MailboxCoverage, { nullable: true, description: 'Null until the reconciler ran.' })
  coverage(@Root() mailbox: Mailbox): MailboxCoverage | null {
    return coverageOf(mailbox);
  }

  @FieldResolver(() => [MailboxAlert], { description: 'The alert log, newest first (first: 1–500).' })
  alerts(@Root() mailbox: Mailbox, @Arg('first', () => Int, { defaultValue: 50 }) first: number, @Ctx() ctx: RequestContext): Promise<MailboxAlert[]> {
    return ctx.loaders.mailboxAlerts(pageSize(ctx, mailbox, first)).load(mailbox.id);
  }

  @FieldResolver(() => [QuarantinedMessage], { description: 'Messages the engine could not track, newest first (first: 1–500).' })
  quarantined(@Root() mailbox: Mailbox, @Arg('first', () => Int, { defaultValue: 50 }) first: number, @Ctx() ctx: RequestContext): Promise<QuarantinedMessage[]> {
    return ctx.loaders.quarantinedMessages(pageSize(ctx, mailbox, first)).load(mailbox.id);
  }
}

/** The page size asked for, once the caller is known to be the mailbox owner or an administrator. */
function pageSize(ctx: RequestContext, mailbox: Mailbox, first: number): number {
  // Every path to a Mailbox already checks this; the log is the owner's and the administrators' only.
  if (!mayUseMailbox(principalOf(ctx), mailbox, Privilege.READ)) throw forbidden('only the mailbox owner and administrators read its log');
  if (first < 1 || first > MAX_PAGE) throw badInput('first', `must be between 1 and ${MAX_PAGE}`);
  return first;
}
