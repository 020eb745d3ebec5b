import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type StartedHub } from '../support/hub';
import { gmailMessage, outlookMessage, thunderbirdMessage, TRACK_EMAILS, type TrackItem } from '../support/mail-fixtures';

// A salesperson reads an account's communication: the real api serving web/dist, seeded through the
// sync engine's own API calls, driven in Debian's Chromium.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
const CHROMIUM = '/usr/bin/chromium';
const PAGE_SIZE = 20; // TIMELINE_PAGE_SIZE in web/src/timeline/timeline.svelte.ts
const ADMIN = 'admin@demo.crm.test';
const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const SARA = { address: 'sara.sales@demo.crm.test', name: 'Sara Säljare' };

const OFFER_SUBJECT = 'Offer for the spring order';
const DRAWINGS_SUBJECT = 'Installation drawings for the new warehouse';
const WELCOME_SUBJECT = 'Welcome to our new service desk';
const SECRET_SUBJECT = 'Personal: reference for my next job';
const TASK_SUBJECT = 'Prepare the renewal quote';
const CALL_SUBJECT = 'Call about delivery dates';
const FILLER_SUBJECTS = [
  'Delivery schedule for week 14', 'Question about invoice 2026-118', 'Re: Updated price list', 'Meeting notes from Tuesday',
  'Site visit next month', 'Re: Support ticket follow-up', 'New contact person for logistics', 'Training dates for the new system',
  'Re: Contract amendment', 'Holiday opening hours', 'Feedback on the pilot', 'Re: Spare parts availability',
  'Order confirmation 4471', 'Change of billing address', 'Re: Quarterly review agenda', 'Samples arrived',
  'Re: Installation checklist', 'Budget approval for phase two', 'Re: Warranty question', 'Thanks for the demo',
];
// Bytes that must come back unchanged through PUT /blobs, the tracked email and the UI's download.
const OFFER_PDF = Buffer.concat([Buffer.from('%PDF-1.7\n% offer for the spring order\n'), Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 31) % 256))]);
const TOO_LARGE = 50 * 1024 * 1024;
// A 24×8 PNG the sender's image server (on loopback) shows in the offer, once Sam asks for remote images.
const BANNER_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABgAAAAICAIAAABsw6g0AAAAFElEQVR4nGPQqrpBFcQwatBINggApsQdECJDIO4AAAAASUVORK5CYII=', 'base64');

interface Contact {
  id: string;
  fullName: string;
  primaryEmail: string;
}
interface Account {
  id: string;
  name: string;
  emails: string[];
  owner: { fullName: string };
}

let hub: StartedHub;
let imageServer: http.Server;
let imageServerUrl: string;
const imageRequests: string[] = [];
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let pageErrors: string[] = [];
let sam: string;
let account: Account;
let contacts: Contact[];
const seeded = { calls: false, tasks: false };

async function gql<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await hub.gql<T>(query, variables, token);
  if (result.errors?.length) throw new Error(`${result.errors[0].message} (${JSON.stringify(result.errors[0].extensions)})`);
  return result.data as T;
}

/** What the API says the timeline holds for sam, to compare the UI with. */
async function timelineCount(recordId: string, options: { includeRelated: boolean; filter?: Record<string, unknown> }): Promise<number> {
  const data = await gql<{ timeline: { totalCount: number } }>(
    'query($id: ID!, $r: Boolean, $f: TimelineFilter) { timeline(recordId: $id, includeRelated: $r, filter: $f, first: 1) { totalCount } }',
    { id: recordId, r: options.includeRelated, f: options.filter ?? null },
    sam,
  );
  return data.timeline.totalCount;
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
const asParty = (c: Contact) => ({ address: c.primaryEmail, name: c.fullName });

async function seed() {
  const admin = await hub.login(ADMIN);
  sam = await hub.login(SAM.address);
  const sync = hub.syncServiceKey;
  const mutations = await gql<{ __type: { fields: { name: string }[] } }>('{ __type(name: "Mutation") { fields { name } } }', {}, admin);
  const has = (name: string) => mutations.__type.fields.some((f) => f.name === name);

  // Sam's own account with the most contacts that have an address.
  const { viewer } = await gql<{ viewer: { id: string } }>('{ viewer { id } }', {}, sam);
  const owned = await gql<{ accounts: { edges: { node: Account }[] } }>(
    'query($f: AccountFilter) { accounts(first: 100, filter: $f) { edges { node { id name emails owner { fullName } } } } }',
    { f: { ownerId: viewer.id } },
    sam,
  );
  let best: { account: Account; contacts: Contact[] } | undefined;
  for (const { node } of owned.accounts.edges) {
    const found = await gql<{ contacts: { edges: { node: Contact }[] } }>(
      'query($f: ContactFilter) { contacts(first: 50, filter: $f) { edges { node { id fullName primaryEmail } } } }',
      { f: { accountId: node.id } },
      sam,
    );
    const withEmail = found.contacts.edges.map((e) => e.node).filter((c) => c.primaryEmail);
    if (!best || withEmail.length > best.contacts.length) best = { account: node, contacts: withEmail };
  }
  expect(best!.contacts.length, 'an account of sam with two contacts').toBeGreaterThanOrEqual(2);
  ({ account, contacts } = best!);
  const domain = account.emails[0]?.split('@')[1] ?? 'customer.example';

  // Two contacts sharing one address: mail from or to it is AMBIGUOUS, linked to neither.
  const shared = `purchasing@${domain}`;
  for (const lastName of ['Purchasing Desk', 'Purchasing Team']) {
    await gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { lastName, accountId: account.id, emails: [shared] } }, sam);
  }

  const { mailboxes } = await gql<{ mailboxes: { id: string; address: string }[] }>('{ mailboxes { id address } }', {}, sync);
  const mailbox = (address: string) => mailboxes.find((m) => m.address === address)!.id;
  const updateMailbox = (address: string, input: Record<string, unknown>) =>
    gql('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: mailbox(address), input }, admin);
  await updateMailbox(SAM.address, { trackingFilter: 'ALL' });
  await updateMailbox(SARA.address, { trackingFilter: 'ALL', privacyLevel: 'METADATA_ONLY' });
  await gql(
    'mutation($m: ID!, $input: FolderTrackingRuleInput!) { setFolderTrackingRule(mailboxId: $m, input: $input) { folder } }',
    { m: mailbox(SAM.address), input: { folder: 'INBOX/Key accounts', regardingId: account.id } },
    admin,
  );
  const track = async (address: string, items: TrackItem[]) => {
    const { trackEmails } = await gql<{ trackEmails: { items: { outcome: string; errorMessage: string | null }[] } }>(TRACK_EMAILS, { mailboxId: mailbox(address), input: { items } }, sync);
    expect(trackEmails.items.map((i) => i.outcome), JSON.stringify(trackEmails.items)).toEqual(items.map(() => 'TRACKED'));
  };

  const upload = await fetch(`${hub.url}/blobs`, { method: 'PUT', headers: { authorization: `Bearer ${sync}` }, body: OFFER_PDF });
  expect(upload.status).toBeLessThan(300);
  const { sha256 } = (await upload.json()) as { sha256: string };

  const [first, second] = contacts;
  const offer: TrackItem = {
    ...outlookMessage({ from: asParty(first), to: [SAM], cc: [{ address: shared }], subject: OFFER_SUBJECT, date: hoursAgo(1) }),
    folder: 'INBOX/Key accounts',
    textBody: 'Hi Sam,\r\n\r\nplease find our offer for the spring order attached.\r\n\r\nBest regards\r\n',
    htmlBody:
      '<html><body><p>Hi Sam,</p><p>please find our <b>offer for the spring order</b> attached.</p>' +
      '<table border="1" cellpadding="4"><tr><th>Item</th><th>Qty</th></tr><tr><td>Pallet racks</td><td>40</td></tr></table>' +
      '<p><img src="https://cdn.supplier.example/logo.png" alt="Supplier logo" width="120" height="40"></p>' +
      `<p><img src="${imageServerUrl}/banner.png" alt="Spring banner"></p>` +
      '<p>Best regards<br>' + first.fullName + '</p><script>document.title = "pwned"</script></body></html>',
    attachments: [{ fileName: 'Offer spring order.pdf', contentType: 'application/pdf', size: OFFER_PDF.length, sha256 }],
  };
  const drawings: TrackItem = {
    ...gmailMessage({ from: asParty(second), to: [SAM], subject: DRAWINGS_SUBJECT, date: hoursAgo(3), text: 'The drawings are attached; the video was too large for your server.' }),
    attachments: [{ fileName: 'Walkthrough.mp4', contentType: 'video/mp4', size: TOO_LARGE, sha256: null }],
  };
  const welcome: TrackItem = {
    ...thunderbirdMessage({ from: SAM, to: [{ address: account.emails[0], name: account.name }], subject: WELCOME_SUBJECT, date: hoursAgo(5) }),
    folder: 'Sent',
  };
  const fillers = FILLER_SUBJECTS.map((subject, i) =>
    gmailMessage({ from: asParty(contacts[i % contacts.length]), to: [SAM], subject, date: hoursAgo(30 + i * 20), text: `About “${subject}”: details below.` }),
  );
  await track(SAM.address, [offer, drawings, welcome, ...fillers]);
  await track(SARA.address, [thunderbirdMessage({ from: asParty(first), to: [SARA], subject: SECRET_SUBJECT, date: hoursAgo(2) })]);

  // Logged by hand on the account itself (if this build of the API has the mutations yet).
  if (has('logPhoneCall')) {
    await gql(
      'mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id } }',
      { input: { subject: CALL_SUBJECT, regardingId: account.id, partyIds: [first.id], direction: 'INCOMING', phoneNumber: '+46 8 555 0142', durationMinutes: 12, occurredAt: hoursAgo(26).toISOString() } },
      sam,
    );
    seeded.calls = true;
  }
  if (has('createTask')) {
    await gql(
      'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
      { input: { subject: TASK_SUBJECT, regardingId: account.id, priority: 'HIGH', dueAt: new Date(Date.now() + 2 * 86_400_000).toISOString() } },
      sam,
    );
    seeded.tasks = true;
  }
}

const shoot = (name: string, fullPage = true) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
const items = () => page.getByTestId('timeline-item');
const item = (subject: string) => items().filter({ has: page.getByRole('heading', { name: subject }) });
const countIs = (text: string) => page.getByTestId('timeline-count').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) }).waitFor();
const waitForItemCount = (n: number) => page.waitForFunction((count) => document.querySelectorAll('[data-testid="timeline-item"]').length === count, n);
const activities = (n: number) => `${n} ${n === 1 ? 'activity' : 'activities'}`;
const matching = (n: number) => `${activities(n)} ${n === 1 ? 'matches' : 'match'}`;

async function openHub(viewport: { width: number; height: number }, hash = '') {
  context = await browser.newContext({ locale: 'en-US', viewport, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(`${hub.url}/${hash}`);
  await page.getByLabel('Email').fill(SAM.address);
  await page.getByLabel('Password').fill(hub.demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('viewer-name').filter({ hasText: SAM.name }).waitFor();
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-chromium.sh`);
  if (!existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is not built: run `npm run build -w web`');
  await mkdir(SCREENSHOTS, { recursive: true });
  imageServer = http.createServer((req, res) => {
    imageRequests.push(req.url ?? '');
    if (req.url === '/banner.png') res.writeHead(200, { 'content-type': 'image/png' }).end(BANNER_PNG);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
  imageServerUrl = `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}`;
  // The sender's image server is on loopback, which the hub's image proxy refuses unless told otherwise.
  hub = await startHub({ dialect: 'sqlite', env: { REMOTE_IMAGE_ALLOW_PRIVATE_ADDRESSES: 'true' } });
  await seed();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  imageServer?.close();
  await browser?.close();
  await hub?.close();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

describe('record timeline', () => {
  it('shows an account’s communication: pages, filters, related records, an opened email with its attachment, and private mail', async () => {
    const related = await timelineCount(account.id, { includeRelated: true });
    const own = await timelineCount(account.id, { includeRelated: false });
    // The offer (folder rule), the welcome mail to the account's address, and the call and task logged on it.
    expect(own).toBe(2 + Number(seeded.calls) + Number(seeded.tasks));
    expect(related).toBeGreaterThan(PAGE_SIZE);
    expect(related).toBeLessThanOrEqual(2 * PAGE_SIZE);

    await openHub({ width: 1280, height: 800 });

    // From the list to the account.
    await page.getByLabel('Search accounts').fill(account.name);
    await page.getByLabel('Search accounts').press('Enter');
    await page.getByRole('link', { name: account.name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: account.name }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/accounts/${account.id}`);
    expect(await page.getByTestId('record-owner').textContent()).toBe(account.owner.fullName);
    for (const email of account.emails) expect(await page.getByTestId('record-emails').textContent()).toContain(email);

    // Related records are included by default on an account: the first page, newest first, grouped by day.
    expect(await page.getByRole('switch', { name: /Include related records/ }).isChecked()).toBe(true);
    await countIs(activities(related));
    await waitForItemCount(PAGE_SIZE);
    const headings = await items().getByRole('heading', { level: 4 }).allTextContents();
    const expectedTop = [...(seeded.tasks ? [TASK_SUBJECT] : []), OFFER_SUBJECT, 'Private email', DRAWINGS_SUBJECT, WELCOME_SUBJECT];
    expect(headings.slice(0, expectedTop.length).map((h) => h.trim())).toEqual(expectedTop);
    const days = await page.getByRole('heading', { level: 3 }).allTextContents();
    expect(days.length).toBeGreaterThan(1);
    expect(new Set(days).size).toBe(days.length);
    await shoot('timeline-account', false);
    await shoot('timeline-account-full');

    // Sara's mailbox shares metadata only: sam sees that the email exists, not its subject.
    const secret = items().filter({ hasText: 'Private email' });
    expect(await secret.count()).toBe(1);
    expect(await secret.getByText('Private email').getAttribute('title')).toMatch(/shares only the participants and time/);
    expect(await page.content()).not.toContain(SECRET_SUBJECT);
    expect(await secret.getByRole('button').count()).toBe(0);

    // The parties: the sender linked to the contact, the shared address marked ambiguous.
    const offerItem = item(OFFER_SUBJECT);
    expect(await offerItem.getByRole('link', { name: contacts[0].fullName }).getAttribute('href')).toBe(`#/contacts/${contacts[0].id}`);
    expect(await offerItem.getByText('ambiguous').count()).toBe(1);
    expect(await offerItem.textContent()).toContain(`purchasing@`);

    // Load more appends the rest after the cursor, then goes away.
    await page.getByRole('button', { name: 'Load more' }).click();
    await waitForItemCount(related);
    await page.getByRole('button', { name: 'Load more' }).waitFor({ state: 'detached' });
    const allHeadings = await items().getByRole('heading', { level: 4 }).allTextContents();
    for (const subject of FILLER_SUBJECTS) expect(allHeadings.map((h) => h.trim())).toContain(subject);
    expect(new Set(await items().evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-labelledby')))).size).toBe(related);

    // Opening the offer: the body in a sandboxed frame with its own CSP, the remote image blocked, the PDF downloadable.
    await offerItem.getByRole('button', { name: OFFER_SUBJECT }).click();
    const frame = offerItem.locator('iframe');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
    const srcdoc = (await frame.getAttribute('srcdoc'))!;
    expect(srcdoc).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`);
    expect(srcdoc).not.toContain('<script');
    expect(srcdoc).toContain('data-remote-src="https://cdn.supplier.example/logo.png"');
    await offerItem.frameLocator('iframe').getByText('Pallet racks').waitFor();
    expect(await offerItem.frameLocator('iframe').locator('body').textContent()).toContain('please find our offer for the spring order attached.');
    expect(await offerItem.getByTestId('blocked-images').textContent()).toMatch(/2 remote images blocked/);
    expect(imageRequests).toEqual([]);
    // Sam asks for the images: the hub fetches them (the frame still loads nothing itself); the one on an unknown host fails.
    await offerItem.getByRole('button', { name: 'Show images' }).click();
    await offerItem.getByTestId('blocked-images').filter({ hasText: '1 remote image shown; 1 could not be loaded' }).waitFor();
    expect(imageRequests).toEqual(['/banner.png']);
    const banner = offerItem.frameLocator('iframe').getByRole('img', { name: 'Spring banner' });
    await expect.poll(() => banner.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(24);
    const shown = (await frame.getAttribute('srcdoc'))!;
    expect(shown).toContain(`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`);
    expect(shown).not.toContain(imageServerUrl);
    expect(shown).toContain('data-remote-src="https://cdn.supplier.example/logo.png"');
    // The browser notes the proxy's 502 for the unreachable host; nothing else went wrong.
    expect(pageErrors).toEqual(['Failed to load resource: the server responded with a status of 502 (Bad Gateway)']);
    pageErrors = [];
    expect(await page.getByRole('button', { name: OFFER_SUBJECT }).getAttribute('aria-expanded')).toBe('true');

    const downloadButton = offerItem.getByRole('button', { name: /^Download Offer spring order\.pdf/ });
    const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
    expect(download.suggestedFilename()).toBe('Offer spring order.pdf');
    expect(Buffer.compare(await readFile((await download.path())!), OFFER_PDF)).toBe(0);

    await offerItem.getByText('Why here?').click();
    await offerItem.getByText('It was filed in a mailbox folder that is tracked to this record.').waitFor();
    expect(await offerItem.getByRole('table', { name: 'Tracking steps' }).getByRole('row').count()).toBeGreaterThan(1);
    // The steps in words; the codes stay in a tooltip.
    const steps = offerItem.getByRole('table', { name: 'Tracking steps' });
    expect(await steps.textContent()).toContain('Folder rule');
    expect(await steps.textContent()).toContain('Conversation by reply headers');
    expect(await steps.getByRole('cell', { name: 'Folder rule' }).getAttribute('title')).toBe('FOLDER_RULE');
    await offerItem.evaluate((element) => element.scrollIntoView());
    await shoot('timeline-email-open', false);

    // A skipped attachment: named with its size, not downloadable.
    const drawingsItem = item(DRAWINGS_SUBJECT);
    await drawingsItem.getByRole('button', { name: DRAWINGS_SUBJECT }).click();
    await drawingsItem.getByText('50 MB · not stored (too large)').waitFor();
    expect(await drawingsItem.getByText('Walkthrough.mp4').count()).toBe(1);
    expect(await drawingsItem.getByRole('button', { name: /Download/ }).count()).toBe(0);
    // Closing folds it away again.
    await drawingsItem.getByRole('button', { name: DRAWINGS_SUBJECT }).click();
    await drawingsItem.getByText('not stored (too large)').waitFor({ state: 'detached' });

    // Only the account's own activities.
    await page.getByRole('switch', { name: /Include related records/ }).uncheck();
    await countIs(activities(own));
    await waitForItemCount(own);
    expect((await items().getByRole('heading', { level: 4 }).allTextContents()).map((h) => h.trim())).toContain(WELCOME_SUBJECT);
    expect(await item(DRAWINGS_SUBJECT).count()).toBe(0);
    await shoot('timeline-own-only');
    await page.getByRole('switch', { name: /Include related records/ }).check();
    await countIs(activities(related));

    // Filters: kind chips, direction, search; each count as the API reports it.
    const kinds = page.getByRole('group', { name: 'Kinds of activity' });
    if (seeded.calls) {
      await kinds.getByRole('button', { name: 'Phone call' }).click();
      await countIs(matching(1));
      await waitForItemCount(1);
      expect(await items().first().textContent()).toContain(CALL_SUBJECT);
      expect(await items().first().textContent()).toContain('12 min');
      await kinds.getByRole('button', { name: 'Phone call' }).click();
    }
    await kinds.getByRole('button', { name: 'Email' }).click();
    expect(await kinds.getByRole('button', { name: 'Email' }).getAttribute('aria-pressed')).toBe('true');
    await countIs(matching(await timelineCount(account.id, { includeRelated: true, filter: { kinds: ['EMAIL'] } })));
    await page.getByRole('radio', { name: 'Sent' }).check();
    const sent = await timelineCount(account.id, { includeRelated: true, filter: { kinds: ['EMAIL'], direction: 'OUTGOING' } });
    expect(sent).toBe(1);
    await countIs(matching(sent));
    await waitForItemCount(1);
    expect(await items().first().textContent()).toContain(WELCOME_SUBJECT);
    await shoot('timeline-filtered');
    await page.getByRole('radio', { name: 'All' }).check();
    await kinds.getByRole('button', { name: 'Email' }).click();
    await page.getByLabel('Search activities').fill('invoice');
    await countIs(matching(await timelineCount(account.id, { includeRelated: true, filter: { search: 'invoice' } })));
    await waitForItemCount(1);
    expect(await items().first().textContent()).toContain('Question about invoice 2026-118');
    await page.getByLabel('Search activities').fill('');
    await countIs(activities(related));

    // A contact's page from a party link: its own timeline, related records off by default; Back returns.
    const contact = contacts[0];
    await item(OFFER_SUBJECT).getByRole('link', { name: contact.fullName }).click();
    await page.getByRole('heading', { level: 1, name: contact.fullName }).waitFor();
    expect(await page.getByRole('switch', { name: /Include related records/ }).isChecked()).toBe(false);
    await countIs(activities(await timelineCount(contact.id, { includeRelated: false })));
    expect(await item(OFFER_SUBJECT).count()).toBe(1);
    await shoot('timeline-contact');
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: account.name }).waitFor();
    await countIs(activities(related));
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    await page.getByRole('link', { name: account.name, exact: true }).waitFor();
    expect(await page.getByLabel('Search accounts').inputValue()).toBe(account.name);

    expect(pageErrors).toEqual([]);
  });

  it('fits a phone-sized screen', async () => {
    await openHub({ width: 390, height: 844 }, `#/accounts/${account.id}`);
    await page.getByRole('heading', { level: 1, name: account.name }).waitFor();
    await waitForItemCount(PAGE_SIZE);
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shoot('timeline-narrow', false);
    await shoot('timeline-narrow-full');
    const offerItem = item(OFFER_SUBJECT);
    await offerItem.getByRole('button', { name: OFFER_SUBJECT }).click();
    await offerItem.frameLocator('iframe').getByText('Pallet racks').waitFor();
    await offerItem.getByText('Why here?').click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await offerItem.evaluate((element) => element.scrollIntoView());
    await shoot('timeline-narrow-email', false);
    expect(pageErrors).toEqual([]);
  });
});
