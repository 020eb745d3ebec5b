import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { MailboxWork } from './mailbox-sync.types';
import { MAX_WATCH_LEASES, WATCH_CLAIM_LIMIT, WATCH_LEASE_SECONDS } from './mailbox-watch.service';

const ENGINE_ID = 'Names the watching engine (its ENGINE_ID): only the engine that claimed a watch lease renews, releases or reports on it.';
const LEASE_IDS = `Watch leases from claimMailboxWatches, at most ${MAX_WATCH_LEASES}.`;

/** The sync engine's push connections: watch leases, apart from the work leases of claimMailboxes. Sync Service key only. */
@Resolver()
export class MailboxWatchResolver {
  @Mutation(() => [MailboxWork], {
    description: `Sync engine only: takes watch leases on IMAP and Exchange (EWS) mailboxes that sync incoming mail and that no engine watches (or whose watch lease ran out), and answers how to connect to each; \`leaseId\` is the watch lease (it names no work lease: syncing still goes through claimMailboxes). limit ${WATCH_CLAIM_LIMIT.min}–${WATCH_CLAIM_LIMIT.max}; leaseSeconds ${WATCH_LEASE_SECONDS.min}–${WATCH_LEASE_SECONDS.max}.`,
  })
  claimMailboxWatches(
    @Arg('engineId', { description: ENGINE_ID }) engineId: string,
    @Arg('limit', () => Int, { nullable: true, defaultValue: WATCH_CLAIM_LIMIT.default }) limit: number | null,
    @Arg('leaseSeconds', () => Int, { nullable: true, defaultValue: WATCH_LEASE_SECONDS.default }) leaseSeconds: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MailboxWork[]> {
    return ctx.services.mailboxWatch.claim(principalOf(ctx), engineId, limit ?? undefined, leaseSeconds ?? undefined);
  }

  @Mutation(() => [ID], { description: 'Sync engine only: extends the watch leases the engine still holds; answers those it no longer holds (another engine has the mailbox, its configuration changed, or it is no longer watched): close their connections.' })
  renewMailboxWatches(
    @Arg('engineId', { description: ENGINE_ID }) engineId: string,
    @Arg('leaseIds', () => [ID], { description: LEASE_IDS }) leaseIds: string[],
    @Arg('leaseSeconds', () => Int, { nullable: true, defaultValue: WATCH_LEASE_SECONDS.default }) leaseSeconds: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<string[]> {
    return ctx.services.mailboxWatch.renew(principalOf(ctx), engineId, leaseIds, leaseSeconds ?? undefined);
  }

  @Mutation(() => Int, { description: 'Sync engine only: ends watch leases the engine holds (it is stopping), so other engines watch the mailboxes at once; answers how many it ended.' })
  releaseMailboxWatches(
    @Arg('engineId', { description: ENGINE_ID }) engineId: string,
    @Arg('leaseIds', () => [ID], { description: LEASE_IDS }) leaseIds: string[],
    @Ctx() ctx: RequestContext,
  ): Promise<number> {
    return ctx.services.mailboxWatch.release(principalOf(ctx), engineId, leaseIds);
  }

  @Mutation(() => [ID], { description: 'Sync engine only: new mail arrived in these watched mailboxes; each is due for a sync now. Answers the watch leases the engine no longer holds (nothing was done for those).' })
  mailboxesChanged(
    @Arg('engineId', { description: ENGINE_ID }) engineId: string,
    @Arg('leaseIds', () => [ID], { description: LEASE_IDS }) leaseIds: string[],
    @Ctx() ctx: RequestContext,
  ): Promise<string[]> {
    return ctx.services.mailboxWatch.changed(principalOf(ctx), engineId, leaseIds);
  }
}
