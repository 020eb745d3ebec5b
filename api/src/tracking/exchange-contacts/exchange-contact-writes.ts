import { In, type EntityManager } from 'typeorm';
import { Contact, ContactStatus } from '../../records/contact.entity';
import { EmailAddress } from '../../records/email-address.entity';
import { fullNameOf } from '../../records/person-name';
import { contactFingerprint, shapeOfCrmContact, type ContactPhoneField } from './contact-shape';
import { ExchangeContactLink } from './exchange-contact-link.entity';

/** The most paired contacts looked at per call (the most recently changed in the CRM); the rest come on the next runs. */
const SCAN_LIMIT = 500;

/** A contact the engine is to write to the mailbox's Exchange Contacts folder, or release there. */
export interface PendingContactWrite {
  readonly contactId: string;
  readonly itemId: string | null;
  readonly changeKey: string | null;
  readonly release: boolean;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly displayName: string | null;
  readonly jobTitle: string | null;
  readonly businessPhone: string | null;
  readonly mobilePhone: string | null;
  readonly emails: string[];
  /** The account's name, as Outlook's Company; null: clear it, unless `keepCompany`. */
  readonly companyName: string | null;
  /** No account to show, and Outlook's company was never one: it is the user's own text and stays. */
  readonly keepCompany: boolean;
  readonly withheld: readonly ContactPhoneField[];
  readonly fingerprint: string;
}

/** The owner's view of CRM contacts: which of them they may read (the hub writes nothing else to their Outlook), and the names of the accounts they may read. */
export interface OwnerView {
  readonly readable: (contacts: readonly Contact[]) => Promise<Set<string>>;
  readonly companies: (contacts: readonly Contact[]) => Promise<Map<string, string>>;
}

/** Each contact's addresses in the CRM's order. */
export async function addressesOf(em: EntityManager, contactIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = contactIds.length ? await em.find(EmailAddress, { where: { recordKind: 'contact', recordId: In([...contactIds]) }, order: { position: 'ASC' } }) : [];
  const byContact = new Map<string, string[]>();
  for (const row of rows) byContact.set(row.recordId, [...(byContact.get(row.recordId) ?? []), row.address]);
  return byContact;
}

/**
 * What the owner's Outlook does not show as the CRM has it (docs/exchange.md): paired contacts changed since both last
 * agreed; the owner's active contacts never written there (Dynamics' default "My Contacts"); and paired contacts to
 * release because they were deactivated or deleted in the CRM, the owner may no longer read them, or one the hub wrote
 * for its owner now belongs to someone else. A contact kept out of this Outlook (deleted or unmarked there) is not
 * written again.
 */
export async function pendingContactWrites(em: EntityManager, mailbox: { id: string; ownerUserId: string }, owner: OwnerView, withheld: readonly ContactPhoneField[], limit: number): Promise<PendingContactWrite[]> {
  const linked = (alive: boolean) => {
    const query = em
      .createQueryBuilder(ExchangeContactLink, 'l')
      .leftJoin(Contact, 'c', 'c.id = l.contactId')
      .where('l.mailboxId = :mailboxId', { mailboxId: mailbox.id })
      .andWhere('l.itemId IS NOT NULL')
      .andWhere(alive ? 'c.id IS NOT NULL' : 'c.id IS NULL');
    return (alive ? query.orderBy('c.updatedAt', 'DESC').limit(SCAN_LIMIT) : query.limit(limit)).getMany();
  };
  const gone = await linked(false);
  const links = await linked(true);
  const fresh = await em
    .createQueryBuilder(Contact, 'c')
    .leftJoin(ExchangeContactLink, 'l', 'l.contactId = c.id AND l.mailboxId = :mailboxId', { mailboxId: mailbox.id })
    .where('c.ownerId = :ownerId', { ownerId: mailbox.ownerUserId })
    .andWhere('c.status = :status', { status: ContactStatus.ACTIVE })
    .andWhere('l.contactId IS NULL')
    .orderBy('c.createdAt', 'ASC')
    .limit(limit)
    .getMany();
  const contacts = [...(links.length ? await em.find(Contact, { where: { id: In(links.map((l) => l.contactId)) } }) : []), ...fresh];
  const mayRead = await owner.readable(contacts);
  const visible = contacts.filter((c) => mayRead.has(c.id));
  const emails = await addressesOf(em, visible.map((c) => c.id));
  const companies = await owner.companies(visible);
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const pending: PendingContactWrite[] = gone.map((link) => released(link));
  const write = (contact: Contact, link: ExchangeContactLink | null) => {
    const shape = shapeOfCrmContact(contact, emails.get(contact.id) ?? [], withheld, companies.get(contact.id) ?? null);
    const fingerprint = contactFingerprint(shape);
    if (link?.fingerprint === fingerprint) return;
    const surname = shape.lastName ?? contact.lastName;
    pending.push({
      contactId: contact.id, itemId: link?.itemId ?? null, changeKey: link?.changeKey ?? null, release: false,
      givenName: shape.firstName, surname, displayName: fullNameOf(shape.firstName, surname), jobTitle: shape.jobTitle,
      businessPhone: shape.telephone, mobilePhone: shape.mobilePhone, emails: [...shape.emails], companyName: shape.company, keepCompany: shape.company === null && !link?.company,
      withheld, fingerprint,
    });
  };
  for (const link of links) {
    const contact = byId.get(link.contactId)!;
    const handedOver = link.writtenForOwner && contact.ownerId !== mailbox.ownerUserId;
    if (contact.status !== ContactStatus.ACTIVE || !mayRead.has(contact.id) || handedOver) pending.push(released(link));
    else write(contact, link);
    if (pending.length >= limit) return pending.slice(0, limit);
  }
  for (const contact of fresh) {
    if (mayRead.has(contact.id)) write(contact, null);
    if (pending.length >= limit) break;
  }
  return pending.slice(0, limit);
}

function released(link: ExchangeContactLink): PendingContactWrite {
  return { contactId: link.contactId, itemId: link.itemId, changeKey: link.changeKey, release: true, givenName: null, surname: null, displayName: null, jobTitle: null, businessPhone: null, mobilePhone: null, emails: [], companyName: null, keepCompany: true, withheld: [], fingerprint: link.fingerprint };
}

/**
 * Records the Outlook contact a CRM contact is paired with (itemId null: kept out of this Outlook), and the fingerprint
 * and company both now show; `writtenForOwner` only when the pair begins (left out, a pair keeps how it began).
 */
export async function recordContactLink(em: EntityManager, link: { mailboxId: string; contactId: string; itemId: string | null; fingerprint: string; changeKey: string | null; company: string | null; writtenForOwner?: boolean }, now: Date): Promise<void> {
  const { mailboxId, contactId, itemId, fingerprint, changeKey, company, writtenForOwner } = link;
  const row = { mailboxId, contactId, itemId, fingerprint, changeKey: itemId ? changeKey : null, company: itemId ? company : null, updatedAt: now };
  await em.upsert(ExchangeContactLink, writtenForOwner === undefined ? row : { ...row, writtenForOwner }, ['mailboxId', 'contactId']);
}
