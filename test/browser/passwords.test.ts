import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';

// Passwords as a user meets them: a forced change after an administrator's reset, and the header's Change password.

const SARA = 'sara.sales@demo.crm.test';

let hub: StartedHub;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

async function api<T = any>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const result = await hub.gql<T>(query, variables, token);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data as T;
}

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('passwords in the UI', () => {
  it('after a reset, sign-in asks for a new password first; later the header changes it', async () => {
    const admin = await hub.login('admin@demo.crm.test');
    const { users } = await api('{ users { id email } }', {}, admin);
    const sara = users.find((u: { email: string }) => u.email === SARA).id;
    const { resetUserPassword } = await api('mutation($u: ID!) { resetUserPassword(userId: $u) { temporaryPassword } }', { u: sara }, admin);

    await page.goto(hub.url);
    await page.getByLabel('Email').fill(SARA);
    await page.getByLabel('Password').fill(resetUserPassword.temporaryPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(await page.getByLabel('Current password').count()).toBe(0); // the temporary one was just typed

    await page.getByLabel('New password', { exact: true }).fill('sunshinesunshine');
    await page.getByLabel('New password again').fill('sunshinesunshine');
    await page.getByRole('button', { name: 'Change password and continue' }).click();
    await page.getByRole('alert').filter({ hasText: /breached|too easy to guess/ }).waitFor();
    await shoot('password-forced-change-refused');

    const chosen = 'Quartz lantern 7 orbit';
    await page.getByLabel('New password', { exact: true }).fill(chosen);
    await page.getByLabel('New password again').fill(chosen);
    await page.getByRole('button', { name: 'Change password and continue' }).click();
    await page.getByTestId('viewer-name').filter({ hasText: 'Sara' }).waitFor();
    await shoot('password-forced-change-done');

    await page.getByRole('button', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change your password' });
    await dialog.getByLabel('Current password').fill('not the password');
    await dialog.getByLabel('New password', { exact: true }).fill('Another quartz lantern 8');
    await dialog.getByLabel('New password again').fill('Another quartz lantern 8');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'This is not your current password.' }).waitFor();
    await shoot('password-dialog-wrong-current');
    await dialog.getByLabel('Current password').fill(chosen);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
    await shoot('password-dialog-done');
    await dialog.getByRole('button', { name: 'Close' }).click();

    expect((await hub.gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: SARA, p: 'Another quartz lantern 8' })).data?.login.token).toBeTruthy();
    expect(pageErrors).toEqual([]);
  });
});
