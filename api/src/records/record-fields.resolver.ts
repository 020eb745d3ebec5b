import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import { depthOf, holds, withinDepth } from '../access/principal';
import { AccessEntity, Privilege } from '../access/privileges';
import { principalOf, type RequestContext } from '../graphql/context';
import { BusinessUnit } from '../identity/business-unit.entity';
import { User } from '../identity/user.entity';
import type { OwnedRecord } from './owned-record';
import { MAX_SHARES_LISTED, RecordAccess, RecordShareGrant } from './record-access.types';
import { RECORD_ACCESS_ENTITY, type RecordKind } from './record-kind';

/** Loads a user if the caller may read users at all (every seeded role may; a custom role might not). */
export async function visibleUser(ctx: RequestContext, userId: string): Promise<User | null> {
  if (!holds(principalOf(ctx), AccessEntity.USER, Privilege.READ)) return null;
  return (await ctx.loaders.users.load(userId)) ?? null;
}

/** Fields every owned record has: owner, business unit, creator, last modifier, what you may do with it. Extended by each record's resolver. */
export function recordFieldsResolver<T extends OwnedRecord>(entity: ClassType<T>, kind: RecordKind) {
  @Resolver(() => entity)
  abstract class RecordFieldsResolver {
    @FieldResolver(() => RecordAccess, {
      description: 'What you may do with this record, as your security roles (privilege and depth) and its shares with you allow; a client offers only these actions.',
    })
    async viewerAccess(@Root() record: T, @Ctx() ctx: RequestContext): Promise<RecordAccess> {
      const principal = principalOf(ctx);
      const entity = RECORD_ACCESS_ENTITY[kind];
      const may = (privilege: Privilege) => withinDepth(principal, depthOf(principal, entity, privilege), record);
      return Object.assign(new RecordAccess(), {
        write: await ctx.loaders.writable[kind].load(record),
        delete: may(Privilege.DELETE),
        assign: may(Privilege.ASSIGN),
        share: may(Privilege.SHARE),
        append: may(Privilege.APPEND),
        appendTo: may(Privilege.APPEND_TO),
      });
    }

    @FieldResolver(() => [RecordShareGrant], {
      nullable: true,
      description: 'Who it is shared with beyond their roles’ reach, oldest first (at most 500); null unless you may share it (viewerAccess.share), as Dynamics shows “who has access” to who may change it.',
    })
    async shares(@Root() record: T, @Ctx() ctx: RequestContext): Promise<RecordShareGrant[] | null> {
      const principal = principalOf(ctx);
      if (!withinDepth(principal, depthOf(principal, RECORD_ACCESS_ENTITY[kind], Privilege.SHARE), record)) return null;
      const shares = (await ctx.loaders.shares.load(`${kind}:${record.id}`)).slice(0, MAX_SHARES_LISTED);
      return Promise.all(
        shares.map(async (share) =>
          Object.assign(new RecordShareGrant(), {
            user: await visibleUser(ctx, share.userId),
            canWrite: share.canWrite,
            sharedBy: await visibleUser(ctx, share.sharedById),
            sharedAt: share.createdAt,
          }),
        ),
      );
    }

    @FieldResolver(() => User, { nullable: true, description: 'Null when you may not read users.' })
    owner(@Root() record: T, @Ctx() ctx: RequestContext): Promise<User | null> {
      return visibleUser(ctx, record.ownerId);
    }

    @FieldResolver(() => BusinessUnit, { nullable: true, description: 'The owner’s business unit.' })
    async businessUnit(@Root() record: T, @Ctx() ctx: RequestContext): Promise<BusinessUnit | null> {
      return (await ctx.loaders.units.load(record.businessUnitId)) ?? null;
    }

    @FieldResolver(() => User, { nullable: true })
    createdBy(@Root() record: T, @Ctx() ctx: RequestContext): Promise<User | null> {
      return visibleUser(ctx, record.createdById);
    }

    @FieldResolver(() => User, { nullable: true })
    modifiedBy(@Root() record: T, @Ctx() ctx: RequestContext): Promise<User | null> {
      return visibleUser(ctx, record.modifiedById);
    }
  }
  return RecordFieldsResolver;
}

/** recordFieldsResolver plus the addresses of an email-enabled record (accounts, contacts, leads). */
export function emailEnabledFieldsResolver<T extends OwnedRecord>(entity: ClassType<T>, kind: RecordKind) {
  @Resolver(() => entity)
  abstract class EmailEnabledFieldsResolver extends recordFieldsResolver(entity, kind) {
    @FieldResolver(() => [String], { description: 'Email addresses, primary first.' })
    emails(@Root() record: T, @Ctx() ctx: RequestContext): Promise<string[]> {
      return ctx.loaders.emails.load(`${kind}:${record.id}`);
    }

    @FieldResolver(() => String, { nullable: true })
    async primaryEmail(@Root() record: T, @Ctx() ctx: RequestContext): Promise<string | null> {
      return (await ctx.loaders.emails.load(`${kind}:${record.id}`))[0] ?? null;
    }
  }
  return EmailEnabledFieldsResolver;
}
