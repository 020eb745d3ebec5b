import type { EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import { CasePriority, CaseStatus, CrmCase } from '../records/case.entity';
import { newTicketNumber } from '../records/case.service';
import { Contact, ContactStatus } from '../records/contact.entity';
import { EmailAddress } from '../records/email-address.entity';
import { Lead, LeadStatus } from '../records/lead.entity';
import { fullNameOf } from '../records/person-name';

export interface Ownership {
  readonly ownerId: string;
  readonly businessUnitId: string;
  /** Who did it: the sync service account. */
  readonly actorId: string;
}

/** "Åsa Berg" → Åsa / Berg; "berg@x" (no name) → the address's local part as last name. */
export function splitName(displayName: string | null, address: string): { firstName: string | null; lastName: string } {
  const name = (displayName ?? '').replace(/["']/g, '').trim();
  if (!name) return { firstName: null, lastName: address.split('@')[0].slice(0, 100) };
  if (name.includes(',')) {
    const [last, first] = name.split(',', 2).map((s) => s.trim());
    return { firstName: first ? first.slice(0, 100) : null, lastName: last.slice(0, 100) || address };
  }
  const parts = name.split(/\s+/);
  const lastName = parts.pop()!.slice(0, 100);
  return { firstName: parts.length ? parts.join(' ').slice(0, 100) : null, lastName };
}

// `now` in the functions below comes from the caller's clock (the batch's time); the default is only for callers not yet given one.
const stamps = (o: Ownership, now: Date) => ({ ownerId: o.ownerId, businessUnitId: o.businessUnitId, createdById: o.actorId, modifiedById: o.actorId, createdAt: now, updatedAt: now });

/** A contact for a sender nothing matched (the mailbox's or the queue's rule asked for it). */
export async function createContactForSender(em: EntityManager, sender: { address: string; name: string | null }, owner: Ownership, now: Date): Promise<string> {
  const id = newId();
  const { firstName, lastName } = splitName(sender.name, sender.address);
  await em.insert(Contact, { id, ...stamps(owner, now), firstName, lastName, fullName: fullNameOf(firstName, lastName), jobTitle: null, telephone: null, mobilePhone: null, status: ContactStatus.ACTIVE, accountId: null, originatingLeadId: null });
  await em.insert(EmailAddress, { id: newId(), address: sender.address, recordKind: 'contact', recordId: id, position: 0 });
  return id;
}

/**
 * Email to case for a lead's mail: the contact made from the lead (Dynamics' qualify, without closing the
 * lead), carrying the lead's name, telephone and every address, linked back as its originating lead. A
 * contact already made from this lead is used again. Returns the contact and the addresses it now carries.
 */
export async function contactFromLead(em: EntityManager, leadId: string, owner: Ownership, now: Date): Promise<{ contactId: string; addresses: string[] }> {
  const earlier = await em.findOne(Contact, { where: { originatingLeadId: leadId }, select: { id: true }, order: { createdAt: 'ASC' } });
  if (earlier) return { contactId: earlier.id, addresses: [] };
  const lead = await em.findOneByOrFail(Lead, { id: leadId });
  const addresses = await em.find(EmailAddress, { where: { recordKind: 'lead', recordId: leadId }, order: { position: 'ASC' } });
  const id = newId();
  await em.insert(Contact, {
    id,
    ...stamps(owner, now),
    firstName: lead.firstName,
    lastName: lead.lastName,
    fullName: lead.fullName,
    jobTitle: null,
    telephone: lead.telephone,
    mobilePhone: null,
    status: ContactStatus.ACTIVE,
    accountId: null,
    originatingLeadId: leadId,
  });
  if (addresses.length) {
    await em.insert(EmailAddress, addresses.map((a) => ({ id: newId(), address: a.address, recordKind: 'contact' as const, recordId: id, position: a.position })));
  }
  return { contactId: id, addresses: addresses.map((a) => a.address) };
}

export async function createLeadForSender(em: EntityManager, sender: { address: string; name: string | null }, subject: string, owner: Ownership, now: Date): Promise<string> {
  const id = newId();
  const { firstName, lastName } = splitName(sender.name, sender.address);
  await em.insert(Lead, {
    id,
    ...stamps(owner, now),
    topic: (subject || `Email from ${sender.address}`).slice(0, 200),
    firstName,
    lastName,
    fullName: fullNameOf(firstName, lastName),
    companyName: null,
    telephone: null,
    status: LeadStatus.NEW,
  });
  await em.insert(EmailAddress, { id: newId(), address: sender.address, recordKind: 'lead', recordId: id, position: 0 });
  return id;
}

/** Email to case: a new case for the sender (a contact or an account), owned by the queue's owner. */
export async function createCaseFromEmail(em: EntityManager, subject: string, customer: { kind: 'contact' | 'account'; id: string }, owner: Ownership, now: Date): Promise<string> {
  const id = newId();
  await em.insert(CrmCase, {
    id,
    ...stamps(owner, now),
    title: (subject || '(no subject)').slice(0, 200),
    ticketNumber: newTicketNumber(now),
    status: CaseStatus.ACTIVE,
    priority: CasePriority.NORMAL,
    customerAccountId: customer.kind === 'account' ? customer.id : null,
    customerContactId: customer.kind === 'contact' ? customer.id : null,
    description: null,
  });
  return id;
}
