import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { holds } from '../access/principal';
import { AccessEntity, Privilege } from '../access/privileges';
import { User } from '../identity/user.entity';
import { RecordAccess } from '../records/record-access.types';
import { visibleUser } from '../records/record-fields.resolver';
import type { RecordKind } from '../records/record-kind';
import { mayOnActivity } from './activity-access';
import { ActivityKind, PrivacyLevel } from './activity-enums';
import type { ActivityParty } from './activity-party.entity';
import { showsContent, showsSubject, privacyFor } from './activity-privacy';
import type { Activity } from './activity.entity';
import { ActivityPartyView, PartyRecord, RegardingRecord, type TrackingDecision } from './activity.types';
import { decisionLink, refKey, refsIn, sameLink, seenDecision, seenLink, seenName, type PartyLink, type Ref } from './party-view';

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
      if (!holds(principalOf(ctx), AccessEntity.QUEUE, Privilege.READ)) return null;
      return (await ctx.loaders.activity.queues.load(id)) ?? null;
    default:
      return (await ctx.loaders.readable[kind as RecordKind]?.load(id)) ?? null;
  }
}

/** The keys (refKey) of those `refs` the caller may read, through the same batched loaders as every read. */
async function readableRefs(ctx: RequestContext, refs: readonly Ref[]): Promise<Set<string>> {
  const readable = new Set<string>();
  await Promise.all(
    refs.map(async (ref) => {
      const visible =
        ref.kind === 'email'
          ? await ctx.loaders.activity.activities.load(ref.id).then((a) => !!a && mayOnActivity(principalOf(ctx), Privilege.READ, a))
          : (await loadRecord(ctx, ref.kind, ref.id)) !== null;
      if (visible) readable.add(refKey(ref));
    }),
  );
  return readable;
}

const storedLink = (p: ActivityParty): PartyLink => {
  const match = p.partyKind && p.partyId ? ({ kind: p.partyKind, id: p.partyId } as Ref) : null;
  const candidates = (p.candidates ?? '').split(',').filter(Boolean).map((c) => {
    const colon = c.indexOf(':');
    return { kind: c.slice(0, colon), id: c.slice(colon + 1) } as Ref;
  });
  return { resolution: p.resolution, match, candidates: candidates.length ? candidates : match ? [match] : [] };
};

/** Tracked mail and meeting invitations name parties as the message did; everything else copies the record's name. */
async function namesFromMessage(ctx: RequestContext, activity: Activity): Promise<boolean> {
  if (activity.kind === ActivityKind.EMAIL) return !!(await ctx.loaders.activity.emails.load(activity.id))?.trackingDecision;
  if (activity.kind === ActivityKind.APPOINTMENT) {
    // A meeting from an invitation or the Exchange Calendar, or an occurrence of a series from there.
    const detail = await ctx.loaders.activity.appointments.load(activity.id);
    return !!(detail?.icalUid || detail?.seriesId);
  }
  return false;
}

/** An activity's parties as the caller sees them (party-view.ts): hidden records count as unknown addresses. */
export async function partiesAsSeen(ctx: RequestContext, activity: Activity): Promise<ActivityPartyView[]> {
  const rows = await ctx.loaders.activity.parties.load(activity.id);
  const links = rows.map(storedLink);
  const readable = await readableRefs(ctx, links.flatMap((l) => l.candidates));
  const seen = links.map((link) => seenLink(link, (ref) => readable.has(refKey(ref))));
  // Asked only when something is hidden: a reader of everything costs no look-up more.
  const fromMessage = seen.every((s, i) => sameLink(s, links[i])) ? false : await namesFromMessage(ctx, activity);
  return rows.map((row, i) => {
    const { resolution, match } = seen[i];
    const name = sameLink(seen[i], links[i]) ? row.displayName : seenName(row.displayName, fromMessage);
    return Object.assign(new ActivityPartyView(), { role: row.role, address: row.address, displayName: name, resolution, partyKind: match?.kind ?? null, partyId: match?.id ?? null });
  });
}

/** A stored tracking decision as the caller sees it (party-view.ts). */
export async function decisionAsSeen(ctx: RequestContext, activity: Activity, decision: TrackingDecision): Promise<TrackingDecision> {
  const regarding = activity.regardingKind && activity.regardingId ? ({ kind: activity.regardingKind, id: activity.regardingId } as Ref) : null;
  const refs = [
    ...decision.parties.flatMap((p) => decisionLink(p).candidates),
    ...decision.steps.flatMap((s) => refsIn(s.detail)),
    ...refsIn(decision.correlationEvidence ?? ''),
    ...(regarding ? [regarding] : []),
  ];
  const readable = await readableRefs(ctx, refs);
  return seenDecision(decision, (ref) => readable.has(refKey(ref)), regarding);
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

    @FieldResolver(() => RecordAccess)
    viewerAccess(@Root() activity: Activity, @Ctx() ctx: RequestContext): RecordAccess {
      const principal = principalOf(ctx);
      const may = (privilege: Privilege) => mayOnActivity(principal, privilege, activity);
      return Object.assign(new RecordAccess(), {
        write: may(Privilege.WRITE),
        delete: may(Privilege.DELETE),
        assign: may(Privilege.ASSIGN),
        share: may(Privilege.SHARE),
        append: may(Privilege.APPEND),
        appendTo: may(Privilege.APPEND_TO),
      });
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
    parties(@Root() activity: Activity, @Ctx() ctx: RequestContext): Promise<ActivityPartyView[]> {
      return partiesAsSeen(ctx, activity);
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

