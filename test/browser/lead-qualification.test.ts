import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, uniqueTag } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';

// A salesperson qualifies leads from the lead's page: what it becomes, a duplicate found on the way, where it lands.

const SAM = { email: 'sam.sales@demo.crm.test', name: 'Sam Sales' };

let hub: StartedHub;
let browser: Browser;
let page: Page;
let errors: string[];
let sam: string;

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const newLead = async (fields: Record<string, unknown>) =>
  ok(await hub.gql('mutation($input: CreateLeadInput!) { createLead(input: $input) { id } }', { input: { firstName: 'Ingrid', lastName: `Lund ${uniqueTag()}`, ...fields } }, sam)).createLead.id as string;

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
  sam = await hub.login(SAM.email);
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(hub.url);
  await signIn(page, SAM.email, hub.demoPassword, SAM.name);
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('qualifying a lead in the UI', () => {
  it('makes the account, contact and opportunity, offering the existing account it finds, and lands on the opportunity', async () => {
    const company = `Nordic Pallets ${uniqueTag()}`;
    const topic = `Pallet racks ${uniqueTag()}`;
    const existing = ok(await hub.gql('mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }', { input: { name: company } }, sam)).createAccount.id;
    const leadId = await newLead({ topic, companyName: company, emails: [`ingrid.${uniqueTag().toLowerCase()}@pallets.example`] });

    await page.goto(`${hub.url}/#/leads/${encodeURIComponent(leadId)}`);
    await page.getByRole('button', { name: 'Qualify' }).click();
    const dialog = page.getByRole('dialog', { name: 'Qualify lead' });
    await dialog.waitFor();
    expect(await dialog.getByRole('checkbox', { name: `Create the account “${company}”` }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: `Create the opportunity “${topic}”` }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Qualify' }).click();

    // The account already exists: the dialog offers it rather than making a second.
    await dialog.getByTestId('qualify-duplicate').filter({ hasText: 'An account with this name already exists.' }).waitFor();
    expect(await dialog.getByRole('link', { name: 'Open it' }).getAttribute('href')).toBe(`#/accounts/${encodeURIComponent(existing)}`);
    await shoot('lead-qualify-duplicate');
    await dialog.getByRole('button', { name: 'Use the existing account' }).click();

    // The opportunity's page, for the existing account; the lead is qualified and offers no second qualification.
    await page.getByRole('heading', { level: 1, name: topic }).waitFor();
    expect(await page.getByRole('link', { name: company }).first().getAttribute('href')).toBe(`#/accounts/${encodeURIComponent(existing)}`);
    const lead = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Lead { status } } }', { id: leadId }, sam)).node;
    expect(lead.status).toBe('QUALIFIED');
    await page.goto(`${hub.url}/#/leads/${encodeURIComponent(leadId)}`);
    await page.getByTestId('record-status').filter({ hasText: 'Qualified' }).waitFor();
    expect(await page.getByRole('button', { name: 'Qualify' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('without a company no account can be made; the contact becomes the customer', async () => {
    const topic = `Forklift service ${uniqueTag()}`;
    const leadId = await newLead({ topic });
    await page.goto(`${hub.url}/#/leads/${encodeURIComponent(leadId)}`);
    await page.getByRole('button', { name: 'Qualify' }).click();
    const dialog = page.getByRole('dialog', { name: 'Qualify lead' });
    const account = dialog.getByRole('checkbox', { name: 'Create an account' });
    expect(await account.isDisabled()).toBe(true);
    expect(await account.isChecked()).toBe(false);
    await dialog.getByText('The lead names no company.').waitFor();
    await shoot('lead-qualify-dialog');
    await dialog.getByRole('button', { name: 'Qualify' }).click();
    await page.getByRole('heading', { level: 1, name: topic }).waitFor();
    expect(await page.getByRole('link', { name: /^Ingrid Lund/ }).count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('is not offered to a colleague who may read the lead but not change it', async () => {
    const topic = `Not yours ${uniqueTag()}`;
    const leadId = await newLead({ topic, companyName: `Elsewhere ${uniqueTag()}` });
    const context = await browser.newContext({ locale: 'en-US' });
    const saras = await context.newPage();
    await saras.goto(hub.url);
    await signIn(saras, 'sara.sales@demo.crm.test', hub.demoPassword, 'Sara Säljare');
    await saras.goto(`${hub.url}/#/leads/${encodeURIComponent(leadId)}`);
    await saras.getByRole('heading', { level: 1, name: /^Ingrid Lund/ }).waitFor();
    await saras.getByTestId('record-status').filter({ hasText: 'New' }).waitFor();
    expect(await saras.getByRole('button', { name: 'Qualify' }).count()).toBe(0);
    await context.close();
  });
});
