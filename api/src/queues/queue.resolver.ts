import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { User } from '../identity/user.entity';
import { visibleUser } from '../records/record-fields.resolver';
import { CreateQueueInput, UpdateQueueInput } from './queue.inputs';
import { Queue } from './queue.entity';

@Resolver(() => Queue)
export class QueueResolver {
  @Query(() => [Queue])
  queues(@Ctx() ctx: RequestContext): Promise<Queue[]> {
    return ctx.services.queues.list(principalOf(ctx));
  }

  @Mutation(() => Queue, { description: 'A shared inbox with its own mailbox; administrators only.' })
  createQueue(@Arg('input') input: CreateQueueInput, @Ctx() ctx: RequestContext): Promise<Queue> {
    return ctx.services.queues.create(principalOf(ctx), input);
  }

  @Mutation(() => Queue)
  updateQueue(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateQueueInput, @Ctx() ctx: RequestContext): Promise<Queue> {
    return ctx.services.queues.update(principalOf(ctx), id, input);
  }

  @FieldResolver(() => User, { nullable: true })
  owner(@Root() queue: Queue, @Ctx() ctx: RequestContext): Promise<User | null> {
    return visibleUser(ctx, queue.ownerId);
  }
}
