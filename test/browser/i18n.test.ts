import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sv } from '../../web/src/shell/i18n/sv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';
import { createProfile, setCredentials } from '../support/mailbox-admin';

// A salesperson reads the hub in Swedish: they switch in the header, every page they open (accounts, a record's
// timeline, their mailbox) speaks Swedish and writes times the Swedish way, the choice survives a reload, and a
// browser that prefers Swedish gets it from the first screen. The real api serving web/dist, in Debian's Chromium.

const ADMIN = 'admin@demo.crm.test';
const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const ACCOUNT = 'Nordvik Trä AB';

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[];

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const htmlLang = () => page.evaluate(() => document.documentElement.lang);
const languageSwitch = () => page.getByRole('combobox', { name: /Language|Språk/ });

async function open(locale: string, viewport = { width: 1280, height: 860 }): Promise<void> {
  context = await browser.newContext({ locale, viewport });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(hub.url);
}

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
  const sam = await hub.login(SAM.address);
  const admin = await hub.login(ADMIN);
  const gql = async (query: string, variables: Record<string, unknown>, token = sam) => ok(await hub.gql(query, variables, token));

  // An account with a day's activities, for the record page's timeline.
  const { createAccount: account } = await gql('mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }', {
    input: { name: ACCOUNT, emails: ['order@nordvik.example'], telephone: '+46 8 555 01 01' },
  });
  await gql('mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id } }', {
    input: { subject: 'Samtal om leveransen', regardingId: account.id, durationMinutes: 65, direction: 'INCOMING', occurredAt: earlierToday().toISOString() },
  });
  await gql('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', {
    input: { subject: 'Skicka offerten', regardingId: account.id, priority: 'HIGH', dueAt: new Date(Date.now() + 86_400_000).toISOString() },
  });

  // Sam's mailbox, set up and waiting for approval: its page has states, tests and an alert to show.
  const { mailboxes } = await gql('{ mailboxes { id address } }', {}, admin);
  const mailboxId = mailboxes.find((m: { address: string }) => m.address === SAM.address).id;
  const profileId = await createProfile(hub, admin, 'Huvudkontoret IMAP', { kind: 'IMAP_SMTP', incomingPort: 1143, outgoingPort: 1025 });
  await gql(
    'mutation($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { id } }',
    { id: mailboxId, input: { profileId, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'SERVER_SIDE_SYNC' } },
    admin,
  );
  await setCredentials(hub, sam, mailboxId, SAM.address, 'sams-imap-password');
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

describe('the UI in English and Swedish', () => {
  it('switches to Svenska in the header: accounts, a timeline and a mailbox in Swedish, kept after a reload', async () => {
    await open('en-US');
    expect(await htmlLang()).toBe('en');
    await signIn(page, SAM.address, hub.demoPassword, SAM.name);
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();

    // The switch names each language in its own words, and is found by its name in either language.
    expect(await languageSwitch().locator('option').allTextContents()).toEqual(['English', 'Svenska']);
    await languageSwitch().selectOption('sv');

    // Accounts: every word of the page re-rendered at once, without a reload.
    await page.getByRole('heading', { level: 1, name: 'Konton' }).waitFor();
    expect(await htmlLang()).toBe('sv');
    const nav = page.getByRole('navigation', { name: 'Huvudmeny' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Konton', 'Kontakter', 'Potentiella kunder', 'Affärsmöjligheter', 'Ärenden', 'Postlådor', 'Synkpanel', 'Liveflöde', 'API-utforskaren']);
    expect(await page.locator('thead th').allTextContents()).toEqual(['Namn', 'E-post', 'Telefon', 'Ägare']);
    expect(await page.getByTestId('accounts-summary').textContent()).toMatch(/^\s*\d+ konton?\s*$/);
    await page.getByRole('button', { name: 'Logga ut' }).waitFor();
    await page.getByRole('button', { name: 'Byt lösenord' }).waitFor();
    await page.getByLabel('Sök konton').fill('Nordvik');
    await page.getByTestId('accounts-summary').filter({ hasText: '1 konto som matchar ”Nordvik”' }).waitFor();
    expect(await page.getByLabel('Sök konton').getAttribute('placeholder')).toBe('Namn eller e-postadress');
    await shoot('i18n-accounts-sv');

    // A record page: its details and timeline, with Swedish day labels, times, durations and counts.
    await page.getByRole('link', { name: ACCOUNT }).click();
    await page.getByRole('heading', { level: 1, name: ACCOUNT }).waitFor();
    await page.getByText('Konto', { exact: true }).first().waitFor();
    await page.getByRole('heading', { name: 'Uppgifter' }).waitFor();
    await page.getByRole('heading', { name: 'Tidslinje' }).waitFor();
    await page.getByTestId('timeline-count').filter({ hasText: /^\s*2 aktiviteter\s*$/ }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'I dag' }).waitFor();
    const call = page.getByTestId('timeline-item').filter({ hasText: 'Samtal om leveransen' });
    expect(await call.textContent()).toContain('Telefonsamtal');
    expect(await call.textContent()).toContain('Inkommande');
    expect(await call.textContent()).toContain('1 tim 5 min');
    expect(await call.textContent()).toContain('Ägare Sam Sales');
    // 24-hour Swedish time ("14:05"), not "2:05 PM".
    expect((await call.locator('time').textContent())?.trim()).toMatch(/^\d{2}:\d{2}$/);
    const task = page.getByTestId('timeline-item').filter({ hasText: 'Skicka offerten' });
    expect(await task.textContent()).toContain('Hög prioritet');
    expect(await task.textContent()).toMatch(/Förfaller \d{1,2} [a-zé]+\.? \d{2}:\d{2}/);
    expect(await page.getByRole('group', { name: 'Aktivitetstyper' }).getByRole('button').allTextContents()).toEqual([
      'E-post',
      'Avtalad tid',
      'Uppgift',
      'Telefonsamtal',
    ]);
    expect(await page.getByPlaceholder('Sök i ämnesrader').count()).toBe(1);
    await shoot('i18n-timeline-sv');

    // A reload keeps the choice (and the session, which lives in the tab).
    await page.reload();
    await page.getByRole('heading', { name: 'Tidslinje' }).waitFor();
    expect(await htmlLang()).toBe('sv');
    expect(await page.evaluate(() => localStorage.getItem('crm-hub.locale'))).toBe('sv');
    expect(await languageSwitch().inputValue()).toBe('sv');

    // The mailbox list and Sam's mailbox: states, tests, methods and relative times in Swedish.
    await nav.getByRole('link', { name: 'Postlådor' }).click();
    await page.getByRole('heading', { level: 1, name: 'Postlådor' }).waitFor();
    await page.getByTestId('mailboxes-summary').filter({ hasText: /^\s*1 postlåda/ }).waitFor();
    await page.getByText('Din postlåda och hur dess e-post når navet.').waitFor();
    await page.getByRole('link', { name: SAM.address }).click();
    await page.getByRole('heading', { level: 1, name: SAM.address }).waitFor();
    expect(await page.getByTestId('detail-approval').textContent()).toBe('Väntar på godkännande');
    await page.getByRole('heading', { name: 'Synkronisering', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Testa och aktivera' }).waitFor();
    expect(await page.getByTestId('test-incoming').textContent()).toContain('Metod: Synkronisering på serversidan');
    expect(await page.getByTestId('test-incoming').getByTestId('test-status').textContent()).toBe('Inte körd');
    await page.getByText('Bara postlådans ägare och administratörer kan ändra postlådan.').or(page.getByRole('heading', { name: 'Inloggning på e-postservern' })).first().waitFor();
    const alert = page.getByTestId('alert').first();
    await alert.waitFor();
    expect((await alert.locator('time').textContent())?.trim()).toMatch(/^(just nu|för \d+ minuter? sedan)$/);
    // A code the UI knows gets a Swedish headline; the server's own sentence stays beneath it.
    const headlines = await page.getByTestId('alert').locator('.headline').allTextContents();
    expect(headlines.length).toBeGreaterThan(0);
    for (const headline of headlines) expect(Object.values(sv.mailbox.alertHeadline)).toContain(headline);
    expect(await page.getByRole('heading', { name: 'Aviseringar' }).count()).toBe(1);
    await shoot('i18n-mailbox-sv');

    // And back: English again, everywhere, at once.
    await languageSwitch().selectOption('en');
    await page.getByRole('heading', { name: 'Synchronization', exact: true }).waitFor();
    expect(await page.getByTestId('detail-approval').textContent()).toBe('Pending approval');
    expect(await htmlLang()).toBe('en');
    expect(errors).toEqual([]);
  });

  it('fits a phone in Swedish, whose words run longer than English ones', async () => {
    await open('sv-SE', { width: 390, height: 844 });
    await page.getByLabel('E-postadress').fill(SAM.address);
    await page.getByLabel('Lösenord').fill(hub.demoPassword);
    await page.getByRole('button', { name: 'Logga in' }).click();
    const fits = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByRole('heading', { level: 1, name: 'Konton' }).waitFor();
    await fits();
    await page.getByRole('link', { name: ACCOUNT }).click();
    await page.getByTestId('timeline-count').filter({ hasText: '2 aktiviteter' }).waitFor();
    await fits();
    await shoot('i18n-timeline-sv-narrow');
    await page.getByRole('link', { name: 'Postlådor' }).click();
    await page.getByRole('link', { name: SAM.address }).click();
    await page.getByRole('heading', { name: 'Testa och aktivera' }).waitFor();
    await fits();
    await shoot('i18n-mailbox-sv-narrow');
    expect(errors).toEqual([]);
  });

  it('greets a browser that prefers Swedish in Swedish from the sign-in screen, errors included', async () => {
    await open('sv-SE');
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    expect(await htmlLang()).toBe('sv');
    await page.getByLabel('E-postadress').fill(SAM.address);
    await page.getByLabel('Lösenord').fill(`${hub.demoPassword}-fel`);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('alert').filter({ hasText: 'E-postadressen eller lösenordet stämmer inte.' }).waitFor();
    await shoot('i18n-login-sv');

    // A choice made on the sign-in card holds after signing in.
    await languageSwitch().selectOption('en');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Password').fill(hub.demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    expect(await htmlLang()).toBe('en');
    // Only the refused sign-in's 401-style answer.
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});

/** A minute ago, but never before today's midnight, so the call sits under "I dag" whenever the test runs. */
function earlierToday(): Date {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  return new Date(Math.max(midnight.getTime(), Date.now() - 60_000));
}
