import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { failed, ok, uniqueTag, userIds } from './gql-helpers';

const ACCESS = 'viewerAccess { write delete assign share append appendTo }';
const CONTACT = `query($id: ID!) { node(id: $id) { ... on Contact { ${ACCESS} } } }`;
const CREATE_CONTACT = 'mutation($input: CreateContactInput!) { createContact(input: $input) { id } }';

describe.each(DIALECTS)('a record says what its reader may do with it, on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  let users: Record<string, string>;
  const as = (who: string) => (query: string, variables: object = {}) => hub.gql(query, variables, tokens[who]);
  const accessOf = async (who: string, id: string) => ok(await as(who)(CONTACT, { id })).node.viewerAccess;

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['admin', 'sam.sales', 'sara.sales']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    users = await userIds(hub, tokens.admin);
  }, 120_000);
  afterAll(() => hub?.close());

  it('matches what the mutations then allow: one\'s own record, a colleague\'s, and one shared with write access', async () => {
    const own = ok(await as('sam.sales')(CREATE_CONTACT, { input: { lastName: `Own ${uniqueTag()}` } })).createContact.id;
    const colleagues = ok(await as('sara.sales')(CREATE_CONTACT, { input: { lastName: `Sara's ${uniqueTag()}` } })).createContact.id;
    expect(await accessOf('admin', own)).toEqual({ write: true, delete: true, assign: true, share: true, append: true, appendTo: true });
    expect(await accessOf('sam.sales', own)).toEqual({ write: true, delete: true, assign: true, share: true, append: true, appendTo: true });

    // Sam reads Sara's contact (same unit; a Salesperson changes only their own) and may link to it, nothing more.
    const theirs = await accessOf('sam.sales', colleagues);
    expect(theirs).toEqual({ write: false, delete: false, assign: false, share: false, append: false, appendTo: true });
    failed(await as('sam.sales')('mutation($id: ID!) { updateContact(id: $id, input: { jobTitle: "Buyer" }) { id } }', { id: colleagues }), 'FORBIDDEN');
    failed(await as('sam.sales')('mutation($id: ID!) { deleteRecord(id: $id) }', { id: colleagues }), 'FORBIDDEN');
    failed(await as('sam.sales')('mutation($id: ID!, $u: ID!) { assignRecord(id: $id, ownerId: $u) { id } }', { id: colleagues, u: users['sam.sales@demo.crm.test'] }), 'FORBIDDEN');
    failed(await as('sam.sales')('mutation($id: ID!, $u: ID!) { shareRecord(id: $id, userId: $u) { id } }', { id: colleagues, u: users['sam.sales@demo.crm.test'] }), 'FORBIDDEN');

    // Shared with write access: Sam may now change it, and nothing more.
    ok(await as('sara.sales')('mutation($id: ID!, $u: ID!) { shareRecord(id: $id, userId: $u, canWrite: true) { id } }', { id: colleagues, u: users['sam.sales@demo.crm.test'] }));
    const shared = await accessOf('sam.sales', colleagues);
    expect(shared).toEqual({ ...theirs, write: true });
    ok(await as('sam.sales')('mutation($id: ID!) { updateContact(id: $id, input: { jobTitle: "Buyer" }) { id } }', { id: colleagues }));
  });

  it('activities say it too, and setActivityState agrees', async () => {
    const task = (who: string) => as(who)('mutation($s: String!) { createTask(input: { subject: $s }) { id } }', { s: `Task ${uniqueTag()}` });
    const samsTask = ok(await task('sam.sales')).createTask.id;
    const sarasTask = ok(await task('sara.sales')).createTask.id;
    const accessOfActivity = async (who: string, id: string) => ok(await as(who)('query($id: ID!) { node(id: $id) { ... on Task { viewerAccess { write delete } } } }', { id })).node.viewerAccess;
    expect(await accessOfActivity('sam.sales', samsTask)).toEqual({ write: true, delete: true });
    expect(await accessOfActivity('sam.sales', sarasTask)).toEqual({ write: false, delete: false });
    failed(await as('sam.sales')('mutation($id: ID!) { setActivityState(activityId: $id, state: COMPLETED) { id } }', { id: sarasTask }), 'FORBIDDEN');
    ok(await as('sam.sales')('mutation($id: ID!) { setActivityState(activityId: $id, state: COMPLETED) { id } }', { id: samsTask }));
  });

  it('costs one share look-up per page, not one per record', async () => {
    const page = `{ contacts(first: 50) { edges { node { id ${ACCESS} } } } }`;
    hub.database.queries.reset();
    const without = ok(await as('sam.sales')(`{ contacts(first: 50) { edges { node { id } } } }`)).contacts.edges.length;
    const base = hub.database.queries.statements;
    hub.database.queries.reset();
    const rows = ok(await as('sam.sales')(page)).contacts.edges;
    expect(rows.length).toBe(without);
    expect(rows.length).toBeGreaterThan(10);
    expect(hub.database.queries.statements).toBeLessThanOrEqual(base + 1);
  });

  describe('who a record is shared with', () => {
    const SHARES = 'query($id: ID!) { node(id: $id) { ... on Contact { shares { user { id fullName } canWrite sharedBy { id } sharedAt } } } }';
    const sharesOf = async (who: string, id: string) => ok(await as(who)(SHARES, { id })).node.shares;

    it('is listed to who may share the record, and to no one else', async () => {
      const contact = ok(await as('sara.sales')(CREATE_CONTACT, { input: { lastName: `Shared ${uniqueTag()}` } })).createContact.id;
      expect(await sharesOf('sara.sales', contact)).toEqual([]);
      ok(await as('sara.sales')('mutation($id: ID!, $u: ID!) { shareRecord(id: $id, userId: $u, canWrite: true) { id } }', { id: contact, u: users['sam.sales@demo.crm.test'] }));
      const listed = await sharesOf('sara.sales', contact);
      expect(listed).toEqual([{ user: { id: users['sam.sales@demo.crm.test'], fullName: 'Sam Sales' }, canWrite: true, sharedBy: { id: users['sara.sales@demo.crm.test'] }, sharedAt: expect.any(String) }]);
      expect(await sharesOf('admin', contact)).toEqual(listed);
      // Sam may change it through the share, but not share it: he does not learn who else has it.
      expect(await sharesOf('sam.sales', contact)).toBeNull();

      ok(await as('sara.sales')('mutation($id: ID!, $u: ID!) { unshareRecord(id: $id, userId: $u) { id } }', { id: contact, u: users['sam.sales@demo.crm.test'] }));
      expect(await sharesOf('sara.sales', contact)).toEqual([]);
    });

    it('costs one statement for a page of records, however many are shared', async () => {
      const page = (fields: string) => `{ contacts(first: 50) { edges { node { id ${fields} } } } }`;
      hub.database.queries.reset();
      ok(await as('admin')(page('')));
      const base = hub.database.queries.statements;
      hub.database.queries.reset();
      const rows = ok(await as('admin')(page('shares { canWrite user { id } }'))).contacts.edges;
      expect(rows.length).toBeGreaterThan(10);
      // The share rows, and the users they name (one batched look-up).
      expect(hub.database.queries.statements).toBeLessThanOrEqual(base + 2);
    });
  });
});
