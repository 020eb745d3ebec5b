import {
  BasePropertySet, Contact, ContactSchema, EmailAddressKey, ItemId, ItemSchema, PhoneNumberKey, PropertySet, ServiceResult,
  WellKnownFolderName,
} from 'ews-javascript-api';
import { withContactsState } from './ews-cursor.js';
import { pagesFromCursor, readFolderChanges, type CursorSlot } from './ews-folder-changes.js';
import { optional } from './ews-properties.js';
import type { EwsAccount, EwsServices, EwsSession } from './ews-service.js';
import { TRACKED_CATEGORY } from './ews-tasks.js';

// Contacts in an Exchange mailbox's Contacts folder, read for the hub: SyncFolderItems for the ids changed and
// deleted, GetItem for their names, addresses and numbers. The hub takes in only those marked "Tracked to CRM".

const CONTACT_PROPERTIES = [ItemSchema.Categories, ContactSchema.GivenName, ContactSchema.Surname, ContactSchema.DisplayName, ContactSchema.CompanyName, ContactSchema.JobTitle, ContactSchema.EmailAddresses, ContactSchema.PhoneNumbers];
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
  const categories = optional(() => contact.Categories?.GetEnumerator()) ?? [];
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
    tracked: categories.some((c) => c.trim().toLowerCase() === TRACKED_CATEGORY.toLowerCase()),
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
}
