import { Brackets, In, type EntityManager } from 'typeorm';
import { depthOf, withinDepth, type OwnedRow, type Principal } from '../../access/principal';
import { AccessEntity, Privilege } from '../../access/privileges';
import { escapeLike, likeCondition } from '../../common/like';
import { foldText } from '../../db/data-source';
import { Account, AccountStatus } from '../../records/account.entity';
import type { RecordWriter } from '../../records/record-writer';

// Outlook's Company field and the CRM contact's account (Dynamics' parent customer) stand for each other: a company
// that names exactly one active account the owner may link contacts to is that account; the account's name is what
// the owner's Outlook shows as the company. No account is ever made from a company name.

/** The account a company name stands for. */
export interface CompanyAccount {
  readonly id: string;
  readonly name: string;
}

const MAX_NAME = 160; // account.name
/** Accounts read per company name: enough to tell one from several. */
const CANDIDATES_PER_NAME = 5;

const companyKey = (name: string): string => foldText(name.replace(/\s+/g, ' ').trim());

/**
 * The accounts `companies` name, keyed by the company as given: names compare as the CRM's lists do (case and accents
 * ignored); a name that fits no account, or several the owner may link to, names none. Hidden accounts and those the
 * owner may not link contacts to (APPEND_TO) are not candidates, so nothing here tells the owner they exist.
 */
export async function accountsNamedBy(em: EntityManager, writer: RecordWriter, owner: Principal, companies: readonly (string | null | undefined)[]): Promise<Map<string, CompanyAccount>> {
  const names = [...new Map(companies.flatMap((c) => (c?.trim() && c.trim().length <= MAX_NAME ? [[companyKey(c), c.replace(/\s+/g, ' ').trim()] as const] : []))).values()];
  const found = new Map<string, CompanyAccount>();
  if (!names.length) return found;
  const rows = await em
    .createQueryBuilder(Account, 'a')
    .where('a.status = :status', { status: AccountStatus.ACTIVE })
    .andWhere(new Brackets((w) => names.forEach((name, i) => w.orWhere(likeCondition(em.connection, 'a.name', `company${i}`), { [`company${i}`]: escapeLike(name) }))))
    .orderBy('a.createdAt', 'ASC')
    .limit(names.length * CANDIDATES_PER_NAME)
    .getMany();
  const readable = await writer.permitted(owner, 'account', rows, Privilege.READ);
  const linkable = await writer.permitted(owner, 'account', readable, Privilege.APPEND_TO);
  const byName = new Map<string, Account[]>();
  for (const account of linkable) byName.set(companyKey(account.name), [...(byName.get(companyKey(account.name)) ?? []), account]);
  for (const company of companies) {
    const candidates = company ? byName.get(companyKey(company)) : undefined;
    if (candidates?.length === 1) found.set(company!, { id: candidates[0].id, name: candidates[0].name });
  }
  return found;
}

/**
 * The account Outlook's company stands for on a contact paired with a CRM contact whose account is `own` (null: none the
 * owner may read): its own account when the company shows that account's name, as the hub writes it, whatever the account
 * is now (inactive, not linkable, its name shared by another); else the one account the company names (`named`, from
 * accountsNamedBy). So a company the hub wrote reads back as what it wrote, and never moves the contact elsewhere.
 */
export function accountShownBy(company: string | null | undefined, own: CompanyAccount | null, named: ReadonlyMap<string, CompanyAccount>): CompanyAccount | null {
  if (!company?.trim()) return null;
  if (own && companyKey(own.name) === companyKey(company)) return own;
  return named.get(company) ?? null;
}

/** Whether the owner may link this contact (or, for `null`, a contact of their own) to an account: APPEND on the contact. */
export function mayLinkToAccount(owner: Principal, contact: OwnedRow | null): boolean {
  return withinDepth(owner, depthOf(owner, AccessEntity.CONTACT, Privilege.APPEND), contact ?? { ownerId: owner.userId, businessUnitId: owner.businessUnitId });
}

/** The name of each contact's account, for the contacts whose account the owner may read: what their Outlook shows as the company. */
export async function companiesOf(em: EntityManager, writer: RecordWriter, owner: Principal, contacts: readonly { id: string; accountId: string | null }[]): Promise<Map<string, string>> {
  const accountIds = [...new Set(contacts.flatMap((c) => (c.accountId ? [c.accountId] : [])))];
  if (!accountIds.length) return new Map();
  const readable = new Map((await writer.permitted(owner, 'account', await em.find(Account, { where: { id: In(accountIds) } }), Privilege.READ)).map((a) => [a.id, a.name]));
  return new Map(contacts.flatMap((c) => (c.accountId && readable.has(c.accountId) ? [[c.id, readable.get(c.accountId)!] as const] : [])));
}
