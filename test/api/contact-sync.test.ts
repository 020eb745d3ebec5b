import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailServerKind, MailAuthMethod, MailboxState } from '../../api/src/mail/mail-enums';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile } from '../support/mail-setup';
import { ADMIN, failed, ok, uniqueTag } from './gql-helpers';

// syncMailboxContacts through the GraphQL API, as the sync engine calls it: Outlook contacts marked "Tracked to CRM"
// create or update CRM contacts, acting with the mailbox owner's roles.

const CLAIM = 'mutation { claimMailboxes(engineId: "contact-test", limit: 20) { mailboxId leaseId } }';
const SYNC = `mutation($m: ID!, $l: ID!, $c: [ExchangeContactInput!]!, $d: [String!], $cur: String) {
  syncMailboxContacts(mailboxId: $m, leaseId: $l, contacts: $c, deletedItemIds: $d, cursor: $cur) { itemId outcome contactId } }`;
const CONTACT = 'query($id: ID!) { node(id: $id) { ... on Contact { firstName lastName fullName jobTitle telephone mobilePhone emails owner { email } } } }';

describe.each(DIALECTS)('contacts from an Exchange Contacts folder on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let sam: string;
  let samMailbox: string;
  let saraMailbox: string;
  let lease: string;
  const tag = uniqueTag('con').toLowerCase();
  const sync = (contacts: unknown[], variables: Record<string, unknown> = {}, token = hub.syncServiceKey) => hub.gql(SYNC, { m: samMailbox, l: lease, c: contacts, d: [], cur: null, ...variables }, token);
  const outlook = (itemId: string, extra: Record<string, unknown> = {}) => ({
    itemId, givenName: 'Åsa', surname: 'Lind', displayName: 'Åsa Lind', companyName: 'Contoso AB', jobTitle: 'Buyer',
    businessPhone: '+46 8 555 01 00', mobilePhone: null, emails: [`asa.${tag}@contoso.example`], tracked: true, ...extra,
  });
  const contact = async (id: string, token = sam) => ok(await hub.gql(CONTACT, { id }, token)).node;

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    sam = await hub.login('sam.sales@demo.crm.test');
    const all = ok(await hub.gql('{ mailboxes { id address } }', {}, hub.syncServiceKey)).mailboxes as { id: string; address: string }[];
    samMailbox = all.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    saraMailbox = all.find((m) => m.address === 'sara.sales@demo.crm.test')!.id;
    const exchange = await insertProfile(hub, { kind: EmailServerKind.EXCHANGE_EWS, incomingHost: null, incomingPort: null, incomingTls: null, outgoingHost: null, outgoingPort: null, outgoingTls: null, ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx', authMethod: MailAuthMethod.PASSWORD });
    for (const other of all.filter((m) => m.id !== samMailbox && m.id !== saraMailbox)) await configureMailbox(hub, other.id, { profileId: exchange, state: MailboxState.DISABLED_BY_ADMIN });
    await configureMailbox(hub, samMailbox, { profileId: exchange, extra: { actMethod: 'SERVER_SIDE_SYNC' as never } });
    await configureMailbox(hub, saraMailbox, { profileId: await insertProfile(hub) });
    lease = (ok(await hub.gql(CLAIM, {}, hub.syncServiceKey)).claimMailboxes as { mailboxId: string; leaseId: string }[]).find((w) => w.mailboxId === samMailbox)!.leaseId;
  });
  afterAll(() => hub?.close());

  it('a contact Sam marked "Tracked to CRM" becomes his CRM contact; an unmarked one and one with nothing to go by stay out; the same page again changes nothing', async () => {
    const results = ok(await sync([outlook('AAMkCon1='), outlook('AAMkFriend=', { surname: `Friend ${tag}`, emails: [], tracked: false }), outlook('AAMkEmpty=', { givenName: null, surname: null, displayName: null, companyName: null, emails: ['/o=ExchangeLabs/cn=Recipients/cn=x'] })], { cur: '{"v":1,"folders":{}}' })).syncMailboxContacts;
    expect(results.map((r: any) => [r.itemId, r.outcome])).toEqual([['AAMkCon1=', 'CREATED'], ['AAMkFriend=', 'NOT_TRACKED'], ['AAMkEmpty=', 'INCOMPLETE']]);
    expect(await contact(results[0].contactId)).toEqual({ firstName: 'Åsa', lastName: 'Lind', fullName: 'Åsa Lind', jobTitle: 'Buyer', telephone: '+46 8 555 01 00', mobilePhone: null, emails: [`asa.${tag}@contoso.example`], owner: { email: 'sam.sales@demo.crm.test' } });
    expect(await hub.database.dataSource.query('SELECT id FROM contact WHERE lastName = ?', [`Friend ${tag}`])).toEqual([]);
    expect(ok(await sync([outlook('AAMkCon1=')])).syncMailboxContacts[0]).toMatchObject({ outcome: 'UNCHANGED', contactId: results[0].contactId });
  });

  it('changed in Outlook, the CRM contact takes what Outlook holds, keeps what it leaves empty, and gains its new address', async () => {
    const [{ contactId }] = ok(await sync([outlook('AAMkCon2=', { surname: 'Berg', emails: [`bo.${tag}@contoso.example`] })])).syncMailboxContacts;
    const changed = ok(await sync([outlook('AAMkCon2=', { surname: 'Berg', jobTitle: 'Head of purchasing', businessPhone: null, mobilePhone: '+46 70 555 02 00', emails: [`bo.berg.${tag}@contoso.example`] })])).syncMailboxContacts[0];
    expect(changed).toMatchObject({ outcome: 'UPDATED', contactId });
    expect(await contact(contactId)).toMatchObject({ lastName: 'Berg', jobTitle: 'Head of purchasing', telephone: '+46 8 555 01 00', mobilePhone: '+46 70 555 02 00', emails: [`bo.${tag}@contoso.example`, `bo.berg.${tag}@contoso.example`] });
    // Deleted in Outlook: only the pair is undone; the CRM contact stays.
    expect(ok(await sync([], { d: ['AAMkCon2=', 'AAMkNeverSeen='] })).syncMailboxContacts).toEqual([{ itemId: 'AAMkCon2=', outcome: 'UNLINKED', contactId }]);
    expect((await contact(contactId)).lastName).toBe('Berg');
  });

  it('an Outlook contact with the address of a CRM contact Sam may change is paired with it, not doubled; one Sam may not change is left alone', async () => {
    const existing = ok(await hub.gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { firstName: 'Cecilia', lastName: 'Ek', emails: [`cecilia.${tag}@fabrikam.example`] } }, sam)).createContact.id;
    const paired = ok(await sync([outlook('AAMkCon3=', { givenName: 'Cecilia', surname: 'Ek', jobTitle: 'CFO', emails: [`cecilia.${tag}@fabrikam.example`] })])).syncMailboxContacts[0];
    expect(paired).toEqual({ itemId: 'AAMkCon3=', outcome: 'LINKED', contactId: existing });
    expect(await contact(existing)).toMatchObject({ jobTitle: 'CFO', emails: [`cecilia.${tag}@fabrikam.example`] });
    expect(await hub.database.dataSource.query('SELECT id FROM contact WHERE lastName = ?', ['Ek'])).toHaveLength(1);

    // A contact of another business unit that Sam may not change, with the same address: untouched; Sam gets his own.
    const sven = await hub.login('sven.service@demo.crm.test');
    const theirs = ok(await hub.gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { firstName: 'Dan', lastName: 'Ström', jobTitle: 'Support lead', emails: [`dan.${tag}@northwind.example`] } }, sven)).createContact.id;
    const own = ok(await sync([outlook('AAMkCon4=', { givenName: 'Dan', surname: 'Ström', jobTitle: 'Owner', emails: [`dan.${tag}@northwind.example`] })])).syncMailboxContacts[0];
    expect(own.outcome).toBe('CREATED');
    expect(own.contactId).not.toBe(theirs);
    expect(await contact(theirs, sven)).toMatchObject({ jobTitle: 'Support lead' });
  });

  it('only the engine holding the lease writes; a mailbox not syncing contacts with Exchange is refused; bad input names the field', async () => {
    for (const token of [admin, sam]) failed(await sync([outlook('AAMkX=')], {}, token), 'FORBIDDEN');
    failed(await sync([outlook('AAMkStale=', { surname: `Stale ${tag}` })], { l: 'not-the-lease' }), 'CONFLICT', 'leaseId');
    failed(await hub.gql(SYNC, { m: saraMailbox, l: lease, c: [], d: [], cur: null }, hub.syncServiceKey), 'CONFLICT', 'mailboxId');
    failed(await sync(Array.from({ length: 201 }, (_, i) => outlook(`AAMk${i}=`))), 'BAD_USER_INPUT', 'contacts');
    failed(await sync([outlook('AAMkMany=', { emails: ['a@x.example', 'b@x.example', 'c@x.example', 'd@x.example'] })]), 'BAD_USER_INPUT', 'contacts[0].emails');
    failed(await sync([outlook('x'.repeat(513))]), 'BAD_USER_INPUT', 'contacts[0].itemId');
    failed(await sync([], { cur: 'x'.repeat(70_000) }), 'BAD_USER_INPUT', 'cursor');
    // Broken and over-long text is repaired and cut, not refused.
    const long = ok(await sync([outlook('AAMkLong=', { surname: `${'Ö'.repeat(300)}\u0000`, emails: [] })])).syncMailboxContacts[0];
    expect((await contact(long.contactId)).lastName).toHaveLength(100);
    expect(await hub.database.dataSource.query('SELECT id FROM contact WHERE lastName = ?', [`Stale ${tag}`])).toEqual([]);
  });
});
