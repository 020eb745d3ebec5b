import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';
import { outlookMessage, TRACK_EMAILS } from '../support/mail-fixtures';

// The UI under the hub's strict CSP, with no outside network: an email's inline images and links,
// the API explorer, and not one policy violation on the main pages.

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const SUBJECT = 'Our new logo and price list';
const LOGO = { width: 96, height: 40 };

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[] = [];
let contactId: string;
/** The page the email links to, outside the hub: what each visit to it sent. */
let linkTarget: http.Server;
let linkTargetUrl: string;
const visits: { path: string | undefined; referer: string | undefined }[] = [];

/** A solid-colour PNG of the given size (RFC 2083: signature, IHDR, IDAT, IEND). */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

async function gql<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const result = await hub.gql<T>(query, variables, token);
  if (result.errors?.length) throw new Error(`${result.errors[0].message} (${JSON.stringify(result.errors[0].extensions)})`);
  return result.data as T;
}

async function upload(bytes: Buffer): Promise<string> {
  const response = await fetch(`${hub.url}/blobs`, { method: 'PUT', headers: { authorization: `Bearer ${hub.syncServiceKey}` }, body: bytes });
  expect(response.status).toBeLessThan(300);
  return ((await response.json()) as { sha256: string }).sha256;
}

/** An email to sam from one of his contacts, with a PNG and a scripted SVG as inline parts and a link. */
async function seed() {
  const sam = await hub.login(SAM.address);
  const admin = await hub.login('admin@demo.crm.test');
  const { contacts } = await gql<{ contacts: { edges: { node: { id: string; fullName: string; primaryEmail: string | null } }[] } }>(
    '{ contacts(first: 50) { edges { node { id fullName primaryEmail } } } }',
    {},
    sam,
  );
  const contact = contacts.edges.map((e) => e.node).find((c) => c.primaryEmail)!;
  contactId = contact.id;
  const { mailboxes } = await gql<{ mailboxes: { id: string; address: string }[] }>('{ mailboxes { id address } }', {}, hub.syncServiceKey);
  const mailboxId = mailboxes.find((m) => m.address === SAM.address)!.id;
  await gql('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: mailboxId, input: { trackingFilter: 'ALL' } }, admin);

  const logo = png(LOGO.width, LOGO.height, [36, 91, 214]);
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>top.document.title = "pwned"</script></svg>');
  const item = {
    ...outlookMessage({ from: { address: contact.primaryEmail!, name: contact.fullName }, to: [SAM], subject: SUBJECT }),
    htmlBody:
      `<html><body><p>Hi Sam, here is our new logo:</p><p><img src="cid:logo.png@01DB2C3A" alt="Company logo"></p>` +
      `<p><img src="cid:badge@01DB2C3A" alt="Badge"></p>` +
      `<p>The prices are on <a href="${linkTargetUrl}/prices">our price list</a>; see the <a href="#terms">terms below</a> and the <a href="catalogue.html">catalogue</a>.</p>` +
      `<div style="height: 1500px"></div><p><a name="terms"></a>Terms: net 30 days.</p></body></html>`,
    attachments: [
      { fileName: 'image001.png', contentType: 'application/octet-stream', size: logo.length, sha256: await upload(logo), contentId: '<logo.png@01DB2C3A>', inline: true },
      { fileName: 'badge.svg', contentType: 'image/svg+xml', size: svg.length, sha256: await upload(svg), contentId: '<badge@01DB2C3A>', inline: true },
    ],
  };
  const { trackEmails } = await gql<{ trackEmails: { items: { outcome: string }[] } }>(TRACK_EMAILS, { mailboxId, input: { items: [item] } }, hub.syncServiceKey);
  expect(trackEmails.items.map((i) => i.outcome)).toEqual(['TRACKED']);
}

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });

/** A fresh tab at `url`, signed in as sam, recording console errors and CSP violations. */
async function openAsSam(url: string) {
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(url);
  await signIn(page, SAM.address, hub.demoPassword, SAM.name);
}

beforeAll(async () => {
  linkTarget = http.createServer((req, res) => {
    if (req.url === '/framing') {
      // Another origin that tries to put the hub in a frame (clickjacking).
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><title>framing</title><iframe src="${hub.url}/" width="800" height="600"></iframe>`);
      return;
    }
    visits.push({ path: req.url, referer: req.headers.referer });
    // The script runs only in a page outside the email's sandbox; it shows the referrer the page saw.
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>prices</title><script>document.title = "opened, referrer: [" + document.referrer + "], opener: " + (window.opener === null)</script>');
  });
  await new Promise<void>((resolve) => linkTarget.listen(0, '127.0.0.1', resolve));
  linkTargetUrl = `http://127.0.0.1:${(linkTarget.address() as AddressInfo).port}`;
  hub = await startHub({ dialect: 'sqlite' });
  await seed();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
  await new Promise((resolve) => linkTarget?.close(resolve));
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

describe('an email body', () => {
  it('shows its inline images from the reader’s own download, and opens links in a new tab outside the sandbox with no referrer', async () => {
    await openAsSam(`${hub.url}/#/contacts/${contactId}`);
    const item = page.getByTestId('timeline-item').filter({ has: page.getByRole('heading', { name: SUBJECT }) });
    await item.getByRole('button', { name: SUBJECT }).click();
    const frameElement = item.locator('iframe');
    await frameElement.waitFor();
    expect(await frameElement.getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');

    // The PNG came as bytes in a data: URL (typed by its content, not the sender's octet-stream); the SVG is not shown.
    const srcdoc = (await frameElement.getAttribute('srcdoc'))!;
    expect(srcdoc).toContain('<base target="_blank">');
    expect(srcdoc).toMatch(/<img alt="Company logo" src="data:image\/png;base64,[^"]+">/);
    expect(srcdoc).toContain('<img alt="Badge">');
    expect(srcdoc).not.toContain('/attachments/');
    await item.getByTestId('missing-inline-images').filter({ hasText: 'One image in this email could not be loaded.' }).waitFor();

    const frame = item.frameLocator('iframe');
    const logo = frame.getByRole('img', { name: 'Company logo' });
    await logo.waitFor();
    const size = await logo.evaluate(
      (img: HTMLImageElement) =>
        new Promise<{ width: number; height: number }>((resolve) => {
          const done = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
          if (img.complete) done();
          else img.addEventListener('load', done);
        }),
    );
    expect(size).toEqual(LOGO);
    await item.evaluate((element) => element.scrollIntoView());
    await shoot('email-inline-image');

    const link = frame.getByRole('link', { name: 'our price list' });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(errors).toEqual([]);
    const [opened] = await Promise.all([context!.waitForEvent('page'), link.click()]);
    await opened.waitForFunction(() => document.title.startsWith('opened'));
    // Scripts ran there, so it is not sandboxed; it got no referrer and no handle on the hub's window.
    expect(await opened.title()).toBe('opened, referrer: [], opener: true');
    expect(opened.url()).toBe(`${linkTargetUrl}/prices`);
    // (The new tab then asks for its own /favicon.ico, naming itself: that is not the hub.)
    expect(visits.filter((v) => v.path === '/prices')).toEqual([{ path: '/prices', referer: undefined }]);
    expect(visits.filter((v) => v.referer?.startsWith(hub.url))).toEqual([]);
    expect(await page.title()).toBe('CRM Activity Hub');

    // Relative links would resolve against the hub's address (the frame's base URL) and open the hub
    // again: they are left as text.
    expect(await frame.getByRole('link').allTextContents()).toEqual(['our price list']);
    expect(await frame.getByText('terms below').evaluate((a) => a.outerHTML)).toBe('<a rel="noopener noreferrer nofollow">terms below</a>');
    expect(await frame.getByText('catalogue').evaluate((a) => a.hasAttribute('href'))).toBe(false);

    // Playwright, attaching to a popup, tries its own scripts in the sandboxed opener frame; Chromium
    // logs that as blocked (a bare page with a sandboxed srcdoc link does the same). Nothing else.
    expect(errors.filter((e) => !e.startsWith("Blocked script execution in 'about:srcdoc'"))).toEqual([]);
  });
});

describe('the API explorer', () => {
  it('is where GET /graphql takes a browser; runs queries with the session and browses the schema', async () => {
    await openAsSam(`${hub.url}/graphql`);
    expect(new URL(page.url()).hash).toBe('#/explorer');
    await page.getByRole('heading', { level: 1, name: 'API explorer' }).waitFor();
    expect(await page.getByRole('link', { name: 'API explorer' }).getAttribute('aria-current')).toBe('page');

    // The sample query runs as sam.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const result = page.getByTestId('explorer-result');
    await result.waitFor();
    expect(JSON.parse((await result.textContent())!)).toMatchObject({ data: { viewer: { fullName: SAM.name, email: SAM.address } } });
    expect(await page.getByTestId('explorer-status').textContent()).toMatch(/HTTP 200 · \d+ ms/);
    await shoot('api-explorer');

    // Variables: refused when not a JSON object, used when they are.
    await page.getByLabel('Query', { exact: true }).fill('query Accounts($first: Int) { accounts(first: $first) { totalCount edges { node { name } } } }');
    await page.getByLabel('Variables (JSON)').fill('{ first: 2 }');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The variables are not valid JSON' }).waitFor();
    await page.getByLabel('Variables (JSON)').fill('{ "first": 2 }');
    await page.getByLabel('Variables (JSON)').press('Control+Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="explorer-result"]')?.textContent?.includes('totalCount'));
    const accounts = JSON.parse((await result.textContent())!) as { data: { accounts: { edges: unknown[]; totalCount: number } } };
    expect(accounts.data.accounts.edges).toHaveLength(2);
    expect(accounts.data.accounts.totalCount).toBeGreaterThan(2);

    // Errors are shown as the API sent them.
    await page.getByLabel('Query', { exact: true }).fill('{ viewer { nope } }');
    await page.getByLabel('Variables (JSON)').fill('');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByTestId('explorer-status').filter({ hasText: 'with errors' }).waitFor();
    expect(JSON.parse((await result.textContent())!).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');

    // A refused sign-in typed here is an answer to show, not the end of the reader's own session.
    await page.getByLabel('Query', { exact: true }).fill(`mutation { login(email: "${SAM.address}", password: "not-the-password") { token } }`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="explorer-result"]')?.textContent?.includes('UNAUTHENTICATED'));
    await page.getByLabel('Query', { exact: true }).fill('{ viewer { email } }');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="explorer-result"]')?.textContent?.includes('"email"'));
    expect(JSON.parse((await result.textContent())!)).toEqual({ data: { viewer: { email: SAM.address } } });

    // The schema: Query opens first; a field's type opens that type; Back returns.
    const detail = page.getByTestId('schema-type');
    await detail.getByRole('heading', { name: 'type Query' }).waitFor();
    const viewerField = detail.getByRole('listitem').filter({ hasText: /^\s*viewer:/ });
    await viewerField.getByRole('button', { name: 'User!' }).click();
    await detail.getByRole('heading', { name: 'type User' }).waitFor();
    expect(await detail.textContent()).toContain('fullName: String!');
    await page.getByLabel('Filter types').fill('privacy');
    expect(await page.getByTestId('schema-types').getByRole('button').allTextContents()).toEqual([expect.stringMatching(/^\s*PrivacyLevel\s+enum\s*$/)]);
    await page.getByTestId('schema-types').getByRole('button', { name: /PrivacyLevel/ }).click();
    await detail.getByRole('heading', { name: 'enum PrivacyLevel' }).waitFor();
    expect(await detail.getByRole('list', { name: 'Values of PrivacyLevel' }).textContent()).toContain('SUBJECT_ONLY');
    await page.getByLabel('Filter types').fill('');
    await detail.getByRole('button', { name: '← User' }).click();
    await detail.getByRole('heading', { name: 'type User' }).waitFor();
    await detail.scrollIntoViewIfNeeded();
    await shoot('api-explorer-schema');

    // On a phone the schema goes under the editors, and nothing is wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shoot('api-explorer-narrow');
    // Only the browser's note on the 400 answer to the invalid query.
    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });
});

describe('the strict CSP', () => {
  it('is not violated on the main pages', async () => {
    await openAsSam(hub.url);
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    await page.getByRole('table').getByRole('link').first().click();
    await page.getByTestId('record-owner').waitFor();
    await page.goto(`${hub.url}/#/contacts/${contactId}`);
    await page.getByRole('button', { name: SUBJECT }).click();
    await page.frameLocator('iframe').getByRole('img', { name: 'Company logo' }).waitFor();
    await page.getByRole('link', { name: 'Mailboxes' }).click();
    await page.getByTestId('mailboxes-summary').filter({ hasText: /mailbox/ }).waitFor();
    await page.getByRole('link', { name: 'API explorer' }).click();
    await page.getByTestId('schema-type').getByRole('heading', { name: 'type Query' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(errors).toEqual([]);

    // The watch does see a violation: a remote image is refused and reported.
    const reported = page.waitForEvent('console', (message) => /Content Security Policy/.test(message.text()));
    await page.evaluate(() => {
      document.body.append(Object.assign(document.createElement('img'), { src: 'http://images.example/pixel.png' }));
    });
    expect((await reported).text()).toMatch(/img-src/);
  });

  it('keeps the hub out of another origin’s frames', async () => {
    context = await browser.newContext({ locale: 'en-US' });
    page = await context.newPage();
    // goto waits for the load event, which waits for the frame's own load (refused or not).
    await page.goto(`${linkTargetUrl}/framing`);
    const framed = page.frames().find((frame) => frame !== page.mainFrame())!;
    // frame-ancestors 'none' (and X-Frame-Options: DENY): Chromium shows its error page instead of the hub.
    // The frame's URL can still be empty for a moment after the load event: wait for it to settle.
    await expect.poll(() => framed.url(), { timeout: 5_000 }).toBe('chrome-error://chromewebdata/');
  });
});
