import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { expectGlobalId } from '../common/global-id';
import { connectionOf } from '../common/pagination';
import { principalOf, type RequestContext } from '../graphql/context';
import { Lead } from './lead.entity';
import { CreateLeadInput, LeadListArgs, QualifyLeadInput, UpdateLeadInput } from './lead.inputs';
import { QualifyLeadPayload } from './lead-qualification.types';
import { emailEnabledFieldsResolver } from './record-fields.resolver';
import { toListQuery } from './record-inputs';

export const LeadConnection = connectionOf(Lead, 'Lead');

@Resolver(() => Lead)
export class LeadResolver extends emailEnabledFieldsResolver(Lead, 'lead') {
  @Query(() => LeadConnection, { description: 'Leads you may read.' })
  async leads(@Args(() => LeadListArgs) args: InstanceType<typeof LeadListArgs>, @Ctx() ctx: RequestContext) {
    return LeadConnection.from(await ctx.services.leads.list(principalOf(ctx), toListQuery(args)));
  }

  @Mutation(() => Lead)
  createLead(@Arg('input') input: CreateLeadInput, @Ctx() ctx: RequestContext): Promise<Lead> {
    return ctx.services.leads.create(principalOf(ctx), input);
  }

  @Mutation(() => QualifyLeadPayload, {
    description: 'Qualifies an open lead into an account, a contact and an opportunity (as asked) in one step; the lead becomes QUALIFIED. CONFLICT when it is already qualified or disqualified, or when a duplicate exists.',
  })
  async qualifyLead(@Arg('input') input: QualifyLeadInput, @Ctx() ctx: RequestContext): Promise<QualifyLeadPayload> {
    return Object.assign(new QualifyLeadPayload(), await ctx.services.leadQualification.qualify(principalOf(ctx), input));
  }

  @Mutation(() => Lead)
  updateLead(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateLeadInput, @Ctx() ctx: RequestContext): Promise<Lead> {
    return ctx.services.leads.update(principalOf(ctx), expectGlobalId('id', id, 'Lead').id, input);
  }
}
