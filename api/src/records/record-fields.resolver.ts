import { Ctx, FieldResolver, Resolver, Root, type ClassType } from 'type-graphql';
import { holds } from '../access/principal';
import { AccessEntity, Privilege } from '../access/privileges';
import { principalOf, type RequestContext } from '../graphql/context';
import { BusinessUnit } from '../identity/business-unit.entity';
import { User } from '../identity/user.entity';
import type { OwnedRecord } from './owned-record';
import type { RecordKind } from './record-kind';

/** Loads a user if the caller may read users at all (every seeded role may; a custom role might not). */
export async function visibleUser(ctx: RequestContext, userId: string): Promise<User | null> {
  if (!holds(principalOf(ctx), AccessEntity.USER, Privilege.READ)) return null;
  return (await ctx.loaders.users.load(userId)) ?? null;
}

/** Fields every owned record has: owner, business unit, creator, last modifier. Extended by each record's resolver. */
export function recordFieldsResolver<T extends OwnedRecord>(entity: ClassType<T>) {
  @Resolver(() => entity)
  abstract class RecordFieldsResolver {
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
  abstract class EmailEnabledFieldsResolver extends recordFieldsResolver(entity) {
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
