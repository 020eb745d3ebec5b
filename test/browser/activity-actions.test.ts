import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ok, uniqueTag } from '../api/gql-helpers';
import { launchChromium, SCREENSHOTS, signIn, watchErrors } from '../support/browser';
import { startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile } from '../support/mail-setup';
import { EmailServerKind, MailAuthMethod } from '../../api/src/mail/mail-enums';

// Appointments made from a record page, and what the timeline lets one do with an activity afterwards:
// reopen what was closed, and move it to another record.

const SAM = { email: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const SARA = { email: 'sara.sales@demo.crm.test', name: 'Sara Säljare' };

let hub: StartedHub;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
let errors: string[];

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

async function open(who: { email: string; name: string }, hash: string, timezoneId = 'Europe/Stockholm'): Promise<void> {
  await context?.close();
  context = await browser.newContext({ locale: 'en-US', timezoneId, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  errors = watchErrors(page);
  await page.goto(hub.url);
  await signIn(page, who.email, hub.demoPassword, who.name);
  await page.goto(`${hub.url}/${hash}`);
}

const timelineOf = async (id: string, token: string) =>
  ok(await hub.gql('query($id: ID!) { timeline(recordId: $id, first: 20) { edges { node { __typename subject state regarding { ... on Node { id } } } } } }', { id }, token)).timeline.edges.map(
    (e: { node: unknown }) => e.node,
  );

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

describe('activities from a record page', () => {
  it('makes an appointment with the contact: an end before the start is shown beside the field; an all-day one runs whole days', async () => {
    const sam = await hub.login(SAM.email);
    const contact = ok(await hub.gql('mutation { createContact(input: { firstName: "Mia", lastName: "Möte" }) { id } }', {}, sam)).createContact.id;
    await open(SAM, `#/contacts/${encodeURIComponent(contact)}`);
    await page.getByRole('heading', { level: 1, name: 'Mia Möte' }).waitFor();

    await page.getByRole('button', { name: 'New appointment' }).click();
    const dialog = page.getByRole('dialog', { name: 'New appointment' });
    const subject = `Demo of the premium plan ${uniqueTag()}`;
    await dialog.getByLabel('Subject').fill(subject);
    await dialog.getByLabel('Starts').fill('2030-03-12T10:00');
    await dialog.getByLabel('Ends').fill('2030-03-12T09:00');
    await dialog.getByLabel('Location').fill('Teams');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('It cannot end before it starts.').waitFor();
    await dialog.getByLabel('Ends').fill('2030-03-12T11:30');
    await shoot('appointment-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const item = page.getByTestId('timeline-item').filter({ hasText: subject });
    await item.waitFor();
    await item.getByText('Teams').waitFor();

    const stored = ok(await hub.gql(`query($id: ID!) { timeline(recordId: $id, first: 5) { edges { node { subject ... on Appointment { startAt endAt location allDay }
      parties { role record { ... on Contact { id } } } } } } }`, { id: contact }, sam)).timeline.edges.map((e: any) => e.node);
    const meeting = stored.find((n: any) => n.subject === subject);
    // 10:00 in Stockholm in March is 09:00 UTC.
    expect(meeting).toMatchObject({ startAt: '2030-03-12T09:00:00.000Z', endAt: '2030-03-12T10:30:00.000Z', location: 'Teams', allDay: false });
    expect(meeting.parties).toEqual(expect.arrayContaining([{ role: "REQUIRED", record: { id: contact } }]));

    await page.getByRole('button', { name: 'New appointment' }).click();
    const allDay = `Trade fair ${uniqueTag()}`;
    await dialog.getByLabel('Subject').fill(allDay);
    await dialog.getByLabel('All day').check();
    await dialog.getByLabel('Starts').fill('2030-05-20');
    await dialog.getByLabel('Ends').fill('2030-05-21');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('timeline-item').filter({ hasText: allDay }).waitFor();
    const fair = ok(await hub.gql('query($id: ID!) { timeline(recordId: $id, first: 5) { edges { node { subject ... on Appointment { startAt endAt allDay } } } } }', { id: contact }, sam))
      .timeline.edges.map((e: any) => e.node).find((n: any) => n.subject === allDay);
    // Two whole days, kept as UTC days (the same days for every reader), not as Stockholm's midnights.
    expect(fair).toMatchObject({ allDay: true, startAt: '2030-05-20T00:00:00.000Z', endAt: '2030-05-22T00:00:00.000Z' });
    const fairItem = page.getByTestId('timeline-item').filter({ hasText: allDay });
    await expect.poll(() => fairItem.textContent()).toContain('All day');
    expect(await fairItem.textContent()).toContain('May 20–May 21');
    expect(errors).toEqual([]);
    await shoot('all-day-stockholm');

    // Edited again, the dialog shows the same first and last day.
    await fairItem.getByRole('button', { name: 'Edit' }).click();
    const editing = page.getByRole('dialog', { name: 'Edit appointment' });
    expect(await editing.getByLabel('Starts').inputValue()).toBe('2030-05-20');
    expect(await editing.getByLabel('Ends').inputValue()).toBe('2030-05-21');
    await editing.getByRole('button', { name: 'Cancel' }).click();

    // A reader in New York (UTC−4 then) sees the same days under the same day heading, not the evening before.
    await open(SAM, `#/contacts/${encodeURIComponent(contact)}`, 'America/New_York');
    const there = page.getByTestId('timeline-item').filter({ hasText: allDay });
    await there.waitFor();
    expect(await there.textContent()).toContain('May 20–May 21');
    const heading = await there.evaluate((item) => item.closest('section.day')?.querySelector('h3')?.textContent ?? '');
    expect(heading).toContain('May 20');
    await shoot('all-day-new-york');
    expect(errors).toEqual([]);
  });

  it('reopens a task marked done, and moves it to an opportunity: it leaves the contact’s timeline and joins the opportunity’s', async () => {
    const sam = await hub.login(SAM.email);
    const contact = ok(await hub.gql('mutation { createContact(input: { lastName: "Flyttas" }) { id } }', {}, sam)).createContact.id;
    const tag = uniqueTag();
    const opportunity = ok(await hub.gql('mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }', {
      input: { name: `Expansion ${tag}`, customerId: contact },
    }, sam)).createOpportunity.id;
    const todo = `Call back about pricing ${tag}`;
    ok(await hub.gql('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { subject: todo, regardingId: contact } }, sam));
    await open(SAM, `#/contacts/${encodeURIComponent(contact)}`);
    const item = page.getByTestId('timeline-item').filter({ hasText: todo });
    await item.waitFor();

    await item.getByRole('button', { name: 'Mark done' }).click();
    await item.getByRole('button', { name: 'Reopen' }).click();
    await item.getByRole('button', { name: 'Mark done' }).waitFor();
    expect((await timelineOf(contact, sam)).find((n: any) => n.subject === todo).state).toBe('OPEN');

    await item.getByRole('button', { name: 'Change regarding' }).click();
    const dialog = page.getByRole('dialog', { name: 'Regarding' });
    await dialog.getByLabel('Record').fill(`Expansion ${tag}`);
    await dialog.getByRole('button', { name: new RegExp(`Expansion ${tag}`) }).click();
    await dialog.getByTestId('lookup-chosen').waitFor();
    await shoot('activity-regarding-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Live: the task leaves this timeline without a reload.
    await item.waitFor({ state: 'detached' });
    expect((await timelineOf(opportunity, sam)).map((n: any) => n.subject)).toContain(todo);

    await page.goto(`${hub.url}/#/opportunities/${encodeURIComponent(opportunity)}`);
    await page.getByTestId('timeline-item').filter({ hasText: todo }).waitFor();
    expect(errors).toEqual([]);
  });

  it('changes a task and moves an appointment from the timeline; a task and an appointment changed in the CRM and in Outlook at once show the version that lost', async () => {
    const sam = await hub.login(SAM.email);
    const tag = uniqueTag();
    const contact = ok(await hub.gql('mutation { createContact(input: { lastName: "Ändras" }) { id } }', {}, sam)).createContact.id;
    const todo = `Send the offer ${tag}`;
    const task = ok(await hub.gql('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { subject: todo, regardingId: contact, dueAt: '2030-04-02T08:00:00.000Z' } }, sam)).createTask.id;
    const meeting = `Contract review ${tag}`;
    const meetingId = ok(await hub.gql('mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }', { input: { subject: meeting, regardingId: contact, startAt: '2030-04-03T08:00:00.000Z', endAt: '2030-04-03T09:00:00.000Z' } }, sam)).createAppointment.id;
    await open(SAM, `#/contacts/${encodeURIComponent(contact)}`);

    const item = page.getByTestId('timeline-item').filter({ hasText: todo });
    await item.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit task' });
    // The form starts with what the task holds (10:00 in Stockholm is 08:00 UTC in April).
    expect(await dialog.getByLabel('Due').inputValue()).toBe('2030-04-02T10:00');
    await dialog.getByLabel('Subject').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Say what it was about.').waitFor();
    await dialog.getByLabel('Subject').fill(`${todo}, revised`);
    await dialog.getByLabel('Due').fill('2030-04-04T15:00');
    await dialog.getByLabel('Priority').selectOption('HIGH');
    await shoot('task-edit-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Live: the item shows the change without a reload.
    await page.getByTestId('timeline-item').filter({ hasText: `${todo}, revised` }).getByText('High priority').waitFor();
    expect(ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Task { subject dueAt priority } } }', { id: task }, sam)).node).toEqual({ subject: `${todo}, revised`, dueAt: '2030-04-04T13:00:00.000Z', priority: 'HIGH' });

    const appointment = page.getByTestId('timeline-item').filter({ hasText: meeting });
    await appointment.getByRole('button', { name: 'Edit' }).click();
    const move = page.getByRole('dialog', { name: 'Edit appointment' });
    // Made in the CRM: its changes go to Outlook, so no note says otherwise.
    expect(await move.getByTestId('follows-organizer').count()).toBe(0);
    await move.getByLabel('Starts').fill('2030-04-05T13:00');
    await move.getByLabel('Ends').fill('2030-04-05T12:00');
    await move.getByRole('button', { name: 'Save' }).click();
    await move.getByText('It cannot end before it starts.').waitFor();
    await move.getByLabel('Ends').fill('2030-04-05T14:30');
    await move.getByLabel('Location').fill('Room Orion');
    await move.getByRole('button', { name: 'Save' }).click();
    await move.waitFor({ state: 'hidden' });
    await page.getByTestId('timeline-item').filter({ hasText: meeting }).getByText('Room Orion').waitFor();

    // Sam's mailbox syncs tasks with Exchange; the engine reports the task changed in Outlook an hour before his edit.
    const exchange = await insertProfile(hub, { kind: EmailServerKind.EXCHANGE_EWS, incomingHost: null, incomingPort: null, incomingTls: null, outgoingHost: null, outgoingPort: null, outgoingTls: null, ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx', authMethod: MailAuthMethod.PASSWORD });
    const mailboxes = ok(await hub.gql('{ mailboxes { id address } }', {}, hub.syncServiceKey)).mailboxes as { id: string; address: string }[];
    const samMailbox = mailboxes.find((m) => m.address === SAM.email)!.id;
    await configureMailbox(hub, samMailbox, { profileId: exchange, extra: { actMethod: 'SERVER_SIDE_SYNC' as never } });
    const lease = (ok(await hub.gql('mutation { claimMailboxes(engineId: "browser-test", limit: 20) { mailboxId leaseId } }', {}, hub.syncServiceKey)).claimMailboxes as { mailboxId: string; leaseId: string }[]).find((c) => c.mailboxId === samMailbox)!.leaseId;
    const SYNC = 'mutation($m: ID!, $l: ID!, $t: [ExchangeTaskInput!]!) { syncMailboxTasks(mailboxId: $m, leaseId: $l, tasks: $t) { outcome } }';
    const outlook = { itemId: `AAMk${tag}=`, subject: `${todo}, revised`, notes: null, dueAt: '2030-04-04T00:00:00.000Z', status: 'NOT_STARTED', importance: 'HIGH', tracked: true, crmTaskId: task, lastModifiedAt: new Date().toISOString() };
    ok(await hub.gql(SYNC, { m: samMailbox, l: lease, t: [outlook] }, hub.syncServiceKey));
    ok(await hub.gql('mutation($id: ID!) { setActivityState(activityId: $id, state: COMPLETED) { id } }', { id: task }, sam));
    const lost = { ...outlook, subject: `${todo} (Outlook)`, lastModifiedAt: new Date(Date.now() - 3_600_000).toISOString() };
    expect(ok(await hub.gql(SYNC, { m: samMailbox, l: lease, t: [lost] }, hub.syncServiceKey)).syncMailboxTasks).toEqual([{ outcome: 'CRM_VERSION_KEPT' }]);

    await page.reload();
    const conflicted = page.getByTestId('timeline-item').filter({ hasText: `${todo}, revised` });
    await conflicted.getByText('Changed in the CRM and in Outlook at once').click();
    await conflicted.getByText(`Outlook’s version was “${todo} (Outlook)”`, { exact: false }).waitFor();
    await conflicted.getByText('The CRM’s version was kept as the later change.', { exact: false }).waitFor();
    await shoot('task-sync-conflict');

    // The appointment too: written to Sam's Calendar, then changed in the CRM (another room) and, later, in Outlook
    // (renamed and moved). Outlook's version wins, and the CRM's is shown as the one that lost.
    const writes = ok(await hub.gql('mutation($m: ID!, $l: ID!) { claimCalendarWrites(mailboxId: $m, leaseId: $l, first: 50) { appointmentId uid fingerprint } }', { m: samMailbox, l: lease }, hub.syncServiceKey)).claimCalendarWrites as { appointmentId: string; uid: string; fingerprint: string }[];
    const write = writes.find((w) => w.appointmentId === meetingId)!;
    ok(await hub.gql('mutation($m: ID!, $l: ID!, $w: [CalendarWriteInput!]!) { reportCalendarWrites(mailboxId: $m, leaseId: $l, writes: $w) }', { m: samMailbox, l: lease, w: [{ appointmentId: meetingId, itemId: `AAMkCal${tag}=`, changeKey: 'CK1', fingerprint: write.fingerprint }] }, hub.syncServiceKey));
    ok(await hub.gql('mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }', { id: meetingId, input: { location: 'Room Vega' } }, sam));
    const CALENDAR = 'mutation($m: ID!, $l: ID!, $e: [CalendarInput!]!) { syncMailboxCalendar(mailboxId: $m, leaseId: $l, events: $e) { outcome } }';
    const fromOutlook = { method: 'PUBLISH', uid: write.uid, summary: `${meeting} (Outlook)`, start: '2030-04-06T08:00:00.000Z', end: '2030-04-06T09:00:00.000Z', location: 'Teams', itemId: `AAMkCal${tag}=`, changeKey: 'CK2', lastModifiedAt: new Date(Date.now() + 3_600_000).toISOString() };
    expect(ok(await hub.gql(CALENDAR, { m: samMailbox, l: lease, e: [fromOutlook] }, hub.syncServiceKey)).syncMailboxCalendar).toEqual([{ outcome: 'UPDATED' }]);

    await page.reload();
    const moved = page.getByTestId('timeline-item').filter({ hasText: `${meeting} (Outlook)` });
    await moved.getByText('Changed in the CRM and in Outlook at once').click();
    await moved.getByText('Outlook’s version was kept as the later change.', { exact: false }).waitFor();
    await moved.getByText(`The CRM’s version was “${meeting}”, starting`, { exact: false }).waitFor();
    await moved.getByText('at Room Vega', { exact: false }).waitFor();
    await shoot('appointment-sync-conflict');

    // And the contact: written to Sam's Outlook, given a title in the CRM and, later, another one in Outlook. Outlook's
    // wins; the contact page shows the CRM's version as the one that lost.
    const contactWrites = ok(await hub.gql('mutation($m: ID!, $l: ID!) { claimContactWrites(mailboxId: $m, leaseId: $l, first: 50) { contactId givenName surname displayName jobTitle businessPhone mobilePhone emails fingerprint } }', { m: samMailbox, l: lease }, hub.syncServiceKey)).claimContactWrites as any[];
    const written = contactWrites.find((w) => w.contactId === contact)!;
    ok(await hub.gql('mutation($m: ID!, $l: ID!, $w: [ContactWriteInput!]!) { reportContactWrites(mailboxId: $m, leaseId: $l, writes: $w) }', { m: samMailbox, l: lease, w: contactWrites.map((w) => ({ contactId: w.contactId, itemId: `AAMkCon-${w.contactId}`, changeKey: 'CK1', fingerprint: w.fingerprint })) }, hub.syncServiceKey));
    ok(await hub.gql('mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id } }', { id: contact, input: { jobTitle: 'Buyer' } }, sam));
    const CONTACTS = 'mutation($m: ID!, $l: ID!, $c: [ExchangeContactInput!]!) { syncMailboxContacts(mailboxId: $m, leaseId: $l, contacts: $c) { outcome } }';
    const outlookContact = { itemId: `AAMkCon-${contact}`, givenName: written.givenName, surname: written.surname, displayName: written.displayName, jobTitle: 'Head of purchasing', businessPhone: null, mobilePhone: null, emails: written.emails, tracked: true, changeKey: 'CK2', lastModifiedAt: new Date(Date.now() + 3_600_000).toISOString(), crmContactId: contact };
    expect(ok(await hub.gql(CONTACTS, { m: samMailbox, l: lease, c: [outlookContact] }, hub.syncServiceKey)).syncMailboxContacts).toEqual([{ outcome: 'UPDATED' }]);

    await page.reload();
    const details = page.locator('aside.details');
    await details.getByText('Changed in the CRM and in Outlook at once').click();
    await details.getByText('Outlook’s version was kept as the later change.', { exact: false }).waitFor();
    await details.getByText('The CRM’s version was “Ändras, Buyer”', { exact: false }).waitFor();
    await shoot('contact-sync-conflict');
    expect(errors).toEqual([]);
  });

  it('offers no state or regarding change on a colleague’s task the viewer may only read', async () => {
    const sam = await hub.login(SAM.email);
    const sara = await hub.login(SARA.email);
    const contact = ok(await hub.gql('mutation { createContact(input: { lastName: "Delad" }) { id } }', {}, sam)).createContact.id;
    const subject = `Sara's follow-up ${uniqueTag()}`;
    ok(await hub.gql('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { subject, regardingId: contact } }, sara));
    // A salesperson reads the business unit's activities but changes only their own.
    const access = ok(await hub.gql('query($id: ID!) { timeline(recordId: $id, first: 5) { edges { node { subject viewerAccess { write append } } } } }', { id: contact }, sam))
      .timeline.edges.map((e: any) => e.node).find((n: any) => n.subject === subject).viewerAccess;
    expect(access).toEqual({ write: false, append: false });
    await open(SAM, `#/contacts/${encodeURIComponent(contact)}`);
    const item = page.getByTestId('timeline-item').filter({ hasText: subject });
    await item.waitFor();
    expect(await item.getByRole('button').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('opens an activity on its own page, follows its changes live, and shows one the viewer may not read as not found', async () => {
    const sam = await hub.login(SAM.email);
    const contact = ok(await hub.gql('mutation { createContact(input: { lastName: "Sidan" }) { id } }', {}, sam)).createContact.id;
    const subject = `Prepare the offer ${uniqueTag()}`;
    const task = ok(await hub.gql('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { subject, regardingId: contact } }, sam)).createTask.id;
    await open(SAM, `#/activities/${encodeURIComponent(task)}`);
    await page.getByRole('heading', { level: 1, name: subject }).waitFor();
    await page.getByRole('link', { name: 'Sidan' }).first().waitFor();
    // Done elsewhere (another tab, a colleague): the page shows it without a reload.
    ok(await hub.gql('mutation($id: ID!) { setActivityState(activityId: $id, state: COMPLETED) { id } }', { id: task }, sam));
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
    await shoot('activity-page');

    const nora = await hub.login('nora.north@demo.crm.test');
    const hidden = ok(await hub.gql('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { subject: 'North only' } }, nora)).createTask.id;
    await page.goto(`${hub.url}/#/activities/${encodeURIComponent(hidden)}`);
    await page.getByRole('heading', { level: 1, name: 'Activity not found' }).waitFor();
    expect(await page.getByText('North only').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
