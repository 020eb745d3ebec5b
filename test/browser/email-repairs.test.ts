import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';
import { gmailMessage, outlookMessage, TRACK_EMAILS, type TrackItem } from '../support/mail-fixtures';

// A salesperson opens an email the hub had to repair on arrival and reads what was repaired, beside "Why here?".

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const BROKEN_SUBJECT = 'Order from an old mail system';
const CLEAN_SUBJECT = 'A well-formed follow-up';

let hub: StartedHub;
let browser: Browser;
let contact: { id: string; fullName: string; primaryEmail: string };

async function gql<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await hub.gql<T>(query, variables, token);
  if (result.errors?.length) throw new Error(`${result.errors[0].message} (${JSON.stringify(result.errors[0].extensions)})`);
  return result.data as T;
}

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
  const admin = await hub.login('admin@demo.crm.test');
  const sam = await hub.login(SAM.address);
  const sync = hub.syncServiceKey;
  ({ createContact: contact } = await gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id fullName primaryEmail } }', { input: { firstName: 'Olle', lastName: 'Oldmail', emails: ['olle@legacy.example'] } }, sam));
  const { mailboxes } = await gql<{ mailboxes: { id: string; address: string }[] }>('{ mailboxes { id address } }', {}, sync);
  const mailboxId = mailboxes.find((m) => m.address === SAM.address)!.id;
  await gql('mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: ALL }) { id } }', { id: mailboxId }, admin);
  const from = { address: contact.primaryEmail, name: contact.fullName };
  const broken: TrackItem = { ...gmailMessage({ from, to: [SAM, { address: 'sales at legacy' }], subject: BROKEN_SUBJECT, text: 'Please send 40 pallet racks.' }), messageId: null, date: 'Mon, 32 Foo 2026 25:61' };
  const clean = outlookMessage({ from, to: [SAM], subject: CLEAN_SUBJECT, date: new Date(Date.now() - 3_600_000) });
  const { trackEmails } = await gql(TRACK_EMAILS, { mailboxId, input: { items: [broken, clean] } }, sync);
  expect(trackEmails.items.map((i: { outcome: string }) => i.outcome)).toEqual(['TRACKED', 'TRACKED']);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

async function signedInAt(hash: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${hub.url}/${hash}`);
  await page.getByLabel('Email').fill(SAM.address);
  await page.getByLabel('Password').fill(hub.demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('viewer-name').filter({ hasText: SAM.name }).waitFor();
  return { page, errors };
}

describe('repairs in an opened email', () => {
  it('lists what the hub repaired, each as a sentence with its detail, next to "Why here?"; a clean email shows none', async () => {
    const { page, errors } = await signedInAt(`#/contacts/${contact.id}`);
    const item = (subject: string) => page.getByTestId('timeline-item').filter({ has: page.getByRole('heading', { name: subject }) });
    const broken = item(BROKEN_SUBJECT);
    await broken.getByRole('button', { name: BROKEN_SUBJECT }).click();
    await broken.getByText('Why here?').click();
    const repairs = broken.getByTestId('email-repairs');
    await repairs.getByText('Repaired on arrival: 3 repairs').click();
    const lines = await repairs.getByRole('listitem').allTextContents();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('Addresses that are not valid email addresses were left out of the participants.');
    expect(lines[0]).toContain('"sales at legacy"');
    expect(lines[1]).toContain('A date in the message could not be read');
    expect(lines[1]).toContain('32 Foo 2026');
    expect(lines[2]).toContain('The message had no Message-ID');
    expect(lines[2]).toMatch(/keyed as <synthetic\.[0-9a-f]{64}@crm-hub\.invalid>/);
    await broken.evaluate((element) => element.scrollIntoView());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'email-repairs.png'), fullPage: true });

    const clean = item(CLEAN_SUBJECT);
    await clean.getByRole('button', { name: CLEAN_SUBJECT }).click();
    await clean.getByText('Why here?').waitFor();
    expect(await clean.getByTestId('email-repairs').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
