import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiConfig } from '../../api/src/config';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { failed, ok, uniqueTag } from './gql-helpers';

const CREATE = 'mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id currency estimatedValue } }';
const UPDATE = 'mutation($id: ID!, $input: UpdateOpportunityInput!) { updateOpportunity(id: $id, input: $input) { currency estimatedValue } }';

describe.each(DIALECTS)('opportunity amounts carry their currency on %s', (dialect) => {
  let hub: StartedHub;
  let sam: string;
  let customerId: string;

  beforeAll(async () => {
    hub = await startHub({ dialect, env: { BASE_CURRENCY: 'sek' } });
    sam = await hub.login('sam.sales@demo.crm.test');
    customerId = ok(await hub.gql('{ accounts(first: 1) { edges { node { id } } } }', {}, sam)).accounts.edges[0].node.id;
  }, 120_000);
  afterAll(() => hub?.close());

  it('the organization\'s base currency is the default: for the demo, a new opportunity and a qualified lead', async () => {
    expect(ok(await hub.gql('{ organization { name baseCurrency } }', {}, sam)).organization).toEqual({ name: 'Contoso Demo', baseCurrency: 'SEK' });
    const demo = ok(await hub.gql('{ opportunities(first: 50) { edges { node { currency } } } }', {}, sam)).opportunities.edges;
    expect(new Set(demo.map((e: { node: { currency: string } }) => e.node.currency))).toEqual(new Set(['SEK']));
    expect(ok(await hub.gql(CREATE, { input: { name: `Racks ${uniqueTag()}`, customerId, estimatedValue: 120000 } }, sam)).createOpportunity).toMatchObject({ currency: 'SEK', estimatedValue: 120000 });
    const leadId = ok(await hub.gql('mutation { createLead(input: { topic: "Shelving", lastName: "Berg" }) { id } }', {}, sam)).createLead.id;
    expect(ok(await hub.gql('mutation($id: ID!) { qualifyLead(input: { leadId: $id }) { opportunity { currency } } }', { id: leadId }, sam)).qualifyLead.opportunity.currency).toBe('SEK');
  });

  it('takes another ISO 4217 code, in any case, and changes it without converting the amount', async () => {
    const created = ok(await hub.gql(CREATE, { input: { name: `Export ${uniqueTag()}`, customerId, estimatedValue: 5000, currency: 'usd' } }, sam)).createOpportunity;
    expect(created.currency).toBe('USD');
    expect(ok(await hub.gql(UPDATE, { id: created.id, input: { currency: 'EUR' } }, sam)).updateOpportunity).toEqual({ currency: 'EUR', estimatedValue: 5000 });
  });

  it('refuses what is no currency, naming the field, and cannot clear it', async () => {
    for (const currency of ['XYZ', 'kr', '€', '']) {
      failed(await hub.gql(CREATE, { input: { name: `Bad ${uniqueTag()}`, customerId, currency } }, sam), 'BAD_USER_INPUT', 'input.currency');
    }
    failed(await hub.gql(CREATE, { input: { name: `Long ${uniqueTag()}`, customerId, currency: 'EURO' } }, sam), 'BAD_USER_INPUT', 'input.currency');
    const id = ok(await hub.gql(CREATE, { input: { name: `Keep ${uniqueTag()}`, customerId } }, sam)).createOpportunity.id;
    failed(await hub.gql(UPDATE, { id, input: { currency: null } }, sam), 'BAD_USER_INPUT', 'input.currency');
    failed(await hub.gql(UPDATE, { id, input: { currency: 'ABC' } }, sam), 'BAD_USER_INPUT', 'input.currency');
  });
});

describe('BASE_CURRENCY', () => {
  it('must be an ISO 4217 code', () => {
    expect(loadApiConfig({ BASE_CURRENCY: 'nok', SEED_DEMO: 'true' }).baseCurrency).toBe('NOK');
    expect(loadApiConfig({ SEED_DEMO: 'true' }).baseCurrency).toBe('EUR');
    expect(() => loadApiConfig({ BASE_CURRENCY: 'kronor', SEED_DEMO: 'true' })).toThrow(/BASE_CURRENCY must be an ISO 4217 currency code/);
  });
});
