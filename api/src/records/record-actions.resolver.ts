import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { holds } from '../access/principal';
import { AccessEntity, Privilege } from '../access/privileges';
import { readableActivity, readableAttachment } from '../activities/activity-views.resolver';
import { ACTIVITY_GLOBAL_TYPES } from '../activities/activity.entity';
import { parseGlobalId, expectGlobalId } from '../common/global-id';
import { principalOf, type RequestContext } from '../graphql/context';
import { Node } from '../common/node';
import { kindOfGlobalType } from './record-kind';
import { visibleUser } from './record-fields.resolver';

const RECORD_TYPES = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'] as const;

/** What works the same on every record type: fetch by id, delete, assign, share. */
@Resolver()
export class RecordActionsResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist or you may not read it.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<object | null> {
    const principal = principalOf(ctx);
    const parsed = parseGlobalId(id);
    if (!parsed) return null;
    const kind = kindOfGlobalType(parsed.type);
    if (kind) return (await ctx.loaders.readable[kind].load(parsed.id)) ?? null;
    if (ACTIVITY_GLOBAL_TYPES.includes(parsed.type)) return readableActivity(ctx, parsed.type, parsed.id);
    switch (parsed.type) {
      case 'User':
        return visibleUser(ctx, parsed.id);
      case 'Attachment':
        return readableAttachment(ctx, parsed.id);
      case 'BusinessUnit':
        return holds(principal, AccessEntity.BUSINESS_UNIT, Privilege.READ) ? ((await ctx.loaders.units.load(parsed.id)) ?? null) : null;
      default:
        return null;
    }
  }

  @Mutation(() => ID, { description: 'Deletes a record and its email addresses; returns its id.' })
  async deleteRecord(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<string> {
    const parsed = expectGlobalId('id', id, ...RECORD_TYPES);
    await ctx.services.writer.remove(principalOf(ctx), kindOfGlobalType(parsed.type)!, parsed.id);
    return id;
  }

  @Mutation(() => Node, { description: 'Gives a record a new owner; it moves to the owner’s business unit.' })
  assignRecord(@Arg('id', () => ID) id: string, @Arg('ownerId', () => ID) ownerId: string, @Ctx() ctx: RequestContext): Promise<object> {
    const parsed = expectGlobalId('id', id, ...RECORD_TYPES);
    const owner = expectGlobalId('ownerId', ownerId, 'User');
    return ctx.services.writer.assign(principalOf(ctx), kindOfGlobalType(parsed.type)!, parsed.id, owner.id);
  }

  @Mutation(() => Node, { description: 'Lets one user read (and with canWrite, change) a record beyond their roles’ reach.' })
  shareRecord(
    @Arg('id', () => ID) id: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('canWrite', { defaultValue: false }) canWrite: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<object> {
    const parsed = expectGlobalId('id', id, ...RECORD_TYPES);
    const user = expectGlobalId('userId', userId, 'User');
    return ctx.services.writer.share(principalOf(ctx), kindOfGlobalType(parsed.type)!, parsed.id, user.id, canWrite);
  }

  @Mutation(() => Node)
  unshareRecord(@Arg('id', () => ID) id: string, @Arg('userId', () => ID) userId: string, @Ctx() ctx: RequestContext): Promise<object> {
    const parsed = expectGlobalId('id', id, ...RECORD_TYPES);
    const user = expectGlobalId('userId', userId, 'User');
    return ctx.services.writer.unshare(principalOf(ctx), kindOfGlobalType(parsed.type)!, parsed.id, user.id);
  }
}
