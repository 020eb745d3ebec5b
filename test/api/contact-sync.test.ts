import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGlobalId, toGlobalId } from '../../api/src/common/global-id';
import { EmailServerKind, MailAuthMethod, MailboxState } from '../../api/src/mail/mail-enums';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile } from '../support/mail-setup';
import { ADMIN, failed, ok, uniqueTag } from './gql-helpers';

// Contacts between the CRM and an Exchange Contacts folder through the GraphQL API, as the sync engine calls it:
// syncMailboxContacts brings Outlook contacts marked "Tracked to CRM" in, claimContactWrites / reportContactWrites carry
// the owner's CRM contacts out, all acting with the mailbox owner's roles.

const CLAIM = 'mutation { claimMailboxes(engineId: "contact-test", limit: 20) { mailboxId leaseId } }';
const SYNC = `mutation($m: ID!, $l: ID!, $c: [ExchangeContactInput!]!, $d: [String!], $cur: String) {
  syncMailboxContacts(mailboxId: $m, leaseId: $l, contacts: $c, deletedItemIds: $d, cursor: $cur) { itemId outcome contactId } }`;
const CLAIM_WRITES = `mutation($m: ID!, $l: ID!, $n: Int!) { claimContactWrites(mailboxId: $m, leaseId: $l, first: $n) {
  contactId itemId changeKey release givenName surname displayName jobTitle businessPhone mobilePhone emails companyName withheld fingerprint } }`;
const REPORT_WRITES = 'mutation($m: ID!, $l: ID!, $w: [ContactWriteInput!]!) { reportContactWrites(mailboxId: $m, leaseId: $l, writes: $w) }';
const CREATE = 'mutation($input: CreateContactInput!) { createContact(input: $input) { id } }';
const UPDATE = 'mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id } }';
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
  const claim = async () => ok(await hub.gql(CLAIM_WRITES, { m: samMailbox, l: lease, n: 50 }, hub.syncServiceKey)).claimContactWrites as any[];
  const report = (writes: unknown[], token = hub.syncServiceKey) => hub.gql(REPORT_WRITES, { m: samMailbox, l: lease, w: writes }, token);
  // What the engine reads back from a contact it wrote: the written fields, the mark and the CRM id.
  const asWritten = (w: any, itemId: string, extra: Record<string, unknown> = {}) => ({
    itemId, givenName: w.givenName, surname: w.surname, displayName: w.displayName, companyName: null, jobTitle: w.jobTitle, businessPhone: w.businessPhone,
    mobilePhone: w.mobilePhone, emails: w.emails, tracked: true, changeKey: `${itemId}-ck`, lastModifiedAt: new Date().toISOString(), crmContactId: w.contactId, ...extra,
  });
  const later = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
  const CONFLICTS = 'query($id: ID!) { node(id: $id) { ... on Contact { syncConflicts { rule winner crmModifiedAt exchangeModifiedAt losingVersion { firstName lastName jobTitle telephone mobilePhone emails } } } } }';
  const conflictsOf = async (id: string, token = sam) => ok(await hub.gql(CONFLICTS, { id }, token)).node.syncConflicts as any[];
  // The contact changed on both sides (the test below); its conflicts are read again once Sam may no longer read numbers.
  let bothSides: string;

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
    // Sam's seeded contacts are handed out first; written, they are not what these tests look at.
    for (let writes = await claim(); writes.length; writes = await claim()) ok(await report(writes.map((w) => ({ contactId: w.contactId, itemId: `seed-${w.contactId}`, fingerprint: w.fingerprint }))));
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

  it('hands the engine Sam\'s active CRM contacts to write, once each; one written before a crash is paired by its id when read back, not doubled', async () => {
    const made = ok(await hub.gql(CREATE, { input: { firstName: 'Elin', lastName: `Holm ${tag}`, jobTitle: 'Buyer', telephone: '+46 8 555 04 00', emails: [`elin.${tag}@litware.example`, `e.holm.${tag}@litware.example`] } }, sam)).createContact.id;
    const sara = await hub.login('sara.sales@demo.crm.test');
    ok(await hub.gql(CREATE, { input: { lastName: `Saras ${tag}` } }, sara));
    ok(await hub.gql(CREATE, { input: { lastName: `Gone ${tag}`, status: 'INACTIVE' } }, sam));

    // Not Sara's, not an inactive one.
    const writes = await claim();
    expect(writes).toEqual([{
      contactId: made, itemId: null, changeKey: null, release: false, givenName: 'Elin', surname: `Holm ${tag}`, displayName: `Elin Holm ${tag}`, jobTitle: 'Buyer',
      businessPhone: '+46 8 555 04 00', mobilePhone: null, emails: [`elin.${tag}@litware.example`, `e.holm.${tag}@litware.example`], companyName: null, withheld: ['COMPANY'], fingerprint: expect.any(String),
    }]);
    // The engine wrote it and stopped before reporting: read back with the hub's id on it, it is paired, not a new contact.
    expect(ok(await sync([asWritten(writes[0], 'AAMkWritten=')])).syncMailboxContacts).toEqual([{ itemId: 'AAMkWritten=', outcome: 'UNCHANGED', contactId: made }]);
    expect(await claim()).toEqual([]);
    expect(await hub.database.dataSource.query('SELECT id FROM contact WHERE lastName = ?', [`Holm ${tag}`])).toHaveLength(1);

    // Changed in the CRM: handed out over the version last read; reported and read back, nothing more to do.
    ok(await hub.gql(UPDATE, { id: made, input: { jobTitle: 'Head of purchasing', mobilePhone: '+46 70 555 04 00' } }, sam));
    const [change] = await claim();
    expect(change).toMatchObject({ contactId: made, itemId: 'AAMkWritten=', changeKey: 'AAMkWritten=-ck', jobTitle: 'Head of purchasing', mobilePhone: '+46 70 555 04 00' });
    ok(await report([{ contactId: made, itemId: 'AAMkWritten=', changeKey: 'CK2', fingerprint: change.fingerprint }]));
    expect(await claim()).toEqual([]);
    expect(ok(await sync([asWritten(change, 'AAMkWritten=', { changeKey: 'CK2' })])).syncMailboxContacts[0].outcome).toBe('UNCHANGED');
    expect(await claim()).toEqual([]);
  });

  it('changed on both sides: the later change wins, a tie goes to the CRM; a contact paired from Outlook gets the CRM\'s fuller version written back', async () => {
    const [{ contactId }] = ok(await sync([outlook('AAMkBoth=', { surname: `Ny ${tag}`, emails: [`fia.${tag}@contoso.example`] })])).syncMailboxContacts;
    expect(await claim()).toEqual([]);
    // Sam changes the title in the CRM; later, in Outlook, he changes it too: Outlook's is the later change.
    ok(await hub.gql(UPDATE, { id: contactId, input: { jobTitle: 'CFO' } }, sam));
    const outlookWins = ok(await sync([outlook('AAMkBoth=', { surname: `Ny ${tag}`, emails: [`fia.${tag}@contoso.example`], jobTitle: 'CEO', lastModifiedAt: later(120) })])).syncMailboxContacts[0];
    expect(outlookWins).toMatchObject({ outcome: 'UPDATED', contactId });
    expect((await contact(contactId)).jobTitle).toBe('CEO');
    expect(await claim()).toEqual([]);
    // The CRM's version that lost is kept, with its number, as for tasks and appointments.
    bothSides = contactId;
    expect(await conflictsOf(contactId)).toEqual([
      { rule: 'LATER_CHANGE_WINS', winner: 'EXCHANGE', crmModifiedAt: expect.any(String), exchangeModifiedAt: expect.any(String), losingVersion: { firstName: 'Åsa', lastName: `Ny ${tag}`, jobTitle: 'CFO', telephone: '+46 8 555 01 00', mobilePhone: null, emails: [`fia.${tag}@contoso.example`] } },
    ]);

    // Now the CRM's change is the later one (Outlook's edit is an hour old): the CRM keeps its version and writes it out.
    ok(await hub.gql(UPDATE, { id: contactId, input: { jobTitle: 'Chair' } }, sam));
    const crmWins = ok(await sync([outlook('AAMkBoth=', { surname: `Ny ${tag}`, emails: [`fia.${tag}@contoso.example`], jobTitle: 'Intern', changeKey: 'CK-intern', lastModifiedAt: later(-3600) })])).syncMailboxContacts[0];
    expect(crmWins).toMatchObject({ outcome: 'CRM_VERSION_KEPT', contactId });
    expect((await contact(contactId)).jobTitle).toBe('Chair');
    // Outlook's version lost this time: kept too, newest first.
    expect((await conflictsOf(contactId)).map((c) => [c.winner, c.losingVersion.jobTitle])).toEqual([['CRM', 'Intern'], ['EXCHANGE', 'CFO']]);
    // Whoever may not change the contact sees none (the loser may say more than they see).
    const sara = await hub.login('sara.sales@demo.crm.test');
    const asSara = ok(await hub.gql(CONFLICTS.replace('syncConflicts', 'lastName syncConflicts'), { id: contactId }, sara)).node;
    expect(asSara).toEqual({ lastName: `Ny ${tag}`, syncConflicts: [] });
    const [write] = await claim();
    expect(write).toMatchObject({ contactId, itemId: 'AAMkBoth=', changeKey: 'CK-intern', jobTitle: 'Chair' });
    // Without a modification time (or in the same second) the CRM wins too.
    expect(ok(await sync([outlook('AAMkBoth=', { surname: `Ny ${tag}`, emails: [`fia.${tag}@contoso.example`], jobTitle: 'Temp' })])).syncMailboxContacts[0].outcome).toBe('CRM_VERSION_KEPT');
    ok(await report([{ contactId, itemId: 'AAMkBoth=', changeKey: 'CK-chair', fingerprint: write.fingerprint }]));
    expect(await claim()).toEqual([]);

    // Paired from Outlook with Sam's CRM contact that knows more (a title, a second address): the CRM's version goes back to Outlook.
    const fuller = ok(await hub.gql(CREATE, { input: { lastName: `Rask ${tag}`, jobTitle: 'Engineer', emails: [`gus.${tag}@adatum.example`, `gus.rask.${tag}@adatum.example`] } }, sam)).createContact.id;
    const paired = ok(await sync([outlook('AAMkRask=', { givenName: null, surname: `Rask ${tag}`, jobTitle: null, businessPhone: null, emails: [`gus.${tag}@adatum.example`], changeKey: 'CK-rask' })])).syncMailboxContacts[0];
    expect(paired).toEqual({ itemId: 'AAMkRask=', outcome: 'LINKED', contactId: fuller });
    const [back] = await claim();
    expect(back).toMatchObject({ contactId: fuller, itemId: 'AAMkRask=', changeKey: 'CK-rask', jobTitle: 'Engineer', emails: [`gus.${tag}@adatum.example`, `gus.rask.${tag}@adatum.example`] });
    ok(await report([{ contactId: fuller, itemId: 'AAMkRask=', changeKey: 'CK-rask2', fingerprint: back.fingerprint }]));
    expect(await claim()).toEqual([]);
  });

  it('deactivated or no longer readable in the CRM: released (only the mark comes off) and not written again; unmarked or deleted in Outlook: unpaired and kept out, until marked again', async () => {
    const input = (name: string) => ({ input: { lastName: `${name} ${tag}`, emails: [`${name.toLowerCase()}.${tag}@tailspin.example`] } });
    const [inactive, moved, unmarked, deleted, removed] = await Promise.all(['Inactive', 'Moved', 'Unmarked', 'Deleted', 'Removed'].map(async (name) => ok(await hub.gql(CREATE, input(name), sam)).createContact.id));
    const written = await claim();
    expect(written.map((w) => w.contactId).sort()).toEqual([inactive, moved, unmarked, deleted, removed].sort());
    ok(await report(written.map((w) => ({ contactId: w.contactId, itemId: `AAMk-${w.contactId}`, changeKey: 'CK', fingerprint: w.fingerprint }))));

    // Deactivated by Sam; given to Sven of another unit, whom Sam may not read: both released, and nothing of the moved one shown.
    ok(await hub.gql(UPDATE, { id: inactive, input: { status: 'INACTIVE' } }, sam));
    const users = ok(await hub.gql('{ users { id email } }', {}, admin)).users;
    ok(await hub.gql('mutation($id: ID!, $o: ID!) { assignRecord(id: $id, ownerId: $o) { id } }', { id: moved, o: users.find((u: any) => u.email === 'sven.service@demo.crm.test').id }, sam));
    // Deleted in the CRM: released too, and the pair is gone with it.
    ok(await hub.gql('mutation($id: ID!) { deleteRecord(id: $id) }', { id: removed }, sam));
    const releases = await claim();
    expect(releases.map((w) => w.contactId).sort()).toEqual([inactive, moved, removed].sort());
    for (const release of releases) expect(release).toMatchObject({ release: true, itemId: `AAMk-${release.contactId}`, surname: null, givenName: null, jobTitle: null, emails: [] });
    ok(await report(releases.map((w) => ({ contactId: w.contactId, itemId: null, fingerprint: w.fingerprint }))));
    expect(await claim()).toEqual([]);
    expect(await hub.database.dataSource.query('SELECT contactId FROM exchange_contact_link WHERE contactId = ?', [parseGlobalId(removed)!.id])).toEqual([]);
    // Reactivated, it is not put back by itself.
    ok(await hub.gql(UPDATE, { id: inactive, input: { status: 'ACTIVE' } }, sam));
    expect(await claim()).toEqual([]);

    // The mark taken off in Outlook, or the contact deleted there: unpaired, and not written there again.
    const mark = (itemId: string, tracked: boolean) => outlook(itemId, { givenName: null, surname: `Unmarked ${tag}`, jobTitle: null, businessPhone: null, displayName: null, companyName: null, emails: [`unmarked.${tag}@tailspin.example`], tracked });
    expect(ok(await sync([mark(`AAMk-${unmarked}`, false)], { d: [`AAMk-${deleted}`] })).syncMailboxContacts).toEqual([
      { itemId: `AAMk-${unmarked}`, outcome: 'UNLINKED', contactId: unmarked },
      { itemId: `AAMk-${deleted}`, outcome: 'UNLINKED', contactId: deleted },
    ]);
    ok(await hub.gql(UPDATE, { id: deleted, input: { jobTitle: 'Changed after' } }, sam));
    expect(await claim()).toEqual([]);
    // Marked again: paired with the same CRM contact, not a new one.
    expect(ok(await sync([mark(`AAMk-${unmarked}`, true)])).syncMailboxContacts[0]).toMatchObject({ outcome: 'LINKED', contactId: unmarked });
    expect(await hub.database.dataSource.query('SELECT id FROM contact WHERE lastName = ?', [`Unmarked ${tag}`])).toHaveLength(1);
  });

  it('a contact the hub wrote because Sam owned it is released when it goes to a colleague he can still read, and written anew when it comes back; one Sam tracked from Outlook stays', async () => {
    const ASSIGN = 'mutation($id: ID!, $o: ID!) { assignRecord(id: $id, ownerId: $o) { id } }';
    const users = ok(await hub.gql('{ users { id email } }', {}, admin)).users as { id: string; email: string }[];
    const userId = (email: string) => users.find((u) => u.email === email)!.id;
    for (let writes = await claim(); writes.length; writes = await claim()) ok(await report(writes.map((w) => ({ contactId: w.contactId, itemId: w.release ? null : w.itemId ?? `left-${w.contactId}`, fingerprint: w.fingerprint }))));
    const mine = ok(await hub.gql(CREATE, { input: { lastName: `Given ${tag}`, emails: [`given.${tag}@tailspin.example`] } }, sam)).createContact.id;
    const [written] = await claim();
    expect(written).toMatchObject({ contactId: mine, itemId: null });
    ok(await report([{ contactId: mine, itemId: 'AAMkGiven=', changeKey: 'CK', fingerprint: written.fingerprint }]));
    const tracked = ok(await sync([outlook('AAMkTracked=', { surname: `Tracked ${tag}`, emails: [`tracked.${tag}@tailspin.example`] })])).syncMailboxContacts[0].contactId;
    expect(await claim()).toEqual([]);

    // Both go to Sara, in Sam's unit (he may still read them): the one written for him is released, the tracked one stays.
    for (const id of [mine, tracked]) ok(await hub.gql(ASSIGN, { id, o: userId('sara.sales@demo.crm.test') }, sam));
    const releases = await claim();
    expect(releases).toEqual([expect.objectContaining({ contactId: mine, itemId: 'AAMkGiven=', release: true })]);
    ok(await report([{ contactId: mine, itemId: null, fingerprint: releases[0].fingerprint }]));
    expect(await claim()).toEqual([]);
    // Given back to Sam, it is his again: written anew.
    const sara = await hub.login('sara.sales@demo.crm.test');
    ok(await hub.gql(ASSIGN, { id: mine, o: userId('sam.sales@demo.crm.test') }, sara));
    expect(await claim()).toEqual([expect.objectContaining({ contactId: mine, itemId: null, release: false })]);
  });

  it('claimContactWrites and reportContactWrites: only the engine with the lease; another user\'s contact cannot be paired, by a report or by an id on an Outlook contact; bad input names the field', async () => {
    for (const token of [admin, sam]) {
      failed(await hub.gql(CLAIM_WRITES, { m: samMailbox, l: lease, n: 5 }, token), 'FORBIDDEN');
      failed(await report([], token), 'FORBIDDEN');
    }
    failed(await hub.gql(CLAIM_WRITES, { m: samMailbox, l: 'not-the-lease', n: 5 }, hub.syncServiceKey), 'CONFLICT', 'leaseId');
    failed(await hub.gql(REPORT_WRITES, { m: samMailbox, l: 'not-the-lease', w: [] }, hub.syncServiceKey), 'CONFLICT', 'leaseId');
    failed(await hub.gql(CLAIM_WRITES, { m: saraMailbox, l: lease, n: 5 }, hub.syncServiceKey), 'CONFLICT', 'mailboxId');
    for (const n of [0, 51]) failed(await hub.gql(CLAIM_WRITES, { m: samMailbox, l: lease, n }, hub.syncServiceKey), 'BAD_USER_INPUT', 'first');
    failed(await report(Array.from({ length: 51 }, () => ({ contactId: 'x', fingerprint: 'f' }))), 'BAD_USER_INPUT', 'writes');
    failed(await report([{ contactId: 'not-an-id', fingerprint: 'f' }]), 'BAD_USER_INPUT', 'writes[0].contactId');
    failed(await report([{ contactId: samMailbox, fingerprint: 'f' }]), 'BAD_USER_INPUT', 'writes[0].contactId');
    failed(await report([{ contactId: toGlobalId('Contact', '01900000-0000-7000-8000-000000000000'), itemId: 'i', fingerprint: 'f' }]), 'NOT_FOUND', 'writes[0].contactId');
    failed(await report([{ contactId: 'x', itemId: 'i'.repeat(513), fingerprint: 'f' }]), 'BAD_USER_INPUT', 'writes[0].itemId');
    failed(await report([{ contactId: 'x', fingerprint: 'f'.repeat(65) }]), 'BAD_USER_INPUT', 'writes[0].fingerprint');

    // Sara's contact: a report naming it is refused as if it did not exist; an Outlook contact carrying its id makes Sam his own.
    const sara = await hub.login('sara.sales@demo.crm.test');
    const saras = ok(await hub.gql(CREATE, { input: { lastName: `Secret ${tag}`, emails: [`secret.${tag}@sara.example`] } }, sara)).createContact.id;
    failed(await report([{ contactId: saras, itemId: 'AAMkSteal=', fingerprint: 'f' }]), 'NOT_FOUND', 'writes[0].contactId');
    expect(ok(await sync([outlook('AAMkSteal=', { surname: `Stolen ${tag}`, emails: [`stolen.${tag}@x.example`], tracked: false, crmContactId: saras })])).syncMailboxContacts[0]).toEqual({ itemId: 'AAMkSteal=', outcome: 'NOT_TRACKED', contactId: null });
    const own = ok(await sync([outlook('AAMkSteal2=', { surname: `Stolen ${tag}`, emails: [`stolen.${tag}@x.example`], crmContactId: saras })])).syncMailboxContacts[0];
    expect(own.outcome).toBe('CREATED');
    expect(own.contactId).not.toBe(saras);
    expect(await contact(saras, sara)).toMatchObject({ lastName: `Secret ${tag}` });
    // An Outlook contact already paired with another contact cannot be claimed for a second one.
    const mine = ok(await hub.gql(CREATE, { input: { lastName: `Mine ${tag}` } }, sam)).createContact.id;
    failed(await report([{ contactId: mine, itemId: 'AAMkSteal2=', fingerprint: 'f' }]), 'CONFLICT', 'writes[0].itemId');
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

  it('Outlook\'s company names the CRM account: one active account Sam may link to, whatever the case; several, a hidden or unknown one name none; the account goes out as the company, and a removed one is cleared only where it was shown', async () => {
    const CREATE_ACCOUNT = 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }';
    // What earlier tests left unwritten is written first.
    for (let writes = await claim(); writes.length; writes = await claim()) ok(await report(writes.map((w) => ({ contactId: w.contactId, itemId: w.release ? null : w.itemId ?? `left-${w.contactId}`, fingerprint: w.fingerprint }))));
    const accountOf = async (contactGlobalId: string) => (await hub.database.dataSource.query('SELECT accountId FROM contact WHERE id = ?', [parseGlobalId(contactGlobalId)!.id]))[0].accountId;
    const contoso = ok(await hub.gql(CREATE_ACCOUNT, { input: { name: `Contoso ${tag}` } }, sam)).createAccount.id;
    const fabrikam = ok(await hub.gql(CREATE_ACCOUNT, { input: { name: `Fabrikam ${tag}` } }, sam)).createAccount.id;
    for (let i = 0; i < 2; i++) ok(await hub.gql(CREATE_ACCOUNT, { input: { name: `Twice ${tag}` } }, sam));
    const sven = await hub.login('sven.service@demo.crm.test');
    ok(await hub.gql(CREATE_ACCOUNT, { input: { name: `Hidden ${tag}` } }, sven));
    const person = (itemId: string, company: string | null, extra: Record<string, unknown> = {}) => outlook(itemId, { surname: `${itemId} ${tag}`, companyName: company, emails: [`${itemId.toLowerCase()}.${tag}@company.example`], ...extra });

    const results = ok(await sync([person('Case', ` CONTOSO  ${tag} `), person('Twice', `Twice ${tag}`), person('Hidden', `Hidden ${tag}`), person('Unknown', `Nobody ${tag}`)])).syncMailboxContacts;
    expect(results.map((r: any) => r.outcome)).toEqual(['CREATED', 'CREATED', 'CREATED', 'CREATED']);
    expect(await accountOf(results[0].contactId)).toBe(parseGlobalId(contoso)!.id);
    for (const r of results.slice(1)) expect(await accountOf(r.contactId)).toBeNull();
    // Both sides agree: nothing to write; the unmatched companies are Sam's own text and stay in his Outlook.
    expect(await claim()).toEqual([]);

    // Moved to another account in Outlook, later than the CRM changed: the contact follows.
    expect(ok(await sync([person('Case', `Fabrikam ${tag}`, { changeKey: 'CK-f', lastModifiedAt: later(60) })])).syncMailboxContacts[0].outcome).toBe('UPDATED');
    expect(await accountOf(results[0].contactId)).toBe(parseGlobalId(fabrikam)!.id);
    expect(await claim()).toEqual([]);

    // A CRM contact with an account is written with the account's name; the report records what was shown.
    const made = ok(await hub.gql(CREATE, { input: { lastName: `Konto ${tag}`, accountId: contoso, emails: [`konto.${tag}@contoso.example`] } }, sam)).createContact.id;
    const [first] = await claim();
    expect(first).toMatchObject({ contactId: made, companyName: `Contoso ${tag}`, withheld: [] });
    ok(await report([{ contactId: made, itemId: 'AAMkKonto=', changeKey: 'CK1', fingerprint: first.fingerprint, companyName: first.companyName }]));
    expect(ok(await sync([{ ...asWritten(first, 'AAMkKonto=', { changeKey: 'CK1' }), companyName: `Contoso ${tag}` }])).syncMailboxContacts[0].outcome).toBe('UNCHANGED');
    expect(await claim()).toEqual([]);
    // The account removed in the CRM: Outlook's company was the account, so it is cleared (not kept as the user's text).
    ok(await hub.gql(UPDATE, { id: made, input: { accountId: null } }, sam));
    const [cleared] = await claim();
    expect(cleared).toMatchObject({ contactId: made, companyName: null, withheld: [] });
    ok(await report([{ contactId: made, itemId: 'AAMkKonto=', changeKey: 'CK2', fingerprint: cleared.fingerprint, companyName: null }]));
    // Read back without a company: no change, and the account is not put back.
    expect(ok(await sync([asWritten(cleared, 'AAMkKonto=', { changeKey: 'CK2', lastModifiedAt: later(120) })])).syncMailboxContacts[0].outcome).toBe('UNCHANGED');
    expect(await accountOf(made)).toBeNull();
    expect(await claim()).toEqual([]);

    // Bad input names the field.
    failed(await report([{ contactId: made, itemId: 'AAMkKonto=', fingerprint: 'f', companyName: 'x'.repeat(161) }]), 'BAD_USER_INPUT', 'writes[0].companyName');
  });

  it('a contact whose account a company cannot name (deactivated, or its name shared with another account) reads back as written: not written again, and it stays in its account', async () => {
    const CREATE_ACCOUNT = 'mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }';
    for (let writes = await claim(); writes.length; writes = await claim()) ok(await report(writes.map((w) => ({ contactId: w.contactId, itemId: w.release ? null : w.itemId ?? `left-${w.contactId}`, fingerprint: w.fingerprint, companyName: w.companyName }))));
    const accountOf = async (contactGlobalId: string) => (await hub.database.dataSource.query('SELECT accountId FROM contact WHERE id = ?', [parseGlobalId(contactGlobalId)!.id]))[0].accountId;
    // As the demo's "Öresund Logistik": an inactive account still holding Sam's contacts; and an active one its name folds to.
    const closed = ok(await hub.gql(CREATE_ACCOUNT, { input: { name: `Öresund ${tag}` } }, sam)).createAccount.id;
    ok(await hub.gql(CREATE_ACCOUNT, { input: { name: `Oresund ${tag}` } }, sam));
    const [twin] = await Promise.all([0, 1].map(async () => ok(await hub.gql(CREATE_ACCOUNT, { input: { name: `Twin ${tag}` } }, sam)).createAccount.id));
    const person = async (name: string, accountId: string) => ok(await hub.gql(CREATE, { input: { firstName: 'Yuki', lastName: `${name} ${tag}`, jobTitle: 'Purchasing Manager', telephone: '+46 70 555 2021', accountId, emails: [`${name.toLowerCase()}.${tag}@oresund.example`] } }, sam)).createContact.id;
    const inClosed = await person('Closed', closed);
    const inTwin = await person('Twin', twin);
    const tracked = await person('Tracked', closed);
    ok(await hub.gql('mutation($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { id } }', { id: closed, input: { status: 'INACTIVE' } }, sam));
    // Tracked from Outlook with the address of one of them, showing its account: paired, as both show it.
    const fromOutlook = outlook('AAMkOresund=', { givenName: 'Yuki', surname: `Tracked ${tag}`, displayName: null, companyName: `Öresund ${tag}`, jobTitle: 'Purchasing Manager', businessPhone: '+46 70 555 2021', emails: [`tracked.${tag}@oresund.example`] });
    expect(ok(await sync([fromOutlook])).syncMailboxContacts[0]).toMatchObject({ outcome: 'LINKED', contactId: tracked });
    expect(await accountOf(tracked)).toBe(parseGlobalId(closed)!.id);

    const written = await claim();
    expect(written.map((w) => [w.contactId, w.companyName]).sort()).toEqual([[inClosed, `Öresund ${tag}`], [inTwin, `Twin ${tag}`]].sort());
    ok(await report(written.map((w) => ({ contactId: w.contactId, itemId: `AAMk-${w.contactId}`, changeKey: 'CK1', fingerprint: w.fingerprint, companyName: w.companyName }))));
    // Read back as written: the company is the contact's own account, so nothing changed and nothing is written again.
    const readBack = written.map((w) => ({ ...asWritten(w, `AAMk-${w.contactId}`, { changeKey: 'CK1' }), companyName: w.companyName }));
    expect(ok(await sync(readBack)).syncMailboxContacts.map((r: any) => r.outcome)).toEqual(['UNCHANGED', 'UNCHANGED']);
    expect(await claim()).toEqual([]);
    // Changed in Outlook later: the change is taken, the contacts stay in their accounts (not moved to the namesake), and it is not echoed.
    const changed = readBack.map((c) => ({ ...c, changeKey: 'CK2', jobTitle: 'Head of IT', lastModifiedAt: later(60) }));
    expect(ok(await sync(changed)).syncMailboxContacts.map((r: any) => r.outcome)).toEqual(['UPDATED', 'UPDATED']);
    expect(await accountOf(inClosed)).toBe(parseGlobalId(closed)!.id);
    expect(await accountOf(inTwin)).toBe(parseGlobalId(twin)!.id);
    expect(await claim()).toEqual([]);
  });

  // Last: it takes Sam's Salesperson role away.
  it('a number hidden from Sam by column security is neither written to his Outlook nor compared, and Outlook\'s is not taken in', async () => {
    const made = ok(await hub.gql(CREATE, { input: { lastName: `Nummer ${tag}`, telephone: '+46 8 555 08 00', mobilePhone: '+46 70 555 08 00', emails: [`nummer.${tag}@proseware.example`] } }, sam)).createContact.id;
    const [first] = await claim();
    ok(await report([{ contactId: made, itemId: 'AAMkNummer=', changeKey: 'CK', fingerprint: first.fingerprint }]));
    // Sam now holds a role that lets him work with his own contacts but read no numbers.
    const roleId = ok(await hub.gql('mutation($input: CreateSecurityRoleInput!) { createSecurityRole(input: $input) { id } }', { input: { name: `No numbers ${tag}` } }, admin)).createSecurityRole.id;
    for (const privilege of ['CREATE', 'READ', 'WRITE']) ok(await hub.gql('mutation($input: SetRolePrivilegeInput!) { setRolePrivilege(input: $input) { id } }', { input: { roleId, entity: 'CONTACT', privilege, depth: 'USER' } }, admin));
    const samUser = (ok(await hub.gql('{ users { id email roles { id name } } }', {}, admin)).users as any[]).find((u) => u.email === 'sam.sales@demo.crm.test');
    ok(await hub.gql('mutation($r: ID!, $u: ID!) { addUserRole(roleId: $r, userId: $u) { id } }', { r: roleId, u: samUser.id }, admin));
    for (const role of samUser.roles) ok(await hub.gql('mutation($r: ID!, $u: ID!) { removeUserRole(roleId: $r, userId: $u) { id } }', { r: role.id, u: samUser.id }, admin));

    // His contacts are handed out once more, without the numbers (withheld: Outlook keeps its own); then nothing is left to write.
    const again = await claim();
    expect(again.find((w) => w.contactId === made)).toMatchObject({ itemId: 'AAMkNummer=', businessPhone: null, mobilePhone: null, withheld: ['BUSINESS_PHONE', 'MOBILE_PHONE', 'COMPANY'] });
    expect(again.filter((w) => !w.release).every((w) => w.businessPhone === null && w.mobilePhone === null && w.withheld.includes('BUSINESS_PHONE') && w.withheld.includes('MOBILE_PHONE'))).toBe(true);
    for (let writes = again; writes.length; writes = await claim()) ok(await report(writes.map((w) => ({ contactId: w.contactId, itemId: w.release ? null : w.itemId, fingerprint: w.fingerprint }))));
    // A change he may see goes out without the numbers.
    ok(await hub.gql(UPDATE, { id: made, input: { jobTitle: 'Analyst' } }, admin));
    const [change] = await claim();
    expect(change).toMatchObject({ contactId: made, jobTitle: 'Analyst', businessPhone: null, mobilePhone: null, withheld: ['BUSINESS_PHONE', 'MOBILE_PHONE', 'COMPANY'] });
    ok(await report([{ contactId: made, itemId: 'AAMkNummer=', changeKey: 'CK2', fingerprint: change.fingerprint }]));
    // Outlook keeps its own numbers: read back, they are no change, and they do not reach the CRM.
    const back = { ...asWritten(change, 'AAMkNummer=', { changeKey: 'CK2' }), businessPhone: '+46 8 555 99 99', mobilePhone: '+46 70 555 99 99' };
    expect(ok(await sync([back])).syncMailboxContacts[0].outcome).toBe('UNCHANGED');
    expect(ok(await sync([{ ...back, changeKey: 'CK3', jobTitle: 'Senior analyst', lastModifiedAt: later(60) }])).syncMailboxContacts[0].outcome).toBe('UPDATED');
    expect(await contact(made, admin)).toMatchObject({ jobTitle: 'Senior analyst', telephone: '+46 8 555 08 00', mobilePhone: '+46 70 555 08 00' });
    // A losing version kept with a number shows it only to who may read numbers.
    expect((await conflictsOf(bothSides)).every((c) => c.losingVersion.telephone === null)).toBe(true);
    expect((await conflictsOf(bothSides, admin)).find((c) => c.winner === 'EXCHANGE').losingVersion.telephone).toBe('+46 8 555 01 00');
  });
});
