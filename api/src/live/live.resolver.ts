import { Args, Ctx, Query, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { ApiError } from '../common/errors';
import { principalOf, type RequestContext } from '../graphql/context';
import type { LiveConnection } from './live-connection';
import { encodeLiveCursor } from './live-cursor';
import type { LiveCaller, LiveDelivery } from './live-subscriptions';
import { ActivityChangedArgs, ActivityEventView, ExchangeWritesDueView, FeedArgs, MailboxChangedArgs, MailboxEventView, ResumeArgs } from './live.types';

type Data<A> = SubscribeResolverData<unknown, A, RequestContext>;

/** The subscriber: signed in (checked first), on a connection that carries subscriptions (checked once the arguments are). */
function liveCaller(ctx: RequestContext): LiveCaller {
  return { principal: principalOf(ctx), connection: () => liveConnectionOf(ctx) };
}

/** The connection a subscription runs on; subscriptions are refused over plain HTTP. */
function liveConnectionOf(ctx: RequestContext): LiveConnection {
  const connection = (ctx as { live?: LiveConnection }).live;
  if (!connection) throw new ApiError('BAD_USER_INPUT', 'subscriptions run over a WebSocket (graphql-ws) or Server-Sent Events (graphql-sse) on /graphql, not over a plain POST');
  return connection;
}

/**
 * The realtime API (graphql-ws over WebSocket, graphql-sse over Server-Sent Events, both on /graphql).
 * `subscribe` opens the stream; the field resolver returns each delivery's view.
 */
@Resolver()
export class LiveResolver {
  @Query(() => String, {
    description:
      'The cursor of the newest committed change. Read it before (or in the same request as) the data you show, then subscribe with `after` set to it: nothing that commits in between is missed (you may receive a change your data already shows).',
  })
  async liveCursor(@Ctx() ctx: RequestContext): Promise<string> {
    principalOf(ctx);
    return encodeLiveCursor(await ctx.services.liveEvents.newestId());
  }

  @Subscription(() => ActivityEventView, {
    description: 'Activities tracked, created, changed or removed on a record’s timeline, as timeline(recordId, includeRelated) would show them to you.',
    subscribe: async ({ args, context }: Data<ActivityChangedArgs>) => context.services.live.activityChanged(liveCaller(context), args),
  })
  activityChanged(@Root() delivery: LiveDelivery<ActivityEventView>, @Args(() => ActivityChangedArgs) _args: ActivityChangedArgs): ActivityEventView {
    return delivery.view;
  }

  @Subscription(() => ActivityEventView, {
    description: 'Your live activity feed: every change to an activity you may read, as it happens.',
    subscribe: async ({ args, context }: Data<FeedArgs>) => context.services.live.myFeed(liveCaller(context), args),
  })
  myFeed(@Root() delivery: LiveDelivery<ActivityEventView>, @Args(() => FeedArgs) _args: FeedArgs): ActivityEventView {
    return delivery.view;
  }

  @Subscription(() => MailboxEventView, {
    description: 'Changes to a mailbox (or, without mailboxId, every mailbox you may see): state, approval, Test & Enable, alerts, sync progress. For the owner and administrators.',
    subscribe: async ({ args, context }: Data<MailboxChangedArgs>) => context.services.live.mailboxChanged(liveCaller(context), args),
  })
  mailboxChanged(@Root() delivery: LiveDelivery<MailboxEventView>, @Args(() => MailboxChangedArgs) _args: MailboxChangedArgs): MailboxEventView {
    return delivery.view;
  }

  @Subscription(() => ExchangeWritesDueView, {
    description:
      'For the sync engine (an API key of a service account with the Sync Service role): appointments, tasks and contacts changed whose owners have Exchange mailboxes that synchronize them (contacts also where they are paired), so the engine holding such a mailbox writes to Exchange at once.',
    subscribe: async ({ args, context }: Data<ResumeArgs>) => context.services.live.exchangeWritesDue(liveCaller(context), args),
  })
  exchangeWritesDue(@Root() delivery: LiveDelivery<ExchangeWritesDueView>, @Args(() => ResumeArgs) _args: ResumeArgs): ExchangeWritesDueView {
    return delivery.view;
  }

  @Subscription(() => ActivityEventView, {
    description: 'Your own emails sent from the hub as they move through PENDING_SEND, SENDING, SENT, FAILED, UNCERTAIN or CANCELLED.',
    subscribe: async ({ args, context }: Data<ResumeArgs>) => context.services.live.outgoingEmailChanged(liveCaller(context), args),
  })
  outgoingEmailChanged(@Root() delivery: LiveDelivery<ActivityEventView>, @Args(() => ResumeArgs) _args: ResumeArgs): ActivityEventView {
    return delivery.view;
  }
}
