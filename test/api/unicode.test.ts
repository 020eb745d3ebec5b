import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { ADMIN, failed, ok, uniqueTag } from './gql-helpers';

const ROCKET = '🚀'; // U+1F680: four bytes in UTF-8, a surrogate pair in JavaScript
const WOMAN_TECHNOLOGIST = '👩‍💻'; // U+1F469 U+200D U+1F4BB: a ZWJ sequence, one glyph of three code points

const codePoints = (text: string) => [...text].length;

describe.each(DIALECTS)('Unicode round trips and search on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  const tag = uniqueTag('Uni');

  const gql = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, admin);
  const node = async (id: string, fields: string) => ok(await gql(`query($id: ID!) { node(id: $id) { id ${fields} } }`, { id })).node;
  const search = async (list: string, text: string, field: string) =>
    ok(await gql(`query($s: String) { ${list}(first: 100, filter: { search: $s }) { totalCount edges { node { id ${field} } } } }`, { s: text }))[list];

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
  });
  afterAll(() => hub?.close());

  describe('names are stored and read back exactly', () => {
    const ACCOUNT_NAMES = [
      ['Swedish', `Åsa Öberg Konsult AB ${tag}`],
      ['Japanese', `東京テクノロジー株式会社 ${tag}`],
      ['four-byte emoji', `Rocket ${ROCKET} Labs ${tag}`],
      ['ZWJ emoji sequence', `Dev ${WOMAN_TECHNOLOGIST} Team ${tag}`],
      ['mixed scripts', `Café Münster ☕ × 山田 ${ROCKET}${WOMAN_TECHNOLOGIST} ${tag}`],
    ];

    it.each(ACCOUNT_NAMES)('account name (%s)', async (_label, name) => {
      const created = ok(await gql('mutation($name: String!) { createAccount(input: { name: $name }) { id name } }', { name })).createAccount;
      expect(created.name).toBe(name);
      const read = await node(created.id, '... on Account { name }');
      expect(read.name).toBe(name);
      expect(codePoints(read.name)).toBe(codePoints(name));
      // And in a list, which reads through another path.
      const listed = (await search('accounts', tag, 'name')).edges.map((e: any) => e.node);
      expect(listed).toContainEqual({ id: created.id, name });
    });

    it.each([
      ['Swedish', { firstName: 'Åsa', lastName: `Öberg ${tag}` }, `Åsa Öberg ${tag}`],
      ['Japanese, family name only', { lastName: `山田太郎 ${tag}` }, `山田太郎 ${tag}`],
      ['emoji', { firstName: WOMAN_TECHNOLOGIST, lastName: `Coder ${ROCKET} ${tag}` }, `${WOMAN_TECHNOLOGIST} Coder ${ROCKET} ${tag}`],
    ])('contact name (%s)', async (_label, input: { firstName?: string; lastName: string }, fullName) => {
      const fields = 'id firstName lastName fullName';
      const created = ok(await gql(`mutation($input: CreateContactInput!) { createContact(input: $input) { ${fields} } }`, { input })).createContact;
      const expected = { id: created.id, firstName: input.firstName ?? null, lastName: input.lastName, fullName };
      expect(created).toEqual(expected);
      expect(await node(created.id, '... on Contact { firstName lastName fullName }')).toEqual(expected);
    });

    it.each([
      ['Swedish', `Offert till Åsa Öberg – räkmacka ${tag}`],
      ['Japanese', `東京テクノロジー株式会社の見積もり ${tag}`],
      ['emoji', `Launch ${ROCKET} with the ${WOMAN_TECHNOLOGIST} team ${tag}`],
    ])('lead topic (%s)', async (_label, topic) => {
      const created = ok(await gql('mutation($topic: String!) { createLead(input: { topic: $topic, firstName: "Åsa", lastName: "山田" }) { id topic fullName } }', { topic })).createLead;
      expect(created.topic).toBe(topic);
      expect(created.fullName).toBe('Åsa 山田');
      expect((await node(created.id, '... on Lead { topic }')).topic).toBe(topic);
    });

    it('a name of 100 four-byte emoji is at the limit and stored whole; 101 are refused naming input.lastName', async () => {
      const lastName = ROCKET.repeat(100);
      const created = ok(await gql('mutation($n: String!) { createContact(input: { lastName: $n }) { id lastName } }', { n: lastName })).createContact;
      expect(created.lastName).toBe(lastName);
      expect((await node(created.id, '... on Contact { lastName }')).lastName).toBe(lastName);
      failed(await gql('mutation($n: String!) { createContact(input: { lastName: $n }) { id } }', { n: ROCKET.repeat(101) }), 'BAD_USER_INPUT', 'input.lastName');
    });

    it('emoji with variation selectors (❤️) are either stored whole or refused naming the field, never an internal error', async () => {
      // 60 × U+2764 U+FE0F: 60 characters to a length check that skips variation selectors, 120 code points to the database.
      const lastName = '❤️'.repeat(60);
      const result = await gql('mutation($n: String!) { createContact(input: { lastName: $n }) { id lastName } }', { n: lastName });
      if (result.errors) failed(result, 'BAD_USER_INPUT', 'input.lastName');
      else expect(ok(result).createContact.lastName).toBe(lastName);
    });
  });

  describe('email addresses with a UTF-8 local part', () => {
    it('are stored lower-cased and read back exactly', async () => {
      const input = { lastName: `Öberg ${tag}`, firstName: 'Åsa', emails: ['  Åsa@Exempel.SE ', 'åsa@exempel.se', '太郎@example.jp', `öberg.${tag}@exempel.se`] };
      const created = ok(await gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id emails primaryEmail } }', { input })).createContact;
      const expected = ['åsa@exempel.se', '太郎@example.jp', `öberg.${tag.toLowerCase()}@exempel.se`];
      expect(created.emails).toEqual(expected);
      expect(created.primaryEmail).toBe('åsa@exempel.se');
      expect((await node(created.id, '... on Contact { emails }')).emails).toEqual(expected);
    });

    it('search finds a record by the start of a UTF-8 address, in any letter case', async () => {
      const created = ok(await gql('mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }', { input: { name: `Mail ${tag}`, emails: [`ärende.${tag}@företag.se`] } })).createAccount;
      for (const prefix of [`ärende.${tag}@`, `ÄRENDE.${tag}@FÖR`]) {
        const found = (await search('accounts', prefix, 'name')).edges.map((e: any) => e.node.id);
        expect(found).toEqual([created.id]);
      }
    });

    it('addresses that differ only by an accent are different mailboxes and both are kept', async () => {
      const input = { lastName: `Accents ${tag}`, emails: ['asa@exempel.se', 'åsa@exempel.se'] };
      const created = ok(await gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id emails } }', { input })).createContact;
      expect(created.emails).toEqual(['asa@exempel.se', 'åsa@exempel.se']);
    });
  });

  describe('search by a non-ASCII substring', () => {
    let swedish: string;
    let japanese: string;
    let contactJapanese: string;
    let rocket: string;
    let technologist: string;

    beforeAll(async () => {
      const account = async (name: string) => ok(await gql('mutation($name: String!) { createAccount(input: { name: $name }) { id } }', { name })).createAccount.id as string;
      swedish = await account(`Åkesson & Öberg Snickeri ${tag}`);
      japanese = await account(`大阪テクノロジー株式会社 ${tag}`);
      rocket = await account(`Launchpad ${ROCKET} ${tag}`);
      technologist = await account(`Studio ${WOMAN_TECHNOLOGIST} ${tag}`);
      contactJapanese = ok(await gql('mutation { createContact(input: { lastName: "山田太郎" }) { id } }')).createContact.id;
    });

    it.each([
      ['accounts', 'name', 'Öberg Snick', () => [swedish]],
      ['accounts', 'name', `& Öberg`, () => [swedish]],
      ['accounts', 'name', 'テクノロジー株式', () => [japanese]],
      ['contacts', 'fullName', '田太', () => [contactJapanese]],
    ])('%s: "%s" search for "%s" finds the record (and only records that contain it)', async (list, field, text, expectedIds) => {
      const result = await search(list, text, field);
      const ids = result.edges.map((e: any) => e.node.id);
      for (const id of expectedIds()) expect(ids).toContain(id);
      for (const e of result.edges) expect(e.node[field].toLowerCase()).toContain(text.toLowerCase());
      expect(result.totalCount).toBe(result.edges.length);
    });

    it('the seeded 東京テクノロジー株式会社 is found by a CJK substring', async () => {
      const names = (await search('accounts', '東京テクノ', 'name')).edges.map((e: any) => e.node.name);
      expect(names).toContain('東京テクノロジー株式会社');
      expect(names.every((n: string) => n.includes('東京テクノ'))).toBe(true);
    });

    it('the seeded Öberg contacts are found by "Öberg"', async () => {
      const result = await search('contacts', 'Öberg', 'fullName');
      expect(result.totalCount).toBeGreaterThan(0);
      expect(result.edges.every((e: any) => e.node.fullName.includes('Öberg'))).toBe(true);
    });

    it('an emoji finds the records whose name contains that emoji, and not other emoji', async () => {
      const rocketIds = (await search('accounts', ROCKET, 'name')).edges.map((e: any) => e.node.id);
      expect(rocketIds).toContain(rocket);
      expect(rocketIds).not.toContain(technologist);
      const technologistIds = (await search('accounts', WOMAN_TECHNOLOGIST, 'name')).edges.map((e: any) => e.node.id);
      expect(technologistIds).toContain(technologist);
      expect(technologistIds).not.toContain(rocket);
    });

    it('search ignores the letter case of Swedish letters as it does for ASCII ("öberg" finds "Öberg")', async () => {
      // ASCII: "snickeri" finds "Snickeri" on every database.
      expect((await search('accounts', `snickeri ${tag}`, 'name')).edges.map((e: any) => e.node.id)).toEqual([swedish]);
      expect((await search('accounts', `åkesson & öberg`, 'name')).edges.map((e: any) => e.node.id)).toContain(swedish);
    });
  });
});
