import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ok, uniqueTag } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';

// Creating, editing and deleting records as a salesperson would: the form, its errors beside the fields, the result.

const SAM = { email: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const SARA = { email: 'sara.sales@demo.crm.test', name: 'Sara Säljare' };

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[];

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const field = (label: string) => page.getByLabel(label, { exact: true });

async function open(who: { email: string; name: string }): Promise<void> {
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(hub.url);
  await signIn(page, who.email, hub.demoPassword, who.name);
}

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
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

describe('record forms', () => {
  it('creates a contact: a missing name and a bad address are shown beside their fields, the account is found by name', async () => {
    await open(SAM);
    const sam = await hub.login(SAM.email);
    const account = ok(await hub.gql('{ accounts(first: 1, orderBy: { field: NAME, direction: ASC }) { edges { node { id name } } } }', {}, sam)).accounts.edges[0].node;
    await page.goto(`${hub.url}/#/contacts`);
    await page.getByRole('link', { name: 'New contact' }).click();
    await page.getByRole('heading', { level: 1, name: 'New contact' }).waitFor();

    await page.getByRole('button', { name: 'Create' }).click();
    expect(await field('Last name').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Fill this in.').waitFor();

    const lastName = `Lindqvist ${uniqueTag()}`;
    await field('First name').fill('Hedda');
    await field('Last name').fill(lastName);
    await field('Email addresses').fill('hedda at example');
    await field('Account').fill(account.name.slice(0, 6));
    await page.getByRole('list', { name: 'Matching records' }).getByRole('button', { name: new RegExp(account.name) }).first().click();
    await page.getByTestId('lookup-chosen').filter({ hasText: account.name }).waitFor();
    await page.getByRole('button', { name: 'Create' }).click();
    const emailError = page.locator('#field-emails-error');
    await emailError.waitFor();
    // The API says why (extensions.reason); the sentence is the reader's language, not the API's English.
    expect(await emailError.textContent()).toBe('“hedda” is not an email address.');
    expect(await field('Email addresses').getAttribute('aria-describedby')).toBe('field-emails-error');
    await shoot('record-form-errors');

    await field('Email addresses').fill('hedda.lindqvist@example.com');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: `Hedda ${lastName}` }).waitFor();
    expect(await page.getByTestId('record-account').textContent()).toContain(account.name);

    // Edit: only what changed is sent; the page shows it.
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { level: 1, name: `Edit Hedda ${lastName}` }).waitFor();
    expect(await field('Email addresses').inputValue()).toBe('hedda.lindqvist@example.com');
    await field('Job title').fill('Head of purchasing');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: `Hedda ${lastName}` }).waitFor();
    await page.getByText('Head of purchasing').first().waitFor();

    // Delete, after asking.
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete Hedda ${lastName}?` });
    await dialog.waitFor();
    await shoot('record-delete-dialog');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    const left = ok(await hub.gql('query($q: String!) { contacts(first: 5, filter: { search: $q }) { totalCount } }', { q: lastName }, sam)).contacts.totalCount;
    expect(left).toBe(0);
    expect(errors).toEqual([]);
  });

  it('creates an opportunity in the organization\'s currency from an amount written as people write it', async () => {
    await open(SAM);
    await page.goto(`${hub.url}/#/opportunities/new`);
    await page.getByRole('heading', { level: 1, name: 'New opportunity' }).waitFor();
    expect(await field('Currency (ISO code)').inputValue()).toBe('EUR');
    const name = `Pallet racks ${uniqueTag()}`;
    await field('Name').fill(name);
    await field('Estimated value').fill('12 500,50');
    await page.getByRole('button', { name: 'Create' }).click();
    // The customer is required: said beside it, before anything is sent.
    await page.locator('#field-customerId-error').filter({ hasText: 'Fill this in.' }).waitFor();
    await field('Customer').fill('a');
    await page.getByRole('list', { name: 'Matching records' }).getByRole('button').first().click();
    await field('Estimated value').fill('twelve');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('#field-estimatedValue-error').filter({ hasText: 'Write an amount' }).waitFor();
    await field('Estimated value').fill('12 500,50');
    await field('Currency (ISO code)').fill('XYZ');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('#field-currency-error').filter({ hasText: '“XYZ” is no currency code; write one such as EUR, SEK or USD.' }).waitFor();
    await field('Currency (ISO code)').fill('sek');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    expect(await page.getByTestId('record-value').textContent()).toBe(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'SEK' }).format(12500.5));
    await shoot('record-form-opportunity-saved');
    expect(errors).toEqual([]);
  });

  it('offers New, Edit and Delete only to who may use them', async () => {
    const sam = await hub.login(SAM.email);
    const samsContact = ok(await hub.gql('mutation { createContact(input: { lastName: "Owned by Sam" }) { id } }', {}, sam)).createContact.id;
    await open(SARA);
    await page.goto(`${hub.url}/#/contacts/${encodeURIComponent(samsContact)}`);
    await page.getByRole('heading', { level: 1, name: 'Owned by Sam' }).waitFor();
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    // Opening the edit form by its address: the API still refuses the change.
    await page.goto(`${hub.url}/#/contacts/${encodeURIComponent(samsContact)}/edit`);
    await field('Job title').fill('Changed by Sara');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('form-error').filter({ hasText: 'Your security roles do not allow this.' }).waitFor();
    const jobTitle = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Contact { jobTitle } } }', { id: samsContact }, sam)).node.jobTitle;
    expect(jobTitle).toBeNull();
    // A Salesperson may create contacts: the list offers it.
    await page.goto(`${hub.url}/#/contacts`);
    await page.getByRole('link', { name: 'New contact' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('assigns a record to a colleague and shares another: the buttons that follow are what the new rights allow', async () => {
    const sam = await hub.login(SAM.email);
    const sara = await hub.login(SARA.email);
    const given = ok(await hub.gql('mutation { createContact(input: { lastName: "Handed over" }) { id } }', {}, sam)).createContact.id;
    const lent = ok(await hub.gql('mutation { createContact(input: { lastName: "Lent to Sam" }) { id } }', {}, sara)).createContact.id;
    await open(SAM);

    await page.goto(`${hub.url}/#/contacts/${encodeURIComponent(given)}`);
    await page.getByRole('heading', { level: 1, name: 'Handed over' }).waitFor();
    await page.getByRole('button', { name: 'Assign' }).click();
    const assign = page.getByRole('dialog', { name: 'Assign to someone else' });
    await assign.getByLabel('Person').selectOption({ label: `${SARA.name} (${SARA.email})` });
    await shoot('record-assign-dialog');
    await assign.getByRole('button', { name: 'Assign' }).click();
    // Sara owns it now: Sam still reads it (same unit) but may no longer change it.
    await page.getByTestId('record-owner').filter({ hasText: SARA.name }).waitFor();
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);

    await page.goto(`${hub.url}/#/contacts/${encodeURIComponent(lent)}`);
    await page.getByRole('heading', { level: 1, name: 'Lent to Sam' }).waitFor();
    expect(await page.getByRole('button', { name: 'Share' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    await context!.close();

    await open(SARA);
    await page.goto(`${hub.url}/#/contacts/${encodeURIComponent(lent)}`);
    await page.getByRole('button', { name: 'Share' }).click();
    const share = page.getByRole('dialog', { name: 'Share with someone' });
    await share.getByLabel('Person').selectOption({ label: `${SAM.name} (${SAM.email})` });
    await share.getByLabel('They may also change it').check();
    await share.getByRole('button', { name: 'Share' }).click();
    await share.getByText(`Shared with ${SAM.name}.`).waitFor();
    const access = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Contact { viewerAccess { write delete } } } }', { id: lent }, sam)).node.viewerAccess;
    expect(access).toEqual({ write: true, delete: false });
    expect(ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Contact { owner { email } } } }', { id: given }, sara)).node.owner.email).toBe(SARA.email);

    // Opened again, the dialog says who has it, and the share can be taken back.
    await share.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Share' }).click();
    const shares = share.getByTestId('record-shares');
    await shares.getByText(SAM.name).waitFor();
    await shares.getByText('may change it').waitFor();
    await shoot('record-shares');
    await shares.getByRole('button', { name: `Stop sharing with ${SAM.name}` }).click();
    await shares.getByText('Nobody yet').waitFor();
    const after = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Contact { viewerAccess { write } } } }', { id: lent }, sam)).node.viewerAccess;
    expect(after).toEqual({ write: false });
    expect(errors).toEqual([]);
  });

  it('logs a call and adds a task from a record page; both arrive on its timeline', async () => {
    const sam = await hub.login(SAM.email);
    const contact = ok(await hub.gql('mutation { createContact(input: { lastName: "Called often" }) { id } }', {}, sam)).createContact.id;
    await open(SAM);
    await page.goto(`${hub.url}/#/contacts/${encodeURIComponent(contact)}`);
    await page.getByRole('heading', { level: 1, name: 'Called often' }).waitFor();

    await page.getByRole('button', { name: 'Log a call' }).click();
    const call = page.getByRole('dialog', { name: 'Log a phone call' });
    await call.getByRole('button', { name: 'Save' }).click();
    await call.getByText('Say what it was about.').waitFor();
    const subject = `Delivery dates ${uniqueTag()}`;
    await call.getByLabel('Subject').fill(subject);
    await call.getByLabel('Direction').selectOption('INCOMING');
    await call.getByLabel('Duration in minutes').fill('quarter');
    await call.getByRole('button', { name: 'Save' }).click();
    await call.getByText('Write whole minutes, such as 15.').waitFor();
    await call.getByLabel('Duration in minutes').fill('15');
    await shoot('log-call-dialog');
    await call.getByRole('button', { name: 'Save' }).click();
    await call.waitFor({ state: 'hidden' });
    await page.getByTestId('timeline-item').filter({ hasText: subject }).waitFor();

    await page.getByRole('button', { name: 'New task' }).click();
    const task = page.getByRole('dialog', { name: 'New task' });
    const todo = `Send the quote ${uniqueTag()}`;
    await task.getByLabel('Subject').fill(todo);
    await task.getByLabel('Due').fill('2030-01-15T09:30');
    await task.getByLabel('Priority').selectOption('HIGH');
    // A start after the due time is refused by the api, next to the start; a progress that is no percentage by the form.
    await task.getByLabel('Starts').fill('2030-01-16T08:00');
    await task.getByLabel('Done, in percent').fill('half');
    await task.getByRole('button', { name: 'Save' }).click();
    await task.getByText('Write a whole number from 0 to 100.').waitFor();
    await task.getByLabel('Done, in percent').fill('40');
    await task.getByRole('button', { name: 'Save' }).click();
    await task.getByText('It cannot start after it is due.').waitFor();
    await shoot('new-task-dialog-errors');
    await task.getByLabel('Starts').fill('2030-01-08T08:00');
    await task.getByRole('button', { name: 'Save' }).click();
    await task.waitFor({ state: 'hidden' });
    const taskItem = page.getByTestId('timeline-item').filter({ hasText: todo });
    await taskItem.waitFor();
    await taskItem.getByText('40 % done').waitFor();
    await taskItem.getByText(/^Starts /).waitFor();
    await shoot('timeline-task-progress');
    // Done from the timeline: the item changes in place, through the live feed, and offers nothing more.
    await taskItem.getByRole('button', { name: 'Mark done' }).click();
    await taskItem.getByRole('button', { name: 'Mark done' }).waitFor({ state: 'detached' });
    await shoot('timeline-task-done');
    const kinds = ok(await hub.gql('query($id: ID!) { timeline(recordId: $id, first: 10) { edges { node { __typename subject } } } }', { id: contact }, sam)).timeline.edges.map((e: any) => e.node);
    expect(kinds).toEqual(expect.arrayContaining([{ __typename: 'PhoneCall', subject }, { __typename: 'Task', subject: todo }]));
    const state = ok(await hub.gql('query($id: ID!) { timeline(recordId: $id, first: 10) { edges { node { subject state } } } }', { id: contact }, sam)).timeline.edges.find((e: any) => e.node.subject === todo).node.state;
    expect(state).toBe('COMPLETED');
    // The call is no task: nothing to mark.
    expect(await page.getByTestId('timeline-item').filter({ hasText: subject }).getByRole('button', { name: 'Mark done' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
