import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { canUseField } from '../access/principal';
import { AccessEntity } from '../access/privileges';
import { conflictView, MAX_SYNC_CONFLICTS_SHOWN } from '../activities/sync-conflict.types';
import { expectGlobalId } from '../common/global-id';
import { connectionOf } from '../common/pagination';
import { principalOf, type RequestContext } from '../graphql/context';
import { Account } from './account.entity';
import { Lead } from './lead.entity';
import { Contact } from './contact.entity';
import { ContactListArgs, CreateContactInput, UpdateContactInput } from './contact.inputs';
import type { ContactSyncConflict } from './contact-sync-conflict.entity';
import { ContactSyncConflictView, SyncedContactVersion } from './contact-sync-conflict.types';
import { emailEnabledFieldsResolver } from './record-fields.resolver';
import { toListQuery } from './record-inputs';

export const ContactConnection = connectionOf(Contact, 'Contact');

@Resolver(() => Contact)
export class ContactResolver extends emailEnabledFieldsResolver(Contact, 'contact') {
  @Query(() => ContactConnection, { description: 'Contacts you may read.' })
  async contacts(@Args(() => ContactListArgs) args: InstanceType<typeof ContactListArgs>, @Ctx() ctx: RequestContext) {
    return ContactConnection.from(await ctx.services.contacts.list(principalOf(ctx), toListQuery(args), args.filter?.accountId));
  }

  @Mutation(() => Contact)
  createContact(@Arg('input') input: CreateContactInput, @Ctx() ctx: RequestContext): Promise<Contact> {
    return ctx.services.contacts.create(principalOf(ctx), input);
  }

  @Mutation(() => Contact)
  updateContact(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateContactInput, @Ctx() ctx: RequestContext): Promise<Contact> {
    return ctx.services.contacts.update(principalOf(ctx), expectGlobalId('id', id, 'Contact').id, input);
  }


  @FieldResolver(() => Account, { nullable: true, description: 'Null when there is none or you may not read it.' })
  async account(@Root() contact: Contact, @Ctx() ctx: RequestContext): Promise<Account | null> {
    if (!contact.accountId) return null;
    return ((await ctx.loaders.readable.account.load(contact.accountId)) as Account | undefined) ?? null;
  }

  @FieldResolver(() => [ContactSyncConflictView], {
    description: `Changes made both here and in a mailbox owner's Outlook between two syncs, newest first, at most ${MAX_SYNC_CONFLICTS_SHOWN}, each with the version that lost. Empty to whoever may not change the contact; numbers only to who may read them.`,
  })
  async syncConflicts(@Root() contact: Contact, @Ctx() ctx: RequestContext): Promise<ContactSyncConflictView[]> {
    if (!(await ctx.loaders.writable.contact.load(contact))) return [];
    const principal = principalOf(ctx);
    // The losing version may hold a number column security hides from this reader.
    const hidden = (['telephone', 'mobilePhone'] as const).filter((field) => !canUseField(principal, AccessEntity.CONTACT, field, 'read'));
    return (await ctx.loaders.contactSyncConflicts.load(contact.id)).slice(0, MAX_SYNC_CONFLICTS_SHOWN).map((row) => contactConflictView(row, hidden));
  }

  @FieldResolver(() => Lead, { nullable: true, description: 'The lead this contact was made from; null when none or you may not read it.' })
  async originatingLead(@Root() contact: Contact, @Ctx() ctx: RequestContext): Promise<Lead | null> {
    if (!contact.originatingLeadId) return null;
    return ((await ctx.loaders.readable.lead.load(contact.originatingLeadId)) as Lead | undefined) ?? null;
  }
}

/** The stored conflict as GraphQL shows it, without the numbers the reader may not read. */
function contactConflictView(row: ContactSyncConflict, hidden: readonly ('telephone' | 'mobilePhone')[]): ContactSyncConflictView {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return conflictView(new ContactSyncConflictView(), row, (loser) =>
    Object.assign(new SyncedContactVersion(), {
      firstName: text(loser.firstName),
      lastName: text(loser.lastName),
      jobTitle: text(loser.jobTitle),
      telephone: hidden.includes('telephone') ? null : text(loser.telephone),
      mobilePhone: hidden.includes('mobilePhone') ? null : text(loser.mobilePhone),
      emails: Array.isArray(loser.emails) ? loser.emails.filter((e): e is string => typeof e === 'string') : [],
    }),
  );
}
