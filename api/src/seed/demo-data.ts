import type { EntityManager } from 'typeorm';
import { UserRole } from '../access/security-role.entity';
import { SALES_MANAGER, SALESPERSON } from '../access/system-roles';
import { newId } from '../common/ids';
import { BusinessUnit } from '../identity/business-unit.entity';
import { User } from '../identity/user.entity';
import { Account, AccountStatus } from '../records/account.entity';
import { CasePriority, CaseStatus, CrmCase } from '../records/case.entity';
import { newTicketNumber } from '../records/case.service';
import { Contact, ContactStatus } from '../records/contact.entity';
import { EmailAddress } from '../records/email-address.entity';
import { Lead, LeadStatus } from '../records/lead.entity';
import { Opportunity, OpportunityStatus } from '../records/opportunity.entity';
import { fullNameOf } from '../records/person-name';
import type { RecordKind } from '../records/record-kind';

/** The demo users, their units and roles; documented in README. */
export const DEMO_USERS = [
  { email: 'maria.manager@demo.crm.test', fullName: 'Maria Manager', unit: 'Sales', role: SALES_MANAGER },
  { email: 'sam.sales@demo.crm.test', fullName: 'Sam Sales', unit: 'Sales', role: SALESPERSON },
  { email: 'sara.sales@demo.crm.test', fullName: 'Sara Säljare', unit: 'Sales', role: SALESPERSON },
  { email: 'nora.north@demo.crm.test', fullName: 'Nora North', unit: 'Sales North', role: SALESPERSON },
  { email: 'sven.service@demo.crm.test', fullName: 'Sven Service', unit: 'Service', role: SALESPERSON },
] as const;

const COMPANIES = [
  'Fabrikam', 'Northwind Traders', 'Adventure Works', 'Tailspin Toys', 'Wide World Importers', 'Litware',
  'Proseware', 'Coho Winery', 'Alpine Ski House', 'Blue Yonder Airlines', 'Fourth Coffee', 'Graphic Design Institute',
  'Humongous Insurance', 'Lucerne Publishing', 'Margie’s Travel', 'Nod Publishers', 'Southridge Video', 'Trey Research',
  'Woodgrove Bank', 'Wingtip Toys', 'Åkerlunds Bygg AB', 'Öresund Logistik', '東京テクノロジー株式会社', 'Café Münster GmbH',
];
const FIRST = ['Åsa', 'Erik', 'Lena', 'Jonas', 'Ingrid', 'Mikael', 'Yuki', 'Hiroshi', 'Chloé', 'Mateo', 'Priya', 'Olu', 'Zoë', 'Björn', 'Fatima'];
const LAST = ['Öberg', 'Lindqvist', 'Svensson', 'Nakamura', 'Tanaka', 'Dubois', 'García', 'Patel', 'Okafor', 'Müller', 'Johansson', 'Kowalski'];
const TITLES = ['Purchasing Manager', 'CTO', 'Office Manager', 'Head of IT', 'CFO', 'Operations Lead', null];

const slug = (text: string) => text.normalize('NFKD').replace(/[^\w]+/g, '').toLowerCase() || 'company';

/** A small but realistic organization: units, users of each role, and records owned across units. */
export async function seedDemoData(
  em: EntityManager,
  ctx: { rootId: string; roleIds: Map<string, string>; currency: string; passwordFor: (email: string) => Promise<{ password: string; hash: string }> },
): Promise<{ email: string; password: string }[]> {
  const units = new Map<string, string>();
  for (const [name, parent] of [['Sales', ctx.rootId], ['Sales North', 'Sales'], ['Service', ctx.rootId]] as const) {
    const id = newId();
    units.set(name, id);
    await em.insert(BusinessUnit, { id, name, parentId: units.get(parent) ?? parent });
  }
  const owners: { id: string; businessUnitId: string }[] = [];
  const logins: { email: string; password: string }[] = [];
  for (const u of DEMO_USERS) {
    const id = newId();
    const businessUnitId = units.get(u.unit)!;
    const { password, hash } = await ctx.passwordFor(u.email);
    logins.push({ email: u.email, password });
    await em.insert(User, { id, email: u.email, fullName: u.fullName, businessUnitId, passwordHash: hash, isService: false, disabled: false });
    await em.insert(UserRole, { userId: id, roleId: ctx.roleIds.get(u.role)! });
    owners.push({ id, businessUnitId });
  }
  // Millisecond stamps set here, as RecordWriter does, so keyset cursors match stored values exactly.
  const now = new Date();
  const owned = (i: number) => {
    const o = owners[i % owners.length];
    return { ownerId: o.id, businessUnitId: o.businessUnitId, createdById: o.id, modifiedById: o.id, createdAt: now, updatedAt: now };
  };
  const ownedLike = (r: { ownerId: string; businessUnitId: string; createdById: string; modifiedById: string }) => ({
    ownerId: r.ownerId, businessUnitId: r.businessUnitId, createdById: r.createdById, modifiedById: r.modifiedById, createdAt: now, updatedAt: now,
  });
  const emails: Partial<EmailAddress>[] = [];
  const addEmails = (kind: RecordKind, recordId: string, addresses: string[]) =>
    addresses.forEach((address, position) => emails.push({ id: newId(), recordKind: kind, recordId, address, position }));

  const accounts = COMPANIES.map((name, i) => ({
    id: newId(), name, status: i % 11 === 10 ? AccountStatus.INACTIVE : AccountStatus.ACTIVE,
    telephone: `+46 8 555 ${String(1000 + i * 37).slice(0, 4)}`, website: `www.${slug(name)}.example`, description: null, ...owned(i),
  }));
  await em.insert(Account, accounts);
  accounts.forEach((a) => addEmails('account', a.id, [`info@${slug(a.name)}.example`]));

  const contacts = Array.from({ length: 60 }, (_, i) => {
    const account = accounts[i % accounts.length];
    const firstName = FIRST[i % FIRST.length];
    const lastName = LAST[(i * 7) % LAST.length];
    return {
      id: newId(), firstName, lastName, fullName: fullNameOf(firstName, lastName), jobTitle: TITLES[i % TITLES.length],
      telephone: `+46 70 555 ${String(2000 + i).slice(0, 4)}`, mobilePhone: null, status: ContactStatus.ACTIVE, accountId: account.id,
      ...ownedLike(account),
    };
  });
  await em.insert(Contact, contacts);
  contacts.forEach((c, i) => {
    const domain = slug(accounts[i % accounts.length].name);
    addEmails('contact', c.id, [`${slug(c.firstName)}.${slug(c.lastName)}${i}@${domain}.example`, ...(i % 5 === 0 ? [`${slug(c.firstName)}${i}@mail.example`] : [])]);
  });

  const leadStatuses = Object.values(LeadStatus);
  const leads = Array.from({ length: 15 }, (_, i) => {
    const firstName = FIRST[(i + 3) % FIRST.length];
    const lastName = LAST[(i + 5) % LAST.length];
    return {
      id: newId(), topic: ['Interested in the premium plan', 'Webinar follow-up', 'Trade fair contact'][i % 3], firstName, lastName,
      fullName: fullNameOf(firstName, lastName), companyName: `${lastName} & Co`, telephone: null, status: leadStatuses[i % leadStatuses.length], ...owned(i + 1),
    };
  });
  await em.insert(Lead, leads);
  leads.forEach((l, i) => addEmails('lead', l.id, [`${slug(l.firstName)}.${slug(l.lastName)}.lead${i}@prospect.example`]));

  const oppStatuses = Object.values(OpportunityStatus);
  await em.insert(Opportunity, Array.from({ length: 16 }, (_, i) => {
    const account = accounts[(i * 3) % accounts.length];
    return {
      id: newId(), name: `${account.name}: ${['licence renewal', 'new installation', 'support contract', 'expansion'][i % 4]}`,
      status: oppStatuses[i % oppStatuses.length], customerAccountId: i % 4 === 3 ? null : account.id,
      customerContactId: i % 4 === 3 ? contacts[i].id : null, estimatedValue: 5000 + i * 2500, currency: ctx.currency, estimatedCloseDate: `2027-0${(i % 9) + 1}-15`,
      ...ownedLike(account),
    };
  }));
  const caseStatuses = Object.values(CaseStatus);
  await em.insert(CrmCase, Array.from({ length: 12 }, (_, i) => {
    const contact = contacts[(i * 5) % contacts.length];
    return {
      id: newId(), title: ['Cannot sign in', 'Invoice question', 'Delivery delayed', 'Feature request'][i % 4], ticketNumber: newTicketNumber(now),
      status: caseStatuses[i % caseStatuses.length], priority: [CasePriority.NORMAL, CasePriority.HIGH, CasePriority.LOW][i % 3],
      customerAccountId: i % 2 ? contact.accountId : null, customerContactId: i % 2 ? null : contact.id, description: null,
      ...ownedLike(contact),
    };
  }));
  await em.insert(EmailAddress, emails);
  return logins;
}
