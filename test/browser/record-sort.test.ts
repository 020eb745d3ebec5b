import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';

// Ordering a record list from its column header, as a person does: the URL keeps the order and the rows follow
// the API's order by name. The real api serving web/dist, in Debian's Chromium.

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[];
let adminToken: string;

const rowHeads = async () => (await page.getByTestId('accounts-rows').locator('th[scope="row"]').allTextContents()).map((text) => text.trim());
const hash = () => decodeURIComponent(new URL(page.url()).hash);

/** The first account names the API lists by name in `direction`. */
async function namesBy(direction: 'ASC' | 'DESC', first = 5): Promise<string[]> {
  const data = ok(await hub.gql('query($o: RecordOrder) { accounts(first: 25, orderBy: $o) { edges { node { name } } } }', { o: { field: 'NAME', direction } }, adminToken));
  return data.accounts.edges.slice(0, first).map((edge: { node: { name: string } }) => edge.node.name);
}

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
  adminToken = await hub.login(ADMIN);
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

describe('record list order from the column header', () => {
  it('clicking the name header orders Z-A, then A-Z again; the URL keeps the order and a reload keeps it', async () => {
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    errors = watchErrors(page);
    await page.goto(`${hub.url}/#/accounts`);
    await signIn(page, ADMIN, hub.demoPassword, 'Ada Admin');
    const ascending = await namesBy('ASC');
    const descending = await namesBy('DESC');
    expect(ascending).not.toEqual(descending);

    const header = page.locator('thead th[aria-sort]');
    await expect.poll(rowHeads).toEqual(expect.arrayContaining(ascending));
    expect((await rowHeads()).slice(0, 5)).toEqual(ascending);
    expect(await header.getAttribute('aria-sort')).toBe('ascending');

    await header.getByRole('button', { name: 'Name' }).click();
    await expect.poll(() => hash()).toBe('#/accounts?sort=-name');
    await expect.poll(async () => (await rowHeads()).slice(0, 5)).toEqual(descending);
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    // The sort select beside the search shows the same order.
    expect(await page.getByLabel('Sort by').inputValue()).toBe('-name');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'record-forms-sorted-desc.png') });

    await page.reload();
    await expect.poll(async () => (await rowHeads()).slice(0, 5)).toEqual(descending);

    await header.getByRole('button', { name: 'Name' }).click();
    await expect.poll(() => hash()).toBe('#/accounts');
    await expect.poll(async () => (await rowHeads()).slice(0, 5)).toEqual(ascending);

    // Another order from the select leaves the header unsorted; a click then sorts by name again.
    await page.getByLabel('Sort by').selectOption('-created');
    await expect.poll(() => hash()).toBe('#/accounts?sort=-created');
    expect(await header.getAttribute('aria-sort')).toBe('none');
    await header.getByRole('button', { name: 'Name' }).click();
    await expect.poll(() => hash()).toBe('#/accounts');
    expect(errors).toEqual([]);
  });
});
