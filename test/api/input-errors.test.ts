import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { ADMIN, countRows, failed, ok, uniqueTag, userIds } from './gql-helpers';

/** A well-formed global id of a record that does not exist. */
const missingId = (type: string) => Buffer.from(`${type}:01900000-0000-7000-8000-000000000000`).toString('base64url');

const CREATE_CONTACT = 'mutation($input: CreateContactInput!) { createContact(input: $input) { id fullName emails } }';

describe.each(DIALECTS)('input errors are clear, coded and name the field, on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let users: Record<string, string>;
  const tag = uniqueTag('Err');
  /** Live records of each type, and the ids of deleted ones. */
  const live: Record<string, string> = {};
  const deleted: Record<string, string> = {};

  const gql = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, admin);
  const create = async (type: string, input: Record<string, unknown>) =>
    ok(await gql(`mutation($input: Create${type}Input!) { create${type}(input: $input) { id } }`, { input }))[`create${type}`].id as string;

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    users = await userIds(hub, admin);
    for (const [bucket, suffix] of [[live, 'live'], [deleted, 'gone']] as const) {
      bucket.Account = await create('Account', { name: `${tag} ${suffix} account`, emails: [`${suffix}@account.example`] });
      bucket.Contact = await create('Contact', { lastName: `${tag} ${suffix} contact`, emails: [`${suffix}@contact.example`] });
      bucket.Lead = await create('Lead', { topic: 'Errors', lastName: `${tag} ${suffix} lead` });
      bucket.Opportunity = await create('Opportunity', { name: `${tag} ${suffix} deal`, customerId: bucket.Account });
      bucket.Case = await create('Case', { title: `${tag} ${suffix} case`, customerId: bucket.Contact });
    }
    for (const type of ['Opportunity', 'Case', 'Lead', 'Contact', 'Account']) {
      ok(await gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: deleted[type] }));
    }
  });
  afterAll(() => hub?.close());

  describe('invalid email addresses', () => {
    it.each([
      { mutation: 'createContact', input: () => ({ lastName: 'Mail', emails: ['good@example.com', 'not-an-address'] }), field: 'input.emails[1]' },
      { mutation: 'createContact', input: () => ({ lastName: 'Mail', emails: ['a b@example.com'] }), field: 'input.emails[0]' },
      { mutation: 'createContact', input: () => ({ lastName: 'Mail', emails: ['ok@example.com', 'fine@example.com', 'missing-domain@'] }), field: 'input.emails[2]' },
      { mutation: 'createAccount', input: () => ({ name: 'Mail', emails: ['info@example.com', '@example.com'] }), field: 'input.emails[1]' },
      { mutation: 'createLead', input: () => ({ topic: 'Mail', lastName: 'Mail', emails: ['two@@example.com'] }), field: 'input.emails[0]' },
      { mutation: 'updateContact', id: 'Contact', input: () => ({ emails: ['ok@example.com', 'nope'] }), field: 'input.emails[1]' },
      { mutation: 'updateAccount', id: 'Account', input: () => ({ emails: ['nope'] }), field: 'input.emails[0]' },
      { mutation: 'updateLead', id: 'Lead', input: () => ({ emails: ['x@example.com', 'y@example.com', 'z'] }), field: 'input.emails[2]' },
    ])('$mutation with $field invalid → BAD_USER_INPUT naming $field', async ({ mutation, id, input, field }) => {
      const type = mutation.replace(/^(create|update)/, '');
      const query = id
        ? `mutation($id: ID!, $input: Update${type}Input!) { ${mutation}(id: $id, input: $input) { id } }`
        : `mutation($input: Create${type}Input!) { ${mutation}(input: $input) { id } }`;
      const result = await gql(query, { id: id ? live[id] : undefined, input: input() });
      const error = failed(result, 'BAD_USER_INPUT', field);
      expect(error.message).toMatch(/email/i);
      // Why, for a client that writes the sentence in its reader's language.
      expect(error.extensions).toMatchObject({ reason: 'INVALID_EMAIL', value: expect.any(String) });
      expect(result.data).toBeNull();
    });

    it('more than 10 addresses → BAD_USER_INPUT naming input.emails', async () => {
      const emails = Array.from({ length: 11 }, (_, i) => `a${i}@example.com`);
      const error = failed(await gql(CREATE_CONTACT, { input: { lastName: 'Many', emails } }), 'BAD_USER_INPUT', 'input.emails');
      expect(error.extensions).toMatchObject({ reason: 'TOO_MANY', max: 10 });
    });

    it('a failed update changes nothing: neither the fields nor the addresses', async () => {
      const query = `query($id: ID!) { node(id: $id) { ... on Contact { fullName jobTitle emails updatedAt } } }`;
      const before = ok(await gql(query, { id: live.Contact })).node;
      failed(
        await gql('mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id } }', {
          id: live.Contact,
          input: { jobTitle: 'Changed', emails: ['new@example.com', 'broken'] },
        }),
        'BAD_USER_INPUT',
        'input.emails[1]',
      );
      expect(ok(await gql(query, { id: live.Contact })).node).toEqual(before);
    });
  });

  describe('ids', () => {
    /** Every id argument: the type it must be, and an id of a type it must refuse. */
    const ID_ARGUMENTS = [
      { label: 'updateAccount(id)', query: 'mutation($v: ID!) { updateAccount(id: $v, input: { description: "x" }) { id } }', type: 'Account', field: 'id', wrong: () => live.Contact },
      { label: 'updateContact(id)', query: 'mutation($v: ID!) { updateContact(id: $v, input: { jobTitle: "x" }) { id } }', type: 'Contact', field: 'id', wrong: () => live.Account },
      { label: 'updateLead(id)', query: 'mutation($v: ID!) { updateLead(id: $v, input: { topic: "x" }) { id } }', type: 'Lead', field: 'id', wrong: () => live.Contact },
      { label: 'updateOpportunity(id)', query: 'mutation($v: ID!) { updateOpportunity(id: $v, input: { name: "x" }) { id } }', type: 'Opportunity', field: 'id', wrong: () => live.Case },
      { label: 'updateCase(id)', query: 'mutation($v: ID!) { updateCase(id: $v, input: { title: "x" }) { id } }', type: 'Case', field: 'id', wrong: () => live.Opportunity },
      { label: 'deleteRecord(id)', query: 'mutation($v: ID!) { deleteRecord(id: $v) }', type: 'Account', field: 'id', wrong: () => users[ADMIN] },
      { label: 'createContact(input.accountId)', query: 'mutation($v: ID) { createContact(input: { lastName: "x", accountId: $v }) { id } }', type: 'Account', field: 'input.accountId', wrong: () => live.Contact },
      { label: 'updateContact(input.accountId)', query: 'mutation($v: ID, $id: ID!) { updateContact(id: $id, input: { accountId: $v }) { id } }', type: 'Account', field: 'input.accountId', wrong: () => live.Lead, extra: () => ({ id: live.Contact }) },
      { label: 'createOpportunity(input.customerId)', query: 'mutation($v: ID!) { createOpportunity(input: { name: "x", customerId: $v }) { id } }', type: 'Account', field: 'input.customerId', wrong: () => live.Lead },
      { label: 'createCase(input.customerId)', query: 'mutation($v: ID!) { createCase(input: { title: "x", customerId: $v }) { id } }', type: 'Contact', field: 'input.customerId', wrong: () => live.Opportunity },
      { label: 'updateCase(input.customerId)', query: 'mutation($v: ID, $id: ID!) { updateCase(id: $id, input: { customerId: $v }) { id } }', type: 'Account', field: 'input.customerId', wrong: () => live.Lead, extra: () => ({ id: live.Case }) },
    ];

    it.each(ID_ARGUMENTS)('$label: the id of a deleted record → NOT_FOUND naming $field', async ({ query, type, field, extra }) => {
      failed(await gql(query, { v: deleted[type], ...extra?.() }), 'NOT_FOUND', field);
    });

    it.each(ID_ARGUMENTS)('$label: a malformed id → BAD_USER_INPUT naming $field', async ({ query, field, extra }) => {
      for (const v of ['nope', '12345', Buffer.from('Account:not-a-uuid').toString('base64url'), Buffer.from('Planet:01900000-0000-7000-8000-000000000000').toString('base64url')]) {
        failed(await gql(query, { v, ...extra?.() }), 'BAD_USER_INPUT', field);
      }
    });

    it.each(ID_ARGUMENTS)('$label: an empty string as the id → BAD_USER_INPUT naming $field', async ({ query, field, extra }) => {
      failed(await gql(query, { v: '', ...extra?.() }), 'BAD_USER_INPUT', field);
    });

    it.each(ID_ARGUMENTS)('$label: the id of another type → BAD_USER_INPUT naming $field and the expected type', async ({ query, type, field, wrong, extra }) => {
      const error = failed(await gql(query, { v: wrong(), ...extra?.() }), 'BAD_USER_INPUT', field);
      expect(error.message).toContain(type);
    });

    it('a Contact id where an Account id is expected → BAD_USER_INPUT naming the field', async () => {
      failed(await gql('mutation($v: ID!) { updateAccount(id: $v, input: { name: "x" }) { id } }', { v: live.Contact }), 'BAD_USER_INPUT', 'id');
      failed(await gql(CREATE_CONTACT, { input: { lastName: 'x', accountId: live.Contact } }), 'BAD_USER_INPUT', 'input.accountId');
      failed(await gql('query($v: ID) { contacts(filter: { accountId: $v }) { totalCount } }', { v: live.Contact }), 'BAD_USER_INPUT', 'filter.accountId');
    });

    it.each([
      { label: 'createAccount(input.ownerId)', query: 'mutation($v: ID) { createAccount(input: { name: "x", ownerId: $v }) { id } }', field: 'input.ownerId' },
      { label: 'assignRecord(ownerId)', query: 'mutation($v: ID!, $id: ID!) { assignRecord(id: $id, ownerId: $v) { id } }', field: 'ownerId' },
      { label: 'accounts(filter.ownerId)', query: 'query($v: ID) { accounts(filter: { ownerId: $v }) { totalCount } }', field: 'filter.ownerId' },
    ])('$label: a malformed or non-user id → BAD_USER_INPUT naming $field', async ({ query, field }) => {
      const extra = { id: live.Account };
      failed(await gql(query, { v: 'nope', ...extra }), 'BAD_USER_INPUT', field);
      failed(await gql(query, { v: live.Account, ...extra }), 'BAD_USER_INPUT', field);
    });

    it.each([
      { label: 'createAccount(input.ownerId)', query: 'mutation($v: ID) { createAccount(input: { name: "x", ownerId: $v }) { id } }', field: 'input.ownerId' },
      { label: 'createContact(input.ownerId)', query: 'mutation($v: ID) { createContact(input: { lastName: "x", ownerId: $v }) { id } }', field: 'input.ownerId' },
      { label: 'assignRecord(ownerId)', query: 'mutation($v: ID!, $id: ID!) { assignRecord(id: $id, ownerId: $v) { id } }', field: 'ownerId' },
    ])('$label: the id of a user that does not exist → NOT_FOUND naming $field', async ({ query, field }) => {
      failed(await gql(query, { v: missingId('User'), id: live.Account }), 'NOT_FOUND', field);
    });

    it('accounts(filter.ownerId) with the id of a user that does not exist → an empty list', async () => {
      expect(ok(await gql('query($v: ID) { accounts(filter: { ownerId: $v }) { totalCount } }', { v: missingId('User') })).accounts.totalCount).toBe(0);
    });

    it.each([
      ['filter.accountId', 'query($v: ID) { contacts(filter: { accountId: $v }) { totalCount } }'],
      ['filter.customerId', 'query($v: ID) { opportunities(filter: { customerId: $v }) { totalCount } }'],
      ['filter.customerId', 'query($v: ID) { cases(filter: { customerId: $v }) { totalCount } }'],
    ])('list filter %s: a malformed id → BAD_USER_INPUT naming it', async (field, query) => {
      failed(await gql(query, { v: 'nope' }), 'BAD_USER_INPUT', field);
      failed(await gql(query, { v: live.Lead }), 'BAD_USER_INPUT', field);
    });

    it('node(id) answers null, without an error, for a malformed, unknown or deleted id', async () => {
      for (const id of ['nope', missingId('Account'), deleted.Account, deleted.Case]) {
        expect(ok(await gql('query($id: ID!) { node(id: $id) { id } }', { id })).node).toBeNull();
      }
    });
  });

  describe('missing, too long, wrongly typed and cleared fields', () => {
    it.each([
      ['createContact', 'lastName', 'mutation { createContact(input: { firstName: "x" }) { id } }'],
      ['createAccount', 'name', 'mutation { createAccount(input: { website: "www.x.example" }) { id } }'],
      ['createLead', 'topic', 'mutation { createLead(input: { lastName: "x" }) { id } }'],
      ['createOpportunity', 'customerId', 'mutation { createOpportunity(input: { name: "x" }) { id } }'],
      ['createCase', 'title', `mutation { createCase(input: { customerId: "${missingId('Account')}" }) { id } }`],
    ])('%s without %s → a GraphQL validation error mentioning the field', async (_mutation, field, query) => {
      const result = await gql(query);
      expect(result.status).toBe(400);
      expect(result.data).toBeUndefined();
      const error = failed(result, 'GRAPHQL_VALIDATION_FAILED');
      expect(error.message).toContain(field);
    });

    it('createContact without lastName, through a variable → a 400 client error mentioning lastName', async () => {
      const result = await gql(CREATE_CONTACT, { input: { firstName: 'x' } });
      expect(result.status).toBe(400);
      const error = failed(result, 'BAD_USER_INPUT');
      expect(error.message).toContain('lastName');
    });

    it.each([
      { type: 'Contact', field: 'lastName', max: 100, base: () => ({}) },
      { type: 'Contact', field: 'firstName', max: 100, base: () => ({ lastName: 'x' }) },
      { type: 'Contact', field: 'jobTitle', max: 100, base: () => ({ lastName: 'x' }) },
      { type: 'Contact', field: 'telephone', max: 50, base: () => ({ lastName: 'x' }) },
      { type: 'Account', field: 'name', max: 160, base: () => ({}) },
      { type: 'Lead', field: 'topic', max: 200, base: () => ({ lastName: 'x' }) },
      { type: 'Lead', field: 'companyName', max: 160, base: () => ({ lastName: 'x', topic: 'x' }) },
      { type: 'Opportunity', field: 'name', max: 200, base: () => ({ customerId: live.Account }) },
      { type: 'Case', field: 'title', max: 200, base: () => ({ customerId: live.Account }) },
    ])('create$type: $field of max+1 characters → BAD_USER_INPUT naming input.$field; of max characters it is stored', async ({ type, field, max, base }) => {
      const query = `mutation($input: Create${type}Input!) { create${type}(input: $input) { id ${field} } }`;
      const error = failed(await gql(query, { input: { ...base(), [field]: 'x'.repeat(max + 1) } }), 'BAD_USER_INPUT', `input.${field}`);
      expect(error.message).toContain(String(max));
      const stored = ok(await gql(query, { input: { ...base(), [field]: 'y'.repeat(max) } }))[`create${type}`];
      expect(stored[field]).toBe('y'.repeat(max));
    });

    it('lastName of 101 characters in createContact → BAD_USER_INPUT with field input.lastName, nothing stored', async () => {
      const contacts = await countRows(hub, 'contact');
      const error = failed(await gql(CREATE_CONTACT, { input: { lastName: 'L'.repeat(101) } }), 'BAD_USER_INPUT', 'input.lastName');
      expect(error.message).toMatch(/100/);
      expect(error.extensions).toMatchObject({ reason: 'TOO_LONG', max: 100 });
      expect(error.extensions.fields).toEqual([{ field: 'input.lastName', message: expect.stringMatching(/100/), reason: 'TOO_LONG', max: 100 }]);
      expect(await countRows(hub, 'contact')).toBe(contacts);
    });

    it.each([
      ['lastName', ''],
      ['lastName', '   '],
    ])('createContact with %s %j → BAD_USER_INPUT naming input.lastName', async (field, value) => {
      const error = failed(await gql(CREATE_CONTACT, { input: { [field]: value } }), 'BAD_USER_INPUT', `input.${field}`);
      expect(error.extensions.reason).toBe('REQUIRED');
    });

    it.each([
      ['createAccount', 'name', 'mutation($v: String!) { createAccount(input: { name: $v }) { id name } }'],
      ['createLead', 'topic', 'mutation($v: String!) { createLead(input: { topic: $v, lastName: "x" }) { id topic } }'],
      ['createCase', 'title', 'mutation($v: String!, $c: ID!) { createCase(input: { title: $v, customerId: $c }) { id title } }'],
      ['updateAccount', 'name', 'mutation($v: String!, $c: ID!) { updateAccount(id: $c, input: { name: $v }) { id name } }'],
    ])('%s with a blank %s → BAD_USER_INPUT naming it', async (_mutation, field, query) => {
      failed(await gql(query, { v: '   ', c: live.Account }), 'BAD_USER_INPUT', `input.${field}`);
    });

    it('a string for `first` written in the query → a GraphQL validation error about the Int', async () => {
      const result = await gql('{ contacts(first: "5") { totalCount } }');
      expect(result.status).toBe(400);
      const error = failed(result, 'GRAPHQL_VALIDATION_FAILED');
      expect(error.message).toMatch(/Int/);
    });

    it('a string for `first` passed as a variable → a 400 client error naming the variable', async () => {
      const result = await gql('query($first: Int) { contacts(first: $first) { totalCount } }', { first: '5' });
      expect(result.status).toBe(400);
      const error = failed(result, 'BAD_USER_INPUT');
      expect(error.message).toContain('$first');
    });

    it.each([
      ['a fraction for `first`', '{ contacts(first: 2.5) { totalCount } }'],
      ['an unknown enum value', '{ contacts(filter: { status: BOGUS }) { totalCount } }'],
      ['an unknown input field', 'mutation { createContact(input: { lastName: "x", nickname: "y" }) { id } }'],
      ['a list where a string belongs', 'mutation { createContact(input: { lastName: ["x"] }) { id } }'],
    ])('%s in the query → a GraphQL validation error', async (_label, query) => {
      const result = await gql(query);
      expect(result.status).toBe(400);
      failed(result, 'GRAPHQL_VALIDATION_FAILED');
    });

    it.each([
      { type: 'Contact', field: 'lastName' },
      { type: 'Contact', field: 'status' },
      { type: 'Contact', field: 'emails' },
      { type: 'Account', field: 'name' },
      { type: 'Account', field: 'status' },
      { type: 'Lead', field: 'topic' },
      { type: 'Lead', field: 'lastName' },
      { type: 'Opportunity', field: 'name' },
      { type: 'Opportunity', field: 'customerId' },
      { type: 'Case', field: 'title' },
      { type: 'Case', field: 'priority' },
      { type: 'Case', field: 'status' },
    ])('update$type with $field: null → BAD_USER_INPUT naming input.$field, record unchanged', async ({ type, field }) => {
      const read = `query($id: ID!) { node(id: $id) { __typename ... on ${type} { updatedAt modifiedBy { id } } } }`;
      const before = ok(await gql(read, { id: live[type] })).node;
      const result = await gql(`mutation($id: ID!, $input: Update${type}Input!) { update${type}(id: $id, input: $input) { id } }`, { id: live[type], input: { [field]: null } });
      const error = failed(result, 'BAD_USER_INPUT', `input.${field}`);
      expect(error.message).toMatch(/clear/);
      expect(ok(await gql(read, { id: live[type] })).node).toEqual(before);
    });
  });

  describe('nothing half-written', () => {
    const counts = async () => ({
      contacts: await countRows(hub, 'contact'),
      emails: await countRows(hub, 'email_address'),
      accounts: await countRows(hub, 'account'),
    });

    it.each([
      { label: 'its second email is invalid', input: () => ({ lastName: `${tag} Half`, emails: ['first@half.example', 'second-is-bad'] }), code: 'BAD_USER_INPUT', field: 'input.emails[1]' },
      { label: 'its accountId is unknown', input: () => ({ lastName: `${tag} Half`, emails: ['first@half.example'], accountId: deleted.Account }), code: 'NOT_FOUND', field: 'input.accountId' },
      { label: 'its accountId is of the wrong type', input: () => ({ lastName: `${tag} Half`, emails: ['first@half.example'], accountId: live.Lead }), code: 'BAD_USER_INPUT', field: 'input.accountId' },
      { label: 'its owner is unknown', input: () => ({ lastName: `${tag} Half`, emails: ['first@half.example'], ownerId: missingId('User') }), code: 'NOT_FOUND', field: undefined },
    ])('a createContact that fails because $label writes no contact and no email address', async ({ input, code, field }) => {
      const before = await counts();
      failed(await gql(CREATE_CONTACT, { input: input() }), code, field);
      expect(await counts()).toEqual(before);
      const search = ok(await gql('query($s: String) { contacts(filter: { search: $s }) { totalCount } }', { s: `${tag} Half` }));
      expect(search.contacts.totalCount).toBe(0);
      expect(await countRows(hub, 'email_address', "address = 'first@half.example'")).toBe(0);
    });

    it('the same createContact with valid input then succeeds, writing one contact and its addresses', async () => {
      const before = await counts();
      const created = ok(await gql(CREATE_CONTACT, { input: { lastName: `${tag} Whole`, emails: ['first@whole.example', 'second@whole.example'], accountId: live.Account } })).createContact;
      expect(created.emails).toEqual(['first@whole.example', 'second@whole.example']);
      expect(await counts()).toEqual({ ...before, contacts: before.contacts + 1, emails: before.emails + 2 });
    });

    it('a refused delete (CONFLICT) removes no email addresses', async () => {
      const before = await counts();
      failed(await gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: live.Account }), 'CONFLICT');
      expect(await counts()).toEqual(before);
    });
  });
});
