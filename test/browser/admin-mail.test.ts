import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ok, uniqueTag } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';
import { Mailbox } from '../../api/src/mail/mailbox.entity';
import { rawId } from '../support/mail-setup';
import { setCredentials } from '../support/mailbox-admin';

// The mail part of the administrator's console as an administrator and a salesperson meet it: email server profiles,
// the organization's email settings, and the settings of one mailbox. No sync engine runs, so a Test & Enable stays
// requested; what the page shows of it is the API's answer to each request.

const ADMIN = { email: 'admin@demo.crm.test', name: 'Ada Admin' };
const SAM = { email: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const SARA = { email: 'sara.sales@demo.crm.test', name: 'Sara Säljare' };

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[];
let admin: string;
const mailboxOf: Record<string, string> = {};

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const field = (label: string) => page.getByLabel(label, { exact: true });

async function open(who: { email: string; name: string }, locale = 'en-US', viewport = { width: 1280, height: 900 }): Promise<void> {
  context = await browser.newContext({ locale, viewport });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(hub.url);
  if (locale.startsWith('en')) return signIn(page, who.email, hub.demoPassword, who.name);
  await page.getByLabel('E-postadress').fill(who.email);
  await page.getByLabel('Lösenord').fill(hub.demoPassword);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByTestId('viewer-name').filter({ hasText: who.name }).waitFor();
}

const profileNamed = async (name: string) =>
  (ok(await hub.gql('{ emailServerProfiles { id name incomingHost pollIntervalSeconds outgoingPort hasCredentials } }', {}, admin)).emailServerProfiles as any[]).find((p) => p.name === name);

const mailbox = async (address: string) =>
  ok(await hub.gql('query($id: ID!) { mailbox(id: $id) { profile { name } incomingMethod outgoingMethod trackingFilter timeZone folderTrackingRules { folder } } }', { id: mailboxOf[address] }, admin)).mailbox;

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
  browser = await launchChromium();
  admin = await hub.login(ADMIN.email);
  for (const m of ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[]) mailboxOf[m.address] = m.id;
}, 120_000);

afterEach(async () => {
  expect(errors ?? []).toEqual([]);
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

// The tests run in order: the later ones find the profile the first made, and the mailboxes it gave it.
describe('the mail console', () => {
  const profile = `Contoso IMAP ${uniqueTag()}`;

  it('creates a profile (its field error first), edits it, is refused deleting it while mailboxes use it, and runs Test & Enable for all of them', async () => {
    await open(ADMIN);
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name: 'Email server profiles' }).click();
    await page.getByRole('link', { name: 'New profile' }).click();
    await page.getByRole('heading', { name: 'New email server profile' }).waitFor();

    await field('Name').fill(profile);
    await field('Incoming server').fill('mail example.com');
    await field('Outgoing server').fill('127.0.0.1');
    await page.getByRole('button', { name: 'Create profile' }).click();
    const hostError = page.locator('#profile-incoming-host-error');
    await hostError.waitFor();
    expect(await hostError.textContent()).toContain('is not a host name');
    expect(await field('Incoming server').getAttribute('aria-invalid')).toBe('true');
    expect(await field('Incoming server').getAttribute('aria-describedby')).toBe('profile-incoming-host-error');
    await shoot('admin-mail-profile-error');

    // Plain IMAP: the port follows the encryption while it is still the usual one.
    await field('Incoming server').fill('127.0.0.1');
    await field('Incoming encryption').selectOption('NONE');
    expect(await field('Incoming port').inputValue()).toBe('143');
    await field('Sign every mailbox in with the profile’s credentials').check();
    await field('User name').fill('shared@example.com');
    await field('Password').fill('s3cret-shared');
    await page.getByRole('button', { name: 'Create profile' }).click();
    const row = page.getByTestId('profile-row').filter({ hasText: profile });
    await row.waitFor();
    expect(await row.textContent()).toContain('127.0.0.1:143');
    expect(await row.getByTestId('profile-mailboxes').textContent()).toBe('0 mailboxes');
    const created = await profileNamed(profile);
    expect(created).toMatchObject({ incomingHost: '127.0.0.1', hasCredentials: true });

    // Edit: the password is never shown back; only what changed is sent.
    await row.getByRole('link', { name: profile }).click();
    await page.getByRole('heading', { name: `Edit ${profile}` }).waitFor();
    expect(await field('Password').inputValue()).toBe('');
    await page.getByText('One is saved, encrypted, and never shown.').waitFor();
    await field('Check for new mail every (seconds)').fill('abc');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Write a whole number, such as 993.').waitFor();
    await field('Check for new mail every (seconds)').fill('120');
    await field('Outgoing port').fill('2525');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await row.waitFor();
    await page.getByTestId('profiles-notice').filter({ hasText: `Profile “${profile}” saved.` }).waitFor();
    expect(await row.textContent()).toContain('127.0.0.1:2525');
    expect(await profileNamed(profile)).toMatchObject({ pollIntervalSeconds: 120, outgoingPort: 2525, hasCredentials: true });

    // Two mailboxes use it: Sam's approved, Sara's not (Test & Enable refuses hers).
    for (const address of [SAM.email, SARA.email]) {
      ok(await hub.gql('mutation($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { id } }', { id: mailboxOf[address], input: { profileId: created.id, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'SERVER_SIDE_SYNC' } }, admin));
    }
    await setCredentials(hub, admin, mailboxOf[SAM.email], SAM.email, 'pw');
    ok(await hub.gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: mailboxOf[SAM.email] }, admin));
    await page.reload();
    await row.getByTestId('profile-mailboxes').filter({ hasText: '2 mailboxes' }).waitFor();
    await shoot('admin-mail-profiles');

    await page.getByRole('button', { name: `Delete ${profile}` }).click();
    const deleteDialog = page.getByRole('dialog', { name: `Delete ${profile}?` });
    await deleteDialog.getByRole('button', { name: 'Delete' }).click();
    const refused = deleteDialog.getByTestId('delete-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain(`2 mailboxes use “${profile}”. Choose another server profile for them first.`);
    expect(await deleteDialog.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    await shoot('admin-mail-delete-refused');
    await deleteDialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await profileNamed(profile)).toBeTruthy();

    // Nor may its SMTP server go while mailboxes send through it: the refusal stands beside the switch.
    await row.getByRole('link', { name: profile }).click();
    await field('Mailboxes send email through an SMTP server').uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const sendsError = page.locator('#profile-sends-error');
    await sendsError.waitFor();
    expect(await sendsError.textContent()).toContain('2 mailboxes send through the SMTP server');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await row.waitFor();

    await page.getByRole('button', { name: `Test & Enable the mailboxes of ${profile}` }).click();
    const testDialog = page.getByRole('dialog', { name: `Test & Enable the mailboxes of ${profile}` });
    await testDialog.getByText('each of the 2 mailboxes').waitFor();
    await testDialog.getByRole('button', { name: 'Start' }).click();
    await testDialog.getByTestId('test-all-progress').filter({ hasText: '2 of 2' }).waitFor();
    const results = testDialog.getByTestId('test-all-results').getByRole('listitem');
    const samLine = results.filter({ hasText: SAM.email });
    const saraLine = results.filter({ hasText: SARA.email });
    await samLine.getByText('Testing…').waitFor();
    await saraLine.getByText('Refused').waitFor();
    expect(await saraLine.textContent()).toContain('Approve the email address first');
    await testDialog.getByTestId('test-all-progress').filter({ hasText: '1 of 2 with a result' }).waitFor();

    // A sync engine takes Sam's test and reports; the dialog, following mailboxChanged, shows each channel's result.
    const engine = (query: string, variables: Record<string, unknown>) => hub.gql(query, variables, hub.syncServiceKey);
    const claimed = ok(await engine('mutation { claimMailboxes(engineId: "admin-mail-test", limit: 10) { mailboxId leaseId job } }', {})).claimMailboxes as { mailboxId: string; leaseId: string; job: string }[];
    const work = claimed.find((w) => w.mailboxId === mailboxOf[SAM.email]);
    expect(work?.job).toBe('TEST');
    ok(
      await engine(
        'mutation($m: ID!, $l: ID!, $in: ChannelTestInput!, $out: ChannelTestInput!) { reportMailboxTest(mailboxId: $m, leaseId: $l, incoming: $in, outgoing: $out) { id } }',
        { m: work!.mailboxId, l: work!.leaseId, in: { status: 'FAILURE', code: 'REFUSED', reason: 'Connection refused by 127.0.0.1:143' }, out: { status: 'SUCCESS' } },
      ),
    );
    await samLine.getByText('Failed').waitFor();
    expect(await samLine.textContent()).toContain('Incoming: REFUSED Connection refused by 127.0.0.1:143');
    await testDialog.getByTestId('test-all-progress').filter({ hasText: '2 of 2 with a result' }).waitFor();
    await shoot('admin-mail-test-all');
    await testDialog.getByRole('button', { name: 'Close' }).click();

    // A profile no mailbox uses goes.
    const spare = `Spare ${uniqueTag()}`;
    ok(await hub.gql('mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { id } }', { input: { name: spare, kind: 'POP3_SMTP', incomingHost: 'pop.example.com', incomingPort: 995, incomingTls: 'IMPLICIT' } }, admin));
    await page.reload();
    await page.getByRole('button', { name: `Delete ${spare}` }).click();
    await page.getByRole('dialog', { name: `Delete ${spare}?` }).getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('profiles-notice').filter({ hasText: `Profile “${spare}” deleted.` }).waitFor();
    expect(await profileNamed(spare)).toBeUndefined();
  });

  it('saves the organization’s email settings with one Save, a refused value shown beside its field', async () => {
    await open(ADMIN);
    await page.goto(`${hub.url}/#/admin/email-settings`);
    await page.getByTestId('email-settings-form').waitFor();
    await page.getByTestId('token-example').filter({ hasText: 'CRM:0001234' }).waitFor();

    await field('Prefix').fill('HU B');
    await field('Skip bulk mail').uncheck();
    await field('Blocked domains').fill('spam.example\nnewsletters.example.org');
    await field('Largest attachment (KB)').fill('10240');
    await field('Months ahead').fill('24');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const prefixError = page.locator('#setting-tokenPrefix-error');
    await prefixError.waitFor();
    expect(await prefixError.textContent()).toContain('Must not contain');
    await shoot('admin-mail-settings-error');

    await field('Prefix').fill('HUB');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.getByTestId('token-example').filter({ hasText: 'HUB:0001234' }).waitFor();

    await page.reload();
    await page.getByTestId('email-settings-form').waitFor();
    expect(await field('Prefix').inputValue()).toBe('HUB');
    expect(await field('Skip bulk mail').isChecked()).toBe(false);
    expect(await field('Blocked domains').inputValue()).toBe('spam.example\nnewsletters.example.org');
    expect(await field('Largest attachment (KB)').inputValue()).toBe('10240');
    // Recurring meetings from Exchange: kept 3 months back (the default) and, now, 24 ahead; more than 140 is refused beside the field.
    expect([await field('Months back').inputValue(), await field('Months ahead').inputValue()]).toEqual(['3', '24']);
    await field('Months ahead').fill('141');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#setting-futureExpansionWindowMonths-error').waitFor();
    await field('Months ahead').fill('24');
    await shoot('admin-mail-settings');
  });

  it('configures a mailbox’s methods and adds and removes a folder tracking rule', async () => {
    const account = ok(await hub.gql('{ accounts(first: 1, orderBy: { field: NAME, direction: ASC }) { edges { node { id name } } } }', {}, admin)).accounts.edges[0].node;
    await open(ADMIN);
    await page.goto(`${hub.url}/#/mailboxes/${encodeURIComponent(mailboxOf[SARA.email])}`);
    const settings = page.getByTestId('mailbox-settings');
    await settings.waitFor();
    expect(await field('Server profile').locator('option:checked').textContent()).toBe(profile);

    // Appointments, contacts and tasks need Exchange: the refusal stands beside that field.
    await field('Appointments, contacts and tasks').selectOption('SERVER_SIDE_SYNC');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    const actError = page.locator('#mailbox-appointmentsContactsTasksMethod-error');
    await actError.waitFor();
    expect(await actError.textContent()).toContain('Exchange');

    await field('Appointments, contacts and tasks').selectOption('NONE');
    await field('Outgoing email').selectOption('NONE');
    await field('Track').selectOption('ALL');
    // A time zone that is none is refused beside its field; a real one is kept.
    await field('Time zone').fill('Stockholm');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#mailbox-timeZone-error').waitFor();
    await field('Time zone').fill('Europe/Stockholm');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByText('Mailbox settings saved.').waitFor();
    expect(await mailbox(SARA.email)).toMatchObject({ incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'NONE', trackingFilter: 'ALL', timeZone: 'Europe/Stockholm' });

    const rules = page.getByTestId('folder-rules');
    await rules.getByRole('button', { name: 'Add rule' }).click();
    await rules.getByText('Enter the folder’s name.').waitFor();
    await field('Folder').fill('INBOX/Contoso');
    await field('Regarding record (optional)').fill(account.name.slice(0, 6));
    await page.getByRole('list', { name: 'Matching records' }).getByRole('button', { name: new RegExp(account.name) }).first().click();
    await rules.getByRole('button', { name: 'Add rule' }).click();
    const rule = rules.getByTestId('folder-rule').filter({ hasText: 'INBOX/Contoso' });
    await rule.waitFor();
    expect(await rule.textContent()).toContain(account.name);
    await shoot('admin-mail-mailbox-settings');
    expect((await mailbox(SARA.email)).folderTrackingRules).toEqual([{ folder: 'INBOX/Contoso' }]);

    await rules.getByRole('button', { name: 'Remove the rule for INBOX/Contoso' }).click();
    await rules.getByText('No folder has a rule.').waitFor();
    expect((await mailbox(SARA.email)).folderTrackingRules).toEqual([]);

    // A queue's mailbox may be the organization's forward mailbox; a user's is not offered the switch.
    expect(await field('This is the forward mailbox').count()).toBe(0);
    const queueAddress = `forward-${uniqueTag().toLowerCase()}@demo.crm.test`;
    ok(await hub.gql('mutation($input: CreateQueueInput!) { createQueue(input: $input) { id } }', { input: { name: `Forward ${queueAddress}`, emailAddress: queueAddress } }, admin));
    const queueMailbox = (ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[]).find((m) => m.address === queueAddress)!;
    await page.goto(`${hub.url}/#/mailboxes/${encodeURIComponent(queueMailbox.id)}`);
    await field('This is the forward mailbox').check();
    await field('Delete forwarded copies once processed').check();
    await page.getByTestId('mailbox-settings').getByRole('button', { name: 'Save settings' }).click();
    await page.getByTestId('mailbox-settings').getByText('Mailbox settings saved.').waitFor();
    const forward = ok(await hub.gql('query($id: ID!) { mailbox(id: $id) { isForwardMailbox deleteForwardedCopies } }', { id: queueMailbox.id }, admin)).mailbox;
    expect(forward).toEqual({ isForwardMailbox: true, deleteForwardedCopies: true });
  });

  it('picks the folder of a rule from those the sync engine listed on the server, or types one it did not list', async () => {
    // The engine's side, as it does after a sync: under the mailbox's lease (set here: no engine runs), it reports the folders.
    const lease = `browser-${uniqueTag()}`;
    const mailboxes = hub.database.dataSource.getRepository(Mailbox);
    await mailboxes.update({ id: rawId(mailboxOf[SARA.email]) }, { leaseId: lease, leaseOwner: 'admin-mail-test', leaseUntil: new Date(Date.now() + 600_000) });
    ok(
      await hub.gql(
        'mutation($m: ID!, $l: ID!, $f: [String!]!) { reportMailboxFolders(mailboxId: $m, leaseId: $l, folders: $f) { id } }',
        { m: mailboxOf[SARA.email], l: lease, f: ['INBOX', 'INBOX/Contoso', 'Projekt/Åre', 'Sent'] },
        hub.syncServiceKey,
      ),
    );
    await mailboxes.update({ id: rawId(mailboxOf[SARA.email]) }, { leaseId: null, leaseOwner: null, leaseUntil: null });

    await open(ADMIN);
    await page.goto(`${hub.url}/#/mailboxes/${encodeURIComponent(mailboxOf[SARA.email])}`);
    const rules = page.getByTestId('folder-rules');
    await rules.getByTestId('server-folders-read').filter({ hasText: 'Folders as the server listed them just now.' }).waitFor();
    const picker = field('Folder');
    expect(await picker.locator('option').allTextContents()).toEqual(['Choose a folder', 'INBOX', 'INBOX/Contoso', 'Projekt/Åre', 'Sent', 'Other…']);
    await rules.getByRole('button', { name: 'Add rule' }).click();
    await rules.getByText('Choose a folder, or Other… to type its name.').waitFor();

    await picker.selectOption('Projekt/Åre');
    await rules.getByRole('button', { name: 'Add rule' }).click();
    await rules.getByTestId('folder-rule').filter({ hasText: 'Projekt/Åre' }).waitFor();
    // A folder with a rule is no longer offered.
    expect(await picker.locator('option').allTextContents()).toEqual(['Choose a folder', 'INBOX', 'INBOX/Contoso', 'Sent', 'Other…']);
    await shoot('admin-mail-folder-picker');

    // One the server does not list yet is typed.
    expect(await field('Folder name').count()).toBe(0);
    await picker.selectOption({ label: 'Other…' });
    await field('Folder name').fill('Arkiv/2026');
    await rules.screenshot({ path: path.join(SCREENSHOTS, 'admin-mail-folder-picker-other.png') });
    await rules.getByRole('button', { name: 'Add rule' }).click();
    await rules.getByTestId('folder-rule').filter({ hasText: 'Arkiv/2026' }).waitFor();
    expect((await mailbox(SARA.email)).folderTrackingRules).toEqual([{ folder: 'Arkiv/2026' }, { folder: 'Projekt/Åre' }]);
    for (const folder of ['Arkiv/2026', 'Projekt/Åre']) {
      ok(await hub.gql('mutation($m: ID!, $f: String!) { removeFolderTrackingRule(mailboxId: $m, folder: $f) }', { m: mailboxOf[SARA.email], f: folder }, admin));
    }
  });

  it('creates an Exchange (EWS) profile with Autodiscover, gives it an EWS URL, and a mailbox on it shows the appointments, contacts and tasks channel', async () => {
    const exchange = `Contoso Exchange ${uniqueTag()}`;
    await open(ADMIN);
    await page.goto(`${hub.url}/#/admin/profiles`);
    await page.getByRole('link', { name: 'New profile' }).click();
    await field('Name').fill(exchange);
    await field('Server type').selectOption('EXCHANGE_EWS');
    // Exchange has no IMAP/POP3/SMTP server or Sent folder to give; Autodiscover is on until turned off.
    expect(await field('Incoming server').count()).toBe(0);
    expect(await field('Outgoing server').count()).toBe(0);
    expect(await field('Find the server automatically (Autodiscover)').isChecked()).toBe(true);
    await page.getByText('Mailboxes send email through Exchange, which keeps the copy in Sent Items.').waitFor();
    await field('Authentication').selectOption('NTLM');
    await field('Sign every mailbox in with the profile’s credentials').check();
    await field('User name').fill('CORP\\svc-crm');
    await field('Password').fill('service-account-secret');
    await field('Act as each mailbox (impersonation)').check();
    await shoot('admin-mail-exchange-profile');
    await page.getByRole('button', { name: 'Create profile' }).click();
    const row = page.getByTestId('profile-row').filter({ hasText: exchange });
    await row.waitFor();
    expect(await row.textContent()).toContain('Exchange Server (EWS)');
    expect(await row.textContent()).toContain('Autodiscover');

    // An EWS URL instead: a URL with a password in it is refused beside the field, in words.
    await row.getByRole('link', { name: exchange }).click();
    await field('Find the server automatically (Autodiscover)').uncheck();
    await field('EWS URL').fill('https://svc:pw@mail.contoso.test/EWS/Exchange.asmx');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('#profile-ews-url-error').filter({ hasText: 'Write a whole web address' }).waitFor();
    await field('EWS URL').fill('https://mail.contoso.test/EWS/Exchange.asmx');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await row.filter({ hasText: 'https://mail.contoso.test/EWS/Exchange.asmx' }).waitFor();
    const saved = (ok(await hub.gql('{ emailServerProfiles { id name kind ewsUrl useImpersonation authMethod incomingHost } }', {}, admin)).emailServerProfiles as any[]).find((p) => p.name === exchange);
    expect(saved).toMatchObject({ kind: 'EXCHANGE_EWS', ewsUrl: 'https://mail.contoso.test/EWS/Exchange.asmx', useImpersonation: true, authMethod: 'NTLM', incomingHost: null });

    // A mailbox on it syncing appointments, contacts and tasks: Test & Enable has a third channel.
    const maria = 'maria.manager@demo.crm.test';
    ok(await hub.gql('mutation($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { id } }', { id: mailboxOf[maria], input: { profileId: saved.id, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'SERVER_SIDE_SYNC', appointmentsContactsTasksMethod: 'SERVER_SIDE_SYNC' } }, admin));
    await page.goto(`${hub.url}/#/mailboxes/${encodeURIComponent(mailboxOf[maria])}`);
    const act = page.getByTestId('test-act');
    await act.waitFor();
    expect(await act.textContent()).toContain('Appointments, contacts and tasks');
    expect(await page.getByTestId('test-outgoing').textContent()).toContain('EWS');
    await shoot('admin-mail-exchange-mailbox');
  });

  it('an Exchange mailbox picks tracked folders below the Inbox, and a rule whose folder was deleted in Outlook is marked on the page as it happens', async () => {
    // Maria's mailbox is on the Exchange profile of the test before. The engine's side: a folder report with FolderIds.
    const maria = 'maria.manager@demo.crm.test';
    const lease = `browser-${uniqueTag()}`;
    const mailboxes = hub.database.dataSource.getRepository(Mailbox);
    const report = async (serverFolders: { path: string; folderId: string; underInbox: boolean }[]) => {
      await mailboxes.update({ id: rawId(mailboxOf[maria]) }, { leaseId: lease, leaseOwner: 'admin-mail-test', leaseUntil: new Date(Date.now() + 600_000) });
      ok(await hub.gql('mutation($m: ID!, $l: ID!, $s: [ServerFolderInput!]) { reportMailboxFolders(mailboxId: $m, leaseId: $l, serverFolders: $s) { id } }', { m: mailboxOf[maria], l: lease, s: serverFolders }, hub.syncServiceKey));
      await mailboxes.update({ id: rawId(mailboxOf[maria]) }, { leaseId: null, leaseOwner: null, leaseUntil: null });
    };
    const inbox = { path: 'Inbox', folderId: 'AAMkInbox=', underInbox: false };
    const archive = { path: 'Arkiv', folderId: 'AAMkArkiv=', underInbox: false };
    const contoso = { path: 'Inbox/Contoso', folderId: 'AAMkContoso=', underInbox: true };
    const fabrikam = { path: 'Inbox/Fabrikam', folderId: 'AAMkFabrikam=', underInbox: true };
    await report([inbox, contoso, fabrikam, archive]);

    await open(ADMIN);
    await page.goto(`${hub.url}/#/mailboxes/${encodeURIComponent(mailboxOf[maria])}`);
    const rules = page.getByTestId('folder-rules');
    const picker = field('Folder');
    await picker.waitFor();
    // Only folders below the Inbox are offered, and the hint says why.
    expect(await picker.locator('option').allTextContents()).toEqual(['Choose a folder', 'Inbox/Contoso', 'Inbox/Fabrikam', 'Other…']);
    await rules.getByText('The folders below the Inbox in Exchange.').waitFor();
    await picker.selectOption('Inbox/Contoso');
    await rules.getByRole('button', { name: 'Add rule' }).click();
    const rule = rules.getByTestId('folder-rule').filter({ hasText: 'Inbox/Contoso' });
    await rule.waitFor();
    expect(await rule.getByTestId('folder-rule-missing').count()).toBe(0);

    // Deleted in Outlook: the next folder report no longer lists it below the Inbox, and the open page shows it.
    await report([inbox, fabrikam, archive, { ...contoso, path: 'Deleted Items/Contoso', underInbox: false }]);
    await rule.getByTestId('folder-rule-missing').filter({ hasText: 'Not on the server' }).waitFor();
    await page.getByText('A tracked folder is gone from the server').first().waitFor();
    await shoot('admin-mail-exchange-folder-missing');
    ok(await hub.gql('mutation($m: ID!, $f: String!) { removeFolderTrackingRule(mailboxId: $m, folder: $f) }', { m: mailboxOf[maria], f: 'Inbox/Contoso' }, admin));
  });

  it('fits a phone in Swedish: the profiles, a profile’s form and the email settings', async () => {
    await open(ADMIN, 'sv-SE', { width: 390, height: 844 });
    const fits = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.goto(`${hub.url}/#/admin/profiles`);
    await page.getByRole('heading', { name: 'E-postserverprofiler', exact: true }).waitFor();
    await page.getByTestId('profile-row').filter({ hasText: profile }).getByText('2 postlådor').waitFor();
    await fits();
    await shoot('admin-mail-profiles-sv-narrow');
    await page.getByRole('link', { name: 'Ny profil' }).click();
    await page.getByRole('heading', { name: 'Ny e-postserverprofil' }).waitFor();
    await fits();
    await page.goto(`${hub.url}/#/admin/email-settings`);
    await page.getByLabel('Bearbeta bara e-post för godkända postlådor').waitFor();
    await fits();
    await shoot('admin-mail-settings-sv-narrow');
  });

  it('offers a salesperson neither the mail console nor the administrators’ mailbox settings', async () => {
    await open(SAM);
    await page.goto(`${hub.url}/#/admin/profiles`);
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await page.getByText(/Your security roles (give you no part of the administration|do not let you open this section)\./).waitFor();
    expect(await page.getByRole('link', { name: 'Email server profiles' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Email settings' }).count()).toBe(0);
    expect(await page.getByTestId('profile-form').count()).toBe(0);
    await shoot('admin-mail-salesperson');

    // Sam's own mailbox: he reads the server and methods, changes only his own options.
    await page.goto(`${hub.url}/#/mailboxes/${encodeURIComponent(mailboxOf[SAM.email])}`);
    const settings = page.getByTestId('mailbox-settings');
    await settings.waitFor();
    await settings.getByText('Only administrators change the server profile and the methods.').waitFor();
    expect(await field('Incoming email').isDisabled()).toBe(true);
    expect(await field('Server profile').getAttribute('readonly')).not.toBeNull();
    expect(await field('Track').isDisabled()).toBe(false);
    await field('Track').selectOption('FROM_CRM_RECORDS');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByText('Mailbox settings saved.').waitFor();
    const own = ok(await hub.gql('query($id: ID!) { mailbox(id: $id) { trackingFilter incomingMethod } }', { id: mailboxOf[SAM.email] }, admin)).mailbox;
    expect(own).toEqual({ trackingFilter: 'FROM_CRM_RECORDS', incomingMethod: 'SERVER_SIDE_SYNC' });
    await shoot('admin-mail-owner-settings');
  });
});
