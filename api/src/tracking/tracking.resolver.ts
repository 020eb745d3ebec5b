import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { TrackEmailsInput, TrackEmailsResult } from './track-emails.inputs';

@Resolver()
export class TrackingResolver {
  @Mutation(() => TrackEmailsResult, {
    description:
      'The sync engine only: tracks a batch of messages from one mailbox and moves its cursor, in one transaction. Idempotent: a replayed batch reports DUPLICATE items and changes nothing.',
  })
  trackEmails(@Arg('mailboxId', () => ID) mailboxId: string, @Arg('input') input: TrackEmailsInput, @Ctx() ctx: RequestContext): Promise<TrackEmailsResult> {
    return ctx.services.tracking.trackEmails(principalOf(ctx), mailboxId, input);
  }
}
