import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { countRows, failed, ok, uniqueTag } from './gql-helpers';

const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { id } }`;
const QUALIFY = `mutation($input: QualifyLeadInput!) { qualifyLead(input: $input) {
  lead { id status }
  account { id name owner { email } }
  contact { id fullName emails telephone owner { email } account { id } originatingLead { id } }
  opportunity { id name status owner { email } customer { __typename ... on Account { id } ... on Contact { id } } }
} }`;
const LEAD_STATUS = `query($id: ID!) { node(id: $id) { ... on Lead { status } } }`;

describe.each(DIALECTS)('qualifying a lead on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  const as = (who: string) => (query: string, variables: object) => hub.gql(query, variables, tokens[who]);
  const newLead = async (who: string, fields: Record<string, unknown> = {}) =>
    ok(await as(who)(CREATE_LEAD, { input: { topic: `Pallet racks ${uniqueTag()}`, firstName: 'Ingrid', lastName: `Lund ${uniqueTag()}`, ...fields } })).createLead.id as string;

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['admin', 'sam.sales', 'sara.sales', 'sven.service']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
  }, 120_000);
  afterAll(() => hub?.close());

  it('makes an account, a contact and an opportunity of it, owned by whoever qualifies, and marks it QUALIFIED', async () => {
    const company = `Nordic Pallets ${uniqueTag()}`;
    const address = `ingrid.${uniqueTag().toLowerCase()}@pallets.example`;
    const leadId = await newLead('sam.sales', { companyName: company, emails: [address], telephone: '+46 8 555 0100' });
    const { qualifyLead: q } = ok(await as('sam.sales')(QUALIFY, { input: { leadId } }));
    expect(q.lead).toEqual({ id: leadId, status: 'QUALIFIED' });
    expect(q.account).toMatchObject({ name: company, owner: { email: 'sam.sales@demo.crm.test' } });
    expect(q.contact).toMatchObject({ emails: [address], owner: { email: 'sam.sales@demo.crm.test' }, account: { id: q.account.id }, originatingLead: { id: leadId } });
    expect(q.contact.fullName).toMatch(/^Ingrid Lund /);
    expect(q.opportunity).toMatchObject({ status: 'OPEN', owner: { email: 'sam.sales@demo.crm.test' }, customer: { __typename: 'Account', id: q.account.id } });
    expect(q.opportunity.name).toMatch(/^Pallet racks /);
    // The telephone travels only as far as Sam may read it: what he reads on the lead is what the contact gets.
    const leadPhone = ok(await as('sam.sales')('query($id: ID!) { node(id: $id) { ... on Lead { telephone } } }', { id: leadId })).node.telephone;
    const contactPhone = ok(await as('admin')('query($id: ID!) { node(id: $id) { ... on Contact { telephone } } }', { id: q.contact.id })).node.telephone;
    expect(contactPhone).toBe(leadPhone);

    // Once only.
    failed(await as('sam.sales')(QUALIFY, { input: { leadId } }), 'CONFLICT', 'input.leadId');
  });

  it('twice at the same moment: one qualifies, the other is refused, and nothing is made twice', async () => {
    const company = `Twice ${uniqueTag()}`;
    const leadId = await newLead('sam.sales', { companyName: company });
    const results = await Promise.all([as('sam.sales')(QUALIFY, { input: { leadId } }), as('admin')(QUALIFY, { input: { leadId } })]);
    expect(results.filter((r) => r.data?.qualifyLead)).toHaveLength(1);
    expect(results.map((r) => r.errors?.[0].extensions?.code).filter(Boolean)).toEqual(['CONFLICT']);
    expect(await countRows(hub, 'account', `name = '${company}'`)).toBe(1);
  });

  it('stops at a duplicate account or contact, naming it; links to it when asked, or creates anyway when allowed', async () => {
    const company = `Duplicate ${uniqueTag()}`;
    const address = `dup.${uniqueTag().toLowerCase()}@dup.example`;
    const first = ok(await as('sam.sales')(QUALIFY, { input: { leadId: await newLead('sam.sales', { companyName: company, emails: [address] }) } })).qualifyLead;

    const second = await newLead('sam.sales', { companyName: company, emails: [address] });
    const accountClash = failed(await as('sam.sales')(QUALIFY, { input: { leadId: second } }), 'CONFLICT', 'input.existingAccountId');
    expect(accountClash.message).toContain(first.account.id);
    expect(accountClash.extensions?.existingId).toBe(first.account.id);
    const contactClash = failed(await as('sam.sales')(QUALIFY, { input: { leadId: second, existingAccountId: first.account.id } }), 'CONFLICT', 'input.existingContactId');
    expect(contactClash.message).toContain(first.contact.id);
    expect(contactClash.extensions?.existingId).toBe(first.contact.id);
    // Refused attempts left nothing behind.
    expect(ok(await as('sam.sales')(LEAD_STATUS, { id: second })).node.status).toBe('NEW');
    expect(await countRows(hub, 'account', `name = '${company}'`)).toBe(1);

    const linked = ok(await as('sam.sales')(QUALIFY, { input: { leadId: second, existingAccountId: first.account.id, existingContactId: first.contact.id } })).qualifyLead;
    expect(linked).toMatchObject({ account: null, contact: null, opportunity: { customer: { __typename: 'Account', id: first.account.id } } });

    const third = await newLead('sam.sales', { companyName: company, emails: [address] });
    const anyway = ok(await as('sam.sales')(QUALIFY, { input: { leadId: third, allowDuplicates: true } })).qualifyLead;
    expect(anyway.account.id).not.toBe(first.account.id);
    expect(await countRows(hub, 'account', `name = '${company}'`)).toBe(2);
  });

  it('without a company the contact is the customer; without either, no opportunity can be made and nothing is', async () => {
    const person = ok(await as('sam.sales')(QUALIFY, { input: { leadId: await newLead('sam.sales') } })).qualifyLead;
    expect(person.account).toBeNull();
    expect(person.opportunity.customer).toEqual({ __typename: 'Contact', id: person.contact.id });

    const leadId = await newLead('sam.sales');
    failed(await as('sam.sales')(QUALIFY, { input: { leadId, createContact: false } }), 'BAD_USER_INPUT', 'input.createOpportunity');
    expect(ok(await as('sam.sales')(LEAD_STATUS, { id: leadId })).node.status).toBe('NEW');
    const only = ok(await as('sam.sales')(QUALIFY, { input: { leadId, createContact: false, createOpportunity: false } })).qualifyLead;
    expect(only).toMatchObject({ lead: { status: 'QUALIFIED' }, account: null, contact: null, opportunity: null });
  });

  it('refuses what the caller may not do, revealing nothing', async () => {
    const samsLead = await newLead('sam.sales', { companyName: `Hidden ${uniqueTag()}` });
    // Another unit cannot see it: the same answer as for no lead at all.
    const hidden = failed(await as('sven.service')(QUALIFY, { input: { leadId: samsLead } }), 'NOT_FOUND', 'input.leadId');
    expect(hidden.message).not.toContain('Hidden');
    // Not a lead's id, not an id at all, a disqualified lead.
    const contactId = ok(await as('sam.sales')('{ contacts(first: 1) { edges { node { id } } } }', {})).contacts.edges[0].node.id;
    failed(await as('sam.sales')(QUALIFY, { input: { leadId: contactId } }), 'BAD_USER_INPUT', 'input.leadId');
    failed(await as('sam.sales')(QUALIFY, { input: { leadId: 'x'.repeat(5000) } }), 'BAD_USER_INPUT', 'input.leadId');
    const dropped = await newLead('sam.sales');
    ok(await as('sam.sales')('mutation($id: ID!) { updateLead(id: $id, input: { status: DISQUALIFIED }) { id } }', { id: dropped }));
    failed(await as('sam.sales')(QUALIFY, { input: { leadId: dropped } }), 'CONFLICT', 'input.leadId');
    // An account Sam may not read, offered as the one to link to.
    const foreignAccount = ok(await as('sven.service')('mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }', { input: { name: `Service only ${uniqueTag()}` } })).createAccount.id;
    failed(await as('sam.sales')(QUALIFY, { input: { leadId: samsLead, existingAccountId: foreignAccount } }), 'NOT_FOUND', 'input.existingAccountId');
    expect(ok(await as('sam.sales')(LEAD_STATUS, { id: samsLead })).node.status).toBe('NEW');
  });
});
