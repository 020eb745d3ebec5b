import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';

// A salesperson with a contact open sees activities logged elsewhere arrive, change and leave without a reload,
// keeps their place while reading further down, and follows everything on the Live feed page: the real api
// serving web/dist over HTTP and graphql-ws, driven in Debian's Chromium.

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const EARLIER_CALLS = 12;
const LOG_CALL = 'mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id subject } }';
const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id subject } }';

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
let sam: string;
let contact: { id: string; fullName: string };
let otherAccountId: string;
let openTaskId: string;

async function gql<T = any>(query: string, variables: Record<string, unknown>, token = sam): Promise<T> {
  const result = await hub.gql<T>(query, variables, token);
  if (result.errors?.length) throw new Error(`${result.errors[0].message} (${JSON.stringify(result.errors[0].extensions)})`);
  return result.data as T;
}

const shoot = (name: string, fullPage = false) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
const item = (subject: string) => page.getByTestId('timeline-item').filter({ hasText: subject });
const logCall = (subject: string, occurredAt = new Date()) => gql(LOG_CALL, { input: { subject, regardingId: contact.id, occurredAt: occurredAt.toISOString() } });

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
  sam = await hub.login(SAM.address);
  ({ createContact: contact } = await gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id fullName } }', {
    input: { firstName: 'Liv', lastName: 'Livesson', emails: ['liv@live.example'] },
  }));
  ({ createAccount: { id: otherAccountId } } = await gql('mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }', { input: { name: 'Elsewhere AB' } }));
  // Enough history that the page scrolls, all of it older than what the test adds live.
  for (let i = 1; i <= EARLIER_CALLS; i++) await logCall(`Earlier call ${i}`, new Date(Date.now() - i * 3 * 3_600_000));
  ({ createTask: { id: openTaskId } } = await gql(CREATE_TASK, { input: { subject: 'Send the signed contract', regardingId: contact.id } }));
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(`${hub.url}/#/contacts/${encodeURIComponent(contact.id)}`);
  await signIn(page, SAM.address, hub.demoPassword, SAM.name);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await hub?.close();
});

describe('live updates in the browser', () => {
  it('the contact page shows an activity logged elsewhere, in place and highlighted, and the header says Live', async () => {
    await page.getByTestId('timeline-count').filter({ hasText: `${EARLIER_CALLS + 1} activities` }).waitFor();
    const status = page.locator('[data-testid="live-status"][data-status="live"]');
    await status.waitFor();
    expect((await status.textContent())?.trim()).toContain('Live');

    await logCall('Customer called about the delivery');
    await item('Customer called about the delivery').waitFor();
    await page.getByTestId('timeline-count').filter({ hasText: `${EARLIER_CALLS + 2} activities` }).waitFor();
    const subjects = await page.locator('[data-testid="timeline-item"] h4').allTextContents();
    expect(subjects[0].trim()).toBe('Customer called about the delivery');
    expect(await page.locator('li.fresh').filter({ hasText: 'Customer called about the delivery' }).count()).toBe(1);
    await shoot('live-record-arrived');
    // The header with its connection badge, from a wide screen to a phone.
    for (const width of [1280, 1024, 820, 390]) {
      await page.setViewportSize({ width, height: 800 });
      await page.locator('header.bar').screenshot({ path: path.join(SCREENSHOTS, `live-header-${width}.png`) });
    }
    await page.setViewportSize({ width: 1100, height: 800 });

    // Changed elsewhere: updated in place. Moved to another record: gone from this one.
    await gql('mutation($id: ID!) { setActivityState(activityId: $id, state: COMPLETED) { id } }', { id: openTaskId });
    await item('Send the signed contract').getByText('Completed', { exact: true }).waitFor();
    await gql('mutation($id: ID!, $r: ID) { setActivityRegarding(activityId: $id, regardingId: $r) { id } }', { id: openTaskId, r: otherAccountId });
    await item('Send the signed contract').waitFor({ state: 'detached' });
    await page.getByTestId('timeline-count').filter({ hasText: `${EARLIER_CALLS + 1} activities` }).waitFor();
    expect(errors).toEqual([]);
  });

  it('a reader scrolled down keeps their place when something arrives above, and "1 new" takes them to it', async () => {
    const reading = item('Earlier call 8');
    await reading.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    const before = (await reading.boundingBox())!.y;

    await logCall('Second call today');
    const button = page.getByTestId('timeline-new-above');
    await button.filter({ hasText: '1 new' }).waitFor();
    expect((await reading.boundingBox())!.y).toBeCloseTo(before, 0);
    expect(await item('Second call today').evaluate((element) => element.getBoundingClientRect().bottom <= 0)).toBe(true);
    await shoot('live-record-new-above');

    await button.click();
    await button.waitFor({ state: 'detached' });
    const arrived = await item('Second call today').boundingBox();
    expect(arrived!.y).toBeGreaterThanOrEqual(0);
    expect(arrived!.y).toBeLessThan(800);
    await shoot('live-record-scrolled-to-new');
    expect(errors).toEqual([]);
  });

  it('the Live feed page shows activities as they happen, filtered by kind, each linking to its record', async () => {
    await page.getByRole('link', { name: 'Live feed' }).click();
    await page.getByRole('heading', { name: 'Live feed', level: 1 }).waitFor();
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    await gql(CREATE_TASK, { input: { subject: 'Prepare the quote for Liv', regardingId: contact.id } });
    const entry = page.getByTestId('live-feed-item').filter({ hasText: 'Prepare the quote for Liv' });
    await entry.waitFor();
    expect(await entry.getByRole('link', { name: contact.fullName }).getAttribute('href')).toBe(`#/contacts/${encodeURIComponent(contact.id)}`);

    // Only phone calls: a task logged first does not appear, the call after it does (events arrive in commit order).
    await page.getByRole('button', { name: 'Phone call' }).click();
    expect(await page.getByRole('button', { name: 'Phone call' }).getAttribute('aria-pressed')).toBe('true');
    // Subscribing again for the new kinds keeps the header's badge at Live.
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    await expect.poll(() => page.getByTestId('live-feed-item').filter({ hasText: 'Prepare the quote for Liv' }).count()).toBe(0);
    await gql(CREATE_TASK, { input: { subject: 'A task the filter hides', regardingId: contact.id } });
    await logCall('A call the filter shows');
    await page.getByTestId('live-feed-item').filter({ hasText: 'A call the filter shows' }).waitFor();
    expect(await page.getByTestId('live-feed-item').filter({ hasText: 'A task the filter hides' }).count()).toBe(0);
    await shoot('live-feed', true);
    await page.setViewportSize({ width: 390, height: 844 });
    await shoot('live-feed-narrow');
    await page.setViewportSize({ width: 1100, height: 800 });

    await page.getByTestId('live-feed-item').filter({ hasText: 'A call the filter shows' }).getByRole('link', { name: contact.fullName }).click();
    await page.getByRole('heading', { name: contact.fullName, level: 1 }).waitFor();
    await item('A call the filter shows').waitFor();
    expect(errors).toEqual([]);
  });

  it('offline, the badge says so; back online, what was logged meanwhile arrives without a reload', async () => {
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    await context.setOffline(true);
    const offline = page.locator('[data-testid="live-status"][data-status="offline"]');
    await offline.waitFor();
    expect((await offline.textContent())?.trim()).toContain('Offline');
    await page.locator('header.bar').screenshot({ path: path.join(SCREENSHOTS, 'live-header-offline.png') });
    await logCall('Logged while the reader was offline');
    await context.setOffline(false);
    // Reconnecting waits out its back-off (a few seconds after failed attempts), then replays from the cursor.
    await item('Logged while the reader was offline').waitFor({ timeout: 45_000 });
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    expect(await item('Logged while the reader was offline').count()).toBe(1);
    expect(errors.filter((error) => !/ERR_INTERNET_DISCONNECTED|WebSocket/.test(error))).toEqual([]);
    errors.length = 0;
  }, 60_000);

  it('the mailbox list follows a change an administrator makes, without polling', async () => {
    const { mailboxes } = await gql<{ mailboxes: { id: string; address: string }[] }>('{ mailboxes { id address } }', {});
    const mine = mailboxes.find((mailbox) => mailbox.address === SAM.address)!;
    await page.getByRole('link', { name: 'Mailboxes' }).click();
    const row = page.locator('tr, li, article').filter({ hasText: SAM.address }).first();
    await row.waitFor();
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    expect(await row.getByText('Disabled by admin', { exact: true }).count()).toBe(0);
    await gql('mutation($id: ID!) { disableMailbox(id: $id) { id } }', { id: mine.id }, await hub.login('admin@demo.crm.test'));
    await row.getByText('Disabled by admin', { exact: true }).waitFor();
    await shoot('live-mailboxes');
    expect(errors).toEqual([]);
  });

  it('an account page rolls up its contacts’ new activities live, and stops when "Include related records" is off', async () => {
    const { createAccount: account } = await gql('mutation($input: CreateAccountInput!) { createAccount(input: $input) { id name } }', { input: { name: 'Livewire Logistics' } });
    const { createContact: buyer } = await gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', {
      input: { firstName: 'Bo', lastName: 'Buyer', accountId: account.id },
    });
    await page.goto(`${hub.url}/#/accounts/${encodeURIComponent(account.id)}`);
    await page.getByRole('heading', { name: account.name, level: 1 }).waitFor();
    await page.getByTestId('timeline-count').filter({ hasText: '0 activities' }).waitFor();
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();

    await gql(CREATE_TASK, { input: { subject: 'Call Bo about the pallets', regardingId: buyer.id } });
    await item('Call Bo about the pallets').waitFor();

    // Only the account's own timeline: the related task goes, a new related one stays out, one on the account comes in.
    await page.getByRole('switch', { name: /Include related records/ }).uncheck();
    await item('Call Bo about the pallets').waitFor({ state: 'detached' });
    await page.getByTestId('timeline-count').filter({ hasText: '0 activities' }).waitFor();
    await gql(CREATE_TASK, { input: { subject: 'Another task for Bo', regardingId: buyer.id } });
    await gql(CREATE_TASK, { input: { subject: 'Renew the Livewire contract', regardingId: account.id } });
    await item('Renew the Livewire contract').waitFor();
    expect(await item('Another task for Bo').count()).toBe(0);
    await shoot('live-account-own-only');
    expect(errors).toEqual([]);
  });

  it('signing this session out elsewhere closes the live connection and shows the sign-in screen', async () => {
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    const token = await page.evaluate(() => sessionStorage.getItem('crm-hub.token'));
    await gql('mutation { logout }', {}, token!);
    await page.getByText('Your session has ended. Sign in again to continue.').waitFor();
    await shoot('live-session-ended');
    expect(errors).toEqual([]);
  });
});
