import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';
import { gmailMessage } from '../support/mail-fixtures';
import { insertProfile } from '../support/mail-setup';
import { syncRun } from '../support/sync-run';

// Global search as a salesperson uses it: "/" or Ctrl+K from any page, records and activities grouped, the arrow
// keys and Enter to open one; what the salesperson may not read is never found. The real api serving web/dist,
// in Debian's Chromium; the emails were tracked through the sync engine's own GraphQL calls.

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const NORA = { address: 'nora.north@demo.crm.test', name: 'Nora North' };
const SUBJECT = 'Forklift batteries for the Borås depot';
const HIDDEN_SUBJECT = 'Forklift tender for the Kiruna mine';

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[];
/** A contact Sam may read, who wrote to Sam; one of Nora's (Sales North), who wrote to Nora. */
let visible: { id: string; fullName: string; email: string };
let hidden: { id: string; fullName: string; email: string };

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const dialog = () => page.getByTestId('search-dialog');
const field = () => dialog().getByRole('combobox', { name: 'Search records and activities' });
const group = (kind: string) => dialog().getByTestId(`search-group-${kind}`);

async function contacts(token: string) {
  const answer = ok(await hub.gql('{ contacts(first: 100) { edges { node { id fullName primaryEmail owner { fullName } } } } }', {}, token));
  return answer.contacts.edges.map((edge: { node: { id: string; fullName: string; primaryEmail: string | null; owner: { fullName: string } | null } }) => edge.node);
}

async function open(as: { address: string; name: string }, options: { locale?: string; width?: number } = {}) {
  context = await browser.newContext({ locale: options.locale ?? 'en-US', viewport: { width: options.width ?? 1280, height: 860 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(`${hub.url}/`);
  if (options.locale === 'sv-SE') {
    await page.getByLabel('E-postadress').fill(as.address);
    await page.getByLabel('Lösenord').fill(hub.demoPassword);
    await page.getByRole('button', { name: 'Logga in' }).click();
  } else {
    await signIn(page, as.address, hub.demoPassword, as.name);
  }
  await page.getByRole('heading', { level: 1, name: options.locale === 'sv-SE' ? 'Konton' : 'Accounts' }).waitFor();
}

beforeAll(async () => {
  browser = await launchChromium();
  hub = await startHub({ dialect: 'sqlite' });
  const adminToken = await hub.login(ADMIN);
  const samToken = await hub.login(SAM.address);
  const all = await contacts(adminToken);
  const sams = new Set((await contacts(samToken)).map((c: { id: string }) => c.id));
  const pick = (ok: (c: (typeof all)[number]) => boolean) => {
    const found = all.find((c: (typeof all)[number]) => c.primaryEmail && ok(c));
    expect(found).toBeDefined();
    return { id: found.id, fullName: found.fullName, email: found.primaryEmail };
  };
  visible = pick((c) => sams.has(c.id));
  hidden = pick((c) => c.owner?.fullName === NORA.name && !sams.has(c.id));

  const mailboxes = ok(await hub.gql<{ mailboxes: { id: string; address: string }[] }>('{ mailboxes { id address } }', {}, adminToken)).mailboxes;
  const mailboxOf = (address: string) => mailboxes.find((m) => m.address === address)!.id;
  const profileId = await insertProfile(hub);
  await syncRun(hub, mailboxOf(SAM.address), profileId, { outcome: 'SUCCESS' }, [
    gmailMessage({ from: { address: visible.email, name: visible.fullName }, to: [{ address: SAM.address }], subject: SUBJECT }),
  ]);
  await syncRun(hub, mailboxOf(NORA.address), profileId, { outcome: 'SUCCESS' }, [
    gmailMessage({ from: { address: hidden.email, name: hidden.fullName }, to: [{ address: NORA.address }], subject: HIDDEN_SUBJECT }),
  ]);
  // The administrator finds both, so what Sam does not find is hidden from him, not missing.
  const seen = ok(await hub.gql('query($s: String!) { activities(filter: { search: $s }) { totalCount } }', { s: 'Forklift' }, adminToken));
  expect(seen.activities.totalCount).toBe(2);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

afterEach(async () => {
  expect(errors, 'errors in the page').toEqual([]);
  await context?.close();
  context = undefined;
});

describe('global search', () => {
  it('opens with "/" or Ctrl+K, finds a contact and an email, and Enter opens the chosen one', async () => {
    await open(SAM);

    // "/" typed into a text field is just a character.
    const listSearch = page.getByRole('searchbox').first();
    await listSearch.fill('');
    await listSearch.press('/');
    expect(await dialog().isVisible()).toBe(false);
    await listSearch.fill('');
    await page.locator('body').click({ position: { x: 5, y: 400 } });

    await page.keyboard.press('/');
    await field().waitFor();
    expect(await field().evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(visible.fullName);
    await group('contact').getByRole('option', { name: new RegExp(visible.fullName) }).first().waitFor();
    expect(await group('contact').getByRole('option').first().getAttribute('aria-selected')).toBe('true');
    await shoot('search-contact');
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });

    // Ctrl+K, a word of the subject: the email among the activities; the arrow keys reach it, Enter opens it.
    await page.keyboard.press('Control+k');
    await field().waitFor();
    expect(await field().evaluate((el: HTMLInputElement) => el.selectionEnd! - el.selectionStart!)).toBe(visible.fullName.length);
    await page.keyboard.type('batteries for the Borås');
    const email = group('activity').getByRole('option', { name: new RegExp(SUBJECT) });
    await email.waitFor();
    expect(await email.textContent()).toContain('Email');
    const options = dialog().getByRole('option');
    const index = (await options.allTextContents()).findIndex((text) => text.includes(SUBJECT));
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    expect(await email.getAttribute('aria-selected')).toBe('true');
    expect(await field().getAttribute('aria-activedescendant')).toBe(await email.getAttribute('id'));
    await shoot('search-email');
    await page.keyboard.press('Enter');
    await dialog().waitFor({ state: 'hidden' });
    // The email opens on its own page, read in full; its sender leads on to the contact.
    await page.waitForFunction(() => location.hash.startsWith('#/activities/'));
    await page.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
    await page.frameLocator('iframe').first().locator('body').waitFor();
    await shoot('search-email-page');
    await page.getByRole('link', { name: visible.fullName }).first().click();
    await page.waitForFunction((id) => decodeURIComponent(location.hash) === `#/contacts/${id}`, visible.id);
    await page.getByRole('heading', { level: 1, name: visible.fullName }).waitFor();
  });

  it('never finds what the viewer may not read', async () => {
    await open(SAM);
    await page.keyboard.press('Control+k');
    await field().fill(hidden.fullName);
    await dialog().getByTestId('search-status').filter({ hasText: `Nothing found for “${hidden.fullName}”.` }).waitFor();
    await field().fill(HIDDEN_SUBJECT);
    await dialog().getByTestId('search-status').filter({ hasText: `Nothing found for “${HIDDEN_SUBJECT}”.` }).waitFor();
    // The word both subjects share finds Sam's email only.
    await field().fill('Forklift');
    await group('activity').getByRole('option').first().waitFor();
    expect(await dialog().getByRole('option').allTextContents()).toEqual([expect.stringContaining(SUBJECT)]);
    await shoot('search-hidden');
  });

  it('shows the results on #/search?q=, the address following what is typed', async () => {
    await open(SAM);
    await page.keyboard.press('Control+k');
    await field().fill('Forklift');
    await group('activity').getByRole('option').first().waitFor();
    await dialog().getByRole('link', { name: 'All results' }).click();
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe('#/search?q=Forklift');
    const box = page.getByRole('combobox', { name: 'Search records and activities' });
    expect(await box.inputValue()).toBe('Forklift');
    await page.getByTestId('search-group-activity').getByRole('option', { name: new RegExp(SUBJECT) }).waitFor();
    // Typing on the page keeps the address current.
    await box.fill(visible.fullName);
    await page.getByTestId('search-group-contact').getByRole('option', { name: new RegExp(visible.fullName) }).first().waitFor();
    await page.waitForFunction((q) => new URLSearchParams(location.hash.split('?')[1]).get('q') === q, visible.fullName);
    await shoot('search-page');
  });

  it('speaks Swedish and fits a phone', async () => {
    await open(SAM, { locale: 'sv-SE', width: 390 });
    await page.getByRole('button', { name: 'Sök' }).click();
    const box = dialog().getByRole('combobox', { name: 'Sök bland poster och aktiviteter' });
    await box.fill('Forklift');
    await group('activity').getByRole('option', { name: new RegExp(SUBJECT) }).waitFor();
    expect(await group('activity').textContent()).toContain('Aktiviteter');
    expect(await dialog().getByTestId('search-status').textContent()).toContain('1 träff');
    await shoot('search-phone-sv');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
