import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';

const CONTACTS = `query($first: Int, $filter: ContactFilter) {
  contacts(first: $first, filter: $filter) { totalCount edges { node { id fullName telephone owner { email } businessUnit { name } } } }
}`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Contact { fullName telephone } } }`;
const CREATE_CONTACT = `mutation($input: CreateContactInput!) { createContact(input: $input) { id fullName businessUnit { name } owner { email } } }`;
const UPDATE_CONTACT = `mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id jobTitle } }`;

type Contact = { id: string; fullName: string; telephone: string | null; owner: { email: string }; businessUnit: { name: string } };

describe.each(DIALECTS)('access control on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  let allContacts: Contact[];

  const contactsAs = async (who: string, filter?: object): Promise<{ totalCount: number; nodes: Contact[] }> => {
    const result = await hub.gql(CONTACTS, { first: 100, filter }, tokens[who]);
    expect(result.errors).toBeUndefined();
    return { totalCount: result.data.contacts.totalCount, nodes: result.data.contacts.edges.map((e: { node: Contact }) => e.node) };
  };
  const contactIn = (unit: string, notOwnedBy?: string) =>
    allContacts.find((c) => c.businessUnit.name === unit && c.owner.email !== notOwnedBy)!;

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['admin', 'maria.manager', 'sam.sales', 'sara.sales', 'nora.north', 'sven.service']) {
      tokens[who] = await hub.login(`${who}@demo.crm.test`);
    }
    tokens.sync = hub.syncServiceKey;
    allContacts = (await contactsAs('admin')).nodes;
  });
  afterAll(() => hub?.close());

  it('the administrator reads every contact, with phone numbers', async () => {
    const { totalCount, nodes } = await contactsAs('admin');
    expect(totalCount).toBe(60);
    expect(new Set(nodes.map((c) => c.businessUnit.name))).toEqual(new Set(['Sales', 'Sales North', 'Service']));
    expect(nodes.every((c) => c.telephone)).toBe(true);
  });

  it('a Salesperson in Sales sees only Sales contacts: in lists, counts, search, node(id) and errors', async () => {
    const { totalCount, nodes } = await contactsAs('sam.sales');
    expect(nodes.length).toBe(totalCount);
    expect(totalCount).toBe(allContacts.filter((c) => c.businessUnit.name === 'Sales').length);
    expect(nodes.every((c) => c.businessUnit.name === 'Sales')).toBe(true);

    const foreign = contactIn('Service');
    const searched = await contactsAs('sam.sales', { search: foreign.fullName });
    expect(searched.nodes.map((c) => c.id)).not.toContain(foreign.id);
    expect(searched.nodes.length).toBe(searched.totalCount);

    const node = await hub.gql(NODE, { id: foreign.id }, tokens['sam.sales']);
    expect(node.data.node).toBeNull();

    const update = await hub.gql(UPDATE_CONTACT, { id: foreign.id, input: { jobTitle: 'x' } }, tokens['sam.sales']);
    expect(update.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(update)).not.toContain(foreign.fullName);
  });

  it('business-unit depth does not reach the child unit; the Sales Manager sees the whole unit but not Service', async () => {
    const manager = await contactsAs('maria.manager');
    expect(manager.nodes.every((c) => c.businessUnit.name === 'Sales')).toBe(true);
    const north = await contactsAs('nora.north');
    expect(north.nodes.every((c) => c.businessUnit.name === 'Sales North')).toBe(true);
    expect(north.totalCount).toBeGreaterThan(0);
  });

  it('parent-and-child depth reaches the unit and the units below it, not its siblings', async () => {
    const role = await hub.gql('mutation { createSecurityRole(input: { name: "Regional reader" }) { id } }', {}, tokens.admin);
    const roleId = role.data.createSecurityRole.id;
    await hub.gql('mutation($r: ID!) { setRolePrivilege(input: { roleId: $r, entity: CONTACT, privilege: READ, depth: PARENT_CHILD }) { id } }', { r: roleId }, tokens.admin);
    const users = await hub.gql('{ users(search: "Maria") { id } }', {}, tokens.admin);
    await hub.gql('mutation($u: ID!, $r: ID!) { addUserRole(userId: $u, roleId: $r) { id } }', { u: users.data.users[0].id, r: roleId }, tokens.admin);

    const manager = await contactsAs('maria.manager');
    const expected = allContacts.filter((c) => c.businessUnit.name === 'Sales' || c.businessUnit.name === 'Sales North');
    expect(new Set(manager.nodes.map((c) => c.businessUnit.name))).toEqual(new Set(['Sales', 'Sales North']));
    expect(manager.totalCount).toBe(expected.length);

    await hub.gql('mutation($u: ID!, $r: ID!) { removeUserRole(userId: $u, roleId: $r) { id } }', { u: users.data.users[0].id, r: roleId }, tokens.admin);
    expect((await contactsAs('maria.manager')).nodes.every((c) => c.businessUnit.name === 'Sales')).toBe(true);
  });

  it('a Salesperson may read a colleague’s contact but only change their own', async () => {
    const colleagues = contactIn('Sales', 'sam.sales@demo.crm.test');
    expect(colleagues.owner.email).not.toBe('sam.sales@demo.crm.test');
    const refused = await hub.gql(UPDATE_CONTACT, { id: colleagues.id, input: { jobTitle: 'Buyer' } }, tokens['sam.sales']);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const deleted = await hub.gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: colleagues.id }, tokens['sam.sales']);
    expect(deleted.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const own = await hub.gql(CREATE_CONTACT, { input: { lastName: 'Own Contact', emails: ['own@example.com'] } }, tokens['sam.sales']);
    expect(own.errors).toBeUndefined();
    expect(own.data.createContact.owner.email).toBe('sam.sales@demo.crm.test');
    const changed = await hub.gql(UPDATE_CONTACT, { id: own.data.createContact.id, input: { jobTitle: 'Buyer' } }, tokens['sam.sales']);
    expect(changed.data.updateContact.jobTitle).toBe('Buyer');
  });

  it('a Salesperson cannot create records for someone else (user-depth create, no assign)', async () => {
    const users = await hub.gql('{ users(search: "Sara") { id email } }', {}, tokens.admin);
    const sara = users.data.users[0];
    const refused = await hub.gql(CREATE_CONTACT, { input: { lastName: 'For Sara', ownerId: sara.id } }, tokens['sam.sales']);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const byManager = await hub.gql(CREATE_CONTACT, { input: { lastName: 'For Sara', ownerId: sara.id } }, tokens['maria.manager']);
    expect(byManager.data.createContact.owner.email).toBe('sara.sales@demo.crm.test');
  });

  it('append-to: a Salesperson cannot attach a contact to an account outside their reach', async () => {
    const accounts = await hub.gql('{ accounts(first: 100) { edges { node { id name businessUnit { name } } } } }', {}, tokens.admin);
    const serviceAccount = accounts.data.accounts.edges.map((e: any) => e.node).find((a: any) => a.businessUnit.name === 'Service');
    const result = await hub.gql(CREATE_CONTACT, { input: { lastName: 'Linked', accountId: serviceAccount.id } }, tokens['sam.sales']);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'input.accountId' });
  });

  it('sharing lets one more user read (and optionally write) a record; unsharing takes it back', async () => {
    const own = await hub.gql(CREATE_CONTACT, { input: { lastName: 'Shared With Sven' } }, tokens['sam.sales']);
    const id = own.data.createContact.id;
    expect((await hub.gql(NODE, { id }, tokens['sven.service'])).data.node).toBeNull();
    const users = await hub.gql('{ users(search: "Sven") { id } }', {}, tokens['sam.sales']);
    const sven = users.data.users[0].id;

    const shared = await hub.gql('mutation($id: ID!, $u: ID!) { shareRecord(id: $id, userId: $u) { id } }', { id, u: sven }, tokens['sam.sales']);
    expect(shared.errors).toBeUndefined();
    expect((await hub.gql(NODE, { id }, tokens['sven.service'])).data.node.fullName).toBe('Shared With Sven');
    expect((await contactsAs('sven.service', { search: 'Shared With Sven' })).totalCount).toBe(1);
    const readOnly = await hub.gql(UPDATE_CONTACT, { id, input: { jobTitle: 'x' } }, tokens['sven.service']);
    expect(readOnly.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    await hub.gql('mutation($id: ID!, $u: ID!) { shareRecord(id: $id, userId: $u, canWrite: true) { id } }', { id, u: sven }, tokens['sam.sales']);
    expect((await hub.gql(UPDATE_CONTACT, { id, input: { jobTitle: 'Partner' } }, tokens['sven.service'])).data.updateContact.jobTitle).toBe('Partner');

    await hub.gql('mutation($id: ID!, $u: ID!) { unshareRecord(id: $id, userId: $u) { id } }', { id, u: sven }, tokens['sam.sales']);
    expect((await hub.gql(NODE, { id }, tokens['sven.service'])).data.node).toBeNull();
  });

  it('assigning moves a record to the new owner and their business unit', async () => {
    const created = await hub.gql(CREATE_CONTACT, { input: { lastName: 'To Be Assigned' } }, tokens['sam.sales']);
    const id = created.data.createContact.id;
    const users = await hub.gql('{ users(search: "Sven") { id } }', {}, tokens.admin);
    const refused = await hub.gql('mutation($id: ID!, $o: ID!) { assignRecord(id: $id, ownerId: $o) { id } }', { id, o: users.data.users[0].id }, tokens['sara.sales']);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const assigned = await hub.gql(
      'mutation($id: ID!, $o: ID!) { assignRecord(id: $id, ownerId: $o) { ... on Contact { owner { email } businessUnit { name } } } }',
      { id, o: users.data.users[0].id },
      tokens['sam.sales'],
    );
    expect(assigned.data.assignRecord).toEqual({ owner: { email: 'sven.service@demo.crm.test' }, businessUnit: { name: 'Service' } });
    expect((await hub.gql(NODE, { id }, tokens['sam.sales'])).data.node).toBeNull();
  });

  it('the Sync Service key reads contacts but not their phone numbers, and cannot delete or create', async () => {
    const viewer = await hub.gql('{ viewer { email isService roles { name } } }', {}, tokens.sync);
    expect(viewer.data.viewer).toEqual({ email: 'sync-service@hub.invalid', isService: true, roles: [{ name: 'Sync Service' }] });
    const { nodes } = await contactsAs('sync');
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((c) => c.telephone === null)).toBe(true);
    const deleted = await hub.gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: nodes[0].id }, tokens.sync);
    expect(deleted.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const created = await hub.gql(CREATE_CONTACT, { input: { lastName: 'Sneaky' } }, tokens.sync);
    expect(created.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const opportunities = await hub.gql('{ opportunities { totalCount } }', {}, tokens.sync);
    expect(opportunities.data.opportunities.totalCount).toBe(0);
  });

  it('a Salesperson may not set a secured field without a field permission; the Sync Service may not either', async () => {
    const refused = await hub.gql(CREATE_CONTACT, { input: { lastName: 'Phone', telephone: '+46 1' } }, tokens.sync);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const allowed = await hub.gql(
      'mutation($input: CreateContactInput!) { createContact(input: $input) { telephone } }',
      { input: { lastName: 'Phone', telephone: '+46 1' } },
      tokens['sam.sales'],
    );
    expect(allowed.data.createContact.telephone).toBe('+46 1');
  });

  it('no token: UNAUTHENTICATED with HTTP 200 for operations, and a bad token is refused with 401', async () => {
    const anonymous = await hub.gql('{ contacts { totalCount } }');
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const bad = await hub.gql('{ viewer { id } }', {}, 'crm_ses_not-a-real-token');
    expect(bad.status).toBe(401);
    expect(bad.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('logout ends the session', async () => {
    const token = await hub.login('sara.sales@demo.crm.test');
    expect((await hub.gql('mutation { logout }', {}, token)).data.logout).toBe(true);
    expect((await hub.gql('{ viewer { id } }', {}, token)).status).toBe(401);
  });

  it('a wrong password is refused without saying whether the user exists', async () => {
    const wrong = await hub.gql('mutation { login(email: "sam.sales@demo.crm.test", password: "nope") { token } }');
    const unknown = await hub.gql('mutation { login(email: "nobody@demo.crm.test", password: "nope") { token } }');
    expect(wrong.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^wrong email or password/), extensions: { code: 'UNAUTHENTICATED' } });
    expect(unknown.errors?.[0].message).toBe(wrong.errors?.[0].message);
  });

  it('five wrong passwords pause sign-in for that user, even with the right password; the pause ends', async () => {
    const attempt = (password: string) =>
      hub.gql('mutation($p: String!) { login(email: "nora.north@demo.crm.test", password: $p) { token } }', { p: password });
    for (let i = 0; i < 5; i++) expect((await attempt(`guess-${i}`)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const refused = await attempt(hub.demoPassword);
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.errors?.[0].message).toBe((await attempt('another-guess')).errors?.[0].message);
    // Fifteen minutes later (moved back in the database rather than waited for):
    await hub.database.dataSource.query("UPDATE app_user SET loginLockedUntil = '2000-01-01 00:00:00' WHERE email = 'nora.north@demo.crm.test'");
    expect((await attempt(hub.demoPassword)).data?.login.token).toMatch(/^crm_ses_/);
  });
  it('an administrator builds a custom role; its grants apply from the next request on', async () => {
    const meta = await hub.gql('{ businessUnits { id name } }', {}, tokens.admin);
    const service = meta.data.businessUnits.find((u: { name: string }) => u.name === 'Service');
    const role = await hub.gql('mutation { createSecurityRole(input: { name: "Auditor", description: "reads contacts" }) { id name } }', {}, tokens.admin);
    expect(role.errors).toBeUndefined();
    const roleId = role.data.createSecurityRole.id;
    const user = await hub.gql(
      'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
      { input: { email: 'audrey.auditor@demo.crm.test', fullName: 'Audrey Auditor', businessUnitId: service.id, password: 'auditor-password-1', roleIds: [roleId] } },
      tokens.admin,
    );
    expect(user.errors).toBeUndefined();
    const login = await hub.gql('mutation { login(email: "audrey.auditor@demo.crm.test", password: "auditor-password-1") { token } }');
    const auditor = login.data.login.token;
    const count = async () => (await hub.gql('{ contacts { totalCount edges { node { telephone } } } }', {}, auditor)).data.contacts;

    expect((await count()).totalCount).toBe(0);
    const grant = await hub.gql(
      'mutation($r: ID!) { setRolePrivilege(input: { roleId: $r, entity: CONTACT, privilege: READ, depth: ORGANIZATION }) { privileges { entity privilege depth } } }',
      { r: roleId },
      tokens.admin,
    );
    expect(grant.data.setRolePrivilege.privileges).toEqual([{ entity: 'CONTACT', privilege: 'READ', depth: 'ORGANIZATION' }]);
    const all = await count();
    expect(all.totalCount).toBeGreaterThanOrEqual(60);
    expect(all.edges.every((e: { node: { telephone: string | null } }) => e.node.telephone === null)).toBe(true);

    await hub.gql('mutation($r: ID!) { setRoleFieldPermission(input: { roleId: $r, entity: CONTACT, field: "telephone", canRead: true, canUpdate: false }) { id } }', { r: roleId }, tokens.admin);
    expect((await count()).edges.some((e: { node: { telephone: string | null } }) => e.node.telephone !== null)).toBe(true);
    const unknownField = await hub.gql('mutation($r: ID!) { setRoleFieldPermission(input: { roleId: $r, entity: CONTACT, field: "lastName", canRead: true, canUpdate: true }) { id } }', { r: roleId }, tokens.admin);
    expect(unknownField.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.field' });

    await hub.gql('mutation($r: ID!) { setRolePrivilege(input: { roleId: $r, entity: CONTACT, privilege: READ, depth: NONE }) { id } }', { r: roleId }, tokens.admin);
    expect((await count()).totalCount).toBe(0);

    const roles = await hub.gql('{ securityRoles { id name } }', {}, tokens.admin);
    const sysadmin = roles.data.securityRoles.find((r: { name: string }) => r.name === 'System Administrator');
    const locked = await hub.gql('mutation($r: ID!) { setRolePrivilege(input: { roleId: $r, entity: CONTACT, privilege: READ, depth: NONE }) { id } }', { r: sysadmin.id }, tokens.admin);
    expect(locked.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const bySalesperson = await hub.gql('mutation { createSecurityRole(input: { name: "Mine" }) { id } }', {}, tokens['sam.sales']);
    expect(bySalesperson.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
