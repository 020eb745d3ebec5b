import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { countRows, ok, uniqueTag } from './gql-helpers';

// Issue 9 follow-up: three createLead calls at once on MariaDB answered INTERNAL_SERVER_ERROR (InnoDB
// deadlocked two inserts into the same gap of the email_address index). Parallel writes all succeed.

const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { id emails } }`;
const CREATE_CONTACT = `mutation($input: CreateContactInput!) { createContact(input: $input) { id emails } }`;
const UPDATE_CONTACT = `mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id emails } }`;

const PARALLEL = 10;
const WRITERS = ['sam.sales', 'sara.sales', 'maria.manager', 'admin'];

describe.each(DIALECTS)('parallel record writes on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  const tag = uniqueTag('C').toLowerCase();
  const as = (i: number) => tokens[WRITERS[i % WRITERS.length]];

  beforeAll(async () => {
    // Twelve at once from one person is the point here, not the per-caller limit (request-limits tests that).
    hub = await startHub({ dialect, env: { MAX_CONCURRENT_PER_CALLER: '32' } });
    for (const who of WRITERS) tokens[who] = await hub.login(`${who}@demo.crm.test`);
  }, 120_000);
  afterAll(() => hub?.close());

  /** Runs `count` requests at once and returns every answer (failures included, to show them all). */
  const together = (count: number, request: (i: number) => Promise<{ errors?: unknown[]; data?: any }>) => Promise.all(Array.from({ length: count }, (_, i) => request(i)));
  const errorsOf = (answers: { errors?: unknown[] }[]) => answers.flatMap((a) => a.errors ?? []);

  it.each([
    ['leads with their own addresses', CREATE_LEAD, 'createLead', (i: number) => ({ topic: `Lead ${tag} ${i}`, lastName: `L${i}`, emails: [`lead${i}.${tag}@example.test`] })],
    ['leads sharing one address', CREATE_LEAD, 'createLead', (i: number) => ({ topic: `Shared ${tag} ${i}`, lastName: `S${i}`, emails: [`shared.${tag}@example.test`, `lead-s${i}.${tag}@example.test`] })],
    ['contacts with their own addresses', CREATE_CONTACT, 'createContact', (i: number) => ({ lastName: `Contact ${tag} ${i}`, emails: [`contact${i}.${tag}@example.test`] })],
    ['contacts sharing one address', CREATE_CONTACT, 'createContact', (i: number) => ({ lastName: `Shared ${tag} ${i}`, emails: [`cshared.${tag}@example.test`] })],
    ['contacts with no address', CREATE_CONTACT, 'createContact', (i: number) => ({ lastName: `Bare ${tag} ${i}` })],
  ])('%s: %i at once all succeed, each stored once', async (_label, mutation, field, input) => {
    const answers = await together(PARALLEL, (i) => hub.gql(mutation, { input: input(i) }, as(i)));
    expect(errorsOf(answers)).toEqual([]);
    const records = answers.map((a) => a.data[field] as { id: string; emails: string[] });
    expect(new Set(records.map((r) => r.id)).size).toBe(PARALLEL);
    records.forEach((r, i) => expect(r.emails).toEqual(input(i).emails ?? []));
    const addresses = records.reduce((n, r) => n + r.emails.length, 0);
    const ids = records.map((r) => `'${Buffer.from(r.id, 'base64url').toString('utf8').split(':')[1]}'`).join(',');
    expect(await countRows(hub, 'email_address', `recordId IN (${ids})`)).toBe(addresses);
  });

  it('leads and contacts created and contacts re-addressed at once all succeed', async () => {
    const existing = await together(4, (i) => hub.gql(CREATE_CONTACT, { input: { lastName: `Mixed ${tag} ${i}`, emails: [`mixed${i}.${tag}@example.test`] } }, as(i)));
    const ids = existing.map((a) => ok(a as never as { status: number; data: any }).createContact.id as string);
    const answers = await together(12, (i) => {
      if (i % 3 === 0) return hub.gql(UPDATE_CONTACT, { id: ids[i / 3], input: { emails: [`moved${i}.${tag}@example.test`, `mixed.${tag}@example.test`] } }, tokens.admin);
      if (i % 3 === 1) return hub.gql(CREATE_LEAD, { input: { topic: `Mixed ${tag} ${i}`, lastName: `M${i}`, emails: [`mixed.${tag}@example.test`] } }, as(i));
      return hub.gql(CREATE_CONTACT, { input: { lastName: `Mixed ${tag} ${i}`, emails: [`mixed.${tag}@example.test`, `mixed-c${i}.${tag}@example.test`] } }, as(i));
    });
    expect(errorsOf(answers)).toEqual([]);
    expect(await countRows(hub, 'email_address', `address = 'mixed.${tag}@example.test'`)).toBe(12);
  });

  it('neighbouring contacts re-addressed at once: every update succeeds', async () => {
    const created = await together(PARALLEL, (i) => hub.gql(CREATE_CONTACT, { input: { lastName: `Near ${tag} ${i}`, emails: [`a${i}.${tag}@example.test`, `m${i}.${tag}@example.test`] } }, tokens['sam.sales']));
    expect(errorsOf(created)).toEqual([]);
    const emailsOf = (i: number) => [`m${i}.${tag}@example.test`, `z${i}.${tag}@example.test`];
    const answers = await together(PARALLEL, (i) => hub.gql(UPDATE_CONTACT, { id: created[i].data.createContact.id, input: { emails: emailsOf(i) } }, i % 2 ? tokens.admin : tokens['maria.manager']));
    expect(errorsOf(answers)).toEqual([]);
    answers.forEach((a, i) => expect(a.data.updateContact.emails).toEqual(emailsOf(i)));
  });

  it('one contact re-addressed by many callers at once: every update succeeds and one set of addresses remains', async () => {
    const contact = ok(await hub.gql(CREATE_CONTACT, { input: { lastName: `Busy ${tag}`, emails: [`busy.${tag}@example.test`] } }, tokens['sam.sales'])).createContact;
    const emailsOf = (i: number) => [`busy${i}.${tag}@example.test`, `busy-b${i}.${tag}@example.test`];
    const answers = await together(PARALLEL, (i) => hub.gql(UPDATE_CONTACT, { id: contact.id, input: { emails: emailsOf(i) } }, i % 2 ? tokens.admin : tokens['maria.manager']));
    expect(errorsOf(answers)).toEqual([]);
    const stored = ok(await hub.gql(`query($id: ID!) { node(id: $id) { ... on Contact { emails } } }`, { id: contact.id }, tokens.admin)).node.emails;
    expect(answers.map((a) => a.data.updateContact.emails)).toContainEqual(stored);
    expect(await countRows(hub, 'email_address', `recordId = '${Buffer.from(contact.id, 'base64url').toString('utf8').split(':')[1]}'`)).toBe(2);
  });

  it.runIf(dialect === 'mariadb')('a transaction MariaDB picks as a deadlock victim runs again whole, and both commit', async () => {
    const created = await together(2, (i) => hub.gql(CREATE_CONTACT, { input: { lastName: `Locked ${tag} ${i}` } }, tokens.admin));
    const [a, b] = created.map((c) => Buffer.from(ok(c as never as { status: number; data: any }).createContact.id, 'base64url').toString('utf8').split(':')[1]);
    const signal = () => {
      let fire!: () => void;
      return { fired: new Promise<void>((resolve) => (fire = resolve)), fire: () => fire() };
    };
    const [aLocked, bLocked] = [signal(), signal()];
    const runs = { first: 0, second: 0 };
    const set = 'UPDATE contact SET jobTitle = ? WHERE id = ?';
    // The textbook deadlock: two rows locked in opposite orders. The retry re-runs the victim once the signals have fired.
    const first = hub.database.dataSource.transaction(async (em) => {
      runs.first++;
      await em.query(set, ['first', a]);
      aLocked.fire();
      await bLocked.fired;
      await em.query(set, ['first', b]);
    });
    const second = hub.database.dataSource.transaction(async (em) => {
      runs.second++;
      await aLocked.fired;
      await em.query(set, ['second', b]);
      bLocked.fire();
      await em.query(set, ['second', a]);
    });
    await Promise.all([first, second]);
    expect(runs.first + runs.second).toBe(3);
    const titles = (await hub.database.dataSource.query('SELECT jobTitle FROM contact WHERE id IN (?, ?)', [a, b])) as { jobTitle: string }[];
    // The victim committed last, whole: both rows carry its title.
    expect(new Set(titles.map((t) => t.jobTitle)).size).toBe(1);
  });
});
