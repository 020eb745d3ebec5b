import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EwsContactSource, readContactPage, type ContactWriteRequest } from '../../sync-engine/src/mail/ews/ews-contacts.js';
import { EwsServices, type EwsAccount } from '../../sync-engine/src/mail/ews/ews-service.js';
import { checkEwsDocument } from '../support/ews/ews-schema';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server';

// The Exchange Contacts folder read and written by the engine's adapter (SyncFolderItems, GetItem of names, addresses
// and numbers, CreateItem, UpdateItem), against the schema-faithful EWS test server, not Exchange.

let ews: StartedEwsServer;
let services: EwsServices;
const accountOf = (address: string): EwsAccount => ({ address, connection: { url: ews.url, impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 4 }, credentials: { method: 'PASSWORD', username: address, password: 'pw' } });

beforeAll(async () => {
  ews = await startEwsTestServer();
  services = new EwsServices({ timeoutMs: 10_000, maxBackOffMs: 2_000 });
});
afterAll(() => ews?.close());

describe('Exchange Contacts read against the schema-faithful EWS test server (not Exchange)', () => {
  it('reads contacts with their names, up to three addresses, business and mobile numbers and the "Tracked to CRM" mark; changes and deletions come next', async () => {
    const sam = 'sam@corp.test';
    ews.addUser(sam, { password: 'pw' });
    const asa = ews.addContact(sam, { givenName: 'Åsa', surname: 'Lind', displayName: 'Åsa Lind', companyName: 'Contoso AB', jobTitle: 'Buyer', emails: ['asa@contoso.example', 'asa.lind@contoso.example'], businessPhone: '+46 8 555 01 00', mobilePhone: '+46 70 555 01 00', categories: ['Tracked to CRM'] });
    ews.addContact(sam, { displayName: 'Pizza place', businessPhone: '+46 8 555 99 99' });
    const first = await readContactPage(await services.session(accountOf(sam), 'incoming'), null, 512);
    expect(first.contacts).toEqual([
      {
        itemId: asa, givenName: 'Åsa', surname: 'Lind', displayName: 'Åsa Lind', companyName: 'Contoso AB', jobTitle: 'Buyer', businessPhone: '+46 8 555 01 00', mobilePhone: '+46 70 555 01 00',
        emails: ['asa@contoso.example', 'asa.lind@contoso.example'], tracked: true, changeKey: expect.any(String), lastModifiedAt: expect.any(String), crmContactId: null,
      },
      expect.objectContaining({ displayName: 'Pizza place', givenName: null, emails: [], tracked: false }),
    ]);
    ews.updateContact(sam, asa, { jobTitle: 'Head of purchasing' });
    const second = await readContactPage(await services.session(accountOf(sam), 'incoming'), first.syncState, 512);
    expect(second.contacts.map((c) => [c.itemId, c.jobTitle])).toEqual([[asa, 'Head of purchasing']]);
    ews.moveToDeletedItems(sam, asa);
    const third = await readContactPage(await services.session(accountOf(sam), 'incoming'), second.syncState, 512);
    expect(third).toMatchObject({ contacts: [], deletedItemIds: [asa] });
  });

  it('keeps the Contacts folder\'s SyncState in the mailbox cursor, and starts again when Exchange no longer accepts it', async () => {
    const bo = 'bo@corp.test';
    ews.addUser(bo, { password: 'pw' });
    ews.addContact(bo, { surname: 'Berg', emails: ['bo@fabrikam.example'], categories: ['tracked to crm'] });
    const source = new EwsContactSource(services, accountOf(bo));
    const [first] = await collect(source.read('{"v":1,"folders":{},"tasks":{"syncState":"VGFza3M="}}'));
    expect(JSON.parse(first.cursor)).toMatchObject({ tasks: { syncState: 'VGFza3M=' }, contacts: { syncState: expect.any(String) } });
    ews.failNext('SyncFolderItems', 'InvalidSyncState');
    const [again] = await collect(source.read(first.cursor));
    expect(again.contacts.map((c) => c.surname)).toEqual(['Berg']);
  });

  it('writes names with XML\'s special characters as they are (ews-javascript-api writes values unescaped; Exchange refuses a bare "&")', async () => {
    const ann = 'esc-contact@corp.test';
    ews.addUser(ann, { password: 'pw' });
    const contacts = new EwsContactSource(services, accountOf(ann));
    await contacts.write([{
      contactId: 'Q29udGFjdDoy', itemId: null, changeKey: null, release: false, givenName: 'Ann & Bo', surname: 'O\'Brien <Sales>', displayName: 'Ann & Bo O\'Brien <Sales>', jobTitle: 'R&D "lead"',
      businessPhone: '+46 8 555 03 00 <ext>', mobilePhone: null, emails: ['ann&bo@fabrikam.example'], companyName: 'Fabrikam & Co <AB>', withheld: [], fingerprint: 'f1',
    }]);
    expect(ews.contacts(ann)[0]).toMatchObject({ givenName: 'Ann & Bo', surname: 'O\'Brien <Sales>', displayName: 'Ann & Bo O\'Brien <Sales>', jobTitle: 'R&D "lead"', businessPhone: '+46 8 555 03 00 <ext>', emails: ['ann&bo@fabrikam.example'], companyName: 'Fabrikam & Co <AB>' });
  });

  it('writes a CRM contact marked and carrying its id, changes it in place over the version it saw (never a newer one), and releases it by taking only the mark off', async () => {
    const ann = 'ann@corp.test';
    ews.addUser(ann, { password: 'pw' });
    const contacts = new EwsContactSource(services, accountOf(ann));
    const write: ContactWriteRequest = {
      contactId: 'Q29udGFjdDox', itemId: null, changeKey: null, release: false, givenName: 'Cecilia', surname: 'Ek', displayName: 'Cecilia Ek', jobTitle: 'CFO',
      businessPhone: '+46 8 555 03 00', mobilePhone: null, emails: ['cecilia@fabrikam.example', 'ce@fabrikam.example'], companyName: 'Fabrikam AB', withheld: [], fingerprint: 'f1',
    };
    const [created] = await contacts.write([write]);
    expect(created).toEqual({ contactId: 'Q29udGFjdDox', itemId: expect.any(String), changeKey: ews.contacts(ann)[0].changeKey, fingerprint: 'f1', companyName: 'Fabrikam AB' });
    expect(ews.contacts(ann)).toEqual([expect.objectContaining({
      itemId: created.itemId, givenName: 'Cecilia', surname: 'Ek', displayName: 'Cecilia Ek', companyName: 'Fabrikam AB', jobTitle: 'CFO', businessPhone: '+46 8 555 03 00', emails: ['cecilia@fabrikam.example', 'ce@fabrikam.example'],
      categories: ['Tracked to CRM'], extended: { CrmActivityHubContactId: 'Q29udGFjdDox' },
    })]);
    expect(ews.contacts(ann)[0].mobilePhone).toBeUndefined();
    // Read back, it is marked and carries the CRM contact's id: an engine that stopped before reporting finds it again.
    const [batch] = await collect(contacts.read(null));
    expect(batch.contacts).toEqual([expect.objectContaining({ itemId: created.itemId, crmContactId: 'Q29udGFjdDox', tracked: true, surname: 'Ek', businessPhone: '+46 8 555 03 00', emails: ['cecilia@fabrikam.example', 'ce@fabrikam.example'] })]);

    // Ann gave it a nickname-like display name in Outlook after the hub read it: the CRM change is held back, nothing written.
    ews.updateContact(ann, created.itemId!, { displayName: 'Cissi (Fabrikam)' });
    const change = { ...write, itemId: created.itemId, changeKey: created.changeKey, jobTitle: 'CEO', fingerprint: 'f2' };
    expect(await contacts.write([change])).toEqual([]);
    expect(ews.contacts(ann)[0]).toMatchObject({ jobTitle: 'CFO', displayName: 'Cissi (Fabrikam)' });
    // Over the version it has seen: a new title, the second address and the business number cleared, a mobile number set.
    const seen = ews.contacts(ann)[0].changeKey;
    const [updated] = await contacts.write([{ ...change, changeKey: seen, emails: ['cecilia@fabrikam.example'], businessPhone: null, mobilePhone: '+46 70 555 03 00' }]);
    expect(updated).toEqual({ contactId: 'Q29udGFjdDox', itemId: created.itemId, changeKey: ews.contacts(ann)[0].changeKey, fingerprint: 'f2', companyName: 'Fabrikam AB' });
    expect(updated.changeKey).not.toBe(seen);
    expect(ews.contacts(ann)[0]).toMatchObject({ jobTitle: 'CEO', emails: ['cecilia@fabrikam.example'], mobilePhone: '+46 70 555 03 00', categories: ['Tracked to CRM'] });
    expect(ews.contacts(ann)[0].businessPhone).toBeUndefined();
    // A number the owner may not read in the CRM is left as Outlook has it.
    ews.updateContact(ann, created.itemId!, { businessPhone: '+46 8 555 99 00' });
    await contacts.write([{ ...change, changeKey: ews.contacts(ann)[0].changeKey, businessPhone: null, withheld: ['BUSINESS_PHONE'], fingerprint: 'f3' }]);
    expect(ews.contacts(ann)[0].businessPhone).toBe('+46 8 555 99 00');
    // The account removed in the CRM clears the company; a company that is Ann's own text (COMPANY withheld) stays.
    const [cleared] = await contacts.write([{ ...change, changeKey: ews.contacts(ann)[0].changeKey, companyName: null, fingerprint: 'f3' }]);
    expect(cleared.companyName).toBeNull();
    expect(ews.contacts(ann)[0].companyName).toBeUndefined();
    ews.updateContact(ann, created.itemId!, { companyName: 'Cissis konsult' });
    const [kept] = await contacts.write([{ ...change, changeKey: ews.contacts(ann)[0].changeKey, companyName: null, withheld: ['COMPANY'], jobTitle: 'Chair', fingerprint: 'f3' }]);
    expect(kept.companyName).toBeNull();
    expect(ews.contacts(ann)[0]).toMatchObject({ companyName: 'Cissis konsult', jobTitle: 'Chair' });

    // Released (deactivated in the CRM): only the mark comes off, whatever Ann changed meanwhile; the contact stays hers.
    ews.updateContact(ann, created.itemId!, { categories: ['Kunder', 'Tracked to CRM'] });
    expect(await contacts.write([{ ...write, itemId: created.itemId, changeKey: 'stale', release: true, fingerprint: 'f3' }])).toEqual([{ contactId: 'Q29udGFjdDox', itemId: null, changeKey: null, fingerprint: 'f3', companyName: null }]);
    expect(ews.contacts(ann)).toEqual([expect.objectContaining({ itemId: created.itemId, categories: ['Kunder'], jobTitle: 'Chair' })]);
    // Deleted in Outlook: a CRM change does not bring it back (the hub then keeps it out).
    ews.moveToDeletedItems(ann, created.itemId!);
    expect(await contacts.write([{ ...change, fingerprint: 'f4' }])).toEqual([{ contactId: 'Q29udGFjdDox', itemId: null, changeKey: null, fingerprint: 'f4', companyName: 'Fabrikam AB' }]);
    expect(ews.contacts(ann)).toEqual([]);
  });

  it('every contact response the test server wrote follows Messages.xsd and Types.xsd', () => {
    expect(ews.documents.some((xml) => xml.includes('CreateItemResponseMessage') && xml.includes('<t:Contact>'))).toBe(true);
    expect(ews.documents.some((xml) => xml.includes('UpdateItemResponseMessage') && xml.includes('<t:Contact>'))).toBe(true);
    expect(ews.documents.some((xml) => xml.includes('<t:Contact>') && xml.includes('<t:EmailAddresses>'))).toBe(true);
    expect(ews.documents.flatMap((xml) => checkEwsDocument(xml))).toEqual([]);
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}
