import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';
import { gmailMessage, newsletter } from '../support/mail-fixtures';
import { insertProfile } from '../support/mail-setup';
import { syncRun } from '../support/sync-run';

// The sync dashboard as an administrator and a salesperson meet it: the real api serving web/dist, in Debian's
// Chromium. What it shows was written by the api's normal paths: sync runs reported through the engine's own
// GraphQL calls (claimMailboxes, trackEmails, releaseMailbox), so the table, the tracking counts and syncMetrics
// all come from them; a run while the page is open must reach it over mailboxChanged.

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const MARIA = 'maria.manager@demo.crm.test';
const ADMIN_USER = { address: ADMIN, name: 'Ada Admin' };

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[];
let profileId: string;
const mailboxOf: Record<string, string> = {};

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const row = (address: string) => page.getByTestId('dashboard-row').filter({ has: page.getByRole('link', { name: address, exact: true }) });
const chart = (id: string) => page.getByTestId(`chart-${id}`);
/** The sentence that describes a chart's image to assistive technology. */
const described = async (id: string) => (await chart(id).locator('desc').textContent())?.trim();

const customer = (n: number) => ({ address: `buyer-${n}@customer.example`, name: `Buyer ${n}` });

async function open(as: { address: string; name: string }) {
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(`${hub.url}/`);
  await signIn(page, as.address, hub.demoPassword, as.name);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync dashboard' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sync dashboard' }).waitFor();
  await page.getByTestId('dashboard-row').first().waitFor();
  await chart('ingest').waitFor();
}

beforeAll(async () => {
  browser = await launchChromium();
  hub = await startHub({ dialect: 'sqlite' });
  const token = await hub.login(ADMIN);
  for (const m of ok(await hub.gql<{ mailboxes: { id: string; address: string }[] }>('{ mailboxes { id address } }', {}, token)).mailboxes) mailboxOf[m.address] = m.id;
  profileId = await insertProfile(hub, { name: 'Head office IMAP' });

  // Sam's mailbox: a first (backfill) run, then two messages tracked and a newsletter filtered as bulk mail, with their lag measured.
  const to = [{ address: SAM.address }];
  await syncRun(hub, mailboxOf[SAM.address], profileId, { outcome: 'SUCCESS' });
  await syncRun(hub, mailboxOf[SAM.address], profileId, { outcome: 'SUCCESS' }, [
    gmailMessage({ from: customer(1), to, subject: 'Pallets for the spring order', date: new Date(Date.now() - 40_000) }),
    gmailMessage({ from: customer(2), to, subject: 'Invoice 4711', date: new Date(Date.now() - 20_000) }),
    newsletter({ from: { address: 'news@vendor.example' }, to }),
  ]);
  // Maria's: a run that timed out.
  await syncRun(hub, mailboxOf[MARIA], profileId, { outcome: 'TEMPORARY_FAILURE', code: 'TIMEOUT', message: 'Connection to imap.test.invalid timed out after 30 s' });
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

afterEach(async () => {
  expect(errors, 'errors in the page').toEqual([]);
  await context?.close();
  context = undefined;
});

describe('sync dashboard', () => {
  it('shows an administrator every mailbox, charts of what sync did, and follows a sync run live', async () => {
    await open(ADMIN_USER);
    expect(await page.getByRole('link', { name: 'Sync dashboard' }).getAttribute('aria-current')).toBe('page');
    expect(new URL(page.url()).hash).toBe('#/dashboard');
    expect(await page.getByTestId('dashboard-row').count()).toBe(Object.keys(mailboxOf).length);

    const sam = row(SAM.address);
    expect(await sam.getByTestId('dashboard-state').textContent()).toBe('Enabled');
    expect(await sam.getByTestId('dashboard-last-sync').textContent()).toContain('3 items');
    const tracking = (await sam.getByTestId('dashboard-tracking').textContent())!;
    expect(tracking).toContain('2 tracked · 1 filtered');
    expect(tracking.toLowerCase()).toContain('bulk');
    const maria = row(MARIA);
    expect(await maria.getByTestId('dashboard-state').textContent()).toBe('Backing off');
    expect(await maria.getByTestId('dashboard-failures').textContent()).toBe('1 failure in a row');

    // The charts over the last day (the default): every mailbox, with the runs and messages above.
    expect(await page.getByRole('button', { name: 'Last day' }).getAttribute('aria-pressed')).toBe('true');
    expect(await described('ingest')).toBe('In this range: 2 tracked, 0 linked, 1 filtered, 0 quarantined.');
    expect(await described('runs')).toBe('3 sync runs in this range, 1 failed.');
    expect(await described('lag')).toMatch(/^\d+ messages? measured: average lag \d+s, 95th percentile at most \d+s\.$/);
    expect(await page.getByRole('img', { name: /Mail ingested/ }).count()).toBe(1);
    expect(await chart('ingest').locator('rect').count()).toBeGreaterThan(0);
    // The data behind each image is a table for screen readers: one row per bucket with data.
    expect(await chart('runs').locator('table tbody tr').count()).toBe(1);
    expect(await chart('runs').locator('table thead th').allTextContents()).toEqual(['From', 'Succeeded', 'Failed']);
    await shoot('dashboard-admin');

    // Switching the range asks the API again, for that range.
    const asked = page.waitForRequest((request) => /SyncMetrics/.test(request.postData() ?? '') && /"range":"HOUR"/.test(request.postData() ?? ''));
    await page.getByRole('button', { name: 'Last hour' }).click();
    await asked;
    await page.getByRole('button', { name: 'Last hour', pressed: true }).waitFor();
    await page.getByTestId('metrics-status').filter({ hasText: /mailboxes ·/ }).waitFor();
    expect(await chart('ingest').locator('.tick').first().textContent()).not.toBe('');
    expect(await described('runs')).toBe('3 sync runs in this range, 1 failed.');

    // One mailbox picked: its charts only.
    const one = page.waitForRequest((request) => /SyncMetrics/.test(request.postData() ?? '') && request.postData()!.includes(mailboxOf[MARIA]));
    await page.getByLabel('Charts for').selectOption({ label: MARIA });
    await one;
    await page.getByRole('heading', { name: `Mail sync over time: ${MARIA}` }).waitFor();
    await page.getByTestId('metrics-status').filter({ hasText: /^1 mailbox ·/ }).waitFor();
    expect(await described('runs')).toBe('1 sync run in this range, 1 failed.');
    expect(await described('ingest')).toBe('In this range: 0 tracked, 0 linked, 0 filtered, 0 quarantined.');
    await shoot('dashboard-admin-one-mailbox');
    // The choice is in the address: a reload (or the link, shared) shows the same charts.
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/dashboard?range=hour&mailbox=${mailboxOf[MARIA]}`);
    await page.reload();
    await page.getByRole('heading', { name: `Mail sync over time: ${MARIA}` }).waitFor();
    await page.getByRole('button', { name: 'Last hour', pressed: true }).waitFor();
    expect(await page.getByLabel('Charts for').inputValue()).toBe(mailboxOf[MARIA]);

    // A run while the page is open: the table follows over mailboxChanged, and Maria's charts are read again.
    await syncRun(hub, mailboxOf[MARIA], profileId, { outcome: 'SUCCESS' }, [gmailMessage({ from: customer(3), to: [{ address: MARIA }], subject: 'Quote for 40 racks' })]);
    await maria.getByTestId('dashboard-state').filter({ hasText: 'Enabled' }).waitFor();
    await maria.getByTestId('dashboard-last-sync').filter({ hasText: '1 item' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="chart-runs"] desc')?.textContent?.trim() === '2 sync runs in this range, 1 failed.');
    expect(await described('ingest')).toBe('In this range: 1 tracked, 0 linked, 0 filtered, 0 quarantined.');
  });

  it('shows a salesperson only their own mailbox and its figures', async () => {
    await open(SAM);
    const shown = await page.locator('[data-testid="dashboard-row"] th a').allTextContents();
    expect(shown).toEqual([SAM.address]);
    await page.getByTestId('metrics-status').filter({ hasText: /^1 mailbox ·/ }).waitFor();
    expect(await described('runs')).toBe('2 sync runs in this range, 0 failed.');
    expect(await described('ingest')).toBe('In this range: 2 tracked, 0 linked, 1 filtered, 0 quarantined.');
    expect(await page.getByLabel('Charts for').locator('option').allTextContents()).toEqual(['All mailboxes', SAM.address]);
    await shoot('dashboard-salesperson');

    // On a phone: the mailbox as a card, the charts one under another, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Last week' }).click();
    await page.getByRole('button', { name: 'Last week', pressed: true }).waitFor();
    await page.getByTestId('metrics-status').filter({ hasText: /^1 mailbox ·/ }).waitFor();
    await shoot('dashboard-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
