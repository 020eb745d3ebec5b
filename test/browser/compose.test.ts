import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ok, uniqueTag } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile, rawId } from '../support/mail-setup';

// Writing email as a salesperson: a new email with a file from a contact's page, a reply from the timeline, a bad
// address shown beside its field, and the send status following the sync engine's reports without a reload.

const SAM = { email: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const SARA = { email: 'sara.sales@demo.crm.test', name: 'Sara Säljare' };
const CLAIM = `mutation { claimOutgoingEmails(limit: 100) { emailId leaseId subject bcc { address } attachments { fileName contentType size sha256 } } }`;
const MARK_SENT = `mutation($emailId: ID!, $leaseId: ID!) { markEmailSent(emailId: $emailId, leaseId: $leaseId) { id status } }`;
const MARK_FAILED = `mutation($emailId: ID!, $leaseId: ID!, $reason: String!) { markEmailFailed(emailId: $emailId, leaseId: $leaseId, reason: $reason, retryable: false) { id status } }`;
const SETTINGS = `mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { maxAttachmentKb } }`;
const EMAIL = `query($id: ID!) { node(id: $id) { ... on Email { subject inReplyTo messageId textBody status parties { role address } } } }`;

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[];
let samToken: string;
let contact: { id: string; fullName: string; primaryEmail: string };
let attachmentPath: string;
const tag = uniqueTag('Mail');

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const sync = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, hub.syncServiceKey);
const dialog = () => page.getByRole('dialog');
/** The timeline item of the email with this subject (the hub appends a tracking token). */
const itemOf = (subject: string) => page.getByTestId('timeline-item').filter({ hasText: subject });
/** An item's send status once it reads `status` (data-status), with the words shown for it. */
const statusOf = (subject: string, status: string) => itemOf(subject).locator(`[data-testid="send-status"][data-status="${status}"]`);

type Claimed = { emailId: string; leaseId: string; subject: string; bcc: { address: string }[]; attachments: { fileName: string; size: number; contentType: string }[] };
/** What the engine claimed and has not reported yet: a claim takes every email due, not only the one a step waits for. */
let unreported: Claimed[] = [];

/** Claims every email due, as the sync engine would. */
async function claimAll(): Promise<void> {
  unreported = [...unreported, ...(ok(await sync(CLAIM)).claimOutgoingEmails as Claimed[])];
}

/** Claims; answers the email with `subject`, claimed now or before and not reported. */
async function claimed(subject: string): Promise<Claimed> {
  await claimAll();
  const found = unreported.find((o) => o.subject.includes(subject));
  expect(found, `no claimed email "${subject}" among ${JSON.stringify(unreported.map((o) => o.subject))}`).toBeTruthy();
  unreported = unreported.filter((o) => o !== found);
  return found!;
}

beforeAll(async () => {
  // A small upload quota, so exceeding it is cheap.
  hub = await startHub({ dialect: 'sqlite', env: { BLOB_UPLOAD_QUOTA_MB: '1' } });
  browser = await launchChromium();
  samToken = await hub.login(SAM.email);
  const contacts = ok(await hub.gql('{ contacts(first: 100) { edges { node { id fullName primaryEmail businessUnit { name } } } } }', {}, samToken)).contacts.edges.map(
    (e: { node: typeof contact & { businessUnit: { name: string } } }) => e.node,
  );
  contact = contacts.find((c: typeof contact & { businessUnit: { name: string } }) => c.businessUnit.name === 'Sales' && c.primaryEmail);
  // Only a mailbox that may send has its email claimed: Sam's is given an SMTP server.
  const profileId = await insertProfile(hub, { name: `${tag} SMTP`, outgoingHost: 'smtp.example.test', outgoingPort: 2525, incomingHost: 'imap.example.test', incomingPort: 1143, sentFolder: 'Sent Items' });
  const samsMailbox = ok(await hub.gql('{ mailboxes { id ownerKind } }', {}, samToken)).mailboxes.find((m: { ownerKind: string }) => m.ownerKind === 'USER').id;
  await configureMailbox(hub, samsMailbox, { profileId, username: 'sam', password: 'sam-smtp-password' });
  attachmentPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'compose-')), 'Offert å.pdf');
  fs.writeFileSync(attachmentPath, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200_000, 7)]));
}, 120_000);

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

async function openContact(who = SAM): Promise<void> {
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(hub.url);
  await signIn(page, who.email, hub.demoPassword, who.name);
  await page.goto(`${hub.url}/#/contacts/${encodeURIComponent(contact.id)}`);
  await page.getByRole('heading', { level: 1, name: contact.fullName }).waitFor();
}

describe('composing email', () => {
  it('sends a new email with a file from a contact; it shows as waiting, then sent, live; a reply is prefilled from it', async () => {
    await openContact();
    await page.getByRole('button', { name: 'New email' }).click();
    await dialog().getByRole('heading', { name: 'New email' }).waitFor();
    // To is the contact's primary address, named.
    expect(await dialog().getByTestId('recipient').textContent()).toContain(contact.primaryEmail);

    // An address that is none is named beside the field, and nothing is sent.
    await page.getByLabel('Cc', { exact: true }).fill('anna at example');
    await page.getByLabel('Subject', { exact: true }).fill(`${tag} Offer`);
    await dialog().getByRole('button', { name: 'Send' }).click();
    const ccError = page.locator('#compose-cc-error');
    await ccError.waitFor();
    expect(await ccError.textContent()).toContain('is not an email address');
    expect(await page.getByLabel('Cc', { exact: true }).getAttribute('aria-describedby')).toBe('compose-cc-error');
    await shoot('compose-invalid-address');
    await page.getByLabel('Cc', { exact: true }).fill('');

    await page.getByLabel('Message', { exact: true }).fill('Hello,\nhere is our offer.');
    await page.locator('#compose-files').setInputFiles(attachmentPath);
    const file = dialog().getByTestId('compose-attachment');
    await file.filter({ hasText: 'Offert å.pdf' }).waitFor();
    // Once uploaded it shows its size instead of the progress.
    await file.filter({ hasText: /KB/ }).waitFor();
    await shoot('compose-with-attachment');
    await dialog().getByRole('button', { name: 'Send' }).click();
    await dialog().waitFor({ state: 'hidden' });

    // The timeline shows it at once, waiting to be sent.
    const item = itemOf(`${tag} Offer`);
    expect(await statusOf(`${tag} Offer`, 'PENDING_SEND').textContent()).toContain('Waiting to be sent');
    await shoot('compose-pending');

    // The engine claims it with its file, and reports it sent: the page follows without a reload.
    const offer = await claimed(`${tag} Offer`);
    expect(offer.attachments).toEqual([expect.objectContaining({ fileName: 'Offert å.pdf', contentType: 'application/pdf', size: 200_009 })]);
    ok(await sync(MARK_SENT, { emailId: offer.emailId, leaseId: offer.leaseId }));
    expect(await statusOf(`${tag} Offer`, 'SENT').textContent()).toContain('Accepted by the mail server');
    expect(await item.getByRole('button', { name: 'Retry' }).count()).toBe(0);

    // Reply from the timeline: recipients, "RE:" subject and the quoted original are filled in.
    await item.getByRole('button', { name: 'Reply', exact: true }).click();
    await dialog().getByRole('heading', { name: 'Reply' }).waitFor();
    expect(await dialog().getByTestId('recipient').allTextContents()).toEqual([expect.stringContaining(contact.primaryEmail)]);
    expect(await page.getByLabel('Subject', { exact: true }).inputValue()).toMatch(new RegExp(`^RE: ${tag} Offer`));
    const quoted = await page.getByLabel('Message', { exact: true }).inputValue();
    expect(quoted).toContain('> Hello,\n> here is our offer.');
    expect(quoted).toContain('Sam Sales <sam.sales@demo.crm.test> wrote:');
    await shoot('compose-reply');
    // The caret waits above the quote.
    await page.keyboard.type('Any questions?');
    await dialog().getByRole('button', { name: 'Send' }).click();
    await dialog().waitFor({ state: 'hidden' });

    // The reply answers the email it was written from.
    const reply = await claimed(`RE: ${tag} Offer`);
    const original = ok(await hub.gql(EMAIL, { id: offer.emailId }, samToken)).node;
    const answer = ok(await hub.gql(EMAIL, { id: reply.emailId }, samToken)).node;
    expect(answer.inReplyTo).toBe(original.messageId);
    expect(answer.textBody).toMatch(/^Any questions\?/);
    expect(answer.parties.filter((p: { role: string }) => p.role === 'TO').map((p: { address: string }) => p.address)).toEqual([contact.primaryEmail]);

    // The engine fails to send it: the server's reason shows with Retry, live; Retry queues it again.
    ok(await sync(MARK_FAILED, { emailId: reply.emailId, leaseId: reply.leaseId, reason: '550 5.1.1 mailbox unavailable' }));
    const replyItem = itemOf(`RE: ${tag} Offer`);
    expect(await statusOf(`RE: ${tag} Offer`, 'FAILED').textContent()).toContain('Sending failed');
    expect(await replyItem.getByTestId('send-failure').textContent()).toContain('550 5.1.1 mailbox unavailable');
    await shoot('compose-failed');
    await replyItem.getByRole('button', { name: 'Retry' }).click();
    await statusOf(`RE: ${tag} Offer`, 'PENDING_SEND').waitFor();
    expect(errors).toEqual([]);
  });

  it('forwards an email with its file, and refuses to send without a recipient', async () => {
    await openContact();
    const item = itemOf(`${tag} Offer`).filter({ hasNotText: 'RE:' });
    await item.getByRole('button', { name: 'Forward' }).click();
    await dialog().getByRole('heading', { name: 'Forward' }).waitFor();
    expect(await page.getByLabel('Subject', { exact: true }).inputValue()).toMatch(new RegExp(`^FW: ${tag} Offer`));
    await dialog().getByTestId('compose-attachment').filter({ hasText: 'Offert å.pdf' }).waitFor();
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toContain('Forwarded message');
    await dialog().getByRole('button', { name: 'Send' }).click();
    await page.locator('#compose-to-error').filter({ hasText: 'Add at least one recipient.' }).waitFor();

    // A recipient picked from the records suggested while typing.
    await page.getByLabel('To', { exact: true }).pressSequentially(contact.fullName.split(' ')[0].slice(0, 4));
    await dialog().getByRole('list', { name: 'People and companies with this name or address' }).getByRole('button').first().click();
    await dialog().getByTestId('recipient').first().waitFor();
    // A blind copy, folded away until asked for.
    await dialog().getByRole('button', { name: 'Add Bcc' }).click();
    await page.getByLabel('Bcc', { exact: true }).fill('auditor@example.com');
    await shoot('compose-forward');
    await dialog().getByRole('button', { name: 'Send' }).click();
    await dialog().waitFor({ state: 'hidden' });
    const forward = await claimed(`FW: ${tag} Offer`);
    expect(forward.attachments.map((a) => a.fileName)).toEqual(['Offert å.pdf']);
    expect(forward.bcc).toEqual([{ address: 'auditor@example.com' }]);
    expect(errors).toEqual([]);
  });

  it('offers Retry and Cancel only to who may change the email', async () => {
    // The retried reply fails again for good.
    const reply = await claimed(`RE: ${tag} Offer`);
    ok(await sync(MARK_FAILED, { emailId: reply.emailId, leaseId: reply.leaseId, reason: '554 5.7.1 rejected' }));

    await openContact(SARA);
    const status = statusOf(`RE: ${tag} Offer`, 'FAILED');
    await status.waitFor();
    expect(await status.getByRole('button').count()).toBe(0);
    await shoot('compose-failed-others-view');

    await context!.close();
    await openContact(SAM);
    await statusOf(`RE: ${tag} Offer`, 'FAILED').getByRole('button', { name: 'Retry' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('says in words why a file was not uploaded: over the organization\'s limit, or over the person\'s quota', async () => {
    const admin = await hub.login('admin@demo.crm.test');
    const big = path.join(path.dirname(attachmentPath), 'Prislista 2027.pdf');
    fs.writeFileSync(big, Buffer.alloc(1_500_000, 1));
    await openContact();
    await page.getByRole('button', { name: 'New email' }).click();
    ok(await hub.gql(SETTINGS, { input: { maxAttachmentKb: 100 } }, admin));
    try {
      await page.locator('#compose-files').setInputFiles(attachmentPath);
      await dialog().getByTestId('compose-attachment').filter({ hasText: /Too large: files may be at most 100 KB/ }).waitFor();
    } finally {
      ok(await hub.gql(SETTINGS, { input: { maxAttachmentKb: 5120 } }, admin));
    }
    // 1.5 MB is within the organization's limit, but Sam's uploads may hold 1 MB in all.
    await page.locator('#compose-files').setInputFiles(big);
    await dialog().getByTestId('compose-attachment').filter({ hasText: 'Prislista 2027.pdf' }).filter({ hasText: /may hold at most 1(\.0)? MB together/ }).waitFor();
    await shoot('compose-upload-refused');
    // Nothing is sent while a file failed; removed, the email goes without it.
    await page.getByLabel('Subject', { exact: true }).fill(`${tag} Without files`);
    await dialog().getByRole('button', { name: 'Send' }).click();
    await dialog().getByText('Remove the files that could not be uploaded.').waitFor();
    for (const name of ['Offert å.pdf', 'Prislista 2027.pdf']) await dialog().getByRole('button', { name: `Remove ${name}` }).click();
    await dialog().getByRole('button', { name: 'Send' }).click();
    await dialog().waitFor({ state: 'hidden' });
    await statusOf(`${tag} Without files`, 'PENDING_SEND').waitFor();
    // The browser reports each refused upload; nothing else went wrong.
    expect(errors.filter((e) => !e.includes('status of 413'))).toEqual([]);
    expect(errors).toHaveLength(2);
  });

  it('an email whose engine stopped reporting turns UNCERTAIN live, with Retry and Cancel; cancelled, it offers nothing', async () => {
    await openContact();
    const input = { to: [contact.primaryEmail], subject: `${tag} Lease`, textBody: 'Hello', regardingId: contact.id };
    ok(await hub.gql('mutation($input: SendEmailInput!) { sendEmail(input: $input) { id } }', { input }, samToken));
    await statusOf(`${tag} Lease`, 'PENDING_SEND').waitFor();
    const lease = await claimed(`${tag} Lease`);
    await statusOf(`${tag} Lease`, 'SENDING').waitFor();
    // The lease runs out without a report: the next claim leaves it UNCERTAIN.
    await hub.database.dataSource.query(`UPDATE email_message SET sendLeaseUntil = '2000-01-01 00:00:00.000' WHERE activityId = '${rawId(lease.emailId)}'`);
    await claimAll();
    const uncertain = statusOf(`${tag} Lease`, 'UNCERTAIN');
    await uncertain.getByRole('button', { name: 'Retry' }).waitFor();
    expect(await uncertain.textContent()).toContain('sending it again may deliver it twice');
    await shoot('compose-uncertain');
    await uncertain.getByRole('button', { name: 'Cancel sending' }).click();
    const cancelled = statusOf(`${tag} Lease`, 'CANCELLED');
    await cancelled.waitFor();
    expect(await cancelled.getByRole('button').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
