import { In, type DataSource, type EntityManager } from 'typeorm';
import type { AccessService } from '../../access/access.service';
import { canUseField, type Principal } from '../../access/principal';
import { AccessEntity, Privilege } from '../../access/privileges';
import { requireSyncEngine } from '../../access/sync-engine-guard';
import { ApiError, notFound } from '../../common/errors';
import { expectGlobalId, parseGlobalId, toGlobalId } from '../../common/global-id';
import { repairStrings } from '../../common/text';
import { retryingDatabaseWork, type RetryBudget } from '../../db/transaction-retry';
import { User } from '../../identity/user.entity';
import { Mailbox } from '../../mail/mailbox.entity';
import type { Clock } from '../../platform/clock';
import type { Logger } from '../../platform/logger';
import { Contact, ContactStatus } from '../../records/contact.entity';
import { EmailAddress } from '../../records/email-address.entity';
import { fullNameOf } from '../../records/person-name';
import type { RecordWriter } from '../../records/record-writer';
import { exchangeActMailbox, requireLease, requireWriteCount } from '../exchange-mailbox-guard';
import { recordContactSyncConflict } from '../sync-conflict-log';
import { decideLinkedChange, SyncSide } from '../sync-conflict-rule';
import { accountShownBy, accountsNamedBy, companiesOf, mayLinkToAccount, type CompanyAccount } from './company-accounts';
import { contactFingerprint, mergeIntoCrm, shapeOfCrmContact, shapeOfOutlookContact, withheldFrom, withholding, type ContactPhoneField, type ContactShape } from './contact-shape';
import { ContactSyncOutcome, ContactWriteField, MAX_CONTACT_WRITES, type ContactSyncResult, type ContactWrite, type ExchangeContactInput } from './contact-sync.inputs';
import { ExchangeContactLink } from './exchange-contact-link.entity';
import { addressesOf, pendingContactWrites, recordContactLink } from './exchange-contact-writes';

// Two engines' pages naming one new contact collide on the link's unique ItemId; the run again finds the link.
const RETRIES: RetryBudget = { DUPLICATE_KEY: 6 };
const WITHHELD: Record<ContactPhoneField, ContactWriteField> = { telephone: ContactWriteField.BUSINESS_PHONE, mobilePhone: ContactWriteField.MOBILE_PHONE };

/** Values for a contact without the secured fields the owner may not set (column security): those are left as they are. */
const settableBy = <T extends object>(owner: Principal, values: T): T =>
  Object.fromEntries(Object.entries(values).filter(([field]) => !(field in WITHHELD) || canUseField(owner, AccessEntity.CONTACT, field, 'update'))) as T;

/**
 * Contacts between the CRM and a mailbox's Exchange Contacts folder (docs/exchange.md). `syncMailboxContacts`: contacts
 * a user marked "Tracked to CRM" in Outlook create or update CRM contacts, as Dynamics does, with the mailbox's cursor
 * in one transaction; an Outlook contact with an address a CRM contact already has (one the owner may change) is paired
 * with it rather than doubled. `claimContactWrites` / `reportContactWrites` carry the CRM's side out: the owner's active
 * contacts and the paired ones. A pair's link holds the fingerprint both last agreed on, so a write read back changes
 * nothing, and a change on both sides goes to the later one (the tasks' rule). The hub acts as the mailbox's owner: it
 * creates, changes and writes out only what the owner's roles allow.
 */
export class ContactSyncService {
  constructor(
    private readonly db: DataSource,
    private readonly writer: RecordWriter,
    private readonly access: AccessService,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  async sync(principal: Principal, mailboxGlobalId: string, leaseId: string, contacts: readonly ExchangeContactInput[], deletedItemIds: readonly string[], cursor: string | null): Promise<ContactSyncResult[]> {
    requireSyncEngine(principal, 'synchronize contacts');
    const mailbox = await exchangeActMailbox(this.db, mailboxGlobalId, 'contacts');
    const ownerPrincipal = await this.ownerOf(mailbox);
    const shapes = contacts.map((c) => shapeOfOutlookContact(repairStrings({ ...c })));
    return retryingDatabaseWork(
      () => this.db.transaction((em) => this.apply(em, ownerPrincipal, mailbox, leaseId, contacts, shapes, deletedItemIds, cursor)),
      RETRIES,
      (kind, attempt) => this.log.debug({ kind, attempt, mailboxId: mailbox.id }, 'syncMailboxContacts conflicted with another writer; running it again'),
    );
  }

  /** The CRM's side: contacts the owner's Outlook does not show as they are (exchange-contact-writes.ts), as the owner may read them. */
  async claimWrites(principal: Principal, mailboxGlobalId: string, leaseId: string, first: number): Promise<ContactWrite[]> {
    requireSyncEngine(principal, 'synchronize contacts');
    requireWriteCount(first, MAX_CONTACT_WRITES);
    const mailbox = await exchangeActMailbox(this.db, mailboxGlobalId, 'contacts');
    const owner = await this.ownerOf(mailbox);
    const readable = async (rows: readonly Contact[]) => new Set((await this.writer.permitted(owner, 'contact', rows, Privilege.READ)).map((c) => c.id));
    return this.db.transaction(async (em) => {
      await requireLease(em, mailbox.id, leaseId);
      const companies = (rows: readonly Contact[]) => companiesOf(em, this.writer, owner, rows);
      const writes = await pendingContactWrites(em, mailbox, { readable, companies }, withheldFrom(owner), first);
      return writes.map(({ keepCompany, ...w }) => ({ ...w, contactId: toGlobalId('Contact', w.contactId), withheld: [...w.withheld.map((f) => WITHHELD[f]), ...(keepCompany ? [ContactWriteField.COMPANY] : [])] }));
    });
  }

  /** What the engine wrote: Outlook now shows these contacts as the fingerprints say (itemId null: released, or gone from Outlook). */
  async reportWrites(principal: Principal, mailboxGlobalId: string, leaseId: string, writes: readonly { contactId: string; itemId?: string | null; changeKey?: string | null; fingerprint: string; companyName?: string | null }[]): Promise<boolean> {
    requireSyncEngine(principal, 'synchronize contacts');
    const mailbox = await exchangeActMailbox(this.db, mailboxGlobalId, 'contacts');
    const ids = writes.map((w, i) => expectGlobalId(`writes[${i}].contactId`, w.contactId, 'Contact').id);
    return this.db.transaction(async (em) => {
      await requireLease(em, mailbox.id, leaseId);
      // Only what claimContactWrites could hand out: the owner's contacts and those paired here. An engine cannot pair someone else's.
      const owned = new Set((await em.find(Contact, { where: { id: In(ids), ownerId: mailbox.ownerUserId }, select: { id: true } })).map((c) => c.id));
      const links = ids.length ? await em.find(ExchangeContactLink, { where: { mailboxId: mailbox.id, contactId: In(ids) } }) : [];
      const paired = new Set(links.filter((l) => l.itemId).map((l) => l.contactId));
      const linkOf = new Map(links.map((l) => [l.contactId, l]));
      const existing = new Set([...owned, ...(links.length ? (await em.find(Contact, { where: { id: In(links.map((l) => l.contactId)) }, select: { id: true } })).map((c) => c.id) : [])]);
      const itemIds = writes.flatMap((w) => (w.itemId?.trim() ? [w.itemId.trim()] : []));
      const holders = new Map((itemIds.length ? await em.find(ExchangeContactLink, { where: { mailboxId: mailbox.id, itemId: In(itemIds) } }) : []).map((l) => [l.itemId, l.contactId]));
      const now = this.clock();
      for (const [i, write] of writes.entries()) {
        const contactId = ids[i];
        if (!owned.has(contactId) && !paired.has(contactId)) throw notFound(`writes[${i}].contactId`, write.contactId);
        const itemId = write.itemId?.trim() || null;
        if (itemId && (holders.get(itemId) ?? contactId) !== contactId) throw new ApiError('CONFLICT', `writes[${i}].itemId: that Outlook contact is paired with another contact`, `writes[${i}].itemId`);
        const link = linkOf.get(contactId);
        // Released because it went to someone else: forgotten here, so that it is written again if it comes back.
        const handedOver = !itemId && link?.writtenForOwner && !owned.has(contactId);
        if (!itemId && (!existing.has(contactId) || handedOver)) await em.delete(ExchangeContactLink, { mailboxId: mailbox.id, contactId });
        else {
          // A pair that begins here was written because the owner owns the contact (claimContactWrites hands out no other new one).
          const begins = itemId && !link ? { writtenForOwner: true } : {};
          await recordContactLink(em, { mailboxId: mailbox.id, contactId, itemId, fingerprint: write.fingerprint, changeKey: write.changeKey?.trim() || null, company: write.companyName?.trim() || null, ...begins }, now);
        }
      }
      return true;
    });
  }

  private async ownerOf(mailbox: Mailbox): Promise<Principal> {
    const owner = await this.db.getRepository(User).findOneByOrFail({ id: mailbox.ownerUserId });
    return this.access.principalFor(owner, 'api_key');
  }

  private async apply(em: EntityManager, owner: Principal, mailbox: Mailbox, leaseId: string, contacts: readonly ExchangeContactInput[], outlookShapes: readonly ContactShape[], deletedItemIds: readonly string[], cursor: string | null): Promise<ContactSyncResult[]> {
    await requireLease(em, mailbox.id, leaseId);
    const now = this.clock();
    const withheld = withheldFrom(owner);
    const itemIds = [...new Set([...contacts.map((c) => c.itemId), ...deletedItemIds])];
    const links = new Map((itemIds.length ? await em.find(ExchangeContactLink, { where: { mailboxId: mailbox.id, itemId: In(itemIds) } }) : []).map((l) => [l.itemId!, l]));
    const named = await this.namedPairs(em, mailbox, contacts, links);
    const pairedWith = (i: number): string | undefined => links.get(contacts[i].itemId)?.contactId ?? named.get(contacts[i].itemId);
    const pairedIds = [...[...links.values()].map((l) => l.contactId), ...named.values()];
    const results: ContactSyncResult[] = [];
    const result = (itemId: string, outcome: ContactSyncOutcome, contactId: string | null) => results.push({ itemId, outcome, contactId: contactId ? toGlobalId('Contact', contactId) : null });
    const newAddresses = contacts.flatMap((c, i) => (pairedWith(i) || !c.tracked ? [] : outlookShapes[i].emails));
    const known = await this.crmContacts(em, owner, mailbox.id, pairedIds, newAddresses);
    named.forEach((contactId) => known.paired.add(contactId));
    const emails = await addressesOf(em, pairedIds);
    const companies = await companiesOf(em, this.writer, owner, [...known.byId.values()]);
    // Outlook's company counts as the account it names, if it names one; on a paired contact, as the contact's own
    // account if it shows that one's name, as the hub wrote it (company-accounts.ts).
    const accounts = await accountsNamedBy(em, this.writer, owner, contacts.map((c) => c.companyName));
    const ownAccount = (contactId: string | undefined): CompanyAccount | null => {
      const contact = contactId ? known.byId.get(contactId) : undefined;
      const name = contact ? companies.get(contact.id) : undefined;
      return contact?.accountId && name ? { id: contact.accountId, name } : null;
    };
    const accountOf = (i: number): CompanyAccount | null => accountShownBy(contacts[i].companyName, ownAccount(pairedWith(i)), accounts);
    const shapes = outlookShapes.map((shape, i) => ({ ...shape, company: accountOf(i)?.name ?? null }));
    for (const [i, input] of contacts.entries()) {
      const contactId = named.get(input.itemId);
      if (!contactId) continue;
      // The hub wrote it (it carries the id) for its owner, and the engine stopped before reporting.
      const link = { mailboxId: mailbox.id, contactId, itemId: input.itemId, fingerprint: contactFingerprint(withholding(shapes[i], withheld)), changeKey: input.changeKey?.trim() || null, company: shapes[i].company, writtenForOwner: true, updatedAt: now };
      await recordContactLink(em, link, now);
      links.set(input.itemId, link);
    }

    for (const [i, input] of contacts.entries()) {
      const shape = shapes[i];
      const fingerprint = contactFingerprint(withholding(shape, withheld));
      const changeKey = input.changeKey?.trim() || null;
      const link = links.get(input.itemId);
      if (link) {
        const target = known.byId.get(link.contactId);
        if (!target) {
          await em.delete(ExchangeContactLink, { mailboxId: mailbox.id, contactId: link.contactId });
          result(input.itemId, ContactSyncOutcome.UNLINKED, link.contactId);
          continue;
        }
        if (!input.tracked) {
          // The user took the mark off in Outlook: unpaired, and kept out of this Outlook; the CRM contact stays.
          await recordContactLink(em, { ...link, itemId: null, changeKey: null }, now);
          result(input.itemId, ContactSyncOutcome.UNLINKED, link.contactId);
          continue;
        }
        const crm = contactFingerprint(shapeOfCrmContact(target, emails.get(target.id) ?? [], withheld, companies.get(target.id) ?? null));
        const decision = decideLinkedChange({ linked: link.fingerprint, exchange: fingerprint, crm, exchangeModifiedAt: input.lastModifiedAt ?? new Date(0), crmModifiedAt: target.updatedAt });
        // Whatever is decided, this is the version the hub has now seen: a write from the CRM may overwrite it, not a newer one.
        const seen = { ...link, changeKey };
        switch (decision.kind) {
          case 'UNCHANGED':
            if (changeKey !== link.changeKey) await recordContactLink(em, seen, now);
            result(input.itemId, ContactSyncOutcome.UNCHANGED, link.contactId);
            break;
          case 'AGREED':
            await recordContactLink(em, { ...seen, fingerprint, company: shape.company }, now);
            result(input.itemId, ContactSyncOutcome.UNCHANGED, link.contactId);
            break;
          case 'TAKE_EXCHANGE':
            if (!known.writable.has(target.id)) {
              // Not taken in; Outlook keeps the user's version until the CRM contact changes.
              await recordContactLink(em, seen, now);
              result(input.itemId, ContactSyncOutcome.NOT_ALLOWED, link.contactId);
              break;
            }
            if (decision.conflict) {
              this.log.info({ mailboxId: mailbox.id, contactId: target.id, rule: decision.conflict }, 'contact changed in the CRM and in Outlook; Outlook\'s later change is taken');
              const crmVersion = withholding(shapeOfCrmContact(target, emails.get(target.id) ?? [], withheld, companies.get(target.id) ?? null), withheld);
              await recordContactSyncConflict(em, { contactId: target.id, mailboxId: mailbox.id, rule: decision.conflict, winner: SyncSide.EXCHANGE, crmModifiedAt: target.updatedAt, exchangeModifiedAt: input.lastModifiedAt ?? new Date(0), loser: crmVersion }, now);
            }
            await this.merge(em, owner, target, shape, accountOf(i));
            // The CRM's merged version (fields Outlook left empty, more addresses) differs from Outlook's: claimContactWrites writes it back.
            await recordContactLink(em, { ...seen, fingerprint, company: shape.company }, now);
            result(input.itemId, ContactSyncOutcome.UPDATED, link.contactId);
            break;
          case 'KEEP_CRM':
            // The link keeps its fingerprint, so the CRM's version is handed out by claimContactWrites and overwrites Outlook's.
            await recordContactLink(em, seen, now);
            if (decision.conflict) {
              this.log.info({ mailboxId: mailbox.id, contactId: target.id, rule: decision.conflict }, 'contact changed in the CRM and in Outlook; the CRM\'s change is kept and Outlook\'s is overwritten');
              await recordContactSyncConflict(em, { contactId: target.id, mailboxId: mailbox.id, rule: decision.conflict, winner: SyncSide.CRM, crmModifiedAt: target.updatedAt, exchangeModifiedAt: input.lastModifiedAt ?? new Date(0), loser: withholding(shape, withheld) }, now);
            }
            result(input.itemId, ContactSyncOutcome.CRM_VERSION_KEPT, link.contactId);
            break;
        }
        continue;
      }
      if (!input.tracked) {
        result(input.itemId, ContactSyncOutcome.NOT_TRACKED, null);
        continue;
      }
      if (!shape.lastName && shape.emails.length === 0) {
        result(input.itemId, ContactSyncOutcome.INCOMPLETE, null);
        continue;
      }
      const match = known.match(shape.emails);
      if (match) {
        known.paired.add(match.id);
        // Now paired, its company may show the contact's own account.
        const account = accountShownBy(input.companyName, ownAccount(match.id), accounts);
        const paired = { ...shape, company: account?.name ?? null };
        await this.merge(em, owner, match, paired, account);
        await recordContactLink(em, { mailboxId: mailbox.id, contactId: match.id, itemId: input.itemId, fingerprint: contactFingerprint(withholding(paired, withheld)), changeKey, company: paired.company }, now);
        result(input.itemId, ContactSyncOutcome.LINKED, match.id);
        continue;
      }
      const created = await this.create(em, owner, shape, accountOf(i));
      if (!created) {
        result(input.itemId, ContactSyncOutcome.NOT_ALLOWED, null);
        continue;
      }
      await recordContactLink(em, { mailboxId: mailbox.id, contactId: created, itemId: input.itemId, fingerprint, changeKey, company: shape.company }, now);
      result(input.itemId, ContactSyncOutcome.CREATED, created);
    }

    // Deleted in Outlook: only the pair is undone, and the contact is not written there again. The CRM contact is the organization's.
    for (const itemId of deletedItemIds) {
      const link = links.get(itemId);
      if (!link) continue;
      if (known.byId.has(link.contactId)) await recordContactLink(em, { ...link, itemId: null, changeKey: null }, now);
      else await em.delete(ExchangeContactLink, { mailboxId: mailbox.id, contactId: link.contactId });
      result(itemId, ContactSyncOutcome.UNLINKED, link.contactId);
    }

    if (cursor !== null) await em.update(Mailbox, { id: mailbox.id }, { syncCursor: cursor, updatedAt: now });
    return results;
  }

  /**
   * An Outlook contact the hub wrote and the engine never reported (it stopped in between) carries the CRM contact's id:
   * it is paired as it reads, if that contact is the owner's and not paired here with another Outlook contact. The CRM
   * contact each such Outlook contact pairs with, by ItemId.
   */
  private async namedPairs(em: EntityManager, mailbox: Mailbox, contacts: readonly ExchangeContactInput[], links: ReadonlyMap<string, ExchangeContactLink>): Promise<Map<string, string>> {
    const named = contacts.flatMap((c) => {
      const parsed = !links.has(c.itemId) && c.crmContactId ? parseGlobalId(c.crmContactId) : undefined;
      return parsed?.type === 'Contact' ? [{ itemId: c.itemId, contactId: parsed.id }] : [];
    });
    const pairs = new Map<string, string>();
    if (!named.length) return pairs;
    const ids = named.map((n) => n.contactId);
    const owned = new Set((await em.find(Contact, { where: { id: In(ids), ownerId: mailbox.ownerUserId }, select: { id: true } })).map((c) => c.id));
    const elsewhere = new Set((await em.find(ExchangeContactLink, { where: { mailboxId: mailbox.id, contactId: In(ids) } })).filter((l) => l.itemId).map((l) => l.contactId));
    for (const { itemId, contactId } of named) {
      if (!owned.has(contactId) || elsewhere.has(contactId) || pairs.has(itemId)) continue;
      pairs.set(itemId, contactId);
      elsewhere.add(contactId);
    }
    return pairs;
  }

  /**
   * The CRM contacts one page may touch, read at once: the linked ones, and those holding the page's new addresses;
   * which the owner may change; and, for an address, the oldest such contact this mailbox has not paired yet.
   */
  private async crmContacts(em: EntityManager, owner: Principal, mailboxId: string, linkedIds: readonly string[], addresses: readonly string[]) {
    const holders = addresses.length ? await em.find(EmailAddress, { where: { recordKind: 'contact', address: In([...new Set(addresses)]) }, take: addresses.length * 20 }) : [];
    const holderIds = [...new Set(holders.map((h) => h.recordId))];
    // A contact kept out of this Outlook (itemId null) may be paired again.
    const paired = new Set(holderIds.length ? (await em.find(ExchangeContactLink, { where: { mailboxId, contactId: In(holderIds) } })).filter((l) => l.itemId).map((l) => l.contactId) : []);
    const ids = [...new Set([...linkedIds, ...holderIds])];
    const contacts = ids.length ? await em.find(Contact, { where: { id: In(ids) }, order: { createdAt: 'ASC' } }) : [];
    const writable = new Set((await this.writer.permitted(owner, 'contact', contacts, Privilege.WRITE)).map((c) => c.id));
    const byId = new Map(contacts.map((c) => [c.id, c]));
    const match = (emails: readonly string[]): Contact | null => {
      const holding = new Set(holders.filter((h) => emails.includes(h.address)).map((h) => h.recordId));
      return contacts.find((c) => holding.has(c.id) && writable.has(c.id) && !paired.has(c.id)) ?? null;
    };
    return { byId, writable, paired, match };
  }

  /** Outlook's version into the CRM contact; a company naming another account moves the contact there if the owner may link it. */
  private async merge(em: EntityManager, owner: Principal, contact: Contact, shape: ContactShape, account: CompanyAccount | null): Promise<void> {
    const emails = (await em.find(EmailAddress, { where: { recordKind: 'contact', recordId: contact.id }, order: { position: 'ASC' } })).map((e) => e.address);
    const proposed = mergeIntoCrm({ ...contact, emails }, shape);
    const patch: Partial<Contact> = settableBy(owner, proposed.patch);
    if (account && account.id !== contact.accountId && mayLinkToAccount(owner, contact)) patch.accountId = account.id;
    const merged = proposed.emails;
    if (!Object.keys(patch).length && !merged) return;
    const fullName = patch.firstName !== undefined || patch.lastName !== undefined ? { fullName: fullNameOf(patch.firstName ?? contact.firstName, patch.lastName ?? contact.lastName) } : {};
    await this.writer.applyUpdate<Contact>(em, owner, 'contact', contact.id, { ...patch, ...fullName }, merged ?? undefined);
  }

  /** A new contact owned by the mailbox's owner, if their roles let them create one; its id. */
  private async create(em: EntityManager, owner: Principal, shape: ContactShape, account: CompanyAccount | null): Promise<string | null> {
    const lastName = shape.lastName ?? shape.emails[0];
    // The account was read as one the owner may link to (APPEND_TO); linking needs APPEND on the contact too.
    const accountId = account && mayLinkToAccount(owner, null) ? account.id : null;
    try {
      const planned = await this.writer.plan<Contact>(
        owner,
        'contact',
        settableBy(owner, { firstName: shape.firstName, lastName, fullName: fullNameOf(shape.firstName, lastName), jobTitle: shape.jobTitle, telephone: shape.telephone, mobilePhone: shape.mobilePhone, status: ContactStatus.ACTIVE, accountId }),
        owner.userId,
        { emails: [...shape.emails] },
      );
      return (await planned.insert(em)).id;
    } catch (error) {
      if (error instanceof ApiError && error.extensions.code === 'FORBIDDEN') return null;
      throw error;
    }
  }
}
