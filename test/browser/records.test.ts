import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, uniqueTag } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';

// The records workspace as people use it: every kind's list with search, filters, order and paging kept in the
// URL, each kind's page with its related records and timeline, for an administrator (everything) and for a
// salesperson whose roles read their business unit only. The real api serving web/dist, in Debian's Chromium.

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const NORA = 'Nora North'; // Sales North: outside Sam's business unit
const ADMIN_NAME = 'Ada Admin';
const PAGE_SIZE = 25; // RecordList's default page size
const CALL_SUBJECT = 'Call about the spring order';

type Kind = 'account' | 'contact' | 'lead' | 'opportunity' | 'case';
const LISTS: Record<Kind, { path: string; field: string; filter: string; name: string; title: string }> = {
  account: { path: 'accounts', field: 'accounts', filter: 'AccountFilter', name: 'name', title: 'Accounts' },
  contact: { path: 'contacts', field: 'contacts', filter: 'ContactFilter', name: 'fullName', title: 'Contacts' },
  lead: { path: 'leads', field: 'leads', filter: 'LeadFilter', name: 'fullName', title: 'Leads' },
  opportunity: { path: 'opportunities', field: 'opportunities', filter: 'OpportunityFilter', name: 'name', title: 'Opportunities' },
  case: { path: 'cases', field: 'cases', filter: 'CaseFilter', name: 'ticketNumber', title: 'Cases' },
};
const KINDS = Object.keys(LISTS) as Kind[];

interface Listed {
  totalCount: number;
  nodes: { id: string; name: string; title?: string; owner: { fullName: string } | null }[];
}

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[];
let adminToken: string;
let samToken: string;
/** An account of Sam's unit with contacts, opportunities and cases, and one of each it relates to. */
let rich: { account: { id: string; name: string }; contact: { id: string; name: string }; opportunity: { id: string; name: string; value: number; close: string }; case: { id: string; title: string; ticketNumber: string; customerName: string } };
/** One record of each kind Sam may not read (Nora's, in Sales North). */
const hidden: Partial<Record<Kind, { id: string; name: string }>> = {};

const gql = async (query: string, variables: Record<string, unknown>, token: string) => ok(await hub.gql(query, variables, token));

/** What the API lists for `kind`, in the order the UI asks for by default (name, ascending) unless told. */
async function listed(kind: Kind, token: string, filter: Record<string, unknown> = {}, orderBy?: { field: string; direction: string }, first = 100): Promise<Listed> {
  const { field, filter: filterType, name } = LISTS[kind];
  const title = kind === 'case' ? 'title' : '';
  const data = await gql(
    `query($first: Int, $filter: ${filterType}, $orderBy: RecordOrder) {
      list: ${field}(first: $first, filter: $filter, orderBy: $orderBy) { totalCount edges { node { id name: ${name} ${title} owner { fullName } } } }
    }`,
    { first, filter, orderBy },
    token,
  );
  return { totalCount: data.list.totalCount, nodes: data.list.edges.map((edge: { node: Listed['nodes'][number] }) => edge.node) };
}

const shoot = (name: string, fullPage = true) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
const hash = () => decodeURIComponent(new URL(page.url()).hash);
const nav = () => page.getByRole('navigation', { name: 'Main' });
const summary = (kind: Kind) => page.getByTestId(`${LISTS[kind].path}-summary`);
const rowHeads = (kind: Kind) => page.getByTestId(`${LISTS[kind].path}-rows`).locator('th[scope="row"]').allTextContents();
const trimmed = (texts: string[]) => texts.map((text) => text.trim());
async function waitForRows(kind: Kind, count: number) {
  await page.waitForFunction(
    ([testid, n]) => document.querySelector(`[data-testid="${testid}"]`)?.querySelectorAll('tr').length === n,
    [`${LISTS[kind].path}-rows`, count] as const,
  );
}
/** The list of `kind` (the lists opened before stay in the page, hidden, under the one shown). */
const list = (kind: Kind) => page.locator('section', { has: page.getByTestId(`${LISTS[kind].path}-summary`) });
const headings = (kind: Kind) =>
  page.locator(`section:has([data-testid="${LISTS[kind].path}-rows"]) thead th`).allTextContents();
const noWiderThanScreen = async (width: number) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

async function open(as: { address: string; name: string }, options: { locale?: string; width?: number; at?: string } = {}): Promise<void> {
  context = await browser.newContext({ locale: options.locale ?? 'en-US', viewport: { width: options.width ?? 1280, height: 860 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(`${hub.url}/${options.at ?? ''}`);
  if (options.locale?.startsWith('sv')) {
    await page.getByLabel('E-postadress').fill(as.address);
    await page.getByLabel('Lösenord').fill(hub.demoPassword);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByTestId('viewer-name').filter({ hasText: as.name }).waitFor();
  } else {
    await signIn(page, as.address, hub.demoPassword, as.name);
  }
}

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
  adminToken = await hub.login(ADMIN);
  samToken = await hub.login(SAM.address);

  // The account of Sam's unit with the most related records, as Sam reads them.
  const accounts = await listed('account', samToken);
  let best: { id: string; name: string; score: number } | null = null;
  for (const account of accounts.nodes) {
    const [contacts, opportunities, cases] = await Promise.all([
      listed('contact', samToken, { accountId: account.id }),
      listed('opportunity', samToken, { customerId: account.id }),
      listed('case', samToken, { customerId: account.id }),
    ]);
    if (!contacts.totalCount || !opportunities.totalCount || !cases.totalCount) continue;
    const score = contacts.totalCount + opportunities.totalCount + cases.totalCount;
    if (!best || score > best.score) best = { id: account.id, name: account.name, score };
  }
  expect(best, 'a demo account with contacts, opportunities and cases').not.toBeNull();
  const account = { id: best!.id, name: best!.name };
  const contact = (await listed('contact', samToken, { accountId: account.id })).nodes[0];
  const opportunityId = (await listed('opportunity', samToken, { customerId: account.id })).nodes[0].id;
  const { node: opportunity } = await gql('query($id: ID!) { node(id: $id) { ... on Opportunity { id name estimatedValue currency estimatedCloseDate } } }', { id: opportunityId }, samToken);
  const caseId = (await listed('case', samToken, { customerId: account.id })).nodes[0].id;
  const { node: crmCase } = await gql('query($id: ID!) { node(id: $id) { ... on Case { id title ticketNumber } } }', { id: caseId }, samToken);
  rich = {
    account,
    contact: { id: contact.id, name: contact.name },
    opportunity: { id: opportunity.id, name: opportunity.name, value: opportunity.estimatedValue, currency: opportunity.currency, close: opportunity.estimatedCloseDate },
    case: { id: crmCase.id, title: crmCase.title, ticketNumber: crmCase.ticketNumber, customerName: account.name },
  };
  // A call logged on the contact: the account's timeline shows it only with related records included.
  await gql('mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id } }', { input: { subject: CALL_SUBJECT, regardingId: contact.id, durationMinutes: 12 } }, samToken);

  // The demo gives Nora no case: she opens one for a contact of hers.
  const noraToken = await hub.login('nora.north@demo.crm.test');
  const norasContact = (await listed('contact', adminToken)).nodes.find((node) => node.owner?.fullName === NORA)!;
  await gql('mutation($input: CreateCaseInput!) { createCase(input: $input) { id } }', { input: { title: 'Pallet racks in Luleå', customerId: norasContact.id } }, noraToken);
  for (const kind of KINDS) {
    const all = await listed(kind, adminToken);
    const noras = all.nodes.find((node) => node.owner?.fullName === NORA);
    expect(noras, `a ${kind} of Nora's`).toBeDefined();
    hidden[kind] = { id: noras!.id, name: noras!.name };
  }
  browser = await launchChromium();
}, 120_000);

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('record lists', () => {
  it('an administrator opens every list from the header: its columns, its records in the API’s order, and the next page', async () => {
    await open({ address: ADMIN, name: ADMIN_NAME });
    expect(await nav().getByRole('link').allTextContents()).toEqual(['Accounts', 'Contacts', 'Leads', 'Opportunities', 'Cases', 'Mailboxes', 'Sync dashboard', 'Live feed', 'Administration', 'API explorer']);
    const columns: Record<Kind, string[]> = {
      account: ['Name', 'Email', 'Telephone', 'Owner'],
      contact: ['Name', 'Account', 'Email', 'Telephone', 'Owner'],
      lead: ['Name', 'Topic', 'Company', 'Email', 'Status', 'Owner'],
      opportunity: ['Name', 'Customer', 'Est. value', 'Est. close date', 'Status', 'Owner'],
      case: ['Case number', 'Title', 'Customer', 'Priority', 'Status', 'Owner'],
    };
    for (const kind of KINDS) {
      const all = await listed(kind, adminToken);
      await nav().getByRole('link', { name: LISTS[kind].title }).click();
      await page.getByRole('heading', { level: 1, name: LISTS[kind].title }).waitFor();
      expect(hash()).toBe(`#/${LISTS[kind].path}`);
      expect(await nav().getByRole('link', { name: LISTS[kind].title }).getAttribute('aria-current')).toBe('page');
      const shown = Math.min(PAGE_SIZE, all.totalCount);
      await waitForRows(kind, shown);
      expect(trimmed(await headings(kind))).toEqual(columns[kind]);
      expect(trimmed(await rowHeads(kind))).toEqual(all.nodes.slice(0, shown).map((node) => node.name));
      const count = `${all.totalCount} ${kind === 'opportunity' ? 'opportunities' : `${kind}s`}`;
      await summary(kind).filter({ hasText: shown < all.totalCount ? `Showing ${shown} of ${count}` : count }).waitFor();
      await shoot(`records-${LISTS[kind].path}`, false);
    }

    // Contacts need more than a page: Load more appends the next after the cursor.
    const contacts = await listed('contact', adminToken);
    expect(contacts.totalCount).toBeGreaterThan(PAGE_SIZE);
    await nav().getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'Load more' }).click();
    await waitForRows('contact', Math.min(2 * PAGE_SIZE, contacts.totalCount));
    expect(trimmed(await rowHeads('contact'))).toEqual(contacts.nodes.slice(0, 2 * PAGE_SIZE).map((node) => node.name));

    // Opportunities: the value and close date written for the reader, the status in words.
    const opportunity = await gql(
      'query { opportunities(first: 1) { edges { node { name estimatedValue currency estimatedCloseDate status } } } }',
      {},
      adminToken,
    ).then((data) => data.opportunities.edges[0].node);
    await nav().getByRole('link', { name: 'Opportunities' }).click();
    const firstRow = page.getByTestId('opportunities-rows').locator('tr').first();
    expect(await firstRow.locator('td[data-label="Est. value"]').textContent()).toBe(new Intl.NumberFormat('en-US', { style: 'currency', currency: opportunity.currency, minimumFractionDigits: 0 }).format(opportunity.estimatedValue));
    const [y, m, d] = opportunity.estimatedCloseDate.split('-').map(Number);
    expect((await firstRow.locator('td[data-label="Est. close date"]').textContent())?.trim()).toBe(new Intl.DateTimeFormat('en-US', { dateStyle: 'short' }).format(new Date(y, m - 1, d)));
    expect((await firstRow.locator('td[data-label="Status"]').textContent())?.trim()).toBe({ OPEN: 'Open', WON: 'Won', LOST: 'Lost' }[opportunity.status as string]);
    expect(errors).toEqual([]);
  });

  it('a filtered, sorted and searched view is in the URL: it survives a reload and opens from a link', async () => {
    await open({ address: ADMIN, name: ADMIN_NAME });

    // Opportunities won, newest first.
    await nav().getByRole('link', { name: 'Opportunities' }).click();
    await list('opportunity').getByLabel('Status').selectOption('WON');
    await list('opportunity').getByLabel('Sort by').selectOption('-created');
    const won = await listed('opportunity', adminToken, { status: 'WON' }, { field: 'CREATED_AT', direction: 'DESC' });
    await summary('opportunity').filter({ hasText: `${won.totalCount} opportunit` }).waitFor();
    await waitForRows('opportunity', Math.min(PAGE_SIZE, won.totalCount));
    expect(trimmed(await rowHeads('opportunity'))).toEqual(won.nodes.slice(0, PAGE_SIZE).map((node) => node.name));
    expect(new Set(trimmed(await page.getByTestId('opportunities-rows').locator('td[data-label="Status"]').allTextContents()))).toEqual(new Set(['Won']));
    expect(hash()).toBe('#/opportunities?status=WON&sort=-created');
    await page.reload();
    await waitForRows('opportunity', Math.min(PAGE_SIZE, won.totalCount));
    expect(trimmed(await rowHeads('opportunity'))).toEqual(won.nodes.slice(0, PAGE_SIZE).map((node) => node.name));
    expect(await list('opportunity').getByLabel('Status').inputValue()).toBe('WON');
    expect(await list('opportunity').getByLabel('Sort by').inputValue()).toBe('-created');

    // Leads: a search typed (no Enter), in the URL as it settles; a search of nothing says what to do.
    await nav().getByRole('link', { name: 'Leads' }).click();
    const someLead = (await listed('lead', adminToken)).nodes[3];
    const word = someLead.name.split(' ')[0];
    const matches = await listed('lead', adminToken, { search: word });
    await page.getByLabel('Search leads').fill(word);
    await summary('lead').filter({ hasText: `matching “${word}”` }).waitFor();
    expect(trimmed(await rowHeads('lead'))).toEqual(matches.nodes.slice(0, PAGE_SIZE).map((node) => node.name));
    expect(hash()).toBe(`#/leads?q=${word}`);
    await page.getByLabel('Search leads').fill('zz-nothing-zz');
    await page.getByText('No leads match “zz-nothing-zz”.').waitFor();
    await list('lead').getByLabel('Status').selectOption('QUALIFIED');
    await page.getByText('No leads match these filters.').waitFor();
    await shoot('records-leads-empty', false);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitForRows('lead', Math.min(PAGE_SIZE, (await listed('lead', adminToken)).totalCount));
    expect(hash()).toBe('#/leads');

    // A shared link: cases of one status, name descending, opened in a new tab.
    const resolved = await listed('case', adminToken, { status: 'RESOLVED' }, { field: 'NAME', direction: 'DESC' });
    await context!.close();
    await open({ address: ADMIN, name: ADMIN_NAME }, { at: '#/cases?status=RESOLVED&sort=-name' });
    await waitForRows('case', resolved.totalCount);
    expect(trimmed(await rowHeads('case'))).toEqual(resolved.nodes.map((node) => node.name));
    expect(await list('case').getByLabel('Sort by').inputValue()).toBe('-name');

    // A hand-edited link with values the list does not know opens the whole list.
    await page.goto(`${hub.url}/#/cases?status=WON&sort=price&owner=%3Cb%3E&q=${'x'.repeat(500)}`);
    await page.getByTestId('cases-empty').filter({ hasText: 'No cases match' }).waitFor();
    expect(await list('case').getByLabel('Status').inputValue()).toBe('');
    expect(await page.getByLabel('Search cases').inputValue()).toBe('x'.repeat(200));
    expect(errors).toEqual([]);
  });

  it('a salesperson sees their business unit’s records only; "Only mine" narrows to their own', async () => {
    await open(SAM);
    for (const kind of KINDS) {
      const theirs = await listed(kind, samToken);
      const everyone = await listed(kind, adminToken);
      expect(theirs.totalCount).toBeLessThan(everyone.totalCount);
      await nav().getByRole('link', { name: LISTS[kind].title }).click();
      await waitForRows(kind, Math.min(PAGE_SIZE, theirs.totalCount));
      expect(trimmed(await rowHeads(kind))).toEqual(theirs.nodes.slice(0, PAGE_SIZE).map((node) => node.name));
      const owners = new Set(trimmed(await page.getByTestId(`${LISTS[kind].path}-rows`).locator('td[data-label="Owner"]').allTextContents()));
      expect(owners.has(NORA)).toBe(false);
      expect(owners.has('Sven Service')).toBe(false);
      // Searching for a record of another unit finds nothing.
      await page.getByLabel(`Search ${LISTS[kind].path}`).fill(hidden[kind]!.name);
      await page.getByLabel(`Search ${LISTS[kind].path}`).press('Enter');
      const found = await listed(kind, samToken, { search: hidden[kind]!.name });
      expect(found.nodes.map((node) => node.id)).not.toContain(hidden[kind]!.id);
      await summary(kind).filter({ hasText: found.totalCount ? 'matching' : '' }).waitFor();
      expect(await page.content()).not.toContain(hidden[kind]!.id);
    }

    // Only mine: Sam's own opportunities, in the URL.
    await nav().getByRole('link', { name: 'Opportunities' }).click();
    await list('opportunity').getByLabel('Owner').selectOption('me');
    const own = await listed('opportunity', samToken, { ownerId: (await gql('{ viewer { id } }', {}, samToken)).viewer.id });
    await summary('opportunity').filter({ hasText: new RegExp(`^\\s*${own.totalCount} opportunit`) }).waitFor();
    expect(hash()).toBe('#/opportunities?owner=me');
    expect(new Set(trimmed(await page.getByTestId('opportunities-rows').locator('td[data-label="Owner"]').allTextContents()))).toEqual(new Set([SAM.name]));
    await shoot('records-opportunities-mine', false);

    // Another person's: Sara's, chosen by name; the link holds her id.
    const saraId = (await gql('{ users { id fullName } }', {}, samToken)).users.find((u: { fullName: string }) => u.fullName === 'Sara Säljare').id;
    await list('opportunity').getByLabel('Owner').selectOption({ label: 'Sara Säljare' });
    const saras = await listed('opportunity', samToken, { ownerId: saraId });
    await summary('opportunity').filter({ hasText: new RegExp(`^\\s*${saras.totalCount} opportunit`) }).waitFor();
    expect(decodeURIComponent(hash())).toBe(`#/opportunities?owner=${saraId}`);
    if (saras.totalCount > 0) expect(new Set(trimmed(await page.getByTestId('opportunities-rows').locator('td[data-label="Owner"]').allTextContents()))).toEqual(new Set(['Sara Säljare']));
    expect(errors).toEqual([]);
  });

  it('"View all" on a record page opens the list narrowed to its related records, which one link widens again', async () => {
    // An account of Sam's with more contacts than its page shows.
    const tag = uniqueTag();
    const account = (await gql('mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }', { input: { name: `Many people ${tag}` } }, samToken)).createAccount.id;
    for (let i = 0; i < 7; i++) {
      await gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { lastName: `Person ${i} ${tag}`, accountId: account } }, samToken);
    }
    await open(SAM);
    await page.goto(`${hub.url}/#/accounts/${encodeURIComponent(account)}`);
    const related = page.getByTestId('related-contacts');
    await related.getByRole('link', { name: 'View all contacts' }).click();
    await page.getByTestId('contacts-related').getByText(`Related to Many people ${tag}`).waitFor();
    await waitForRows('contact', 7);
    expect(trimmed(await rowHeads('contact')).every((name) => name.endsWith(tag))).toBe(true);
    await shoot('records-contacts-related', false);
    await page.getByTestId('contacts-related').getByRole('link', { name: 'Show all contacts' }).click();
    await page.getByTestId('contacts-related').waitFor({ state: 'detached' });
    expect(hash()).toBe('#/contacts');
    expect(errors).toEqual([]);
  });

  it('keeps nothing of one person’s views for the next who signs in in the same tab', async () => {
    await open({ address: ADMIN, name: ADMIN_NAME });
    await nav().getByRole('link', { name: 'Leads' }).click();
    await page.getByLabel('Search leads').fill('zz-admins-search-zz');
    await page.getByTestId('leads-empty').waitFor();
    await nav().getByRole('link', { name: 'Contacts' }).click();
    await waitForRows('contact', PAGE_SIZE);
    await page.getByRole('button', { name: 'Log out' }).click();
    await signIn(page, SAM.address, hub.demoPassword, SAM.name);
    await waitForRows('contact', PAGE_SIZE);
    expect(await page.getByLabel('Search leads').count()).toBe(0);
    expect(await page.content()).not.toContain('zz-admins-search-zz');
    expect(errors).toEqual([]);
  });
});

describe('record pages', () => {
  it('an account with its contacts, opportunities and cases, its rolled-up timeline, and a page for each related record', async () => {
    await open(SAM, { at: `#/accounts?q=${encodeURIComponent(rich.account.name)}` });
    await page.getByTestId('accounts-rows').getByRole('link', { name: rich.account.name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: rich.account.name }).waitFor();
    const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
    expect(trimmed(await crumbs.getByRole('listitem').allTextContents())).toEqual(['Accounts', rich.account.name]);

    const related = async (path: string, kind: Kind) => {
      const section = page.getByTestId(`related-${path}`);
      const expected = await listed(kind, samToken, kind === 'contact' ? { accountId: rich.account.id } : { customerId: rich.account.id }, undefined, 5);
      await section.locator('tbody tr').first().waitFor();
      expect(trimmed(await section.locator('th[scope="row"]').allTextContents())).toEqual(expected.nodes.map((node) => node.name));
      return section;
    };
    await related('contacts', 'contact');
    await related('opportunities', 'opportunity');
    const cases = await related('cases', 'case');
    expect(await cases.locator('thead th').allTextContents()).not.toContain('Customer');

    // The timeline includes the related records: the call logged on the contact is there.
    expect(await page.getByRole('switch', { name: /Include related records/ }).isChecked()).toBe(true);
    await page.getByTestId('timeline-item').filter({ hasText: CALL_SUBJECT }).waitFor();
    await shoot('record-account');

    // The opportunity: its customer, value and close date, a breadcrumb back to the account.
    // (Demo opportunities can share a name: follow the row of this one.)
    const opportunityLink = page.getByTestId('related-opportunities').locator(`a[href="#/opportunities/${encodeURIComponent(rich.opportunity.id)}"]`);
    expect(await opportunityLink.textContent()).toBe(rich.opportunity.name);
    await opportunityLink.click();
    await page.getByRole('heading', { level: 1, name: rich.opportunity.name }).waitFor();
    expect(hash()).toBe(`#/opportunities/${rich.opportunity.id}`);
    expect(trimmed(await crumbs.getByRole('listitem').allTextContents())).toEqual(['Opportunities', rich.account.name, rich.opportunity.name]);
    expect(await page.getByTestId('record-customer').textContent()).toContain(rich.account.name);
    expect(await page.getByTestId('record-value').textContent()).toBe(new Intl.NumberFormat('en-US', { style: 'currency', currency: rich.opportunity.currency, minimumFractionDigits: 0 }).format(rich.opportunity.value));
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await shoot('record-opportunity');
    await page.goBack();

    // The case: ticket number, customer, priority.
    await page.getByTestId('related-cases').getByRole('link', { name: rich.case.ticketNumber }).click();
    await page.getByRole('heading', { level: 1, name: rich.case.title }).waitFor();
    expect(await page.getByTestId('record-ticket-number').textContent()).toBe(rich.case.ticketNumber);
    expect(await page.getByTestId('record-customer').textContent()).toContain(rich.account.name);
    // A case has no related records to roll up: no switch for them.
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    expect(await page.getByRole('switch', { name: /Include related records/ }).count()).toBe(0);
    await shoot('record-case');
    await page.getByTestId('record-customer').getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: rich.account.name }).waitFor();

    // The contact: its account, its own timeline (related off), its opportunities and cases.
    await page.getByTestId('related-contacts').getByRole('link', { name: rich.contact.name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: rich.contact.name }).waitFor();
    expect(await page.getByTestId('record-account').textContent()).toContain(rich.account.name);
    expect(await page.getByRole('switch', { name: /Include related records/ }).isChecked()).toBe(false);
    await page.getByTestId('timeline-item').filter({ hasText: CALL_SUBJECT }).waitFor();
    await page.getByTestId('related-opportunities').waitFor();
    await page.getByTestId('related-cases').waitFor();
    await shoot('record-contact');

    // A lead, from its list.
    await nav().getByRole('link', { name: 'Leads' }).click();
    const lead = (await listed('lead', samToken)).nodes[0];
    await page.getByTestId('leads-rows').getByRole('link', { name: lead.name }).click();
    await page.getByRole('heading', { level: 1, name: lead.name }).waitFor();
    expect(await page.getByTestId('record-owner').textContent()).toBe(lead.owner?.fullName);
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await shoot('record-lead');
    expect(errors).toEqual([]);
  });

  it('a record outside the salesperson’s scope is "not found" and reveals nothing, whatever its kind', async () => {
    await open(SAM);
    for (const kind of KINDS) {
      const record = hidden[kind]!;
      await page.goto(`${hub.url}/#/${LISTS[kind].path}/${encodeURIComponent(record.id)}`);
      const notFound = `${{ account: 'Account', contact: 'Contact', lead: 'Lead', opportunity: 'Opportunity', case: 'Case' }[kind]} not found`;
      await page.getByRole('heading', { level: 1, name: notFound }).waitFor();
      expect(await page.locator('main').innerText(), `${kind} ${record.name}`).not.toContain(record.name);
      expect(await page.content()).not.toContain(record.id);
      expect(await page.getByTestId('timeline-item').count()).toBe(0);
      expect(await page.getByRole('link', { name: `Back to ${LISTS[kind].path}` }).getAttribute('href')).toBe(`#/${LISTS[kind].path}`);
    }
    await shoot('record-not-found', false);
    // The id of a record of another kind, and an id that is no id at all.
    await page.goto(`${hub.url}/#/cases/${encodeURIComponent(rich.account.id)}`);
    await page.getByRole('heading', { level: 1, name: 'Case not found' }).waitFor();
    expect(await page.locator('main').innerText()).not.toContain(rich.account.name);
    await page.goto(`${hub.url}/#/leads/${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    await page.getByRole('heading', { level: 1, name: 'Lead not found' }).waitFor();
    // Only the browser's notes on refused requests, if any.
    expect(errors.filter((error) => !/status of 4\d\d/.test(error))).toEqual([]);
  });

  it('fits a phone: lists as cards, record pages in one column', async () => {
    await open(SAM, { width: 390 });
    await nav().getByRole('link', { name: 'Opportunities' }).click();
    await waitForRows('opportunity', Math.min(PAGE_SIZE, (await listed('opportunity', samToken)).totalCount));
    await shoot('records-opportunities-phone', false);
    await noWiderThanScreen(390);
    await page.goto(`${hub.url}/#/accounts/${encodeURIComponent(rich.account.id)}`);
    await page.getByRole('heading', { level: 1, name: rich.account.name }).waitFor();
    await page.getByTestId('related-cases').locator('tbody tr').first().waitFor();
    await shoot('record-account-phone');
    await noWiderThanScreen(390);
    await page.goto(`${hub.url}/#/cases/${encodeURIComponent(rich.case.id)}`);
    await page.getByRole('heading', { level: 1, name: rich.case.title }).waitFor();
    await shoot('record-case-phone', false);
    await noWiderThanScreen(390);
    expect(errors).toEqual([]);
  });

  it('speaks Swedish: lists, statuses, amounts and dates the Swedish way', async () => {
    await open(SAM, { locale: 'sv-SE' });
    const nav = page.getByRole('navigation', { name: 'Huvudmeny' });
    await nav.getByRole('link', { name: 'Affärsmöjligheter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Affärsmöjligheter' }).waitFor();
    expect(trimmed(await headings('opportunity'))).toEqual(['Namn', 'Kund', 'Uppskattat värde', 'Beräknat slutdatum', 'Status', 'Ägare']);
    const all = await listed('opportunity', samToken);
    await summary('opportunity').filter({ hasText: all.totalCount > PAGE_SIZE ? `Visar ${PAGE_SIZE} av ${all.totalCount} affärsmöjligheter` : `${all.totalCount} affärsmöjligheter` }).waitFor();
    await list('opportunity').getByLabel('Status').selectOption({ label: 'Vunnen' });
    await summary('opportunity').filter({ hasText: 'affärsmöjlighet' }).waitFor();
    expect(new Set(trimmed(await page.getByTestId('opportunities-rows').locator('td[data-label="Status"]').allTextContents()))).toEqual(new Set(['Vunnen']));
    expect(await list('opportunity').getByLabel('Sortera efter').locator('option').first().textContent()).toBe('Namn, A till Ö');
    await shoot('records-opportunities-sv', false);

    await page.goto(`${hub.url}/#/opportunities/${encodeURIComponent(rich.opportunity.id)}`);
    await page.getByRole('heading', { level: 1, name: rich.opportunity.name }).waitFor();
    await page.getByText('Affärsmöjlighet', { exact: true }).first().waitFor();
    expect(await page.getByTestId('record-value').textContent()).toBe(new Intl.NumberFormat('sv-SE', { style: 'currency', currency: rich.opportunity.currency, minimumFractionDigits: 0 }).format(rich.opportunity.value));
    expect((await page.getByTestId('record-close-date').textContent())?.trim()).toBe(rich.opportunity.close);
    await page.getByRole('heading', { name: 'Tidslinje' }).waitFor();
    await page.getByText('Dess kundkontakt').waitFor();
    await shoot('record-opportunity-sv', false);

    await nav.getByRole('link', { name: 'Potentiella kunder' }).click();
    await page.getByRole('heading', { level: 1, name: 'Potentiella kunder' }).waitFor();
    await page.getByLabel('Sök potentiella kunder').fill('zz-inget-zz');
    await page.getByText('Inga potentiella kunder matchar ”zz-inget-zz”.').waitFor();
    await page.goto(`${hub.url}/#/cases/${encodeURIComponent(hidden.case!.id)}`);
    await page.getByRole('heading', { level: 1, name: 'Ärendet hittades inte' }).waitFor();
    await page.getByRole('link', { name: 'Tillbaka till ärenden' }).waitFor();
    expect(errors).toEqual([]);
  });
});
