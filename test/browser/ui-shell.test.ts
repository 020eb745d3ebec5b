import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub } from '../support/hub';

// The UI shell as a user meets it: the real api serving web/dist, driven in Debian's Chromium.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
const CHROMIUM = '/usr/bin/chromium';
const PAGE_SIZE = 25; // AccountList's default page size in web/src/accounts/account-list.svelte.ts
const SALES = 'sam.sales@demo.crm.test';
const EXTRA_WORD = 'Kestrel'; // accounts the test adds for the salesperson
const EXTRA_ACCOUNTS = 30;

type Hub = Awaited<ReturnType<typeof startHub>>;

interface AccountNode {
  id: string;
  name: string;
  emails: string[];
}
interface AccountsPage {
  totalCount: number;
  edges: { node: AccountNode }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

let hub: Hub;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[] = [];

/** Talks to the API directly, to learn what the UI ought to show. */
async function gql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch(hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) {
    const [first] = body.errors;
    throw Object.assign(new Error(first.message), { code: first.extensions?.code });
  }
  return body.data as T;
}

async function apiLogin(email: string): Promise<string> {
  const { login } = await gql<{ login: { token: string } }>(
    'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
    { email, password: hub.demoPassword },
  );
  return login.token;
}

async function apiAccounts(token: string, first: number, search?: string): Promise<AccountsPage> {
  const { accounts } = await gql<{ accounts: AccountsPage }>(
    `query Accounts($first: Int, $filter: AccountFilter) {
      accounts(first: $first, filter: $filter) { totalCount edges { node { id name emails } } pageInfo { hasNextPage endCursor } }
    }`,
    { first, filter: search ? { search } : null },
    token,
  );
  return accounts;
}

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const accountRows = () => page.locator('table tbody tr');
const rowNames = () => page.locator('table tbody th[scope="row"]').allTextContents();
const waitForRowCount = (count: number) =>
  page.waitForFunction((n) => document.querySelectorAll('table tbody tr').length === n, count);

async function signIn(email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-chromium.sh`);
  if (!existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is not built: run `npm run build -w web`');
  await mkdir(SCREENSHOTS, { recursive: true });
  hub = await startHub({ dialect: 'sqlite' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

// Each test is a fresh tab: sessionStorage, and with it the token, starts empty.
async function openHub() {
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(hub.url);
}

afterEach(async () => {
  await context?.close();
});

describe('UI shell', () => {
  it('rejects a wrong password with a message and stays on the login screen', async () => {
    await openHub();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shoot('login');

    await signIn(SALES, `${hub.demoPassword}-wrong`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/email or password is not right/i);
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    expect(await page.getByLabel('Email').inputValue()).toBe(SALES);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await shoot('login-wrong-password');

    // Only the expected 401-style GraphQL answer; no script errors.
    expect(pageErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });

  it('signs a salesperson in, lists, searches and pages their accounts, and logs out', async () => {
    const token = await apiLogin(SALES);
    const { viewer } = await gql<{ viewer: { fullName: string; businessUnit: { name: string } | null; roles: { name: string }[] } }>(
      '{ viewer { fullName businessUnit { name } roles { name } } }',
      {},
      token,
    );
    // The demo data gives a salesperson less than a page; add enough of their own to need "Load more".
    for (let n = 1; n <= EXTRA_ACCOUNTS; n++) {
      const nn = String(n).padStart(2, '0');
      await gql(
        'mutation Create($input: CreateAccountInput!) { createAccount(input: $input) { id } }',
        { input: { name: `${EXTRA_WORD} Supply ${nn}`, emails: [`orders@${EXTRA_WORD.toLowerCase()}${nn}.example`], telephone: `+46 8 555 90${nn}` } },
        token,
      );
    }
    const all = await apiAccounts(token, 100);
    expect(all.totalCount).toBeGreaterThan(PAGE_SIZE);
    expect(all.totalCount).toBeLessThanOrEqual(2 * PAGE_SIZE);

    await openHub();
    await signIn(SALES, hub.demoPassword);

    // Header: who is signed in, where, and as what.
    await page.getByTestId('viewer-name').filter({ hasText: viewer.fullName }).waitFor();
    expect(await page.getByTestId('viewer-roles').textContent()).toContain('Salesperson');
    expect(await page.getByTestId('viewer-roles').textContent()).toBe(viewer.roles.map((r) => r.name).join(', '));
    if (viewer.businessUnit) expect(await page.getByTestId('viewer-business-unit').textContent()).toBe(viewer.businessUnit.name);

    // First page, in the API's order.
    await waitForRowCount(PAGE_SIZE);
    expect(await rowNames()).toEqual(all.edges.slice(0, PAGE_SIZE).map((e) => e.node.name));
    expect(await page.getByTestId('accounts-summary').textContent()).toContain(`Showing ${PAGE_SIZE} of ${all.totalCount} accounts`);
    await shoot('accounts');

    // Load more appends the rest after the cursor, then goes away.
    await page.getByRole('button', { name: 'Load more' }).click();
    await waitForRowCount(all.totalCount);
    expect(await rowNames()).toEqual(all.edges.map((e) => e.node.name));
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    await shoot('accounts-load-more');

    // Search by name: a page of matches, then the rest of them.
    await page.getByLabel('Search accounts').fill(EXTRA_WORD);
    await page.getByLabel('Search accounts').press('Enter');
    await page.getByTestId('accounts-summary').filter({ hasText: `Showing ${PAGE_SIZE} of ${EXTRA_ACCOUNTS} accounts matching “${EXTRA_WORD}”` }).waitFor();
    const matches = await apiAccounts(token, 100, EXTRA_WORD);
    expect(await rowNames()).toEqual(matches.edges.slice(0, PAGE_SIZE).map((e) => e.node.name));
    await shoot('accounts-search');
    await page.getByRole('button', { name: 'Load more' }).click();
    await waitForRowCount(EXTRA_ACCOUNTS);
    expect(await rowNames()).toEqual(matches.edges.map((e) => e.node.name));
    await page.getByTestId('accounts-summary').filter({ hasText: `${EXTRA_ACCOUNTS} accounts matching “${EXTRA_WORD}”` }).waitFor();

    // Search by the start of an email address, typed without pressing Enter.
    const seeded = all.edges.map((e) => e.node).find((a) => a.emails.length > 0 && !a.name.startsWith(EXTRA_WORD));
    expect(seeded, 'a demo account with an email address').toBeDefined();
    const emailStart = seeded!.emails[0].split('.')[0];
    const byEmail = await apiAccounts(token, PAGE_SIZE, emailStart);
    await page.getByLabel('Search accounts').fill(emailStart);
    await page.getByTestId('accounts-summary').filter({ hasText: `matching “${emailStart}”` }).waitFor();
    expect(await rowNames()).toEqual(byEmail.edges.map((e) => e.node.name));
    expect(await rowNames()).toContain(seeded!.name);
    await shoot('accounts-search-email');

    // A search that matches nothing says so.
    await page.getByLabel('Search accounts').fill('zz-no-such-account-zz');
    await page.getByLabel('Search accounts').press('Enter');
    await page.getByText('No accounts match “zz-no-such-account-zz”.').waitFor();
    expect(await accountRows().count()).toBe(0);
    await shoot('accounts-search-empty');

    // A reload keeps the session (the token is in sessionStorage) and the search (it is in the URL).
    const uiToken = await page.evaluate(() => sessionStorage.getItem('crm-hub.token'));
    expect(uiToken).toBeTruthy();
    expect(new URL(page.url()).hash).toBe('#/accounts?q=zz-no-such-account-zz');
    await page.reload();
    await page.getByTestId('viewer-name').filter({ hasText: viewer.fullName }).waitFor();
    await page.getByText('No accounts match “zz-no-such-account-zz”.').waitFor();
    expect(await page.getByLabel('Search accounts').inputValue()).toBe('zz-no-such-account-zz');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await waitForRowCount(PAGE_SIZE);
    expect(new URL(page.url()).hash).toBe('#/accounts');

    // Logout returns to the login screen, forgets the token, and the server ends the session.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('crm-hub.token'))).toBeNull();
    const afterLogout = await gql<{ viewer: unknown }>('{ viewer { id } }', {}, uiToken!).then(
      (data) => data.viewer,
      (error: { code?: string }) => error.code,
    );
    expect(afterLogout).toBe('UNAUTHENTICATED');
    await shoot('logged-out');

    expect(pageErrors).toEqual([]);
  });
});
