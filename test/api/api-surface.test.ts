import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';

describe.each(DIALECTS)('API surface on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login('admin@demo.crm.test');
    // 120 more contacts, spread over accounts, so a page of 100 has many distinct accounts and owners.
    const accounts = await hub.gql('{ accounts(first: 100) { edges { node { id } } } }', {}, admin);
    const accountIds: string[] = accounts.data.accounts.edges.map((e: { node: { id: string } }) => e.node.id);
    for (let i = 0; i < 120; i++) {
      const created = await hub.gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', {
        input: { lastName: `Loader ${i}`, emails: [`loader${i}@example.com`], accountId: accountIds[i % accountIds.length] },
      }, admin);
      expect(created.errors).toBeUndefined();
    }
  });
  afterAll(() => hub?.close());

  const statementsFor = async (first: number, token: string) => {
    const query = `query($first: Int) { contacts(first: $first) { totalCount edges { node { id fullName emails
      account { id name owner { fullName } } owner { fullName businessUnit { name } } } } } }`;
    // The caller is resolved once and then cached for a few seconds: count only the page's own statements.
    await hub.gql('{ viewer { id } }', {}, token);
    hub.database.queries.reset();
    const result = await hub.gql(query, { first }, token);
    expect(result.errors).toBeUndefined();
    expect(result.data.contacts.edges).toHaveLength(first);
    return hub.database.queries.statements;
  };

  it('lists 100 contacts with their accounts and owners in a constant number of SQL statements', async () => {
    const forTen = await statementsFor(10, admin);
    const forHundred = await statementsFor(100, admin);
    expect(forHundred).toBe(forTen);
    expect(forHundred).toBeLessThanOrEqual(16);
    // A Salesperson's page also checks sharing for rows outside their depth: still constant.
    const sam = await hub.login('sam.sales@demo.crm.test');
    expect(await statementsFor(30, sam)).toBe(await statementsFor(5, sam));
  });

  it('lists security roles with their privileges in a constant number of statements, however many roles', async () => {
    const query = '{ securityRoles { name privileges { entity privilege depth } fieldPermissions { field canRead } } }';
    const measure = async () => {
      hub.database.queries.reset();
      const result = await hub.gql(query, {}, admin);
      expect(result.errors).toBeUndefined();
      return { roles: result.data.securityRoles.length, statements: hub.database.queries.statements };
    };
    const before = await measure();
    for (const name of ['Extra A', 'Extra B', 'Extra C']) {
      await hub.gql('mutation($n: String!) { createSecurityRole(input: { name: $n }) { id } }', { n: name }, admin);
    }
    const after = await measure();
    expect(after.roles).toBe(before.roles + 3);
    expect(after.statements).toBe(before.statements);
  });

  it('rejects a page larger than the maximum, naming the argument', async () => {
    const result = await hub.gql('{ contacts(first: 101) { totalCount } }', {}, admin);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('rejects queries nested too deep', async () => {
    const deep = '{ viewer { businessUnit { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } } } }';
    const result = await hub.gql(deep, {}, admin);
    expect(result.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(result.errors?.[0].message).toMatch(/depth 13 exceeds the limit of 12/);
  });

  it('rejects queries that are too expensive before running them', async () => {
    const wide = `{ contacts(first: 100) { edges { node { id fullName emails primaryEmail jobTitle status createdAt updatedAt
      owner { id fullName email roles { name privileges { entity privilege depth } } businessUnit { name parent { name } } }
      createdBy { id fullName email roles { name } businessUnit { name parent { name } } }
      modifiedBy { id fullName email roles { name } businessUnit { name parent { name } } }
      account { id name emails status website owner { id fullName roles { name } } createdBy { fullName roles { name } } }
    } } }
    a2: accounts(first: 100) { edges { node { id name emails owner { fullName roles { name } } } } } }`;
    hub.database.queries.reset();
    const result = await hub.gql(wide, {}, admin);
    expect(result.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(hub.database.queries.recent.some((q) => q.includes('FROM `contact`') || q.includes('FROM "contact"'))).toBe(false);
  });

  it('refuses a cross-site style GET without a preflight header (CSRF prevention)', async () => {
    const response = await fetch(`${hub.graphqlUrl}?query=${encodeURIComponent('{ viewer { id } }')}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });

  it('serves health and readiness', async () => {
    expect(await (await fetch(`${hub.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${hub.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('API keys: created by an admin for a user, shown once, stored hashed, usable, and revocable', async () => {
    const users = await hub.gql('{ users(search: "Sam Sales") { id } }', {}, admin);
    const created = await hub.gql(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name prefix user { email } } } }',
      { input: { name: 'ERP integration', userId: users.data.users[0].id } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const { key, apiKey } = created.data.createApiKey;
    expect(key).toMatch(/^crm_key_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.prefix).toBe(key.slice(0, 12));
    expect(apiKey.user.email).toBe('sam.sales@demo.crm.test');

    const stored: { keyHash: string }[] = await hub.database.dataSource.query('SELECT keyHash FROM api_key');
    expect(stored.some((row) => row.keyHash.includes(key) || key.includes(row.keyHash))).toBe(false);
    expect(JSON.stringify(await hub.gql('{ apiKeys { id name prefix } }', {}, admin))).not.toContain(key);

    const asKey = await hub.gql('{ viewer { email } contacts { totalCount } }', {}, key);
    expect(asKey.data.viewer.email).toBe('sam.sales@demo.crm.test');
    const asSession = await hub.gql('{ contacts { totalCount } }', {}, await hub.login('sam.sales@demo.crm.test'));
    expect(asKey.data.contacts.totalCount).toBe(asSession.data.contacts.totalCount);

    const sam = await hub.login('sam.sales@demo.crm.test');
    const notAdmin = await hub.gql('mutation { createApiKey(input: { name: "mine" }) { key } }', {}, sam);
    expect(notAdmin.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    await hub.gql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: apiKey.id }, admin);
    const revoked = await hub.gql('{ viewer { email } }', {}, key);
    expect(revoked.status).toBe(401);
  });

  it('administrators create users who can then sign in with the roles given', async () => {
    const meta = await hub.gql('{ businessUnits { id name } securityRoles { id name } }', {}, admin);
    const unit = meta.data.businessUnits.find((u: { name: string }) => u.name === 'Service');
    const role = meta.data.securityRoles.find((r: { name: string }) => r.name === 'Salesperson');
    const created = await hub.gql(
      'mutation($input: CreateUserInput!) { createUser(input: $input) { email roles { name } businessUnit { name } } }',
      { input: { email: ' New.Person@Demo.CRM.test ', fullName: 'New Person', businessUnitId: unit.id, password: 'a-long-enough-password', roleIds: [role.id] } },
      admin,
    );
    expect(created.data.createUser).toEqual({ email: 'new.person@demo.crm.test', roles: [{ name: 'Salesperson' }], businessUnit: { name: 'Service' } });
    const login = await hub.gql('mutation { login(email: "new.person@demo.crm.test", password: "a-long-enough-password") { user { fullName } } }');
    expect(login.data.login.user.fullName).toBe('New Person');
    const duplicate = await hub.gql(
      'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
      { input: { email: 'new.person@demo.crm.test', fullName: 'Again', businessUnitId: unit.id, roleIds: [] } },
      admin,
    );
    expect(duplicate.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.email' });
  });
});
