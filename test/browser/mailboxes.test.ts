import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../api/src/common/ids';
import { AlertSeverity, ChannelTestStatus, EmailApproval, MailboxState } from '../../api/src/mail/mail-enums';
import { MailboxAlert } from '../../api/src/mail/mailbox-alert.entity';
import { Mailbox } from '../../api/src/mail/mailbox.entity';
import { QuarantinedMessage } from '../../api/src/mail/quarantined-message.entity';
import { ok } from '../api/gql-helpers';
import { startHub, type StartedHub } from '../support/hub';
import { createProfile, setCredentials, setUpMailbox } from '../support/mailbox-admin';

// The mailbox sync dashboard as an administrator and a salesperson meet it: the real api serving web/dist,
// driven in Debian's Chromium. No sync engine runs: what an engine would have reported is written straight
// into the database, and the one engine report the page waits for (a Test & Enable result) goes through the
// engine's own GraphQL calls, so the page's mailboxChanged subscription has to pick it up.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
const CHROMIUM = '/usr/bin/chromium';
const ADMIN = { address: 'admin@demo.crm.test' };
const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const SARA = { address: 'sara.sales@demo.crm.test', name: 'Sara Säljare' };
const MARIA = { address: 'maria.manager@demo.crm.test' };
const NORA = { address: 'nora.north@demo.crm.test' };
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };

const AUTH_ALERT = 'The IMAP server refused the password for sara.sales@demo.crm.test (AUTHENTICATIONFAILED). Synchronization stopped until the credentials change.';
const AUTH_REASON = 'AUTH_FAILED: the IMAP server refused the password';
const QUARANTINED_SUBJECT = 'Quarterly figures (scanned)';
const QUARANTINED_REASON = 'The MIME structure is broken: multipart boundary "----=_Part_17" never closes.';
const REFUSED_REASON = 'Connection refused by 127.0.0.1:1143: is the IMAP server running?';

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let pageErrors: string[] = [];
let adminToken: string;
const mailboxOf: Record<string, string> = {};

/** The database id inside a Relay global id (base64url of "Type:uuid"). */
const rawId = (globalId: string): string => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** Writes what a sync engine's reports would have left on a mailbox. */
const setMailbox = (address: string, values: Partial<Mailbox>) =>
  hub.database.dataSource.getRepository(Mailbox).update({ id: rawId(mailboxOf[address]) }, values);

async function addAlert(address: string, severity: AlertSeverity, code: string, message: string, createdAt: Date) {
  await hub.database.dataSource.getRepository(MailboxAlert).insert({ id: newId(), mailboxId: rawId(mailboxOf[address]), severity, code, message, createdAt });
}

/** The administrator's configuration steps happened a week ago; what the engine reported came after. */
const backdateLog = (address: string) =>
  hub.database.dataSource.getRepository(MailboxAlert).update({ mailboxId: rawId(mailboxOf[address]) }, { createdAt: ago(7 * 24 * 60) });

async function seed() {
  adminToken = await hub.login(ADMIN.address);
  const { mailboxes } = ok(await hub.gql<{ mailboxes: { id: string; address: string }[] }>('{ mailboxes { id address } }', {}, adminToken));
  for (const m of mailboxes) mailboxOf[m.address] = m.id;
  const profileId = await createProfile(hub, adminToken, 'Head office IMAP', { kind: 'IMAP_SMTP', incomingPort: 1143, outgoingPort: 1025 });

  // Sam: configured with credentials, waiting for an administrator to approve the address.
  ok(
    await hub.gql(
      'mutation($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { id } }',
      { id: mailboxOf[SAM.address], input: { profileId, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'SERVER_SIDE_SYNC' } },
      adminToken,
    ),
  );
  await setCredentials(hub, await hub.login(SAM.address), mailboxOf[SAM.address], SAM.address, 'sam-imap-password');

  // Maria: syncing, with the reconciler finding a few messages missing.
  await setUpMailbox(hub, adminToken, mailboxOf[MARIA.address], { profileId, username: MARIA.address, password: 'x', testAndEnable: false });
  await backdateLog(MARIA.address);
  await setMailbox(MARIA.address, {
    state: MailboxState.ENABLED,
    incomingTestStatus: ChannelTestStatus.SUCCESS,
    outgoingTestStatus: ChannelTestStatus.SUCCESS,
    testedAt: ago(3 * 24 * 60),
    lastSyncAt: ago(2),
    lastSyncItems: 17,
    nextSyncAt: new Date(Date.now() + 4 * 60_000),
    coverageServerCount: 1240,
    coverageDecidedCount: 1234,
    coverageCheckedAt: ago(20),
  });
  await addAlert(MARIA.address, AlertSeverity.WARNING, 'MESSAGES_MISSING', 'The reconciler found 6 messages on the server without a decision; the next sync fetches them again.', ago(20));

  // Nora: a transient failure, backing off.
  await setUpMailbox(hub, adminToken, mailboxOf[NORA.address], { profileId, username: NORA.address, password: 'x', testAndEnable: false });
  await backdateLog(NORA.address);
  await setMailbox(NORA.address, {
    state: MailboxState.BACKING_OFF,
    stateReason: 'TEMPORARY: connection timed out after 30 s; retrying with back-off',
    failureCount: 3,
    lastSyncAt: ago(95),
    nextSyncAt: new Date(Date.now() + 8 * 60_000),
  });
  await addAlert(NORA.address, AlertSeverity.WARNING, 'TEMPORARY', 'Connection to 127.0.0.1:1143 timed out after 30 s (3rd failure in a row); retrying in 8 minutes.', ago(5));

  // Sara: the server refused her password, and one message could not be parsed before that.
  await setUpMailbox(hub, adminToken, mailboxOf[SARA.address], { profileId, username: SARA.address, password: 'old-password', testAndEnable: false });
  await backdateLog(SARA.address);
  await setMailbox(SARA.address, {
    state: MailboxState.DISABLED_AUTH,
    stateReason: AUTH_REASON,
    incomingTestStatus: ChannelTestStatus.SUCCESS,
    outgoingTestStatus: ChannelTestStatus.SUCCESS,
    testedAt: ago(6 * 24 * 60),
    lastSyncAt: ago(3 * 60),
    lastSyncItems: 4,
    nextSyncAt: null,
    coverageServerCount: 310,
    coverageDecidedCount: 310,
    coverageCheckedAt: ago(4 * 60),
  });
  await hub.database.dataSource.getRepository(QuarantinedMessage).insert({
    id: newId(),
    mailboxId: rawId(mailboxOf[SARA.address]),
    sourceRef: 'imap:INBOX:1700000000:482',
    folder: 'INBOX',
    code: 'INVALID_MESSAGE',
    reason: QUARANTINED_REASON,
    messageId: '<broken-17@scanner.customer.example>',
    subject: QUARANTINED_SUBJECT,
    fromAddress: 'scanner@customer.example',
    size: 2_411_520,
    quarantinedAt: ago(4 * 60),
  });
  await addAlert(SARA.address, AlertSeverity.WARNING, 'MESSAGE_QUARANTINED', `“${QUARANTINED_SUBJECT}” could not be parsed and was quarantined; the rest of the mailbox synced.`, ago(4 * 60));
  await addAlert(SARA.address, AlertSeverity.ERROR, 'AUTH_FAILED', AUTH_ALERT, ago(3 * 60));
}

const shoot = (name: string, fullPage = true) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
const row = (address: string) => page.getByTestId('mailbox-row').filter({ has: page.getByRole('link', { name: address, exact: true }) });
const textOf = async (testid: string, within = page.locator('body')) => (await within.getByTestId(testid).first().textContent())?.trim();
/** Waits until the element with `testid` reads `text` (the page updates on answers and polls, not on a timer of ours). */
const waitForText = (testid: string, text: string | RegExp, within = page.locator('body')) =>
  within.getByTestId(testid).filter({ hasText: text }).first().waitFor();

async function openHub(viewport: { width: number; height: number }, email: string) {
  context = await browser.newContext({ locale: 'en-US', viewport });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(`${hub.url}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(hub.demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('viewer-name').waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mailboxes' }).click();
  await page.getByRole('heading', { level: 1, name: 'Mailboxes' }).waitFor();
  await page.getByTestId('mailbox-row').first().waitFor();
}

async function openMailbox(address: string) {
  await row(address).getByRole('link', { name: address, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: address }).waitFor();
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-chromium.sh`);
  if (!existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is not built: run `npm run build -w web`');
  await mkdir(SCREENSHOTS, { recursive: true });
  hub = await startHub({ dialect: 'sqlite' });
  await seed();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

afterEach(async () => {
  expect(pageErrors, 'errors in the page').toEqual([]);
  await context?.close();
  context = undefined;
});

describe('mailbox sync dashboard', () => {
  it('shows an administrator every mailbox with its state, and a stopped mailbox’s alerts and quarantine', async () => {
    await openHub(WIDE, ADMIN.address);
    expect(new URL(page.url()).hash).toBe('#/mailboxes');
    expect(await page.getByRole('link', { name: 'Mailboxes' }).getAttribute('aria-current')).toBe('page');

    // Every mailbox of the organization, in the API's order.
    const all = Object.keys(mailboxOf).sort();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="mailbox-row"]').length === n, all.length);
    const shown = await page.locator('[data-testid="mailbox-row"] th a').allTextContents();
    expect(shown).toEqual(all);

    expect(await textOf('mailbox-state', row(SARA.address))).toBe('Sign-in refused');
    expect(await textOf('mailbox-state-reason', row(SARA.address))).toBe(AUTH_REASON);
    expect(await textOf('mailbox-latest-alert', row(SARA.address))).toContain(AUTH_ALERT);
    expect(await row(SARA.address).getByTestId('mailbox-latest-alert').getByRole('img', { name: 'Error' }).count()).toBe(1);
    expect(await textOf('mailbox-coverage', row(SARA.address))).toBe('310 / 310');
    expect(await textOf('mailbox-state', row(MARIA.address))).toBe('Enabled');
    expect(await textOf('mailbox-coverage', row(MARIA.address))).toBe('1,234 / 1,240 (6 missing)');
    expect(await row(MARIA.address).getByText('2 minutes ago').count()).toBe(1);
    expect(await textOf('mailbox-state', row(NORA.address))).toBe('Backing off');
    expect(await textOf('mailbox-state', row(SAM.address))).toBe('Not enabled');
    expect(await textOf('mailbox-approval', row(SAM.address))).toBe('Pending approval');
    expect(await textOf('mailbox-owner', row(SAM.address))).toBe(`User · ${SAM.name}`);
    expect(await textOf('mailbox-profile', row(SAM.address))).toBe('Head office IMAP · IMAP/SMTP');
    expect(await textOf('mailboxes-summary')).toMatch(new RegExp(`^${all.length} mailboxes · \\d+ need attention$`));
    await shoot('mailboxes-admin');

    // Sara's mailbox: why it stopped, the alert log newest first with severities, the quarantined message.
    await openMailbox(SARA.address);
    expect(new URL(page.url()).hash).toBe(`#/mailboxes/${mailboxOf[SARA.address]}`);
    expect(await textOf('detail-state')).toBe('Sign-in refused');
    expect(await textOf('detail-state-reason')).toBe(AUTH_REASON);
    const alerts = page.getByTestId('alert');
    expect(await alerts.first().textContent()).toContain(AUTH_ALERT);
    expect(await alerts.first().getByRole('img', { name: 'Error' }).count()).toBe(1);
    expect(await alerts.nth(1).textContent()).toContain(QUARANTINED_SUBJECT);
    expect(await alerts.nth(1).getByRole('img', { name: 'Warning' }).count()).toBe(1);
    // The administrator's own steps are in the log too (approval, credentials), older than the engine's.
    expect(await alerts.filter({ hasText: 'approved by admin@demo.crm.test' }).count()).toBe(1);
    const quarantined = page.getByTestId('quarantined');
    expect(await quarantined.count()).toBe(1);
    expect(await quarantined.textContent()).toContain(QUARANTINED_SUBJECT);
    expect(await quarantined.textContent()).toContain(QUARANTINED_REASON);
    expect(await quarantined.textContent()).toContain('From scanner@customer.example');
    expect(await quarantined.textContent()).toContain('2.3 MB');
    expect(await textOf('test-status', page.getByTestId('test-incoming'))).toBe('Success');
    // Already approved: no Approve button, but the administrator's other buttons.
    expect(await page.getByRole('button', { name: 'Approve email' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Disable' }).count()).toBe(1);
    await shoot('mailbox-disabled-auth');
  });

  it('lets an administrator approve, Test & Enable (following the test until a result arrives), resync and disable', async () => {
    await openHub(WIDE, ADMIN.address);
    await openMailbox(SAM.address);
    expect(await textOf('detail-approval')).toBe('Pending approval');

    // Test & Enable before approval: the API's refusal is shown beside the buttons, in its own words.
    await page.getByRole('button', { name: 'Test & Enable' }).click();
    await waitForText('action-error', /Test & Enable:\s*Approve the email address first/);
    expect(await textOf('action-error')).toContain('approveMailboxEmail');
    expect(await textOf('test-status', page.getByTestId('test-incoming'))).toBe('Not run');

    await page.getByRole('button', { name: 'Approve email' }).click();
    await waitForText('detail-approval', 'Approved');
    await waitForText('action-notice', 'Email address approved.');
    expect(await page.getByTestId('action-error').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Approve email' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Test & Enable' }).click();
    await waitForText('test-status', 'Testing…', page.getByTestId('test-incoming'));
    expect(await textOf('test-status', page.getByTestId('test-outgoing'))).toBe('Testing…');
    expect(await page.getByRole('button', { name: 'Testing…' }).isDisabled()).toBe(true);
    // Live: the page waits for the result without re-reading (it re-reads only while the connection is down).
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    expect(await page.getByText(/Checking every \d+ s/).count()).toBe(0);
    await shoot('mailbox-test-pending');

    // A sync engine takes the test and reports; the page, following mailboxChanged, shows each channel's result and reason.
    const engine = (query: string, variables: Record<string, unknown>) => hub.gql(query, variables, hub.syncServiceKey);
    const { claimMailboxes } = ok(
      await engine('mutation { claimMailboxes(engineId: "browser-test", limit: 10) { mailboxId leaseId job } }', {}),
    ) as { claimMailboxes: { mailboxId: string; leaseId: string; job: string }[] };
    const work = claimMailboxes.find((w) => w.mailboxId === mailboxOf[SAM.address]);
    expect(work?.job).toBe('TEST');
    ok(
      await engine(
        'mutation($m: ID!, $l: ID!, $in: ChannelTestInput!, $out: ChannelTestInput!) { reportMailboxTest(mailboxId: $m, leaseId: $l, incoming: $in, outgoing: $out) { id } }',
        { m: work!.mailboxId, l: work!.leaseId, in: { status: 'FAILURE', code: 'REFUSED', reason: REFUSED_REASON }, out: { status: 'SUCCESS' } },
      ),
    );
    const incoming = page.getByTestId('test-incoming');
    await waitForText('test-status', 'Failure', incoming);
    expect(await textOf('test-reason', incoming)).toBe(`REFUSED ${REFUSED_REASON}`);
    expect(await textOf('test-status', page.getByTestId('test-outgoing'))).toBe('Success');
    expect(await page.getByText(/Checking every \d+ s/).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Test & Enable' }).isEnabled()).toBe(true);
    await shoot('mailbox-test-failed');

    // Resync: a day in the future is refused beside the date field the API names.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const resyncFrom = page.getByLabel('Resync mail received since');
    await resyncFrom.fill(day(new Date(tomorrow.getTime() + 86_400_000)));
    await page.getByRole('button', { name: 'Resync' }).click();
    await page.locator('#resync-from-error').filter({ hasText: 'Choose a date that has passed.' }).waitFor();
    expect(await resyncFrom.getAttribute('aria-invalid')).toBe('true');
    await resyncFrom.fill(day(new Date(Date.now() - 14 * 86_400_000)));
    await page.getByRole('button', { name: 'Resync' }).click();
    await waitForText('action-notice', 'Resync requested');
    expect(await resyncFrom.getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByText('Resync pending').count()).toBe(1);

    await page.getByRole('button', { name: 'Disable' }).click();
    await waitForText('detail-state', 'Disabled by admin');
    expect(await textOf('detail-state-reason')).toBe('disabled by admin@demo.crm.test');
    expect(await page.getByRole('button', { name: 'Disable' }).count()).toBe(0);
    // The log shows each step, newest first.
    const codes = await page.getByTestId('alert').locator('code').allTextContents();
    expect(codes.slice(0, 4)).toEqual(['DISABLED_BY_ADMIN', 'RESYNC_REQUESTED', 'REFUSED', 'TEST_REQUESTED']);
    await shoot('mailbox-admin-actions');
  });

  it('shows a salesperson only their own mailbox, where they can set credentials but not approve', async () => {
    await openHub(NARROW, SARA.address);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="mailbox-row"]').length === 1);
    expect(await page.locator('[data-testid="mailbox-row"] th a').allTextContents()).toEqual([SARA.address]);
    expect(await textOf('mailbox-state', row(SARA.address))).toBe('Sign-in refused');
    await shoot('mailboxes-salesperson-narrow');

    await openMailbox(SARA.address);
    expect(await page.getByRole('button', { name: 'Approve email' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Disable' }).count()).toBe(0);
    expect(await page.getByLabel('Resync mail received since').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Test & Enable' }).isEnabled()).toBe(true);
    expect(await textOf('credentials-status')).toContain(`The mail server refused the saved password for ${SARA.address}`);
    expect(await page.getByTestId('quarantined').count()).toBe(1);
    await shoot('mailbox-salesperson-narrow');

    // A salesperson cannot approve through the API either: the page hides only what the API refuses.
    const sara = await hub.login(SARA.address);
    const refused = await hub.gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: mailboxOf[SARA.address] }, sara);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // The form's own check, then the API's refusal beside the field it names, then success.
    const username = page.getByLabel('User name');
    const password = page.getByLabel('Password', { exact: true });
    await page.getByRole('button', { name: 'Save credentials' }).click();
    await page.locator('#credentials-password-error').filter({ hasText: 'Enter the password.' }).waitFor();
    await username.fill(`${'x'.repeat(321)}@demo.crm.test`);
    await password.fill('a-new-password');
    await page.getByRole('button', { name: 'Save credentials' }).click();
    await page.locator('#credentials-username-error').filter({ hasText: 'Too long: at most 320 characters.' }).waitFor();
    expect(await username.getAttribute('aria-invalid')).toBe('true');
    expect(await password.inputValue()).toBe('');
    await shoot('mailbox-credentials-error-narrow', false);

    await username.fill(SARA.address);
    await password.fill('the-right-password');
    await page.getByRole('button', { name: 'Save credentials' }).click();
    // New credentials end a stop caused by a refused password: the mailbox syncs again.
    await waitForText('detail-state', 'Enabled');
    expect(await page.getByText('Saved. The password is not shown again.').count()).toBe(1);
    expect(await password.inputValue()).toBe('');
    expect(await textOf('credentials-status')).toContain(`A password is saved for ${SARA.address}`);
    expect(await page.content()).not.toContain('the-right-password');
    expect(await textOf('alert')).toContain('Credentials changed by sara.sales@demo.crm.test; synchronization resumes.');
    await shoot('mailbox-credentials-saved-narrow');
  });

  it('fits a phone: the administrator’s list as cards and a mailbox page in one column', async () => {
    await openHub(NARROW, ADMIN.address);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(NARROW.width);
    await shoot('mailboxes-admin-narrow');
    await openMailbox(MARIA.address);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
    expect(await textOf('detail-coverage')).toContain('1,234 / 1,240 (6 missing)');
    await shoot('mailbox-enabled-narrow');
    await shoot('mailbox-enabled-narrow-top', false);
  });
});
