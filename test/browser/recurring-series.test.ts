import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, uniqueTag } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile } from '../support/mail-setup';
import { EmailServerKind, MailAuthMethod } from '../../api/src/mail/mail-enums';

// A recurring series from Sam's Exchange Calendar on a contact's timeline: the series and each occurrence say how it repeats.

const SAM = { email: 'sam.sales@demo.crm.test', name: 'Sam Sales' };

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;

beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await hub?.close();
});

describe('a recurring series on the timeline', () => {
  it('says how it repeats, on the series and on each occurrence, in English and in Swedish', async () => {
    const sam = await hub.login(SAM.email);
    const contact = ok(await hub.gql('mutation { createContact(input: { firstName: "Rut", lastName: "Återkommande", emails: ["rut@customer.test"] }) { id } }', {}, sam)).createContact.id;
    const exchange = await insertProfile(hub, { kind: EmailServerKind.EXCHANGE_EWS, incomingHost: null, incomingPort: null, incomingTls: null, outgoingHost: null, outgoingPort: null, outgoingTls: null, ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx', authMethod: MailAuthMethod.PASSWORD });
    const mailboxes = ok(await hub.gql('{ mailboxes { id address } }', {}, hub.syncServiceKey)).mailboxes as { id: string; address: string }[];
    const samMailbox = mailboxes.find((m) => m.address === SAM.email)!.id;
    await configureMailbox(hub, samMailbox, { profileId: exchange, extra: { actMethod: 'SERVER_SIDE_SYNC' as never } });
    const lease = (ok(await hub.gql('mutation { claimMailboxes(engineId: "browser-series", limit: 20) { mailboxId leaseId } }', {}, hub.syncServiceKey)).claimMailboxes as { mailboxId: string; leaseId: string }[]).find((c) => c.mailboxId === samMailbox)!.leaseId;
    const uid = `series-${uniqueTag()}@corp.test`;
    const event = (start: string) => ({
      method: 'PUBLISH', uid, summary: 'Pipeline review', location: 'Room 3', start, end: new Date(Date.parse(start) + 3_600_000).toISOString(),
      organizer: { address: SAM.email, name: SAM.name }, attendees: [{ address: 'rut@customer.test', name: 'Rut Återkommande', role: 'REQ-PARTICIPANT' }], status: 'CONFIRMED',
    });
    const starts = ['2027-03-01T08:00:00.000Z', '2027-03-03T08:00:00.000Z'];
    const series = {
      uid, master: event(starts[0]), windowFrom: '2026-12-01T00:00:00.000Z', windowTo: '2028-03-01T00:00:00.000Z',
      recurrence: { pattern: 'WEEKLY', interval: 1, daysOfWeek: ['MONDAY', 'WEDNESDAY'], rangeStart: '2027-03-01', rangeEnd: '2027-03-31', timeZone: 'W. Europe Standard Time' },
      occurrences: starts.map((s, i) => ({ ...event(s), instanceType: 'OCCURRENCE', originalStart: s, ...(i === 1 ? { instanceType: 'EXCEPTION', summary: 'Pipeline review (moved)' } : {}) })),
    };
    const SYNC = 'mutation($m: ID!, $l: ID!, $s: [CalendarSeriesInput!]) { syncMailboxCalendar(mailboxId: $m, leaseId: $l, events: [], series: $s) { outcome } }';
    expect(ok(await hub.gql(SYNC, { m: samMailbox, l: lease, s: [series] }, hub.syncServiceKey)).syncMailboxCalendar).toEqual([{ outcome: 'CREATED' }]);

    for (const [locale, text, name] of [
      ['en-GB', 'Repeats every week on Monday and Wednesday, until 31 March 2027', 'recurring-series'],
      ['sv-SE', 'Upprepas varje vecka på måndag och onsdag, till och med 31 mars 2027', 'recurring-series-sv'],
    ] as const) {
      context = await browser.newContext({ locale, timezoneId: 'Europe/Stockholm', viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors = watchErrors(page);
      await page.goto(hub.url);
      // The reader's language is chosen in the app (kept in localStorage), the dates follow the browser's region.
      if (locale === 'sv-SE') await page.evaluate(() => localStorage.setItem('crm-hub.locale', 'sv'));
      await page.goto(hub.url);
      if (locale === 'sv-SE') {
        await page.getByLabel('E-postadress').fill(SAM.email);
        await page.getByLabel('Lösenord').fill(hub.demoPassword);
        await page.getByRole('button', { name: 'Logga in' }).click();
        await page.getByTestId('viewer-name').filter({ hasText: SAM.name }).waitFor();
      } else await signIn(page, SAM.email, hub.demoPassword, SAM.name);
      await page.goto(`${hub.url}/#/contacts/${encodeURIComponent(contact)}`);
      const items = page.getByTestId('timeline-item').filter({ hasText: 'Pipeline review' });
      // The series and its two occurrences.
      await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(3);
      for (let i = 0; i < 3; i++) await items.nth(i).getByText(text).waitFor();
      expect(await items.filter({ hasText: 'Pipeline review (moved)' }).locator('.repeats').getAttribute('title')).toMatch(locale === 'en-GB' ? /moved or changed on its own/ : /flyttad eller ändrad för sig/);
      // The series itself is told apart from its first occurrence (same day and time) by a badge; the moved one says it was changed.
      const [series, changed] = locale === 'en-GB' ? ['Series', 'Changed occurrence'] : ['Serie', 'Ändrad förekomst'];
      expect(await items.locator('.badge.series').allTextContents()).toEqual(expect.arrayContaining([series, changed]));
      expect(await items.locator('.badge.series').count()).toBe(2);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
      // Editing a meeting from Outlook says first that the change stays in the CRM.
      await items.filter({ hasText: 'Pipeline review (moved)' }).getByRole('button', { name: locale === 'en-GB' ? 'Edit' : 'Ändra' }).click();
      const note = page.getByTestId('follows-organizer');
      await note.waitFor();
      expect(await note.textContent()).toContain(locale === 'en-GB' ? 'not sent to Outlook' : 'skickas inte till Outlook');
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-edit.png`) });
      await page.keyboard.press('Escape');
      expect(errors).toEqual([]);
      await context.close();
      context = undefined;
    }
  });
});

describe('a meeting Sam organized and sent from Outlook', () => {
  it('says before saving that the attendees get the change, and asks before a cancellation goes to them', async () => {
    const sam = await hub.login(SAM.email);
    const contact = ok(await hub.gql('mutation { createContact(input: { firstName: "Ines", lastName: "Inbjuden", emails: ["ines@customer.test"] }) { id } }', {}, sam)).createContact.id;
    const mailboxes = ok(await hub.gql('{ mailboxes { id address } }', {}, hub.syncServiceKey)).mailboxes as { id: string; address: string }[];
    const samMailbox = mailboxes.find((m) => m.address === SAM.email)!.id;
    const exchange = await insertProfile(hub, { kind: EmailServerKind.EXCHANGE_EWS, incomingHost: null, incomingPort: null, incomingTls: null, outgoingHost: null, outgoingPort: null, outgoingTls: null, ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx', authMethod: MailAuthMethod.PASSWORD });
    await configureMailbox(hub, samMailbox, { profileId: exchange, extra: { actMethod: 'SERVER_SIDE_SYNC' as never } });
    const lease = (ok(await hub.gql('mutation { claimMailboxes(engineId: "browser-organizer", limit: 20) { mailboxId leaseId } }', {}, hub.syncServiceKey)).claimMailboxes as { mailboxId: string; leaseId: string }[]).find((c) => c.mailboxId === samMailbox)!.leaseId;
    const SYNC = 'mutation($m: ID!, $l: ID!, $e: [CalendarInput!]!) { syncMailboxCalendar(mailboxId: $m, leaseId: $l, events: $e) { outcome } }';
    const kickoff = {
      method: 'PUBLISH', uid: `kickoff-${uniqueTag()}@corp.test`, summary: 'Kickoff with Ines', location: 'Room 1', start: '2027-05-03T08:00:00.000Z', end: '2027-05-03T09:00:00.000Z',
      organizer: { address: SAM.email, name: SAM.name }, attendees: [{ address: 'ines@customer.test', name: 'Ines Inbjuden', role: 'REQ-PARTICIPANT' }], status: 'CONFIRMED',
      itemId: `AAMk${uniqueTag()}=`, changeKey: 'CK1', mailboxOrganizes: true, invitationsSent: true,
    };
    expect(ok(await hub.gql(SYNC, { m: samMailbox, l: lease, e: [kickoff] }, hub.syncServiceKey)).syncMailboxCalendar).toEqual([{ outcome: 'CREATED' }]);

    context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Stockholm', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors = watchErrors(page);
    await page.goto(hub.url);
    await signIn(page, SAM.email, hub.demoPassword, SAM.name);
    await page.goto(`${hub.url}/#/contacts/${encodeURIComponent(contact)}`);
    const item = page.getByTestId('timeline-item').filter({ hasText: 'Kickoff with Ines' });
    await item.waitFor();
    await item.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit appointment' });
    expect(await dialog.getByTestId('reaches-attendees').textContent()).toContain('sent to them');
    expect(await dialog.getByTestId('follows-organizer').count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'organizer-meeting-edit.png') });
    await page.keyboard.press('Escape');

    // Cancelling asks first; "Keep it" keeps it, the second answer cancels.
    await item.getByRole('button', { name: 'Cancel appointment' }).click();
    await item.getByText('they get a cancellation from there').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'organizer-meeting-cancel.png'), fullPage: true });
    await item.getByRole('button', { name: 'Keep it' }).click();
    expect(await item.getByText('they get a cancellation from there').count()).toBe(0);
    const state = async () => ok(await hub.gql('query($id: ID!) { timeline(recordId: $id, first: 5) { edges { node { subject state } } } }', { id: contact }, sam)).timeline.edges.map((e: any) => e.node.state);
    expect(await state()).toEqual(['OPEN']);
    await item.getByRole('button', { name: 'Cancel appointment' }).click();
    await item.getByRole('button', { name: 'Cancel and tell the attendees' }).click();
    await expect.poll(state, { timeout: 15_000 }).toEqual(['CANCELLED']);
    expect(errors).toEqual([]);
  });
});
