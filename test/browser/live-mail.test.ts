import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, uniqueTag } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startDovecot, type StartedDovecot } from '../support/dovecot';
import { buildEngine, EngineProcess } from '../support/engine-process';
import { startHub, type StartedHub } from '../support/hub';
import { createProfile, eventually, mailboxStatus, setCredentials, setUpMailbox } from '../support/mailbox-admin';
import { rawMessage } from '../support/raw-mail';
import { startSmtpPeer, type StartedSmtpPeer } from '../support/smtp-peer';

// End to end, nothing simulated: a message dropped into Dovecot's maildir is read by the real sync
// engine, tracked by the api and pushed over the WebSocket to the contact page open in Chromium,
// which shows it without a reload; a wrong password turns the open mailbox page to "Sign-in refused".

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const PASSWORD = 'imap-secret-live';

describe('live from the mail server to the open browser tab', () => {
  let hub: StartedHub;
  let dovecot: StartedDovecot;
  let smtp: StartedSmtpPeer;
  let engine: EngineProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let admin: string;
  let samMailbox: string;
  let contact: { id: string; fullName: string; primaryEmail: string };

  beforeAll(async () => {
    await buildEngine();
    dovecot = await startDovecot({ users: [{ address: SAM.address, password: PASSWORD }] });
    smtp = await startSmtpPeer();
    hub = await startHub({ dialect: 'sqlite' });
    admin = await hub.login(ADMIN);
    samMailbox = (ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[]).find((m) => m.address === SAM.address)!.id;
    const profile = await createProfile(hub, admin, 'Dovecot IMAP', { kind: 'IMAP_SMTP', incomingPort: dovecot.imapPort, outgoingPort: smtp.port });
    await setUpMailbox(hub, admin, samMailbox, { profileId: profile, username: SAM.address, password: PASSWORD });
    ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: FROM_CRM_RECORDS }) { id } }', { id: samMailbox }, admin));
    const sam = await hub.login(SAM.address);
    contact = ok(await hub.gql('{ contacts(first: 20) { edges { node { id fullName primaryEmail } } } }', {}, sam)).contacts.edges.map((e: any) => e.node).find((c: any) => c.primaryEmail);
    engine = new EngineProcess({
      HUB_API_URL: hub.graphqlUrl,
      HUB_API_KEY: hub.syncServiceKey,
      ENGINE_ID: 'live-engine',
      POLL_INTERVAL_MS: '200',
      LEASE_SECONDS: '6',
      IDLE_SECONDS: '3',
      RECONCILE_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'info',
    });
    await eventually(async () => ((await mailboxStatus(hub, admin, samMailbox)).state === 'ENABLED' ? true : undefined), 30_000, 'Sam\'s mailbox enabled');
    browser = await launchChromium();
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })).newPage();
    errors = watchErrors(page);
    await page.goto(hub.url);
    await signIn(page, SAM.address, hub.demoPassword, SAM.name);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    engine?.signal('SIGKILL');
    await engine?.exited;
    await hub?.close();
    await smtp?.stop();
    await dovecot?.stop();
  });

  it('a message dropped into the maildir appears on the open contact page without a reload', async () => {
    await page.goto(`${hub.url}/#/contacts/${encodeURIComponent(contact.id)}`);
    await page.getByRole('heading', { name: contact.fullName, level: 1 }).waitFor();
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    const marker = await page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = Math.random()));
    const subject = `Delivery date question ${uniqueTag()}`;
    await dovecot.deliver(SAM.address, rawMessage({ from: { address: contact.primaryEmail, name: contact.fullName }, to: [SAM], subject }));
    const item = page.getByTestId('timeline-item').filter({ hasText: subject });
    await item.waitFor({ timeout: 30_000 });
    // Same document: the page was updated in place, not reloaded.
    expect(await page.evaluate(() => (window as unknown as { liveMarker: number }).liveMarker)).toBe(marker);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'live-mail-contact.png') });
    expect(errors).toEqual([]);
  });

  it('the open mailbox page shows a wrong password turning into "Sign-in refused" live', async () => {
    await page.goto(`${hub.url}/#/mailboxes/${encodeURIComponent(samMailbox)}`);
    await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    await page.getByText(SAM.address).first().waitFor();
    const marker = await page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = Math.random()));
    await setCredentials(hub, admin, samMailbox, SAM.address, 'a-wrong-password');
    await page.getByText('Sign-in refused', { exact: true }).first().waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { liveMarker: number }).liveMarker)).toBe(marker);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'live-mail-mailbox-disabled.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
