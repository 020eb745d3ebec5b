import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { ADMIN, countRows, failed, ok, uniqueTag, userIds } from './gql-helpers';

/** The database id inside a Relay global id (base64url of "Type:uuid"). */
const rawId = (globalId: string): string => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

const OWNED = 'owner { id email } businessUnit { name } createdBy { email } modifiedBy { email } createdAt updatedAt';
const CUSTOMER = 'customer { __typename ... on Account { id name } ... on Contact { id fullName } }';

const SELECTION: Record<string, string> = {
  Account: `id name status telephone website description emails primaryEmail ${OWNED}`,
  Contact: `id firstName lastName fullName jobTitle telephone mobilePhone status emails primaryEmail account { id name } ${OWNED}`,
  Lead: `id topic firstName lastName fullName companyName telephone status emails primaryEmail ${OWNED}`,
  Opportunity: `id name status estimatedValue estimatedCloseDate ${CUSTOMER} ${OWNED}`,
  Case: `id title ticketNumber status priority description ${CUSTOMER} ${OWNED}`,
};

/** node(id) through an inline fragment on the record's type: every field (one fragment per query, as the
 * status enums of the record types differ and GraphQL forbids one response field with two types). */
const nodeQuery = (type: string) => `query($id: ID!) { node(id: $id) { id __typename ... on ${type} { ${SELECTION[type]} } } }`;
const typeOf = (globalId: string): string => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[0];

const createMutation = (type: string) =>
  `mutation($input: Create${type}Input!) { create${type}(input: $input) { ${SELECTION[type]} } }`;
const updateMutation = (type: string) =>
  `mutation($id: ID!, $input: Update${type}Input!) { update${type}(id: $id, input: $input) { ${SELECTION[type]} } }`;

interface Ctx {
  tag: string;
  users: Record<string, string>;
  /** An account and a contact to hang contacts, opportunities and cases on. */
  account: { id: string; name: string };
  contact: { id: string; fullName: string };
}

interface Step {
  input: (ctx: Ctx) => Record<string, unknown>;
  /** `before` is the record as it was before this update. */
  check: (record: any, before: any, ctx: Ctx) => void;
}

interface Case {
  name: string;
  type: 'Account' | 'Contact' | 'Lead' | 'Opportunity' | 'Case';
  kind: string;
  create: Step;
  updates: Step[];
}

/** Fields an update did not mention must be exactly as before. */
function unchanged(record: any, before: any, fields: string[]) {
  for (const field of fields) expect(record[field], `${field} should be untouched`).toEqual(before[field]);
}

const customerCheck = (record: any, expected: { __typename: string; id: string }) => {
  expect(record.customer).toMatchObject(expected);
};

const CASES: Case[] = [
  {
    name: 'Account',
    type: 'Account',
    kind: 'account',
    create: {
      input: ({ tag, users }) => ({
        name: `  ${tag} Contoso Ltd `,
        emails: ['  Info@Contoso.Example ', 'sales@contoso.example', 'INFO@contoso.example'],
        telephone: '+46 8 123 45 67',
        website: 'www.contoso.example',
        description: 'Key account.\nSecond line.',
        status: 'INACTIVE',
        ownerId: users['sam.sales@demo.crm.test'],
      }),
      check: (r, _before, { tag }) => {
        expect(r).toMatchObject({
          name: `${tag} Contoso Ltd`,
          status: 'INACTIVE',
          telephone: '+46 8 123 45 67',
          website: 'www.contoso.example',
          description: 'Key account.\nSecond line.',
          emails: ['info@contoso.example', 'sales@contoso.example'],
          primaryEmail: 'info@contoso.example',
        });
      },
    },
    updates: [
      {
        input: () => ({ description: 'Changed', telephone: null, website: null, emails: [' New@Contoso.Example', 'new@contoso.example ', 'Other@X.Example'] }),
        check: (r, before) => {
          expect(r).toMatchObject({ description: 'Changed', telephone: null, website: null, emails: ['new@contoso.example', 'other@x.example'], primaryEmail: 'new@contoso.example' });
          unchanged(r, before, ['name', 'status', 'owner', 'businessUnit', 'createdBy', 'createdAt']);
        },
      },
      {
        input: ({ tag }) => ({ name: ` ${tag} Renamed `, status: 'ACTIVE', description: null }),
        check: (r, before, { tag }) => {
          expect(r).toMatchObject({ name: `${tag} Renamed`, status: 'ACTIVE', description: null });
          unchanged(r, before, ['emails', 'telephone', 'website', 'owner']);
        },
      },
      {
        input: () => ({ emails: [] }),
        check: (r, before) => {
          expect(r.emails).toEqual([]);
          expect(r.primaryEmail).toBeNull();
          unchanged(r, before, ['name', 'status', 'description']);
        },
      },
    ],
  },
  {
    name: 'Contact (with an account)',
    type: 'Contact',
    kind: 'contact',
    create: {
      input: ({ tag, users, account }) => ({
        firstName: ' Erika ',
        lastName: `${tag} Lindqvist`,
        emails: [' Erika.L@Example.COM ', 'erika.l@example.com', 'E.Lindqvist@Home.Example'],
        jobTitle: 'CTO',
        telephone: '+46 8 555 0101',
        mobilePhone: '+46 70 555 0101',
        status: 'INACTIVE',
        accountId: account.id,
        ownerId: users['sam.sales@demo.crm.test'],
      }),
      check: (r, _before, { tag, account }) => {
        expect(r).toMatchObject({
          firstName: 'Erika',
          lastName: `${tag} Lindqvist`,
          fullName: `Erika ${tag} Lindqvist`,
          jobTitle: 'CTO',
          telephone: '+46 8 555 0101',
          mobilePhone: '+46 70 555 0101',
          status: 'INACTIVE',
          emails: ['erika.l@example.com', 'e.lindqvist@home.example'],
          primaryEmail: 'erika.l@example.com',
          account: { id: account.id, name: account.name },
        });
      },
    },
    updates: [
      {
        input: () => ({ firstName: 'Erica' }),
        check: (r, before, { tag }) => {
          expect(r.firstName).toBe('Erica');
          expect(r.fullName).toBe(`Erica ${tag} Lindqvist`);
          unchanged(r, before, ['lastName', 'jobTitle', 'telephone', 'mobilePhone', 'status', 'emails', 'account', 'owner', 'businessUnit']);
        },
      },
      {
        input: ({ tag }) => ({ lastName: `${tag} Berg` }),
        check: (r, before, { tag }) => {
          expect(r.fullName).toBe(`Erica ${tag} Berg`);
          unchanged(r, before, ['firstName', 'jobTitle', 'emails', 'account']);
        },
      },
      {
        input: () => ({ firstName: null, jobTitle: null, mobilePhone: null, telephone: null, emails: ['  ERICA@New.Example', 'erica@new.example', 'second@new.example', 'Second@New.Example '] }),
        check: (r, before, { tag }) => {
          expect(r).toMatchObject({ firstName: null, jobTitle: null, mobilePhone: null, telephone: null, fullName: `${tag} Berg` });
          expect(r.emails).toEqual(['erica@new.example', 'second@new.example']);
          unchanged(r, before, ['lastName', 'status', 'account']);
        },
      },
      {
        input: () => ({ accountId: null, status: 'ACTIVE' }),
        check: (r, before) => {
          expect(r.account).toBeNull();
          expect(r.status).toBe('ACTIVE');
          unchanged(r, before, ['fullName', 'emails']);
        },
      },
      {
        input: ({ account }) => ({ accountId: account.id }),
        check: (r, _before, { account }) => expect(r.account).toEqual({ id: account.id, name: account.name }),
      },
    ],
  },
  {
    name: 'Lead',
    type: 'Lead',
    kind: 'lead',
    create: {
      input: ({ tag, users }) => ({
        topic: ` ${tag} Interested in the premium plan `,
        firstName: 'Jonas',
        lastName: 'Svensson',
        companyName: 'Svensson & Co',
        emails: ['Jonas@Svensson.Example', ' jonas@svensson.example'],
        telephone: '+46 31 555 0000',
        status: 'CONTACTED',
        ownerId: users['sam.sales@demo.crm.test'],
      }),
      check: (r, _before, { tag }) => {
        expect(r).toMatchObject({
          topic: `${tag} Interested in the premium plan`,
          firstName: 'Jonas',
          lastName: 'Svensson',
          fullName: 'Jonas Svensson',
          companyName: 'Svensson & Co',
          emails: ['jonas@svensson.example'],
          primaryEmail: 'jonas@svensson.example',
          telephone: '+46 31 555 0000',
          status: 'CONTACTED',
        });
      },
    },
    updates: [
      {
        input: () => ({ status: 'QUALIFIED', companyName: null, telephone: null }),
        check: (r, before) => {
          expect(r).toMatchObject({ status: 'QUALIFIED', companyName: null, telephone: null });
          unchanged(r, before, ['topic', 'firstName', 'lastName', 'fullName', 'emails', 'owner']);
        },
      },
      {
        input: () => ({ firstName: 'Jonna', emails: ['b@lead.example', 'A@Lead.Example'] }),
        check: (r, before) => {
          expect(r.fullName).toBe('Jonna Svensson');
          expect(r.emails).toEqual(['b@lead.example', 'a@lead.example']);
          unchanged(r, before, ['topic', 'status', 'companyName']);
        },
      },
    ],
  },
  ...(['Opportunity', 'Case'] as const).flatMap((type): Case[] =>
    (['account', 'contact'] as const).map((customerKind) => {
      const customerOf = (ctx: Ctx) => (customerKind === 'account' ? { __typename: 'Account', id: ctx.account.id } : { __typename: 'Contact', id: ctx.contact.id });
      const otherCustomerOf = (ctx: Ctx) => (customerKind === 'account' ? { __typename: 'Contact', id: ctx.contact.id } : { __typename: 'Account', id: ctx.account.id });
      if (type === 'Opportunity') {
        return {
          name: `Opportunity (customer: ${customerKind})`,
          type,
          kind: 'opportunity',
          create: {
            input: (ctx) => ({
              name: ` ${ctx.tag} Licence renewal `,
              customerId: customerOf(ctx).id,
              estimatedValue: 12345.67,
              estimatedCloseDate: '2027-03-31',
              status: 'WON',
              ownerId: ctx.users['sam.sales@demo.crm.test'],
            }),
            check: (r, _before, ctx) => {
              expect(r).toMatchObject({ name: `${ctx.tag} Licence renewal`, estimatedValue: 12345.67, estimatedCloseDate: '2027-03-31', status: 'WON' });
              customerCheck(r, customerOf(ctx));
            },
          },
          updates: [
            {
              input: () => ({ estimatedValue: null, estimatedCloseDate: null }),
              check: (r, before) => {
                expect(r).toMatchObject({ estimatedValue: null, estimatedCloseDate: null });
                unchanged(r, before, ['name', 'status', 'customer', 'owner']);
              },
            },
            {
              input: (ctx) => ({ customerId: otherCustomerOf(ctx).id, status: 'LOST', estimatedValue: 99.5 }),
              check: (r, before, ctx) => {
                customerCheck(r, otherCustomerOf(ctx));
                expect(r).toMatchObject({ status: 'LOST', estimatedValue: 99.5 });
                unchanged(r, before, ['name', 'estimatedCloseDate']);
              },
            },
          ],
        };
      }
      return {
        name: `Case (customer: ${customerKind})`,
        type,
        kind: 'case',
        create: {
          input: (ctx) => ({
            title: ` ${ctx.tag} Cannot sign in `,
            customerId: customerOf(ctx).id,
            priority: 'HIGH',
            description: 'Since Monday.',
            ownerId: ctx.users['sam.sales@demo.crm.test'],
          }),
          check: (r, _before, ctx) => {
            expect(r).toMatchObject({ title: `${ctx.tag} Cannot sign in`, priority: 'HIGH', status: 'ACTIVE', description: 'Since Monday.' });
            expect(r.ticketNumber).toMatch(/^CAS-[0-9A-Z-]+$/);
            customerCheck(r, customerOf(ctx));
          },
        },
        updates: [
          {
            input: () => ({ status: 'RESOLVED', description: null }),
            check: (r, before) => {
              expect(r).toMatchObject({ status: 'RESOLVED', description: null });
              unchanged(r, before, ['title', 'ticketNumber', 'priority', 'customer', 'owner']);
            },
          },
          {
            input: (ctx) => ({ customerId: otherCustomerOf(ctx).id, priority: 'LOW' }),
            check: (r, before, ctx) => {
              customerCheck(r, otherCustomerOf(ctx));
              expect(r.priority).toBe('LOW');
              unchanged(r, before, ['title', 'ticketNumber', 'status', 'description']);
            },
          },
        ],
      };
    }),
  ),
];

describe.each(DIALECTS)('record CRUD through GraphQL on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let ctx: Ctx;

  const create = async (type: string, input: Record<string, unknown>) => ok(await hub.gql(createMutation(type), { input }, admin))[`create${type}`];
  const node = async (id: string) => ok(await hub.gql(nodeQuery(typeOf(id)), { id }, admin)).node;

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    const tag = uniqueTag('Crud');
    const users = await userIds(hub, admin);
    const account = await create('Account', { name: `${tag} Customer AB` });
    const contact = await create('Contact', { firstName: 'Cust', lastName: `${tag} Omer` });
    ctx = { tag, users, account: { id: account.id, name: account.name }, contact: { id: contact.id, fullName: contact.fullName } };
  });
  afterAll(() => hub?.close());

  it.each(CASES)('$name: create with all fields, read back with node(), partial updates, delete', async (c) => {
    const viewer = ok(await hub.gql('{ viewer { email } }', {}, admin)).viewer;

    // Create: every field comes back as given (trimmed, emails normalized), owned as asked.
    const created = await create(c.type, c.create.input(ctx));
    c.create.check(created, undefined, ctx);
    expect(created.owner).toEqual({ id: ctx.users['sam.sales@demo.crm.test'], email: 'sam.sales@demo.crm.test' });
    expect(created.businessUnit).toEqual({ name: 'Sales' });
    expect(created.createdBy).toEqual({ email: viewer.email });
    expect(created.modifiedBy).toEqual({ email: viewer.email });
    expect(Date.parse(created.createdAt)).not.toBeNaN();
    expect(Date.parse(created.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.createdAt));

    // Read back through node(id): the same record, field for field.
    const read = await node(created.id);
    expect(read.__typename).toBe(c.type);
    expect(read).toEqual({ ...created, __typename: c.type });

    // Partial updates: what is given changes, what is not stays, null clears.
    let before = read;
    for (const step of c.updates) {
      const updated = ok(await hub.gql(updateMutation(c.type), { id: created.id, input: step.input(ctx) }, admin))[`update${c.type}`];
      step.check(updated, before, ctx);
      expect(updated.id).toBe(created.id);
      expect(updated.createdAt).toBe(created.createdAt);
      expect(updated.modifiedBy).toEqual({ email: viewer.email });
      // The stored record is what the mutation answered.
      expect(await node(created.id)).toEqual({ ...updated, __typename: c.type });
      before = updated;
    }

    // Delete: the id comes back, node() no longer finds it, its email addresses are gone.
    const deleted = ok(await hub.gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: created.id }, admin));
    expect(deleted.deleteRecord).toBe(created.id);
    expect(await node(created.id)).toBeNull();
    expect(await countRows(hub, c.kind === 'case' ? 'crm_case' : c.kind, `id = '${rawId(created.id)}'`)).toBe(0);
    expect(await countRows(hub, 'email_address', `recordId = '${rawId(created.id)}'`)).toBe(0);
    // Deleting it again: it no longer exists.
    failed(await hub.gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: created.id }, admin), 'NOT_FOUND', 'id');
  });

  it('updatedAt moves forward on an update and never falls behind createdAt', async () => {
    const created = await create('Account', { name: `${ctx.tag} Timestamps` });
    const updated = ok(await hub.gql(updateMutation('Account'), { id: created.id, input: { description: 'touched' } }, admin)).updateAccount;
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(updated.createdAt));
  });

  describe('deleting a record other records point at', () => {
    const graph = async (label: string) => {
      const account = await create('Account', { name: `${ctx.tag} ${label}`, emails: [`${label.toLowerCase()}@graph.example`] });
      const contacts = [
        await create('Contact', { lastName: `${ctx.tag} ${label} One`, accountId: account.id, emails: ['one@graph.example'] }),
        await create('Contact', { lastName: `${ctx.tag} ${label} Two`, accountId: account.id }),
      ];
      return { account, contacts };
    };
    const snapshot = async (ids: string[]) => Promise.all(ids.map((id) => node(id)));

    it.each([
      { dependent: 'Opportunity', input: (customerId: string) => ({ name: `${ctx.tag} Blocking deal`, customerId }) },
      { dependent: 'Case', input: (customerId: string) => ({ title: `${ctx.tag} Blocking case`, customerId }) },
    ])('an account that is the customer of an $dependent is refused with CONFLICT and nothing changes', async ({ dependent, input }) => {
      const { account, contacts } = await graph(`Busy${dependent}`);
      const blocker = await create(dependent, input(account.id));
      const ids = [account.id, ...contacts.map((c) => c.id), blocker.id];
      const before = await snapshot(ids);
      const emailRows = await countRows(hub, 'email_address');

      const error = failed(await hub.gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: account.id }, admin), 'CONFLICT');
      expect(error.message).toMatch(/customer/);

      expect(await snapshot(ids)).toEqual(before);
      expect(before[1].account).toEqual({ id: account.id, name: account.name });
      expect(await countRows(hub, 'email_address')).toBe(emailRows);
    });

    it('a contact that is the customer of a case is refused with CONFLICT and nothing changes', async () => {
      const contact = await create('Contact', { lastName: `${ctx.tag} Busy Contact`, emails: ['busy@graph.example'] });
      const kase = await create('Case', { title: `${ctx.tag} Case of a contact`, customerId: contact.id });
      const before = await snapshot([contact.id, kase.id]);
      failed(await hub.gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: contact.id }, admin), 'CONFLICT');
      expect(await snapshot([contact.id, kase.id])).toEqual(before);
    });

    it('an account with contacts is deleted and its contacts are detached, not deleted', async () => {
      const { account, contacts } = await graph('Detach');
      ok(await hub.gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: account.id }, admin));
      expect(await node(account.id)).toBeNull();
      for (const contact of contacts) {
        const after = await node(contact.id);
        expect(after).not.toBeNull();
        expect(after.account).toBeNull();
        // Nothing else about the contact changed.
        expect({ ...after, account: undefined, updatedAt: undefined, modifiedBy: undefined }).toEqual({ ...contact, __typename: 'Contact', account: undefined, updatedAt: undefined, modifiedBy: undefined });
      }
      const listed = ok(await hub.gql('query($s: String) { contacts(filter: { search: $s }) { totalCount } }', { s: `${ctx.tag} Detach` }, admin));
      expect(listed.contacts.totalCount).toBe(2);
      expect(await countRows(hub, 'contact', `accountId = '${rawId(account.id)}'`)).toBe(0);
    });
  });
});
