import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { expectGlobalId } from '../common/global-id';
import { connectionOf } from '../common/pagination';
import { principalOf, type RequestContext } from '../graphql/context';
import { Account } from './account.entity';
import { Lead } from './lead.entity';
import { Contact } from './contact.entity';
import { ContactListArgs, CreateContactInput, UpdateContactInput } from './contact.inputs';
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

  @FieldResolver(() => Lead, { nullable: true, description: 'The lead this contact was made from; null when none or you may not read it.' })
  async originatingLead(@Root() contact: Contact, @Ctx() ctx: RequestContext): Promise<Lead | null> {
    if (!contact.originatingLeadId) return null;
    return ((await ctx.loaders.readable.lead.load(contact.originatingLeadId)) as Lead | undefined) ?? null;
  }
}
