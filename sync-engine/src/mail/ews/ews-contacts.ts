import {
  BasePropertySet, Contact, ContactSchema, EmailAddress, EmailAddressKey, FolderId, ItemId, ItemSchema, PhoneNumberKey, PropertySet, ServiceResult, StringList,
  WellKnownFolderName,
} from 'ews-javascript-api';
import { categoriesWithoutMark, crmIdOf, crmIdProperty, markedTracked, markForCrm, NEWER_IN_EXCHANGE, updateOverSeenVersion, writeEach } from './ews-crm-items.js';
import { withContactsState } from './ews-cursor.js';
import { pagesFromCursor, readFolderChanges, type CursorSlot } from './ews-folder-changes.js';
import { dateOf, optional } from './ews-properties.js';
import type { EwsAccount, EwsServices, EwsSession } from './ews-service.js';
import { xmlText } from './ews-xml.js';

// Contacts in an Exchange mailbox's Contacts folder, read for the hub and written from it: SyncFolderItems for the
// ids changed and deleted, GetItem for their names, addresses and numbers. The hub takes in only those marked
// "Tracked to CRM", and writes the CRM's contacts there marked so.

/** The CRM contact an Outlook contact was written from, on the contact itself (ews-crm-items.ts). */
const CRM_CONTACT_ID = crmIdProperty('CrmActivityHubContactId');

const CONTACT_PROPERTIES = [
  ItemSchema.Categories, ItemSchema.LastModifiedTime, ContactSchema.GivenName, ContactSchema.Surname, ContactSchema.DisplayName, ContactSchema.CompanyName, ContactSchema.JobTitle,
  ContactSchema.EmailAddresses, ContactSchema.PhoneNumbers, CRM_CONTACT_ID,
];
const EMAIL_KEYS = [EmailAddressKey.EmailAddress1, EmailAddressKey.EmailAddress2, EmailAddressKey.EmailAddress3];

/** A contact as the hub's syncMailboxContacts takes it (ExchangeContactInput). */
export interface ExchangeContactItem {
  readonly itemId: string;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly displayName: string | null;
  readonly companyName: string | null;
  readonly jobTitle: string | null;
  readonly businessPhone: string | null;
  readonly mobilePhone: string | null;
  readonly emails: readonly string[];
  readonly tracked: boolean;
  readonly changeKey: string | null;
  readonly lastModifiedAt: string | null;
  readonly crmContactId: string | null;
}

/** One page of the Contacts folder's changes, with the mailbox cursor to commit with it. */
export interface ContactBatch {
  readonly contacts: readonly ExchangeContactItem[];
  readonly deletedItemIds: readonly string[];
  readonly cursor: string;
}

const text = (value: string | null): string | null => (value && value.trim() ? value : null);

// GetItem of contact properties is small per item; pages this size keep a replay after a crash short.
const CONTACT_PAGE = 100;

export function contactItemOf(contact: Contact): ExchangeContactItem | null {
  const itemId = optional(() => contact.Id?.UniqueId);
  if (!itemId) return null;
  const emails = EMAIL_KEYS.flatMap((key) => {
    const address = optional(() => (contact.EmailAddresses.Contains(key) ? contact.EmailAddresses._getItem(key)?.Address : null));
    return address?.trim() ? [address.trim()] : [];
  });
  const phone = (key: PhoneNumberKey) => text(optional(() => (contact.PhoneNumbers.Contains(key) ? contact.PhoneNumbers._getItem(key) : null)));
  return {
    itemId,
    givenName: text(optional(() => contact.GivenName)),
    surname: text(optional(() => contact.Surname)),
    displayName: text(optional(() => contact.DisplayName)),
    companyName: text(optional(() => contact.CompanyName)),
    jobTitle: text(optional(() => contact.JobTitle)),
    businessPhone: phone(PhoneNumberKey.BusinessPhone),
    mobilePhone: phone(PhoneNumberKey.MobilePhone),
    emails,
    tracked: markedTracked(contact),
    changeKey: optional(() => contact.Id?.ChangeKey) || null,
    lastModifiedAt: dateOf(optional(() => contact.LastModifiedTime))?.toISOString() ?? null,
    crmContactId: crmIdOf(contact, CRM_CONTACT_ID),
  };
}

/** The Contacts folder's changes after `syncState` (null: all of it), at most `maxChanges`. */
export async function readContactPage(session: EwsSession, syncState: string | null, maxChanges: number, signal?: AbortSignal): Promise<Omit<ContactBatch, 'cursor'> & { syncState: string; moreChangesAvailable: boolean }> {
  const changes = await readFolderChanges(session, WellKnownFolderName.Contacts, 'Contacts', syncState, maxChanges, signal);
  const contacts: ExchangeContactItem[] = [];
  if (changes.changed.length > 0) {
    const responses = await session.call('GetItem', (service) => service.BindToItems(changes.changed.map((id) => new ItemId(id)), new PropertySet(BasePropertySet.IdOnly, CONTACT_PROPERTIES)), { folder: 'Contacts', signal });
    for (const response of responses.Responses) {
      // ErrorItemNotFound: deleted since it was listed; a distribution list is no contact.
      if (response.Result !== ServiceResult.Success || !(response.Item instanceof Contact)) continue;
      const contact = contactItemOf(response.Item);
      if (contact) contacts.push(contact);
    }
  }
  return { contacts, deletedItemIds: changes.deleted, syncState: changes.syncState, moreChangesAvailable: changes.moreChangesAvailable };
}

const CONTACTS_SLOT: CursorSlot = { stateOf: (cursor) => cursor.contacts?.syncState ?? null, withState: withContactsState };

/** Contacts of one mailbox, read from where the mailbox's cursor says (its `contacts` SyncState). */
export class EwsContactSource {
  constructor(
    private readonly services: EwsServices,
    private readonly account: EwsAccount,
  ) {}

  async *read(cursorText: string | null, signal?: AbortSignal): AsyncIterable<ContactBatch> {
    const session = await this.services.session(this.account, 'incoming', signal);
    for await (const { page, cursor } of pagesFromCursor(cursorText, CONTACTS_SLOT, (syncState) => readContactPage(session, syncState, CONTACT_PAGE, signal))) {
      yield { contacts: page.contacts, deletedItemIds: page.deletedItemIds, cursor };
    }
  }

  /** Writes the CRM's contacts; one Outlook changed since the hub last read it is left out of the results (not written). */
  async write(writes: readonly ContactWriteRequest[], signal?: AbortSignal): Promise<ContactWriteResult[]> {
    if (writes.length === 0) return [];
    const session = await this.services.session(this.account, 'incoming', signal);
    return writeEach(writes, async (write) => {
      const written = await writeContact(session, write, signal);
      if (written === NEWER_IN_EXCHANGE) return written;
      const companyName = !write.release && !write.withheld.includes('COMPANY') ? write.companyName : null;
      return { contactId: write.contactId, ...written, fingerprint: write.fingerprint, companyName };
    });
  }
}

/** A CRM contact to write to the Contacts folder, or to release there (the hub's ContactWrite). */
export interface ContactWriteRequest {
  readonly contactId: string;
  readonly itemId: string | null;
  /** The version the hub last saw: a newer one in Exchange is not overwritten. */
  readonly changeKey: string | null;
  readonly release: boolean;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly displayName: string | null;
  readonly jobTitle: string | null;
  readonly businessPhone: string | null;
  readonly mobilePhone: string | null;
  readonly emails: readonly string[];
  /** The CRM account's name for Outlook's Company; null clears it, unless COMPANY is withheld. */
  readonly companyName: string | null;
  /** Fields Outlook keeps as they are: numbers the owner may not read in the CRM, a company that is the user's own text. */
  readonly withheld: readonly ('BUSINESS_PHONE' | 'MOBILE_PHONE' | 'COMPANY')[];
  readonly fingerprint: string;
}

/** What the Contacts folder holds for the contact once written: its ItemId and ChangeKey (null: released, or gone) and the fingerprint written. */
export interface ContactWriteResult {
  readonly contactId: string;
  readonly itemId: string | null;
  readonly changeKey: string | null;
  readonly fingerprint: string;
  /** The company written (the account's name); null when none was (cleared, left as Outlook had it, or released). */
  readonly companyName: string | null;
}

/**
 * Writes one contact: released (only the mark taken off; the user keeps the contact), changed in place over the
 * version the hub last read, or created with the mark and the CRM contact's id. One deleted in Outlook is not made
 * again: the user removed it from their address book (null ItemId, and the hub keeps it out).
 */
async function writeContact(session: EwsSession, write: ContactWriteRequest, signal?: AbortSignal): Promise<{ itemId: string | null; changeKey: string | null } | typeof NEWER_IN_EXCHANGE> {
  const bind = (itemId: string, properties: PropertySet) => (service: Parameters<typeof Contact.Bind>[0]) => Contact.Bind(service, new ItemId(itemId), properties);
  if (write.release) {
    if (!write.itemId) return { itemId: null, changeKey: null };
    // Only the mark comes off, over whatever version Outlook has now: nothing of the user's is overwritten.
    const released = await updateOverSeenVersion(session, { folder: 'Contacts', changeKey: null, signal }, bind(write.itemId, new PropertySet(BasePropertySet.IdOnly, [ItemSchema.Categories])), (contact) => {
      contact.Categories = new StringList(categoriesWithoutMark(contact).map((category) => xmlText(category)));
    });
    return released === NEWER_IN_EXCHANGE ? released : { itemId: null, changeKey: null };
  }
  if (write.itemId) {
    const properties = new PropertySet(BasePropertySet.IdOnly, [ContactSchema.GivenName, ContactSchema.Surname, ContactSchema.DisplayName, ContactSchema.CompanyName, ContactSchema.JobTitle, ContactSchema.EmailAddresses, ContactSchema.PhoneNumbers]);
    const updated = await updateOverSeenVersion(session, { folder: 'Contacts', changeKey: write.changeKey, signal }, bind(write.itemId, properties), (contact) => fill(contact, write));
    return updated ?? { itemId: null, changeKey: null };
  }
  return session.call(
    'CreateItem',
    async (service) => {
      const contact = new Contact(service);
      fill(contact, write);
      markForCrm(contact, CRM_CONTACT_ID, write.contactId);
      await contact.Save(new FolderId(WellKnownFolderName.Contacts));
      return { itemId: contact.Id.UniqueId, changeKey: contact.Id.ChangeKey || null };
    },
    { folder: 'Contacts', signal },
  );
}

const PHONES: readonly ['BUSINESS_PHONE' | 'MOBILE_PHONE', PhoneNumberKey, 'businessPhone' | 'mobilePhone'][] = [
  ['BUSINESS_PHONE', PhoneNumberKey.BusinessPhone, 'businessPhone'],
  ['MOBILE_PHONE', PhoneNumberKey.MobilePhone, 'mobilePhone'],
];

/** The CRM's fields on an Outlook contact; a field the CRM leaves empty is cleared (a dictionary entry only if Outlook has it). */
function fill(contact: Contact, write: ContactWriteRequest): void {
  contact.GivenName = xmlText(write.givenName) as string;
  contact.Surname = xmlText(write.surname) as string;
  contact.DisplayName = xmlText(write.displayName) as string;
  contact.JobTitle = xmlText(write.jobTitle) as string;
  if (!write.withheld.includes('COMPANY')) contact.CompanyName = xmlText(write.companyName) as string;
  for (const [i, key] of EMAIL_KEYS.entries()) {
    const address = write.emails[i];
    if (address) contact.EmailAddresses._setItem(key, new EmailAddress(xmlText(address)));
    else if (optional(() => contact.EmailAddresses.Contains(key))) contact.EmailAddresses._setItem(key, null as never);
  }
  for (const [field, key, value] of PHONES) {
    if (write.withheld.includes(field)) continue;
    if (write[value]) contact.PhoneNumbers._setItem(key, xmlText(write[value]));
    else if (optional(() => contact.PhoneNumbers.Contains(key))) contact.PhoneNumbers._setItem(key, null as never);
  }
}
