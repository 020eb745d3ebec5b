import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTag } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';

// The console's users, business units and API keys as an administrator uses them, and as a salesperson may only read them.

const ADMIN = { email: 'admin@demo.crm.test', name: 'Ada Admin' };
const SAM = { email: 'sam.sales@demo.crm.test', name: 'Sam Sales' };

let hub: StartedHub;
let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page;
let errors: string[];

const shoot = (name: string, on = page) => on.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const opened = await context.newPage();
  opened.setDefaultTimeout(15_000);
  return opened;
}

async function open(who: { email: string; name: string }): Promise<void> {
  page = await newPage();
  errors = watchErrors(page);
  await page.goto(hub.url);
  await signIn(page, who.email, hub.demoPassword, who.name);
}

/** What /graphql answers to `{ viewer { email } }` with the key as a bearer token. */
async function viewerByKey(key: string): Promise<{ email?: string; code?: string }> {
  const response = await fetch(hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ viewer { email } }' }),
  });
  const body = (await response.json()) as { data?: { viewer: { email: string } }; errors?: { extensions?: { code?: string } }[] };
  return { email: body.data?.viewer.email, code: body.errors?.[0]?.extensions?.code };
}

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
  browser = await launchChromium();
}, 120_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('users, business units and API keys in the console', () => {
  it('the administrator creates a user, gives them a role, resets their password and disables them', async () => {
    await open(ADMIN);
    await page.goto(`${hub.url}/#/admin/users`);
    await page.getByRole('heading', { level: 2, name: 'Users' }).waitFor();
    await page.getByTestId('user-row').filter({ hasText: SAM.name }).waitFor();
    await page.getByLabel('Filter by name, email, unit or role').fill('säljare');
    await page.getByTestId('user-row').filter({ hasText: 'Sara Säljare' }).waitFor();
    expect(await page.getByTestId('user-row').count()).toBe(1);
    await shoot('admin-users-list');

    // A bad address first: said beside the field.
    const name = `Vera Nilsson ${uniqueTag()}`;
    await page.getByRole('button', { name: 'New user' }).click();
    const create = page.getByRole('dialog', { name: 'New user' });
    await create.getByLabel('Full name').fill(name);
    await create.getByLabel('Email').fill('vera at example');
    await create.getByLabel('First password').fill('Granite harbour 42 lamps');
    await create.getByLabel('Salesperson').check();
    await create.getByRole('button', { name: 'Create user' }).click();
    const emailError = create.locator('#new-user-email-error');
    await emailError.waitFor();
    expect(await emailError.textContent()).toBe("“vera at example” is not an email address.");
    expect(await create.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await shoot('admin-new-user-error');
    const email = `vera.${uniqueTag().toLowerCase()}@demo.crm.test`;
    await create.getByLabel('Email').fill(email);
    await create.getByRole('button', { name: 'Create user' }).click();

    // Their page: the first role, then one more.
    await page.getByRole('heading', { level: 2, name }).waitFor();
    const roles = page.getByRole('list', { name: 'Security roles' });
    await roles.getByText('Salesperson').waitFor();
    await page.getByLabel('Role to add').selectOption({ label: 'Sales Manager' });
    await page.getByRole('button', { name: 'Add role' }).click();
    await page.getByTestId('user-notice').filter({ hasText: 'The role Sales Manager is added' }).waitFor();
    await roles.getByText('Sales Manager').waitFor();

    // Reset: the temporary password is shown once, and it signs them in to a forced change.
    await page.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('dialog', { name: `Reset the password of ${name}?` }).getByRole('button', { name: 'Reset password' }).click();
    const shown = page.getByRole('dialog', { name: 'Temporary password' });
    await shown.getByText('They must change it at their next sign-in.').waitFor();
    const temporary = (await shown.getByTestId('shown-once-secret').textContent())!.trim();
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await shoot('admin-temporary-password');
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    // Forgotten once the dialog is closed: it is nowhere in the page any more.
    await page.getByTestId('shown-once-secret').waitFor({ state: 'detached' });
    expect((await page.content()).includes(temporary)).toBe(false);

    const theirs = await newPage();
    await theirs.goto(hub.url);
    await theirs.getByLabel('Email').fill(email);
    await theirs.getByLabel('Password').fill(temporary);
    await theirs.getByRole('button', { name: 'Sign in' }).click();
    await theirs.getByRole('heading', { name: 'Choose a new password' }).waitFor();

    // Five wrong passwords pause their sign-in: the page says so and lifts the pause.
    for (let attempt = 0; attempt < 5; attempt++) await hub.gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: `wrong ${attempt}` });
    await page.reload();
    await page.getByTestId('locked-until').waitFor();
    await page.getByTestId('user-state').filter({ hasText: 'Sign-in paused' }).waitFor();
    await shoot('admin-user-locked');
    await page.getByRole('button', { name: 'Lift the pause' }).click();
    await page.getByTestId('user-notice').filter({ hasText: 'The pause is lifted' }).waitFor();
    expect(await page.getByTestId('locked-until').count()).toBe(0);

    // Disable, after asking: they can no longer sign in.
    await page.getByRole('button', { name: 'Disable' }).click();
    const confirm = page.getByRole('dialog', { name: `Disable ${name}?` });
    await shoot('admin-disable-confirm');
    await confirm.getByRole('button', { name: 'Disable' }).click();
    await page.getByTestId('user-notice').filter({ hasText: 'The user is disabled.' }).waitFor();
    await page.getByTestId('user-state').filter({ hasText: 'Disabled' }).waitFor();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    await shoot('admin-user-disabled');
    const login = await hub.gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: temporary });
    expect(login.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // The last administrator cannot give up the role: the API's refusal, in words.
    await page.getByRole('link', { name: '← All users' }).click();
    await page.getByLabel('Filter by name, email, unit or role').fill(ADMIN.email);
    await page.getByTestId('user-row').getByRole('link').click();
    await page.getByRole('heading', { level: 2, name: ADMIN.name }).waitFor();
    expect(await page.getByRole('button', { name: 'Disable' }).count()).toBe(0); // not oneself
    await page.getByRole('button', { name: 'Remove the role System Administrator' }).click();
    await page.getByTestId('user-error').filter({ hasText: 'without an enabled System Administrator' }).waitFor();
    await shoot('admin-last-administrator');
    expect(errors).toEqual([]);
  });

  it('the administrator adds a business unit under the root', async () => {
    await open(ADMIN);
    await page.goto(`${hub.url}/#/admin/business-units`);
    await page.getByRole('heading', { level: 2, name: 'Business units' }).waitFor();
    const root = page.getByTestId('unit').filter({ hasText: 'Root unit' });
    await root.getByText('Sales North').waitFor();
    await page.getByRole('button', { name: 'New business unit' }).click();
    const dialog = page.getByRole('dialog', { name: 'New business unit' });
    expect(await dialog.getByLabel('Parent unit').locator('option:checked').textContent()).toBe('Contoso Demo');
    await dialog.getByRole('button', { name: 'Create unit' }).click();
    await dialog.locator('#new-unit-name-error').waitFor(); // a name is required
    const name = `Partners ${uniqueTag()}`;
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Create unit' }).click();
    await page.getByTestId('unit-notice').filter({ hasText: `The business unit ${name} is created.` }).waitFor();
    // Under the root: a child of its list, with no users yet.
    const added = root.locator('ul.children > li').filter({ hasText: name });
    await added.getByTestId('unit-members').filter({ hasText: '0 users' }).waitFor();
    expect(await root.locator('> .unit [data-testid="unit-members"]').textContent()).toMatch(/\d+ users?/);
    await shoot('admin-business-units');
    expect(errors).toEqual([]);
  });

  it('the administrator makes an API key that works, shown once, then revokes it and it stops working', async () => {
    await open(ADMIN);
    await page.goto(`${hub.url}/#/admin/api-keys`);
    await page.getByRole('heading', { level: 2, name: 'API keys' }).waitFor();
    const name = `ERP integration ${uniqueTag()}`;
    await page.getByRole('button', { name: 'New API key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API key' });
    await dialog.getByLabel('What it is for').fill(name);
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new API key' });
    await shown.getByText('it cannot be shown again').waitFor();
    const key = (await shown.getByTestId('shown-once-secret').textContent())!.trim();
    await shoot('admin-api-key-shown');
    expect(await viewerByKey(key)).toEqual({ email: ADMIN.email, code: undefined });
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByTestId('shown-once-secret').waitFor({ state: 'detached' });
    expect((await page.content()).includes(key)).toBe(false);

    const row = page.getByTestId('key-row').filter({ hasText: name });
    await row.getByText(`${key.slice(0, 12)}…`).waitFor();
    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    await page.getByRole('dialog', { name: `Revoke ${name}?` }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByTestId('key-notice').filter({ hasText: `The key ${name} is revoked.` }).waitFor();
    await row.getByTestId('key-state').filter({ hasText: 'Revoked' }).waitFor();
    await shoot('admin-api-keys');
    expect((await viewerByKey(key)).code).toBe('UNAUTHENTICATED');

    // A key that acts as someone else, for who may make those.
    await page.getByRole('button', { name: 'New API key' }).click();
    await dialog.getByLabel('What it is for').fill(`Sam's report ${uniqueTag()}`);
    await dialog.getByLabel('Acts as').selectOption({ label: SAM.name });
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const samsKey = (await shown.getByTestId('shown-once-secret').textContent())!.trim();
    expect(await viewerByKey(samsKey)).toEqual({ email: SAM.email, code: undefined });
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByTestId('key-row').filter({ hasText: SAM.name }).waitFor();
    expect(errors).toEqual([]);
  });

  it('a salesperson reads users and units, with nothing to create or change', async () => {
    await open(SAM);
    await page.goto(`${hub.url}/#/admin/users`);
    await page.getByRole('heading', { level: 2, name: 'Users' }).waitFor();
    await page.getByTestId('user-row').filter({ hasText: 'Sara Säljare' }).getByRole('link').click();
    await page.getByRole('heading', { level: 2, name: 'Sara Säljare' }).waitFor();
    await page.getByTestId('read-only').waitFor();
    for (const label of ['Disable', 'Reset password', 'Add role', 'Remove', 'Lift the pause']) {
      expect(await page.getByRole('button', { name: label }).count(), label).toBe(0);
    }
    await shoot('salesperson-user-read-only');
    await page.goto(`${hub.url}/#/admin/users`);
    await page.getByTestId('user-row').first().waitFor();
    expect(await page.getByRole('button', { name: 'New user' }).count()).toBe(0);
    await page.goto(`${hub.url}/#/admin/business-units`);
    await page.getByTestId('unit').first().waitFor();
    expect(await page.getByRole('button', { name: /New business unit|Add a unit under/ }).count()).toBe(0);
    const navigation = page.getByRole('navigation', { name: 'Administration sections' });
    expect(await navigation.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await shoot('salesperson-business-units');

    // In Swedish, on a phone: the same page, every sentence translated.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('language-select').selectOption('sv');
    await page.goto(`${hub.url}/#/admin/users`);
    await page.getByRole('heading', { level: 2, name: 'Användare' }).waitFor();
    await page.getByTestId('user-row').first().waitFor();
    await shoot('salesperson-users-sv-phone');
    expect(errors).toEqual([]);
  });
});
