import { In, type DataSource } from 'typeorm';
import { AccessEntity, Privilege } from '../access/privileges';
import { canUseField, type Principal } from '../access/principal';
import { ApiError, badInput } from '../common/errors';
import { expectGlobalId, optionalGlobalId, toGlobalId } from '../common/global-id';
import { lockRow, rowLock } from '../db/row-locks';
import { Account, AccountStatus } from './account.entity';
import { Contact, ContactStatus } from './contact.entity';
import { EmailAddress } from './email-address.entity';
import { Lead, LeadStatus } from './lead.entity';
import { Opportunity, OpportunityStatus } from './opportunity.entity';
import type { OwnedRecord } from './owned-record';
import type { PlannedRecord, RecordStores, RecordWriter } from './record-writer';
import type { Clock } from '../platform/clock';

export interface QualifyLead {
  readonly leadId: string;
  /** Default true: an account named after the lead's company (none when the lead names no company). */
  readonly createAccount?: boolean | null;
  readonly createContact?: boolean | null;
  readonly createOpportunity?: boolean | null;
  /** Link to this account instead of creating one. */
  readonly existingAccountId?: string | null;
  /** Link to this contact instead of creating one. */
  readonly existingContactId?: string | null;
  /** Create the account and contact even when records with the same name or address exist. */
  readonly allowDuplicates?: boolean | null;
}

export interface QualifiedLead {
  readonly lead: Lead;
  readonly account: Account | null;
  readonly contact: Contact | null;
  readonly opportunity: Opportunity | null;
}

/**
 * Dynamics' "Qualify": the lead becomes an account (its company), a contact (its person, linked to
 * the account and to the lead as its originating lead) and an opportunity (its topic, for the
 * account or else the contact), all owned by the one who qualifies, in one transaction; the lead is
 * then QUALIFIED and cannot be qualified again. Like Dynamics' duplicate detection, an existing
 * account of the same name or contact with one of the lead's addresses stops it (CONFLICT naming
 * the existing record, its id also in `extensions.existingId`) unless the caller links to it or
 * allows duplicates.
 */
export class LeadQualification {
  constructor(
    private readonly db: DataSource,
    private readonly stores: RecordStores,
    private readonly writer: RecordWriter,
    private readonly clock: Clock,
    /** New opportunities' currency (BASE_CURRENCY). */
    private readonly baseCurrency: string,
  ) {}

  async qualify(principal: Principal, input: QualifyLead): Promise<QualifiedLead> {
    const leadId = expectGlobalId('input.leadId', input.leadId, 'Lead').id;
    const lead = (await this.writer.writable(principal, 'lead', leadId, 'input.leadId')) as Lead;
    requireOpen(lead);
    const emails = (await this.db.getRepository(EmailAddress).find({ where: { recordKind: 'lead', recordId: lead.id }, order: { position: 'ASC' } })).map((e) => e.address);
    // A secured field the caller may not read is not copied: the new records would reveal it.
    const telephone = canUseField(principal, AccessEntity.LEAD, 'telephone', 'read') ? lead.telephone : null;

    const existingAccountId = optionalGlobalId('input.existingAccountId', input.existingAccountId ?? undefined, 'Account');
    const existingContactId = optionalGlobalId('input.existingContactId', input.existingContactId ?? undefined, 'Contact');
    if (existingAccountId) await this.writer.readable(principal, 'account', existingAccountId, 'input.existingAccountId');
    if (existingContactId) await this.writer.readable(principal, 'contact', existingContactId, 'input.existingContactId');

    const wantsAccount = !existingAccountId && input.createAccount !== false && Boolean(lead.companyName?.trim());
    const wantsContact = !existingContactId && input.createContact !== false;
    if (!input.allowDuplicates) {
      if (wantsAccount) await this.refuseDuplicateAccount(principal, lead.companyName!.trim());
      if (wantsContact) await this.refuseDuplicateContact(principal, emails);
    }

    const account = wantsAccount
      ? await this.writer.plan<Account>(
          principal,
          'account',
          { name: lead.companyName!.trim(), status: AccountStatus.ACTIVE, telephone: canWrite(principal, AccessEntity.ACCOUNT, telephone), website: null, description: null },
          undefined,
        )
      : null;
    const accountId = account?.id ?? existingAccountId ?? null;
    const contact = wantsContact
      ? await this.writer.plan<Contact>(
          principal,
          'contact',
          {
            firstName: lead.firstName,
            lastName: lead.lastName,
            fullName: lead.fullName,
            jobTitle: null,
            telephone: canWrite(principal, AccessEntity.CONTACT, telephone),
            status: ContactStatus.ACTIVE,
            accountId,
            originatingLeadId: lead.id,
          },
          undefined,
          {
            emails,
            references: existingAccountId ? [{ field: 'input.existingAccountId', kind: 'account', id: existingAccountId }] : [],
            linksToPlanned: account ? [account] : [],
          },
        )
      : null;
    const opportunity = input.createOpportunity !== false ? await this.planOpportunity(principal, lead, account, contact, existingAccountId, existingContactId) : null;

    return this.db.transaction(async (em) => {
      // Two people qualifying the same lead at once: the second waits here, then finds it qualified.
      await lockRow(em, 'lead', lead.id);
      requireOpen(await em.findOneOrFail(Lead, { where: { id: lead.id }, lock: rowLock(em, 'pessimistic_read') }));
      const created = {
        account: (await account?.insert(em)) ?? null,
        contact: (await contact?.insert(em)) ?? null,
        opportunity: (await opportunity?.insert(em)) ?? null,
      };
      await em.update(Lead, { id: lead.id }, { status: LeadStatus.QUALIFIED, modifiedById: principal.userId, updatedAt: this.clock() });
      return { lead: await em.findOneByOrFail(Lead, { id: lead.id }), ...created };
    });
  }

  private async planOpportunity(
    principal: Principal,
    lead: Lead,
    account: PlannedRecord<Account> | null,
    contact: PlannedRecord<Contact> | null,
    existingAccountId: string | undefined,
    existingContactId: string | undefined,
  ): Promise<PlannedRecord<Opportunity>> {
    // Dynamics makes the account the opportunity's customer when there is one, else the contact.
    const customer: { planned?: PlannedRecord<OwnedRecord>; kind: 'account' | 'contact'; id: string; field: string } | null = account
      ? { planned: account, kind: 'account', id: account.id, field: 'input.createAccount' }
      : existingAccountId
        ? { kind: 'account', id: existingAccountId, field: 'input.existingAccountId' }
        : contact
          ? { planned: contact, kind: 'contact', id: contact.id, field: 'input.createContact' }
          : existingContactId
            ? { kind: 'contact', id: existingContactId, field: 'input.existingContactId' }
            : null;
    if (!customer) {
      throw badInput('input.createOpportunity', 'an opportunity needs a customer: create or choose an account or a contact, or set createOpportunity to false');
    }
    return this.writer.plan<Opportunity>(
      principal,
      'opportunity',
      {
        name: lead.topic,
        customerAccountId: customer.kind === 'account' ? customer.id : null,
        customerContactId: customer.kind === 'contact' ? customer.id : null,
        estimatedValue: null,
        currency: this.baseCurrency,
        estimatedCloseDate: null,
        status: OpportunityStatus.OPEN,
      },
      undefined,
      customer.planned
        ? { linksToPlanned: [customer.planned] }
        : { references: [{ field: customer.field, kind: customer.kind, id: customer.id }] },
    );
  }

  private async refuseDuplicateAccount(principal: Principal, name: string): Promise<void> {
    const sameName = await this.db.getRepository(Account).find({ where: { name }, take: 20 });
    const [existing] = await this.stores.account.permitted(principal, sameName, Privilege.READ);
    if (existing) {
      throw new ApiError(
        'CONFLICT',
        `input.existingAccountId: an account named "${name}" already exists (${toGlobalId('Account', existing.id)}); link to it with existingAccountId, or set allowDuplicates`,
        'input.existingAccountId',
        { existingId: toGlobalId('Account', existing.id) },
      );
    }
  }

  private async refuseDuplicateContact(principal: Principal, emails: readonly string[]): Promise<void> {
    if (emails.length === 0) return;
    const addresses = await this.db.getRepository(EmailAddress).find({ where: { recordKind: 'contact', address: In([...emails]) }, take: 20 });
    const candidates = await this.stores.contact.byIds([...new Set(addresses.map((a) => a.recordId))]);
    const [existing] = await this.stores.contact.permitted(principal, candidates, Privilege.READ);
    if (existing) {
      const address = addresses.find((a) => a.recordId === existing.id)!.address;
      throw new ApiError(
        'CONFLICT',
        `input.existingContactId: a contact with the address ${address} already exists (${toGlobalId('Contact', existing.id)}); link to it with existingContactId, or set allowDuplicates`,
        'input.existingContactId',
        { existingId: toGlobalId('Contact', existing.id) },
      );
    }
  }
}

function requireOpen(lead: Lead): void {
  if (lead.status === LeadStatus.QUALIFIED || lead.status === LeadStatus.DISQUALIFIED) {
    throw new ApiError('CONFLICT', `input.leadId: the lead is already ${lead.status.toLowerCase()}`, 'input.leadId');
  }
}

/** The value to write into a secured field: only when the caller may set it there. */
function canWrite(principal: Principal, entity: AccessEntity, value: string | null): string | undefined {
  return value !== null && canUseField(principal, entity, 'telephone', 'update') ? value : undefined;
}
