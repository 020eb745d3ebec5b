import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EwsContactSource, readContactPage } from '../../sync-engine/src/mail/ews/ews-contacts.js';
import { EwsServices, type EwsAccount } from '../../sync-engine/src/mail/ews/ews-service.js';
import { checkEwsDocument } from '../support/ews/ews-schema';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server';

// The Exchange Contacts folder read by the engine's adapter (SyncFolderItems, then GetItem of names, addresses and
// numbers), against the schema-faithful EWS test server, not Exchange.

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
      { itemId: asa, givenName: 'Åsa', surname: 'Lind', displayName: 'Åsa Lind', companyName: 'Contoso AB', jobTitle: 'Buyer', businessPhone: '+46 8 555 01 00', mobilePhone: '+46 70 555 01 00', emails: ['asa@contoso.example', 'asa.lind@contoso.example'], tracked: true },
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

  it('every contact response the test server wrote follows Messages.xsd and Types.xsd', () => {
    expect(ews.documents.some((xml) => xml.includes('<t:Contact>') && xml.includes('<t:EmailAddresses>'))).toBe(true);
    expect(ews.documents.flatMap((xml) => checkEwsDocument(xml))).toEqual([]);
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}
