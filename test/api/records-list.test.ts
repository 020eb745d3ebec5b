import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { ADMIN, failed, ok, uniqueTag, userIds } from './gql-helpers';

/** Every record list, the field NAME sorts on, and the values its status filter takes. */
const LISTS = [
  { list: 'accounts', type: 'Account', name: 'name', statuses: ['ACTIVE', 'INACTIVE'], extra: 'emails' },
  { list: 'contacts', type: 'Contact', name: 'fullName', statuses: ['ACTIVE', 'INACTIVE'], extra: 'emails account { id }' },
  { list: 'leads', type: 'Lead', name: 'fullName', statuses: ['NEW', 'CONTACTED', 'QUALIFIED', 'DISQUALIFIED'], extra: 'emails' },
  { list: 'opportunities', type: 'Opportunity', name: 'name', statuses: ['OPEN', 'WON', 'LOST'], extra: 'customer { __typename ... on Account { id } ... on Contact { id } }' },
  { list: 'cases', type: 'Case', name: 'title', statuses: ['ACTIVE', 'RESOLVED', 'CANCELLED'], extra: 'customer { __typename ... on Account { id } ... on Contact { id } }' },
] as const;
type ListSpec = (typeof LISTS)[number];

const listQuery = (spec: ListSpec) => `query($first: Int, $after: String, $filter: ${spec.type}Filter, $orderBy: RecordOrder) {
  ${spec.list}(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id ${spec.name} status owner { id } createdAt updatedAt ${spec.extra} } }
  }
}`;

const SORTS = [
  { field: 'NAME', direction: 'ASC' },
  { field: 'NAME', direction: 'DESC' },
  { field: 'CREATED_AT', direction: 'ASC' },
  { field: 'CREATED_AT', direction: 'DESC' },
  { field: 'UPDATED_AT', direction: 'ASC' },
  { field: 'UPDATED_AT', direction: 'DESC' },
] as const;

const byName = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);
const SEARCH_WORDS = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];

describe.each(DIALECTS)('record lists: paging, sorting and filters on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let users: Record<string, string>;
  const tag = uniqueTag('Lst');

  const page = async (spec: ListSpec, variables: Record<string, unknown>) => ok(await hub.gql(listQuery(spec), variables, admin))[spec.list];
  /** The whole list in one page (every list here holds fewer than 100 records). */
  const all = async (spec: ListSpec, filter?: Record<string, unknown>) => {
    const result = await page(spec, { first: 100, filter });
    expect(result.pageInfo.hasNextPage).toBe(false);
    expect(result.edges).toHaveLength(result.totalCount);
    return result.edges.map((e: any) => e.node);
  };
  const create = async (type: string, input: Record<string, unknown>) =>
    ok(await hub.gql(`mutation($input: Create${type}Input!) { create${type}(input: $input) { id } }`, { input }, admin))[`create${type}`].id as string;
  const ACCOUNTS = LISTS[0];
  const CONTACTS = LISTS[1];

  /** Accounts named "<tag> <word>", created in SEARCH_WORDS order. */
  const sortAccounts: string[] = [];
  let fixture: { account: string; contact: string; accountContacts: string[]; opportunities: Record<string, string[]>; cases: Record<string, string[]> };

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    users = await userIds(hub, admin);
    for (const word of SEARCH_WORDS) sortAccounts.push(await create('Account', { name: `${tag} ${word}` }));

    // A customer account with three contacts, a contact customer, and opportunities/cases of each.
    const account = await create('Account', { name: `${tag} customer`, emails: [`billing.${tag}@customer.example`] });
    const accountContacts = [];
    for (const n of ['One', 'Two', 'Three']) accountContacts.push(await create('Contact', { lastName: `${tag} ${n}`, accountId: account, emails: [`${n.toLowerCase()}.${tag}@people.example`] }));
    const contact = await create('Contact', { firstName: 'Solo', lastName: `${tag} Contact`, emails: [`solo.${tag}@people.example`] });
    const opportunities: Record<string, string[]> = { account: [], contact: [] };
    const cases: Record<string, string[]> = { account: [], contact: [] };
    for (const [customer, customerId, n] of [['account', account, 2], ['contact', contact, 1]] as const) {
      for (let i = 0; i < n; i++) opportunities[customer].push(await create('Opportunity', { name: `${tag} Deal ${customer} ${i}`, customerId }));
    }
    for (const [customer, customerId, n] of [['account', account, 1], ['contact', contact, 2]] as const) {
      for (let i = 0; i < n; i++) cases[customer].push(await create('Case', { title: `${tag} Case ${customer} ${i}`, customerId }));
    }
    await create('Lead', { topic: 'Paging', lastName: `${tag} Lead`, emails: [`lead.${tag}@prospect.example`] });
    fixture = { account, contact, accountContacts, opportunities, cases };
  });
  afterAll(() => hub?.close());

  describe('Relay paging', () => {
    const walk = async (spec: ListSpec, orderBy?: Record<string, string>) => {
      const first = await page(spec, { first: 7, orderBy });
      const total = first.totalCount;
      const seen: string[] = [];
      let current = first;
      for (let pages = 1; ; pages++) {
        expect(current.totalCount).toBe(total);
        expect(current.edges.length).toBeLessThanOrEqual(7);
        expect(current.pageInfo.hasPreviousPage).toBe(pages > 1);
        if (current.edges.length > 0) {
          expect(current.pageInfo.startCursor).toBe(current.edges[0].cursor);
          expect(current.pageInfo.endCursor).toBe(current.edges[current.edges.length - 1].cursor);
        }
        seen.push(...current.edges.map((e: any) => e.node.id));
        if (!current.pageInfo.hasNextPage) break;
        expect(current.edges).toHaveLength(7);
        // A loop or a stuck cursor must fail, not hang: there cannot be more pages than this.
        expect(pages, `more pages than ${total} records can fill`).toBeLessThan(Math.ceil(total / 7) + 1);
        current = await page(spec, { first: 7, after: current.pageInfo.endCursor, orderBy });
      }
      return { seen, total };
    };

    it('walking all contacts with first: 7 gives every contact exactly once, and as many as totalCount', async () => {
      const { seen, total } = await walk(CONTACTS);
      expect(total).toBeGreaterThanOrEqual(60);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(total);
      // The same contacts, in the same order, as one big page.
      expect(seen).toEqual((await all(CONTACTS)).map((n: any) => n.id));
    });

    it.each(SORTS)('walking all contacts ordered by $field $direction with first: 7 gives each exactly once, in order', async (orderBy) => {
      const { seen, total } = await walk(CONTACTS, orderBy);
      expect(new Set(seen).size, 'a contact came twice').toBe(seen.length);
      expect(seen).toHaveLength(total);
      const onePage = await page(CONTACTS, { first: 100, orderBy });
      expect(seen).toEqual(onePage.edges.map((e: any) => e.node.id));
    });

    it.each(LISTS)('$list: walking with first: 7 gives each record exactly once', async (spec) => {
      const { seen, total } = await walk(spec);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(total);
    });

    it('first: 0 gives no edges but the totalCount and hasNextPage', async () => {
      const result = await page(CONTACTS, { first: 0 });
      expect(result.edges).toEqual([]);
      expect(result.totalCount).toBe((await all(CONTACTS)).length);
      expect(result.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
    });

    it('first defaults to 20', async () => {
      const result = await page(CONTACTS, {});
      expect(result.edges).toHaveLength(20);
      expect(result.pageInfo.hasNextPage).toBe(true);
    });

    it('the last page says hasNextPage: false and a page past the end is empty', async () => {
      const filter = { search: tag };
      const total = (await all(ACCOUNTS, filter)).length;
      const firstPage = await page(ACCOUNTS, { first: total - 1, filter });
      expect(firstPage.pageInfo.hasNextPage).toBe(true);
      const last = await page(ACCOUNTS, { first: total - 1, after: firstPage.pageInfo.endCursor, filter });
      expect(last.edges).toHaveLength(1);
      expect(last.pageInfo.hasNextPage).toBe(false);
      const past = await page(ACCOUNTS, { first: 5, after: last.pageInfo.endCursor, filter });
      expect(past.edges).toEqual([]);
      expect(past.pageInfo).toMatchObject({ hasNextPage: false, startCursor: null, endCursor: null });
    });

    it.each(LISTS)('$list: first: 101 is refused with BAD_USER_INPUT naming `first`', async (spec) => {
      const error = failed(await hub.gql(listQuery(spec), { first: 101 }, admin), 'BAD_USER_INPUT', 'first');
      expect(error.message).toMatch(/100/);
    });

    it('first: 100 is allowed and first: -1 is refused naming `first`', async () => {
      ok(await hub.gql(listQuery(CONTACTS), { first: 100 }, admin));
      failed(await hub.gql(listQuery(CONTACTS), { first: -1 }, admin), 'BAD_USER_INPUT', 'first');
    });

    it.each([
      ['not base64 JSON', 'garbage!!'],
      ['base64 of plain text', Buffer.from('hello world').toString('base64url')],
      ['base64 of a JSON object', Buffer.from(JSON.stringify({ value: 'a', id: 'b' })).toString('base64url')],
      ['base64 of a one-element array', Buffer.from(JSON.stringify(['a'])).toString('base64url')],
      ['empty-looking', '='],
    ])('a garbage `after` cursor (%s) is refused with BAD_USER_INPUT naming `after`', async (_label, after) => {
      const error = failed(await hub.gql(listQuery(CONTACTS), { first: 5, after }, admin), 'BAD_USER_INPUT', 'after');
      expect(error.message).toMatch(/cursor/);
    });

    it('a cursor from a NAME-ordered page is refused by a CREATED_AT-ordered list, naming `after`', async () => {
      const byNamePage = await page(CONTACTS, { first: 3 });
      const result = await hub.gql(listQuery(CONTACTS), { first: 3, after: byNamePage.pageInfo.endCursor, orderBy: { field: 'CREATED_AT', direction: 'ASC' } }, admin);
      failed(result, 'BAD_USER_INPUT', 'after');
    });
  });

  describe('sorting (on accounts this test created, with plain ASCII names)', () => {
    const names = async (orderBy: Record<string, string>, search = tag) =>
      (await page(ACCOUNTS, { first: 50, filter: { search }, orderBy })).edges.map((e: any) => e.node);
    const mine = (nodes: any[]) => nodes.filter((n) => sortAccounts.includes(n.id));

    it.each(['ASC', 'DESC'])('NAME %s', async (direction) => {
      const nodes = await names({ field: 'NAME', direction });
      const got = nodes.map((n: any) => n.name);
      const expected = [...got].sort(byName);
      expect(got).toEqual(direction === 'ASC' ? expected : expected.reverse());
      expect(mine(nodes).map((n: any) => n.name.split(' ')[1])).toEqual(direction === 'ASC' ? [...SEARCH_WORDS].sort() : [...SEARCH_WORDS].sort().reverse());
    });

    it('NAME is the default order', async () => {
      const explicit = await names({ field: 'NAME', direction: 'ASC' });
      const implicit = (await page(ACCOUNTS, { first: 50, filter: { search: tag } })).edges.map((e: any) => e.node);
      expect(implicit).toEqual(explicit);
    });

    it('NAME order ignores letter case, the same on every database', async () => {
      const caseTag = uniqueTag('Case');
      for (const word of ['cherry', 'Banana', 'date', 'apple', 'Elder']) await create('Account', { name: `${caseTag} ${word}` });
      const asc = (await names({ field: 'NAME', direction: 'ASC' }, caseTag)).map((n: any) => n.name.split(' ')[1]);
      expect(asc).toEqual(['apple', 'Banana', 'cherry', 'date', 'Elder']);
    });

    it.each(['ASC', 'DESC'])('CREATED_AT %s follows the order the records were created in', async (direction) => {
      const nodes = await names({ field: 'CREATED_AT', direction });
      const times = nodes.map((n: any) => Date.parse(n.createdAt));
      const sorted = [...times].sort((a, b) => a - b);
      expect(times).toEqual(direction === 'ASC' ? sorted : sorted.reverse());
      expect(mine(nodes).map((n: any) => n.id)).toEqual(direction === 'ASC' ? sortAccounts : [...sortAccounts].reverse());
    });

    it('UPDATED_AT DESC puts the most recently changed records first', async () => {
      // Change two of them, oldest first: they must now lead the list, the last changed first.
      for (const id of [sortAccounts[3], sortAccounts[0]]) {
        ok(await hub.gql('mutation($id: ID!) { updateAccount(id: $id, input: { description: "touched" }) { id } }', { id }, admin));
      }
      const nodes = await names({ field: 'UPDATED_AT', direction: 'DESC' });
      const times = nodes.map((n: any) => Date.parse(n.updatedAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(nodes.slice(0, 2).map((n: any) => n.id)).toEqual([sortAccounts[0], sortAccounts[3]]);
      const asc = await names({ field: 'UPDATED_AT', direction: 'ASC' });
      expect(asc.slice(-2).map((n: any) => n.id)).toEqual([sortAccounts[3], sortAccounts[0]]);
    });
  });

  describe('filters', () => {
    it.each(LISTS)('$list: filter.ownerId gives exactly the records of that owner', async (spec) => {
      const everything = await all(spec);
      for (const email of ['sam.sales@demo.crm.test', 'nora.north@demo.crm.test', ADMIN]) {
        const ownerId = users[email];
        const filtered = await all(spec, { ownerId });
        expect(filtered.every((n: any) => n.owner.id === ownerId)).toBe(true);
        expect(filtered.map((n: any) => n.id)).toEqual(everything.filter((n: any) => n.owner.id === ownerId).map((n: any) => n.id));
      }
      // At least one owner has some: the check above is not vacuous.
      expect(everything.some((n: any) => n.owner.id === users['sam.sales@demo.crm.test'])).toBe(true);
    });

    it('filter.ownerId on a record created for another owner', async () => {
      const sara = users['sara.sales@demo.crm.test'];
      const ownTag = uniqueTag('Own');
      const saras = [await create('Account', { name: `${ownTag} a`, ownerId: sara }), await create('Account', { name: `${ownTag} b`, ownerId: sara })];
      await create('Account', { name: `${ownTag} c` });
      const filtered = await all(ACCOUNTS, { search: ownTag, ownerId: sara });
      expect(filtered.map((n: any) => n.id)).toEqual(saras);
    });

    it.each(LISTS)('$list: filter.status gives exactly the records in that status', async (spec) => {
      const everything = await all(spec);
      let sum = 0;
      for (const status of spec.statuses) {
        const filtered = await all(spec, { status });
        expect(filtered.map((n: any) => n.id)).toEqual(everything.filter((n: any) => n.status === status).map((n: any) => n.id));
        sum += filtered.length;
      }
      expect(sum).toBe(everything.length);
    });

    it.each([
      { spec: LISTS[0], search: 'orthwind trad' },
      { spec: LISTS[0], search: 'WORKS' },
      { spec: LISTS[1], search: 'svensson' },
      { spec: LISTS[2], search: 'TANAKA' },
      { spec: LISTS[3], search: 'licence RENEWAL' },
      { spec: LISTS[4], search: 'invoice' },
    ])('$spec.list: search "$search" matches the name anywhere, ignoring ASCII case', async ({ spec, search }) => {
      const everything = await all(spec);
      const expected = everything.filter((n: any) => n[spec.name].toLowerCase().includes(search.toLowerCase())).map((n: any) => n.id);
      expect(expected.length).toBeGreaterThan(0);
      const found = (await all(spec, { search })).map((n: any) => n.id);
      expect(found).toEqual(expected);
    });

    it.each([
      { spec: LISTS[0], prefix: (t: string) => `BILLING.${t}@cust`, middle: (t: string) => `${t}@customer.example` },
      { spec: LISTS[1], prefix: (t: string) => `solo.${t}@PEOPLE`, middle: (t: string) => `${t}@people.example` },
      { spec: LISTS[2], prefix: (t: string) => `Lead.${t}@`, middle: (t: string) => `${t}@prospect` },
    ])('$spec.list: search matches an email address from its start (any case), not from its middle', async ({ spec, prefix, middle }) => {
      const found = await all(spec, { search: prefix(tag.toLowerCase()) });
      expect(found).toHaveLength(1);
      expect(found[0].emails.some((e: string) => e.startsWith(prefix(tag.toLowerCase()).toLowerCase()))).toBe(true);
      // The same text from the middle of the address matches nothing (names do not contain "@").
      expect(await all(spec, { search: middle(tag.toLowerCase()) })).toEqual([]);
    });

    it('search treats % and _ literally', async () => {
      expect(await all(ACCOUNTS, { search: '%' })).toEqual([]);
      expect(await all(ACCOUNTS, { search: '_' })).toEqual([]);
      const everything = await all(ACCOUNTS);
      expect((await all(ACCOUNTS, { search: '  ' })).length).toBe(everything.length);
    });

    it("contacts: filter.accountId gives exactly the account's contacts", async () => {
      const found = await all(CONTACTS, { accountId: fixture.account });
      expect(found.map((n: any) => n.id).sort()).toEqual([...fixture.accountContacts].sort());
      // And for a seeded account, the same as filtering the whole list.
      const everything = await all(CONTACTS);
      const seeded = everything.find((n: any) => n.account && n.account.id !== fixture.account).account.id;
      expect((await all(CONTACTS, { accountId: seeded })).map((n: any) => n.id)).toEqual(everything.filter((n: any) => n.account?.id === seeded).map((n: any) => n.id));
    });

    it.each([
      { spec: LISTS[3], key: 'opportunities', customer: 'account' },
      { spec: LISTS[3], key: 'opportunities', customer: 'contact' },
      { spec: LISTS[4], key: 'cases', customer: 'account' },
      { spec: LISTS[4], key: 'cases', customer: 'contact' },
    ] as const)('$key: filter.customerId with an $customer gives exactly its records', async ({ spec, key, customer }) => {
      const customerId = customer === 'account' ? fixture.account : fixture.contact;
      const found = await all(spec, { customerId });
      expect(found.map((n: any) => n.id).sort()).toEqual([...fixture[key][customer]].sort());
      expect(found.every((n: any) => n.customer.id === customerId && n.customer.__typename === (customer === 'account' ? 'Account' : 'Contact'))).toBe(true);
    });

    it('filters combine: search, status and ownerId together', async () => {
      const comboTag = uniqueTag('Combo');
      const sam = users['sam.sales@demo.crm.test'];
      const target = await create('Account', { name: `${comboTag} one`, status: 'INACTIVE', ownerId: sam });
      await create('Account', { name: `${comboTag} two`, status: 'ACTIVE', ownerId: sam });
      await create('Account', { name: `${comboTag} three`, status: 'INACTIVE' });
      const found = await page(ACCOUNTS, { filter: { search: comboTag, status: 'INACTIVE', ownerId: sam } });
      expect(found.totalCount).toBe(1);
      expect(found.edges.map((e: any) => e.node.id)).toEqual([target]);
    });
  });
});
