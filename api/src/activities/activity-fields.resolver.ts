import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { User } from '../identity/user.entity';
import { visibleUser } from '../records/record-fields.resolver';
import type { RecordKind } from '../records/record-kind';
import { PrivacyLevel } from './activity-enums';
import { showsContent, showsSubject, privacyFor } from './activity-privacy';
import type { Activity } from './activity.entity';
import { ActivityPartyView, PartyRecord, RegardingRecord } from './activity.types';

/** The caller's privacy level for one activity (one batched look-up of mailbox owners per page). */
export async function visibleAs(ctx: RequestContext, activity: Activity): Promise<PrivacyLevel> {
  if (activity.visibility === PrivacyLevel.FULL) return PrivacyLevel.FULL;
  return privacyFor(principalOf(ctx).userId, activity, await ctx.loaders.activity.mailboxOwners.load(activity.id));
}

export async function loadRecord(ctx: RequestContext, kind: string | null, id: string | null): Promise<object | null> {
  if (!kind || !id) return null;
  switch (kind) {
    case 'user':
      return visibleUser(ctx, id);
    case 'queue':
      return (await ctx.loaders.activity.queues.load(id)) ?? null;
    default:
      return (await ctx.loaders.readable[kind as RecordKind]?.load(id)) ?? null;
  }
}

/** Fields every activity type shares; each activity type's resolver extends it. */
export function activityFieldsResolver<T extends object>(view: ClassType<T>) {
  @Resolver(() => view)
  abstract class ActivityFieldsResolver {
    // Synchronous for the common case (nothing hidden): a resolver that always returns a promise
    // sends graphql-js down its slower asynchronous path for every item of a page.
    @FieldResolver(() => String, { nullable: true })
    subject(@Root() activity: Activity, @Ctx() ctx: RequestContext): string | null | Promise<string | null> {
      if (activity.visibility === PrivacyLevel.FULL) return activity.subject;
      return visibleAs(ctx, activity).then((level) => (showsSubject(level) ? activity.subject : null));
    }

    @FieldResolver(() => String, { nullable: true })
    description(@Root() activity: Activity, @Ctx() ctx: RequestContext): string | null | Promise<string | null> {
      if (activity.visibility === PrivacyLevel.FULL) return activity.description;
      return visibleAs(ctx, activity).then((level) => (showsContent(level) ? activity.description : null));
    }

    @FieldResolver(() => PrivacyLevel)
    visibleAs(@Root() activity: Activity, @Ctx() ctx: RequestContext): PrivacyLevel | Promise<PrivacyLevel> {
      return activity.visibility === PrivacyLevel.FULL ? PrivacyLevel.FULL : visibleAs(ctx, activity);
    }

    @FieldResolver(() => RegardingRecord, { nullable: true })
    regarding(@Root() activity: Activity, @Ctx() ctx: RequestContext): Promise<object | null> {
      return loadRecord(ctx, activity.regardingKind, activity.regardingId);
    }

    @FieldResolver(() => User, { nullable: true })
    owner(@Root() activity: Activity, @Ctx() ctx: RequestContext): Promise<User | null> {
      return visibleUser(ctx, activity.ownerId);
    }

    @FieldResolver(() => [ActivityPartyView])
    async parties(@Root() activity: Activity, @Ctx() ctx: RequestContext): Promise<ActivityPartyView[]> {
      const rows = await ctx.loaders.activity.parties.load(activity.id);
      return rows.map((r) => Object.assign(new ActivityPartyView(), r));
    }
  }
  return ActivityFieldsResolver;
}

@Resolver(() => ActivityPartyView)
export class ActivityPartyResolver {
  @FieldResolver(() => PartyRecord, { nullable: true })
  record(@Root() party: ActivityPartyView, @Ctx() ctx: RequestContext): Promise<object | null> {
    return loadRecord(ctx, party.partyKind, party.partyId);
  }
}

