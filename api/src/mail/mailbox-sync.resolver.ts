import { Arg, Args, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { ChannelTestInput, MAX_FOLDER_PATH, MAX_RECONCILE_ITEMS, MAX_SERVER_FOLDERS, ReportMailboxFoldersArgs, ServerMessageInput, SyncReportInput } from './mailbox-sync.inputs';
import { MAILBOX_CLAIM_LIMIT, MAILBOX_LEASE_SECONDS } from './mailbox-sync.service';
import { MAX_TIME_ZONE } from './mailbox-time-zone';
import { MailboxWork } from './mailbox-sync.types';
import { Mailbox } from './mailbox.entity';

/** The sync engine's mailbox work: claim under a lease, renew, and report. Sync Service key only. */
@Resolver()
export class MailboxSyncResolver {
  @Mutation(() => [MailboxWork], {
    description: `Sync engine only: claims due mailboxes under a lease, Test & Enable requests first, at most the profile's maxConcurrentConnections leases per profile. limit ${MAILBOX_CLAIM_LIMIT.min}–${MAILBOX_CLAIM_LIMIT.max}; leaseSeconds ${MAILBOX_LEASE_SECONDS.min}–${MAILBOX_LEASE_SECONDS.max}.`,
  })
  claimMailboxes(
    @Arg('engineId', { description: 'Names the claiming engine in the mailbox\'s lease (logs, dashboard).' }) engineId: string,
    @Arg('limit', () => Int, { nullable: true, defaultValue: MAILBOX_CLAIM_LIMIT.default }) limit: number | null,
    @Arg('leaseSeconds', () => Int, { nullable: true, defaultValue: MAILBOX_LEASE_SECONDS.default }) leaseSeconds: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MailboxWork[]> {
    return ctx.services.mailboxSync.claim(principalOf(ctx), engineId, limit ?? undefined, leaseSeconds ?? undefined);
  }

  @Mutation(() => Date, { description: 'Sync engine only: extends a lease it still holds and returns the new leaseUntil; CONFLICT when another engine has the mailbox now.' })
  renewMailboxLease(
    @Arg('mailboxId', () => ID) mailboxId: string,
    @Arg('leaseId', () => ID) leaseId: string,
    @Arg('leaseSeconds', () => Int, { nullable: true, defaultValue: MAILBOX_LEASE_SECONDS.default }) leaseSeconds: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Date> {
    return ctx.services.mailboxSync.renew(principalOf(ctx), mailboxId, leaseId, leaseSeconds ?? undefined);
  }

  @Mutation(() => Mailbox, { description: 'Sync engine only: ends a SYNC lease with what happened; the mailbox\'s state, next sync and alerts follow. CONFLICT when the lease is not current.' })
  releaseMailbox(
    @Arg('mailboxId', () => ID) mailboxId: string,
    @Arg('leaseId', () => ID) leaseId: string,
    @Arg('report') report: SyncReportInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Mailbox> {
    return ctx.services.mailboxSync.release(principalOf(ctx), mailboxId, leaseId, report);
  }

  @Mutation(() => Mailbox, { description: 'Sync engine only: ends a TEST lease with each channel\'s result; the mailbox is enabled when every tested channel passed.' })
  reportMailboxTest(
    @Arg('mailboxId', () => ID) mailboxId: string,
    @Arg('leaseId', () => ID) leaseId: string,
    @Arg('incoming') incoming: ChannelTestInput,
    @Arg('outgoing') outgoing: ChannelTestInput,
    @Arg('act', () => ChannelTestInput, { nullable: true, description: 'Appointments, contacts and tasks (Exchange); NOT_RUN when left out.' }) act: ChannelTestInput | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Mailbox> {
    return ctx.services.mailboxSync.reportTest(principalOf(ctx), mailboxId, leaseId, incoming, outgoing, act);
  }

  @Mutation(() => [String], {
    description: `Sync engine only (the reconciler): the sourceRefs of these server messages that were never decided in this mailbox (neither tracked, filtered nor quarantined). At most ${MAX_RECONCILE_ITEMS} items.`,
  })
  undecidedMessages(
    @Arg('mailboxId', () => ID) mailboxId: string,
    @Arg('leaseId', () => ID) leaseId: string,
    @Arg('items', () => [ServerMessageInput]) items: ServerMessageInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<string[]> {
    return ctx.services.mailboxSync.undecided(principalOf(ctx), mailboxId, leaseId, items);
  }

  @Mutation(() => Mailbox, {
    description: `Sync engine only, under the mailbox's lease: the IANA time zone the mailbox keeps on its server (Exchange: its working hours, else its Outlook on the web options), at most ${MAX_TIME_ZONE} characters; null when it has none. Task days and all-day appointments are written to the server in it; when it changes, tasks whose days came from Outlook keep their days.`,
  })
  reportMailboxTimeZone(
    @Arg('mailboxId', () => ID) mailboxId: string,
    @Arg('leaseId', () => ID) leaseId: string,
    @Arg('timeZone', () => String, { nullable: true }) timeZone: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Mailbox> {
    return ctx.services.mailboxSync.reportTimeZone(principalOf(ctx), mailboxId, leaseId, timeZone);
  }

  @Mutation(() => Mailbox, { description: 'Sync engine only (the reconciler): stores the mailbox\'s coverage; alerts when messages were missing.' })
  reportMailboxCoverage(
    @Arg('mailboxId', () => ID) mailboxId: string,
    @Arg('leaseId', () => ID) leaseId: string,
    @Arg('serverCount', () => Int) serverCount: number,
    @Arg('decidedCount', () => Int) decidedCount: number,
    @Arg('recovered', () => Int) recovered: number,
    @Ctx() ctx: RequestContext,
  ): Promise<Mailbox> {
    return ctx.services.mailboxSync.reportCoverage(principalOf(ctx), mailboxId, leaseId, serverCount, decidedCount, recovered);
  }

  @Mutation(() => Mailbox, {
    description: `Sync engine only, under the mailbox's lease (SYNC or TEST): the folders the server lists, full paths with the server's delimiter, replacing the last list. At most ${MAX_SERVER_FOLDERS} folders of at most ${MAX_FOLDER_PATH} characters. With serverFolders' ids, folder tracking rules follow renamed and moved folders; a rule whose folder is no longer listed is marked missing, with a warning.`,
  })
  reportMailboxFolders(@Args() { mailboxId, leaseId, folders, serverFolders }: ReportMailboxFoldersArgs, @Ctx() ctx: RequestContext): Promise<Mailbox> {
    return ctx.services.mailboxSync.reportFolders(principalOf(ctx), mailboxId, leaseId, folders, serverFolders);
  }
}
