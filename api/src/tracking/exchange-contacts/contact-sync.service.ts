import { In, type DataSource, type EntityManager } from 'typeorm';
import type { AccessService } from '../../access/access.service';
import type { Principal } from '../../access/principal';
import { Privilege } from '../../access/privileges';
import { requireSyncEngine } from '../../access/sync-engine-guard';
import { ApiError } from '../../common/errors';
import { toGlobalId } from '../../common/global-id';
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
import { exchangeActMailbox, requireLease } from '../exchange-mailbox-guard';
import { contactFingerprint, mergeIntoCrm, shapeOfOutlookContact, type ContactShape } from './contact-shape';
import { ContactSyncOutcome, type ContactSyncResult, type ExchangeContactInput } from './contact-sync.inputs';
import { ExchangeContactLink } from './exchange-contact-link.entity';

// Two engines' pages naming one new contact collide on the link's unique ItemId; the run again finds the link.
const RETRIES: RetryBudget = { DUPLICATE_KEY: 6 };

/**
 * `syncMailboxContacts`: contacts a user marked "Tracked to CRM" in Outlook create or update CRM contacts, as
 * Dynamics does, with the mailbox's cursor in one transaction. The hub acts as the mailbox's owner: it creates and
 * changes only the contacts the owner's roles allow. An Outlook contact with an address a CRM contact already has
 * (one the owner may change) is paired with it rather than doubled.
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
    const owner = await this.db.getRepository(User).findOneByOrFail({ id: mailbox.ownerUserId });
    const ownerPrincipal = await this.access.principalFor(owner, 'api_key');
    const shapes = contacts.map((c) => shapeOfOutlookContact(repairStrings({ ...c })));
    return retryingDatabaseWork(
      () => this.db.transaction((em) => this.apply(em, ownerPrincipal, mailbox, leaseId, contacts, shapes, deletedItemIds, cursor)),
      RETRIES,
      (kind, attempt) => this.log.debug({ kind, attempt, mailboxId: mailbox.id }, 'syncMailboxContacts conflicted with another writer; running it again'),
    );
  }

  private async apply(em: EntityManager, owner: Principal, mailbox: Mailbox, leaseId: string, contacts: readonly ExchangeContactInput[], shapes: readonly ContactShape[], deletedItemIds: readonly string[], cursor: string | null): Promise<ContactSyncResult[]> {
    await requireLease(em, mailbox.id, leaseId);
    const now = this.clock();
    const itemIds = [...new Set([...contacts.map((c) => c.itemId), ...deletedItemIds])];
    const links = new Map((itemIds.length ? await em.find(ExchangeContactLink, { where: { mailboxId: mailbox.id, itemId: In(itemIds) } }) : []).map((l) => [l.itemId, l]));
    const results: ContactSyncResult[] = [];
    const result = (itemId: string, outcome: ContactSyncOutcome, contactId: string | null) => results.push({ itemId, outcome, contactId: contactId ? toGlobalId('Contact', contactId) : null });
    const newAddresses = contacts.flatMap((c, i) => (links.has(c.itemId) || !c.tracked ? [] : shapes[i].emails));
    const known = await this.crmContacts(em, owner, mailbox.id, [...links.values()].map((l) => l.contactId), newAddresses);

    for (const [i, input] of contacts.entries()) {
      const shape = shapes[i];
      const fingerprint = contactFingerprint(shape);
      const link = links.get(input.itemId);
      if (link) {
        if (link.fingerprint === fingerprint) {
          result(input.itemId, ContactSyncOutcome.UNCHANGED, link.contactId);
          continue;
        }
        const target = known.byId.get(link.contactId) ?? 'GONE';
        if (target === 'GONE') {
          await em.delete(ExchangeContactLink, { mailboxId: mailbox.id, contactId: link.contactId });
          links.delete(input.itemId);
          result(input.itemId, ContactSyncOutcome.UNLINKED, link.contactId);
          continue;
        }
        // Taken in or not, this version has been seen: it is not offered again until Outlook changes it.
        await em.update(ExchangeContactLink, { mailboxId: mailbox.id, contactId: link.contactId }, { fingerprint, updatedAt: now });
        if (!known.writable.has(target.id)) {
          result(input.itemId, ContactSyncOutcome.NOT_ALLOWED, link.contactId);
          continue;
        }
        await this.merge(em, owner, target, shape);
        result(input.itemId, ContactSyncOutcome.UPDATED, link.contactId);
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
        await this.merge(em, owner, match, shape);
        await em.insert(ExchangeContactLink, { mailboxId: mailbox.id, contactId: match.id, itemId: input.itemId, fingerprint, updatedAt: now });
        result(input.itemId, ContactSyncOutcome.LINKED, match.id);
        continue;
      }
      const created = await this.create(em, owner, shape);
      if (!created) {
        result(input.itemId, ContactSyncOutcome.NOT_ALLOWED, null);
        continue;
      }
      await em.insert(ExchangeContactLink, { mailboxId: mailbox.id, contactId: created, itemId: input.itemId, fingerprint, updatedAt: now });
      result(input.itemId, ContactSyncOutcome.CREATED, created);
    }

    // Deleted in Outlook: only the pair is undone. The CRM contact is the organization's, the Outlook one was a copy.
    for (const itemId of deletedItemIds) {
      const link = links.get(itemId);
      if (!link) continue;
      await em.delete(ExchangeContactLink, { mailboxId: mailbox.id, contactId: link.contactId });
      result(itemId, ContactSyncOutcome.UNLINKED, link.contactId);
    }

    if (cursor !== null) await em.update(Mailbox, { id: mailbox.id }, { syncCursor: cursor, updatedAt: now });
    return results;
  }

  /**
   * The CRM contacts one page may touch, read at once: the linked ones, and those holding the page's new addresses;
   * which the owner may change; and, for an address, the oldest such contact this mailbox has not paired yet.
   */
  private async crmContacts(em: EntityManager, owner: Principal, mailboxId: string, linkedIds: readonly string[], addresses: readonly string[]) {
    const holders = addresses.length ? await em.find(EmailAddress, { where: { recordKind: 'contact', address: In([...new Set(addresses)]) }, take: addresses.length * 20 }) : [];
    const holderIds = [...new Set(holders.map((h) => h.recordId))];
    const paired = new Set(holderIds.length ? (await em.find(ExchangeContactLink, { where: { mailboxId, contactId: In(holderIds) } })).map((l) => l.contactId) : []);
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

  private async merge(em: EntityManager, owner: Principal, contact: Contact, shape: ContactShape): Promise<void> {
    const emails = (await em.find(EmailAddress, { where: { recordKind: 'contact', recordId: contact.id }, order: { position: 'ASC' } })).map((e) => e.address);
    const { patch, emails: merged } = mergeIntoCrm({ ...contact, emails }, shape);
    if (!Object.keys(patch).length && !merged) return;
    const fullName = patch.firstName !== undefined || patch.lastName !== undefined ? { fullName: fullNameOf(patch.firstName ?? contact.firstName, patch.lastName ?? contact.lastName) } : {};
    await this.writer.applyUpdate<Contact>(em, owner, 'contact', contact.id, { ...patch, ...fullName }, merged ?? undefined);
  }

  /** A new contact owned by the mailbox's owner, if their roles let them create one; its id. */
  private async create(em: EntityManager, owner: Principal, shape: ContactShape): Promise<string | null> {
    const lastName = shape.lastName ?? shape.emails[0];
    try {
      const planned = await this.writer.plan<Contact>(
        owner,
        'contact',
        { firstName: shape.firstName, lastName, fullName: fullNameOf(shape.firstName, lastName), jobTitle: shape.jobTitle, telephone: shape.telephone, mobilePhone: shape.mobilePhone, status: ContactStatus.ACTIVE, accountId: null },
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
