import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../api/src/activities/activity-events';
import { parseGlobalId } from '../../api/src/common/global-id';
import { ADMIN, ok, uniqueTag } from '../api/gql-helpers';
import { Arrivals } from '../support/arrivals';
import { buildEngine, EngineProcess } from '../support/engine-process';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import type { LiveClient } from '../support/live-client';
import { subscribeFromNow as subscribeLive } from '../support/live-from-now';
import { eventually, MAILBOX_STATUS, setUpMailbox } from '../support/mailbox-admin';
import { rawMessage } from '../support/raw-mail';

// End to end over Exchange Web Services: the built sync engine (a child process) between the EWS test server (a
// local HTTP server keeping a real mailbox's state and answering SOAP shaped as Microsoft's EWS schema defines it,
// not Exchange itself) and the api on each database. Everything is configured and checked through GraphQL.

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const PASSWORD = 'exchange-secret-1';

describe.each(DIALECTS)('sync engine against the schema-faithful EWS test server (not Exchange), api on %s', (dialect) => {
  let hub: StartedHub;
  let ews: StartedEwsServer;
  let admin: string;
  const engines: EngineProcess[] = [];
  let samMailbox: string;
  let contacts: { id: string; fullName: string; primaryEmail: string }[];
  const events = new Arrivals<ActivityEvent>();
  const mailboxEvents = new Arrivals<{ mailboxId: string; mailbox: any }>();
  const live: LiveClient[] = [];

  const tracked = (recordGlobalId: string, test: (e: ActivityEvent) => boolean = () => true, from = 0) => {
    const { id } = parseGlobalId(recordGlobalId)!;
    return events.find((e) => e.records.some((r) => r.recordId === id) && test(e), { from, timeoutMs: 30_000, what: `an activity on ${recordGlobalId}` });
  };
  const subscribeFromNow = async <T>(token: string, query: string, into: Arrivals<T>, pick: (data: any) => T) => {
    live.push(await subscribeLive(hub, token, query, into, pick));
  };
  const timeline = async (recordId: string) =>
    ok(
      await hub.gql(
        `query($id: ID!) { timeline(recordId: $id, first: 50) { edges { node { id __typename subject
          ... on Email { status direction correlationMethod messageId regarding { __typename ... on Account { id } ... on Contact { id } } } } } } }`,
        { id: recordId },
        admin,
      ),
    ).timeline.edges.map((e: any) => e.node) as any[];

  beforeAll(async () => {
    await buildEngine();
    ews = await startEwsTestServer();
    ews.addUser(SAM.address, { password: PASSWORD });
    // Sam works in Sweden: his Outlook keeps W. Europe time (the Calendar's working hours).
    ews.setWorkHours(SAM.address, 'W. Europe Standard Time');
    hub = await startHub({ dialect });
    hub.services.events.subscribe((e) => events.push(e));
    admin = await hub.login(ADMIN);
    await subscribeFromNow(admin, `subscription($after: String) { mailboxChanged(after: $after) { mailboxId mailbox { ${MAILBOX_STATUS} appointmentsContactsTasksTest { status } folderTrackingRules { folder missingSince } } } }`, mailboxEvents, (d) => d.mailboxChanged);
    samMailbox = (ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[]).find((m) => m.address === SAM.address)!.id;
    contacts = ok(await hub.gql('{ contacts(first: 12) { edges { node { id fullName primaryEmail } } } }', {}, admin)).contacts.edges.map((e: any) => e.node);
    const input = { name: `Exchange ${uniqueTag()}`, kind: 'EXCHANGE_EWS', ewsUrl: ews.url, authMethod: 'PASSWORD', pollIntervalSeconds: 5 };
    const profileId = ok(await hub.gql('mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { id } }', { input }, admin)).createEmailServerProfile.id;
    await setUpMailbox(hub, admin, samMailbox, { profileId, username: SAM.address, password: PASSWORD, configure: { appointmentsContactsTasksMethod: 'SERVER_SIDE_SYNC' } });
    // Track mail from any CRM record (Dynamics' default tracks replies to CRM mail only).
    ok(await hub.gql('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: samMailbox, input: { trackingFilter: 'FROM_CRM_RECORDS' } }, admin));
    startEngine('ews-engine-a');
  }, 180_000);

  const startEngine = (name: string) => {
    const engine = new EngineProcess({
      HUB_API_URL: hub.graphqlUrl,
      HUB_API_KEY: hub.syncServiceKey,
      ENGINE_ID: name,
      POLL_INTERVAL_MS: '200',
      LEASE_SECONDS: '6',
      IDLE_SECONDS: '2',
      RECONCILE_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'info',
    });
    engines.push(engine);
    return engine;
  };

  afterAll(async () => {
    await Promise.all(live.map((c) => c.dispose()));
    for (const engine of engines) engine.signal('SIGKILL');
    await Promise.all(engines.map((e) => e.exited));
    await hub?.close();
    await ews?.close();
  });

  it('Test & Enable checks incoming, outgoing and appointments/contacts/tasks over EWS and enables the mailbox', async () => {
    const sam = (await mailboxEvents.find((e) => e.mailboxId === samMailbox && e.mailbox?.state === 'ENABLED', { timeoutMs: 30_000, what: 'Sam\'s mailbox to be enabled' })).mailbox;
    expect(sam.incomingTest).toMatchObject({ status: 'SUCCESS' });
    expect(sam.outgoingTest).toMatchObject({ status: 'SUCCESS' });
    expect(sam.appointmentsContactsTasksTest).toMatchObject({ status: 'SUCCESS' });
  });

  it('puts a message delivered to the Exchange Inbox on the right contact\'s timeline', async () => {
    const contact = contacts[0];
    const subject = `Pricing question over EWS ${uniqueTag()}`;
    ews.deliver(SAM.address, 'inbox', rawMessage({ from: { address: contact.primaryEmail, name: contact.fullName }, to: [SAM], subject }));
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_TRACKED');
    expect((await timeline(contact.id)).find((i) => i.subject === subject)).toMatchObject({ __typename: 'Email', direction: 'INCOMING', status: 'RECEIVED' });
  });

  it('tracks mail filed into an Exchange folder with a folder tracking rule, regarding the rule\'s record', async () => {
    const account = ok(await hub.gql('{ accounts(first: 3) { edges { node { id } } } }', {}, admin)).accounts.edges[2].node.id;
    ews.createFolder(SAM.address, 'Inbox', 'Projects');
    ews.createFolder(SAM.address, 'Inbox/Projects', 'ACME');
    const folder = 'Inbox/Projects/ACME';
    ok(await hub.gql('mutation($m: ID!, $input: FolderTrackingRuleInput!) { setFolderTrackingRule(mailboxId: $m, input: $input) { folder } }', { m: samMailbox, input: { folder, regardingId: account } }, admin));
    const subject = `Filed in Outlook ${uniqueTag()}`;
    const from = events.items.length;
    const itemId = ews.deliver(SAM.address, 'inbox', rawMessage({ from: { address: contacts[1].primaryEmail }, to: [SAM], subject }));
    // Moved into the mapped folder, as a user drags it in Outlook.
    ews.moveItem(SAM.address, itemId, folder);
    await tracked(account, (e) => e.type === 'ACTIVITY_TRACKED', from);
    expect((await timeline(account)).find((i) => i.subject === subject)).toMatchObject({ regarding: { id: account } });
  });

  it('a tracked folder renamed and moved in Outlook keeps its rule; deleted, its rule is marked missing with a warning while the Inbox still syncs', async () => {
    const account = ok(await hub.gql('{ accounts(first: 3) { edges { node { id } } } }', {}, admin)).accounts.edges[2].node.id;
    const mailboxFrom = mailboxEvents.items.length;
    // The rule and its alert commit together, but one answer reads the two lists apart: wait for both.
    const ruleAt = (path: string, missing: boolean) => (e: { mailboxId: string; mailbox: any }) =>
      e.mailboxId === samMailbox && e.mailbox?.folderTrackingRules?.some((r: any) => r.folder === path && (r.missingSince !== null) === missing)
      && e.mailbox.alerts.some((a: any) => a.code === (missing ? 'FOLDER_RULE_MISSING' : 'FOLDER_RULE_FOLLOWED'));
    ews.renameFolder(SAM.address, 'Inbox/Projects/ACME', 'ACME AB');
    ews.moveFolder(SAM.address, 'Inbox/Projects/ACME AB', 'inbox');
    const followed = await mailboxEvents.find(ruleAt('Inbox/ACME AB', false), { from: mailboxFrom, timeoutMs: 30_000, what: 'the rule to follow its folder to Inbox/ACME AB' });
    expect(followed.mailbox.folderTrackingRules.map((r: any) => r.folder)).toEqual(['Inbox/ACME AB']);
    expect(followed.mailbox.alerts.map((a: any) => a.code)).toContain('FOLDER_RULE_FOLLOWED');

    // Mail filed into the folder under its new name is tracked regarding the rule's record.
    const subject = `Filed after the rename ${uniqueTag()}`;
    const from = events.items.length;
    const itemId = ews.deliver(SAM.address, 'inbox', rawMessage({ from: { address: contacts[1].primaryEmail }, to: [SAM], subject }));
    ews.moveItem(SAM.address, itemId, 'Inbox/ACME AB');
    await tracked(account, (e) => e.type === 'ACTIVITY_TRACKED', from);
    expect((await timeline(account)).find((i) => i.subject === subject)).toMatchObject({ regarding: { id: account } });

    // Deleted for good: a warning names the folder, the mailbox stays enabled, and Inbox mail is still tracked.
    const beforeDelete = mailboxEvents.items.length;
    ews.deleteFolder(SAM.address, 'Inbox/ACME AB', { hard: true });
    const missing = await mailboxEvents.find(ruleAt('Inbox/ACME AB', true), { from: beforeDelete, timeoutMs: 30_000, what: 'the rule to be marked missing' });
    expect(missing.mailbox.alerts.find((a: any) => a.code === 'FOLDER_RULE_MISSING')).toMatchObject({ severity: 'WARNING', message: expect.stringContaining('"Inbox/ACME AB"') });
    const contact = contacts[2];
    const inboxSubject = `Inbox after the folder went ${uniqueTag()}`;
    const inboxFrom = events.items.length;
    ews.deliver(SAM.address, 'inbox', rawMessage({ from: { address: contact.primaryEmail, name: contact.fullName }, to: [SAM], subject: inboxSubject }));
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_TRACKED', inboxFrom);
    const status = ok(await hub.gql('query($id: ID!) { mailbox(id: $id) { state stateReason } }', { id: samMailbox }, admin)).mailbox;
    expect(status, JSON.stringify(status)).toMatchObject({ state: 'ENABLED' });
  });

  it('a meeting with a contact in the Exchange Calendar becomes an Appointment; moved in Outlook, it moves in the CRM; a private one stays out', async () => {
    const contact = contacts[3];
    const uid = `040000008200E00074C5B7101A82E008-${uniqueTag()}`;
    const appointment = async () => (await timeline(contact.id)).find((i) => i.__typename === 'Appointment' && i.subject === 'Quarterly review');
    ews.addCalendarItem(SAM.address, { uid: `private-${uid}`, subject: 'Private errand', start: new Date('2027-01-12T07:00:00Z'), end: new Date('2027-01-12T08:00:00Z'), organizer: { address: SAM.address }, required: [{ address: contact.primaryEmail }], sensitivity: 'Private' });
    const from = events.items.length;
    const itemId = ews.addCalendarItem(SAM.address, {
      uid, subject: 'Quarterly review', location: 'Teams', start: new Date('2027-01-12T09:00:00Z'), end: new Date('2027-01-12T10:00:00Z'),
      organizer: { name: SAM.name, address: SAM.address }, required: [{ name: contact.fullName, address: contact.primaryEmail }],
    });
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_CREATED', from);
    expect(await appointment()).toBeDefined();
    const created = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Appointment { startAt endAt location state } } }', { id: (await appointment()).id }, admin)).node;
    expect(created).toEqual({ startAt: '2027-01-12T09:00:00.000Z', endAt: '2027-01-12T10:00:00.000Z', location: 'Teams', state: 'OPEN' });

    const movedFrom = events.items.length;
    ews.updateCalendarItem(SAM.address, itemId, { start: new Date('2027-01-14T13:00:00Z'), end: new Date('2027-01-14T14:00:00Z'), sequence: 1 });
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_UPDATED', movedFrom);
    const moved = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Appointment { startAt endAt state } } }', { id: (await appointment()).id }, admin)).node;
    expect(moved).toEqual({ startAt: '2027-01-14T13:00:00.000Z', endAt: '2027-01-14T14:00:00.000Z', state: 'OPEN' });
    expect((await timeline(contact.id)).some((i) => i.subject === 'Private errand')).toBe(false);
  });

  it('a weekly series with a contact reaches the CRM as its series and its occurrences; an occurrence moved in Outlook moves in the CRM', async () => {
    const contact = contacts[3];
    const uid = `040000008200E00074C5B7101A82E008-series-${uniqueTag()}`;
    const SHAPE = 'query($id: ID!) { node(id: $id) { ... on Appointment { startAt instanceType originalStart series { id } recurrence { pattern daysOfWeek count timeZone } } } }';
    const appointments = async () => {
      const items = (await timeline(contact.id)).filter((i) => i.__typename === 'Appointment' && i.subject === 'Weekly pipeline');
      return Promise.all(items.map(async (i) => ({ id: i.id as string, ...ok(await hub.gql(SHAPE, { id: i.id }, admin)).node })));
    };
    const from = events.items.length;
    const master = ews.addCalendarItem(SAM.address, {
      uid, subject: 'Weekly pipeline', start: new Date('2027-03-15T08:00:00Z'), end: new Date('2027-03-15T09:00:00Z'), timeZone: 'W. Europe Standard Time',
      organizer: { name: SAM.name, address: SAM.address }, required: [{ name: contact.fullName, address: contact.primaryEmail }],
      recurrence: { WeeklyRecurrence: { Interval: 1, DaysOfWeek: 'Monday' }, NumberedRecurrence: { StartDate: '2027-03-15', NumberOfOccurrences: 4 } },
    });
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_CREATED', from);
    const all = await eventually(async () => ((await appointments()).length === 5 ? appointments() : undefined), 30_000, 'the series and its four occurrences');
    const series = all.find((a) => a.recurrence)!;
    expect(series.recurrence).toEqual({ pattern: 'WEEKLY', daysOfWeek: ['MONDAY'], count: 4, timeZone: 'W. Europe Standard Time' });
    const occurrences = all.filter((a) => a.instanceType).sort((a, b) => a.originalStart.localeCompare(b.originalStart));
    // 09:00 in Stockholm on both sides of the change to summer time on 28 March.
    expect(occurrences.map((o) => [o.startAt, o.series.id])).toEqual([
      ['2027-03-15T08:00:00.000Z', series.id], ['2027-03-22T08:00:00.000Z', series.id], ['2027-03-29T07:00:00.000Z', series.id], ['2027-04-05T07:00:00.000Z', series.id],
    ]);

    const movedFrom = events.items.length;
    ews.updateOccurrence(SAM.address, master, new Date('2027-03-22T08:00:00Z'), { start: new Date('2027-03-23T13:00:00Z'), end: new Date('2027-03-23T14:00:00Z') });
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_UPDATED', movedFrom);
    const moved = await eventually(async () => (await appointments()).find((a) => a.originalStart === '2027-03-22T08:00:00.000Z' && a.instanceType === 'EXCEPTION'), 30_000, 'the moved occurrence');
    expect(moved.startAt).toBe('2027-03-23T13:00:00.000Z');
    expect((await appointments()).filter((a) => a.instanceType)).toHaveLength(4);

    // Sam organizes the series: the last occurrence moved in the CRM moves in his Calendar (an exception there), telling
    // nobody, as no invitations were sent; read back, it is not written again.
    const last = (await appointments()).find((a) => a.originalStart === '2027-04-05T07:00:00.000Z')!;
    const sam = await hub.login(SAM.address);
    ok(await hub.gql('mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }', { id: last.id, input: { startAt: '2027-04-06T12:00:00.000Z', endAt: '2027-04-06T13:00:00.000Z' } }, sam));
    const written = await eventually(async () => ews.calendarItems(SAM.address).find((i) => i.itemId === master)?.exceptions?.find((e) => e.originalStart.toISOString() === '2027-04-05T07:00:00.000Z'), 30_000, 'the occurrence moved in Sam\'s Calendar');
    expect(written.start.toISOString()).toBe('2027-04-06T12:00:00.000Z');
    expect(ews.occurrenceUpdates(SAM.address).filter((u) => u.uid === uid)).toEqual([{ uid, originalStart: new Date('2027-04-05T07:00:00.000Z'), mode: 'SendToNone' }]);
    // The series read again (its master changed): the occurrence is an exception in the CRM too, and stays where it was put.
    const exception = await eventually(async () => (await appointments()).find((a) => a.id === last.id && a.instanceType === 'EXCEPTION'), 30_000, 'the moved occurrence read back as an exception');
    expect(exception.startAt).toBe('2027-04-06T12:00:00.000Z');
    const reads = ews.requests().filter((r) => r.operation === 'SyncFolderItems').length;
    await eventually(async () => (ews.requests().filter((r) => r.operation === 'SyncFolderItems').length > reads + 10 ? true : undefined), 30_000, 'two more runs');
    expect(ews.occurrenceUpdates(SAM.address).filter((u) => u.uid === uid)).toHaveLength(1);
  });

  it('an appointment Sam makes in the CRM appears in his Exchange Calendar without inviting anyone, is not doubled when read back, moved in the CRM it moves there, and cancelled it leaves the Calendar', async () => {
    const contact = contacts[4];
    const sam = await hub.login(SAM.address);
    const made = ok(await hub.gql('mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }', {
      input: { subject: 'Site visit at Åre', startAt: '2027-02-03T08:00:00.000Z', endAt: '2027-02-03T11:00:00.000Z', location: 'Åre', requiredAttendeeIds: [contact.id] },
    }, sam)).createAppointment.id;
    const rawId = parseGlobalId(made)!.id;
    const entry = await eventually(async () => ews.calendarItems(SAM.address).find((i) => i.subject === 'Site visit at Åre'), 30_000, 'the appointment in Sam\'s Exchange Calendar');
    expect(entry).toMatchObject({ uid: `${rawId}@crm-activity-hub`, location: 'Åre', sendMeetingInvitations: 'SendToNone' });
    expect(entry.start.toISOString()).toBe('2027-02-03T08:00:00.000Z');
    expect(entry.required?.map((a) => a.address)).toEqual([contact.primaryEmail]);

    // Read back on the next runs: still one appointment, the one made in the CRM, and one Calendar entry.
    const reads = ews.requests().filter((r) => r.operation === 'SyncFolderItems').length;
    await eventually(async () => (ews.requests().filter((r) => r.operation === 'SyncFolderItems').length > reads + 4 ? true : undefined), 30_000, 'more calendar reads');
    const onTimeline = (await timeline(contact.id)).filter((i) => i.subject === 'Site visit at Åre');
    expect(onTimeline.map((i) => i.id)).toEqual([made]);
    expect(ews.calendarItems(SAM.address).filter((i) => i.subject === 'Site visit at Åre')).toHaveLength(1);

    // Moved in the CRM: the Calendar entry moves too, in place (the same entry and ItemId, with the CRM's UID; nobody told from here).
    ok(await hub.gql('mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }', { id: made, input: { startAt: '2027-02-04T12:00:00.000Z', endAt: '2027-02-04T13:30:00.000Z', location: 'Östersund' } }, sam));
    const moved = await eventually(async () => ews.calendarItems(SAM.address).find((i) => i.subject === 'Site visit at Åre' && i.start.toISOString() === '2027-02-04T12:00:00.000Z'), 30_000, 'the entry moved in the Calendar');
    expect(moved).toMatchObject({ itemId: entry.itemId, uid: `${rawId}@crm-activity-hub`, location: 'Östersund', updateSent: 'SendToNone' });
    expect(moved.end.toISOString()).toBe('2027-02-04T13:30:00.000Z');
    expect(ews.calendarItems(SAM.address).filter((i) => i.subject === 'Site visit at Åre')).toHaveLength(1);

    // Cancelled in the CRM: the entry leaves the Calendar (into Deleted Items), and nobody is told from here.
    ok(await hub.gql('mutation($id: ID!) { setActivityState(activityId: $id, state: CANCELLED) { id } }', { id: made }, sam));
    await eventually(async () => (ews.calendarItems(SAM.address).some((i) => i.subject === 'Site visit at Åre') ? undefined : true), 30_000, 'the entry to leave the Calendar');
  });

  it('a meeting Sam organized and sent from Outlook, moved in the CRM, moves in his Calendar and Exchange sends the attendees the update; cancelled in the CRM, they get the cancellation', async () => {
    const contact = contacts[4];
    const sam = await hub.login(SAM.address);
    const itemId = ews.addCalendarItem(SAM.address, {
      uid: '040000008200E00074C5B7101A82E008-kickoff', subject: 'Kickoff with the customer', location: 'Room 1', start: new Date('2027-05-03T08:00:00Z'), end: new Date('2027-05-03T09:00:00Z'),
      organizer: { name: 'Sam Sales', address: SAM.address }, required: [{ address: contact.primaryEmail }], invitationsSent: true, sequence: 0,
    });
    const appointment = await eventually(async () => (await timeline(contact.id)).find((i) => i.subject === 'Kickoff with the customer'), 30_000, 'the meeting on the contact\'s timeline');
    const flags = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Appointment { followsOrganizer changesReachAttendees } } }', { id: appointment.id }, sam)).node;
    expect(flags).toEqual({ followsOrganizer: false, changesReachAttendees: true });

    ok(await hub.gql('mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }', { id: appointment.id, input: { startAt: '2027-05-03T12:00:00.000Z', endAt: '2027-05-03T13:00:00.000Z' } }, sam));
    const moved = await eventually(async () => ews.calendarItems(SAM.address).find((i) => i.itemId === itemId && i.start.toISOString() === '2027-05-03T12:00:00.000Z'), 30_000, 'the meeting moved in Sam\'s Calendar');
    // The same entry and UID, and the update went to the attendees (Exchange raised the sequence as it does for a sent update).
    expect(moved).toMatchObject({ uid: '040000008200E00074C5B7101A82E008-kickoff', updateSent: 'SendToAllAndSaveCopy', sequence: 1 });
    expect(ews.calendarItems(SAM.address).filter((i) => i.uid === '040000008200E00074C5B7101A82E008-kickoff')).toHaveLength(1);
    // Read back (its new sequence and ChangeKey) it stays as the CRM has it, and is not written again.
    const reads = ews.requests().filter((r) => r.operation === 'SyncFolderItems').length;
    await eventually(async () => (ews.requests().filter((r) => r.operation === 'SyncFolderItems').length > reads + 10 ? true : undefined), 30_000, 'two more runs');
    expect(ews.calendarItems(SAM.address).find((i) => i.itemId === itemId)).toMatchObject({ changeKey: moved.changeKey, sequence: 1 });

    ok(await hub.gql('mutation($id: ID!) { setActivityState(activityId: $id, state: CANCELLED) { id } }', { id: appointment.id }, sam));
    await eventually(async () => (ews.calendarDeletions(SAM.address).some((d) => d.uid === '040000008200E00074C5B7101A82E008-kickoff') ? true : undefined), 30_000, 'the meeting cancelled from Sam\'s Calendar');
    expect(ews.calendarDeletions(SAM.address).filter((d) => d.uid === '040000008200E00074C5B7101A82E008-kickoff')).toEqual([{ uid: '040000008200E00074C5B7101A82E008-kickoff', mode: 'SendToAllAndSaveCopy' }]);
    expect(ews.calendarItems(SAM.address).some((i) => i.itemId === itemId)).toBe(false);
  });

  it('the hub learns Sam\'s time zone from his mailbox; an all-day appointment he makes in the CRM is on the same days in his Outlook, one made in Outlook on the same day in the CRM, and neither is written back', async () => {
    const sam = await hub.login(SAM.address);
    const zone = async () => (ok(await hub.gql('{ mailboxes { id timeZone } }', {}, admin)).mailboxes as { id: string; timeZone: string | null }[]).find((m) => m.id === samMailbox)?.timeZone;
    await eventually(async () => ((await zone()) === 'Europe/Berlin' ? true : undefined), 30_000, 'the hub to learn Sam\'s time zone');
    const contact = contacts[4];
    const APPOINTMENT = 'query($id: ID!) { node(id: $id) { ... on Appointment { startAt endAt allDay occurredAt } } }';

    // CRM → Outlook: 10 and 11 March, kept as whole UTC days in the CRM.
    const made = ok(await hub.gql('mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }', {
      input: { subject: 'Trade fair in Jönköping', startAt: '2027-03-10T00:00:00.000Z', endAt: '2027-03-12T00:00:00.000Z', allDay: true, requiredAttendeeIds: [contact.id] },
    }, sam)).createAppointment.id;
    const entry = await eventually(async () => ews.calendarItems(SAM.address).find((i) => i.subject === 'Trade fair in Jönköping'), 30_000, 'the all-day entry in Sam\'s Calendar');
    // In his zone, from midnight on the 10th to midnight after the 11th, as Outlook in Stockholm shows 10–11 March.
    expect(entry).toMatchObject({ allDay: true, timeZone: 'W. Europe Standard Time' });
    expect([entry.start.toISOString(), entry.end.toISOString()]).toEqual(['2027-03-09T23:00:00.000Z', '2027-03-11T23:00:00.000Z']);

    // Read back on the next runs: the same days in the CRM, and the entry is not written again.
    const reads = ews.requests().filter((r) => r.operation === 'SyncFolderItems').length;
    await eventually(async () => (ews.requests().filter((r) => r.operation === 'SyncFolderItems').length > reads + 4 ? true : undefined), 30_000, 'more calendar reads');
    expect(ok(await hub.gql(APPOINTMENT, { id: made }, sam)).node).toEqual({ startAt: '2027-03-10T00:00:00.000Z', endAt: '2027-03-12T00:00:00.000Z', allDay: true, occurredAt: '2027-03-10T00:00:00.000Z' });
    const after = ews.calendarItems(SAM.address).filter((i) => i.subject === 'Trade fair in Jönköping');
    expect(after.map((i) => [i.itemId, i.changeKey])).toEqual([[entry.itemId, entry.changeKey]]);

    // Outlook → CRM: a day off made in Outlook in Stockholm (midnight to midnight there) is that day in the CRM.
    const from = events.items.length;
    ews.addCalendarItem(SAM.address, {
      uid: `midsummer-${uniqueTag()}`, subject: 'Midsummer off-site', allDay: true, timeZone: 'W. Europe Standard Time',
      start: new Date('2027-06-24T22:00:00Z'), end: new Date('2027-06-25T22:00:00Z'),
      organizer: { name: SAM.name, address: SAM.address }, required: [{ name: contact.fullName, address: contact.primaryEmail }],
    });
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_CREATED', from);
    const midsummer = await eventually(async () => (await timeline(contact.id)).find((i) => i.subject === 'Midsummer off-site'), 30_000, 'the Outlook day off in the CRM');
    expect(ok(await hub.gql(APPOINTMENT, { id: midsummer.id }, sam)).node).toEqual({ startAt: '2027-06-25T00:00:00.000Z', endAt: '2027-06-26T00:00:00.000Z', allDay: true, occurredAt: '2027-06-25T00:00:00.000Z' });
  });

  it('an appointment Sam changes both in the CRM and in Outlook while the engine is held: the later change wins, the loser is kept, and the Outlook entry keeps its ItemId', async () => {
    const sam = await hub.login(SAM.address);
    const tag = uniqueTag('Appt');
    const APPOINTMENT = 'query($id: ID!) { node(id: $id) { ... on Appointment { subject startAt endAt location syncConflicts { rule winner losingVersion { subject startAt location } } } } }';
    const appointment = async (id: string) => ok(await hub.gql(APPOINTMENT, { id }, sam)).node;
    const made = ok(await hub.gql('mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }', {
      input: { subject: `${tag} Pricing workshop`, startAt: '2027-02-10T09:00:00.000Z', endAt: '2027-02-10T11:00:00.000Z', location: 'Kiruna', requiredAttendeeIds: [contacts[4].id] },
    }, sam)).createAppointment.id;
    const entry = await eventually(async () => ews.calendarItems(SAM.address).find((i) => i.subject === `${tag} Pricing workshop`), 30_000, 'the appointment in Sam\'s Exchange Calendar');
    // Let the engine report the write and read the entry back before anything changes.
    const reads = ews.requests().filter((r) => r.operation === 'SyncFolderItems').length;
    await eventually(async () => (ews.requests().filter((r) => r.operation === 'SyncFolderItems').length > reads + 4 ? true : undefined), 30_000, 'more calendar reads');
    const entryNow = () => ews.calendarItems(SAM.address).find((i) => i.itemId === entry.itemId);

    // Held engine: Sam changes the place in the CRM, and a minute later (by Outlook's clock) moves it in Outlook.
    // Outlook's change is the later one: the CRM takes it and keeps its own version as the loser.
    const engine = engines[0];
    engine.signal('SIGSTOP');
    try {
      ok(await hub.gql('mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }', { id: made, input: { location: 'Luleå' } }, sam));
      ews.updateCalendarItem(SAM.address, entry.itemId, { subject: `${tag} Pricing workshop (moved)`, start: new Date('2027-02-11T09:00:00Z'), end: new Date('2027-02-11T11:00:00Z') }, { modifiedAt: new Date(Date.now() + 60_000) });
    } finally {
      engine.signal('SIGCONT');
    }
    const settled = await eventually(async () => {
      const now = await appointment(made);
      return now.subject === `${tag} Pricing workshop (moved)` ? now : undefined;
    }, 30_000, 'Outlook\'s later change in the CRM');
    expect(settled).toMatchObject({ startAt: '2027-02-11T09:00:00.000Z', location: 'Kiruna', syncConflicts: [{ rule: 'LATER_CHANGE_WINS', winner: 'EXCHANGE', losingVersion: { subject: `${tag} Pricing workshop`, startAt: '2027-02-10T09:00:00.000Z', location: 'Luleå' } }] });
    // Outlook keeps its version: the CRM's losing place was never written over it.
    expect(entryNow()).toMatchObject({ subject: `${tag} Pricing workshop (moved)`, location: 'Kiruna' });

    // Held again: this time Outlook's change (another room) is a minute old when Sam moves it in the CRM. The CRM's
    // version wins and is written over Outlook's, in place.
    engine.signal('SIGSTOP');
    try {
      ews.updateCalendarItem(SAM.address, entry.itemId, { location: 'Room Y' }, { modifiedAt: new Date(Date.now() - 60_000) });
      ok(await hub.gql('mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }', { id: made, input: { startAt: '2027-02-12T09:00:00.000Z', endAt: '2027-02-12T11:00:00.000Z' } }, sam));
    } finally {
      engine.signal('SIGCONT');
    }
    const overwritten = await eventually(async () => (entryNow()?.start.toISOString() === '2027-02-12T09:00:00.000Z' ? entryNow() : undefined), 30_000, 'the CRM\'s later change in Outlook');
    expect(overwritten).toMatchObject({ itemId: entry.itemId, subject: `${tag} Pricing workshop (moved)`, location: 'Kiruna' });
    const kept = await appointment(made);
    expect(kept).toMatchObject({ startAt: '2027-02-12T09:00:00.000Z', location: 'Kiruna' });
    expect(kept.syncConflicts[0]).toMatchObject({ rule: 'LATER_CHANGE_WINS', winner: 'CRM', losingVersion: { startAt: '2027-02-11T09:00:00.000Z', location: 'Room Y' } });
    expect(ews.calendarItems(SAM.address).filter((i) => i.uid === entry.uid)).toHaveLength(1);
  });

  it('a task Sam marks "Tracked to CRM" in Outlook becomes his Task and completes with it; one he makes in the CRM appears in Outlook and follows his changes; changed on both sides, the later change wins and the loser is kept', async () => {
    const sam = await hub.login(SAM.address);
    const tag = uniqueTag('Task');
    const TASK = 'query($id: ID!) { node(id: $id) { ... on Task { subject state dueAt priority syncConflicts { rule winner losingVersion { subject completed } } } } }';
    const findTask = (subject: string) =>
      eventually(async () => {
        const found = ok(await hub.gql('query($q: String!) { activities(first: 5, filter: { kinds: [TASK], search: $q }) { edges { node { id subject } } } }', { q: subject }, sam)).activities.edges.map((e: any) => e.node);
        return found.find((t: any) => t.subject === subject)?.id as string | undefined;
      }, 30_000, `the task "${subject}" in the CRM`);
    const task = async (id: string) => ok(await hub.gql(TASK, { id }, sam)).node;

    // Outlook → CRM: only the marked task enters; completed in Outlook, it is completed in the CRM.
    ews.addTask(SAM.address, { subject: `${tag} Personal errand` });
    const marked = ews.addTask(SAM.address, { subject: `${tag} Call back Contoso`, dueDate: new Date('2027-01-20T00:00:00Z'), importance: 'High', categories: ['Tracked to CRM'] });
    const fromOutlook = await findTask(`${tag} Call back Contoso`);
    // Due on 20 January where Sam is: from midnight in W. Europe time.
    expect(await task(fromOutlook)).toMatchObject({ state: 'OPEN', dueAt: '2027-01-19T23:00:00.000Z', priority: 'HIGH' });
    ews.updateTask(SAM.address, marked, { status: 'Completed' });
    await eventually(async () => ((await task(fromOutlook)).state === 'COMPLETED' ? true : undefined), 30_000, 'the task completed in the CRM');
    expect(ok(await hub.gql('query($q: String!) { activities(first: 5, filter: { kinds: [TASK], search: $q }) { edges { node { id } } } }', { q: `${tag} Personal errand` }, sam)).activities.edges).toEqual([]);

    // CRM → Outlook: Sam's new task appears in his Tasks, marked and with its due day; read back it is not doubled.
    const made = ok(await hub.gql('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { subject: `${tag} Send the offer`, dueAt: '2027-01-25T15:00:00.000Z', priority: 'LOW' } }, sam)).createTask.id;
    const written = await eventually(async () => ews.tasks(SAM.address).find((t) => t.subject === `${tag} Send the offer`), 30_000, 'the task in Sam\'s Exchange Tasks');
    expect(written).toMatchObject({ importance: 'Low', status: 'NotStarted', categories: ['Tracked to CRM'] });
    expect(written.dueDate?.toISOString()).toBe('2027-01-25T00:00:00.000Z');
    const reads = ews.requests().filter((r) => r.operation === 'SyncFolderItems').length;
    await eventually(async () => (ews.requests().filter((r) => r.operation === 'SyncFolderItems').length > reads + 6 ? true : undefined), 30_000, 'more reads');
    expect(ews.tasks(SAM.address).filter((t) => t.subject === `${tag} Send the offer`)).toHaveLength(1);
    expect(ok(await hub.gql('query($q: String!) { activities(first: 5, filter: { kinds: [TASK], search: $q }) { edges { node { id } } } }', { q: `${tag} Send the offer` }, sam)).activities.edges.map((e: any) => e.node.id)).toEqual([made]);

    // Changed in the CRM (a new due day, another priority): the Outlook task follows, in place.
    ok(await hub.gql('mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(activityId: $id, input: $input) { id } }', { id: made, input: { dueAt: '2027-01-27T09:00:00.000Z', priority: 'HIGH' } }, sam));
    await eventually(async () => {
      const now = ews.tasks(SAM.address).find((t) => t.itemId === written.itemId);
      return now?.importance === 'High' && now.dueDate?.toISOString() === '2027-01-27T00:00:00.000Z' ? true : undefined;
    }, 30_000, 'the Outlook task changed');

    // Both sides change it while the engine is held: Sam completes it in the CRM, and a minute later (by Outlook's clock)
    // renames it in Outlook. Outlook's change is the later one: the CRM takes it and keeps its own version as the loser.
    const engine = engines[0];
    engine.signal('SIGSTOP');
    try {
      ok(await hub.gql('mutation($id: ID!) { setActivityState(activityId: $id, state: COMPLETED) { id } }', { id: made }, sam));
      ews.updateTask(SAM.address, written.itemId, { subject: `${tag} Send the revised offer` }, { modifiedAt: new Date(Date.now() + 60_000) });
    } finally {
      engine.signal('SIGCONT');
    }
    const settled = await eventually(async () => {
      const now = await task(made);
      return now.subject === `${tag} Send the revised offer` ? now : undefined;
    }, 30_000, 'Outlook\'s later change in the CRM');
    expect(settled).toMatchObject({ state: 'OPEN', syncConflicts: [{ rule: 'LATER_CHANGE_WINS', winner: 'EXCHANGE', losingVersion: { subject: `${tag} Send the offer`, completed: true } }] });
    // Outlook keeps its version: the CRM's losing completion was never written over it.
    expect(ews.tasks(SAM.address).find((t) => t.itemId === written.itemId)).toMatchObject({ subject: `${tag} Send the revised offer`, status: 'NotStarted', importance: 'High' });

    // Deleted in Outlook while open and unchanged in the CRM: cancelled in the CRM, and not written back.
    ews.moveToDeletedItems(SAM.address, written.itemId);
    await eventually(async () => ((await task(made)).state === 'CANCELLED' ? true : undefined), 30_000, 'the task cancelled in the CRM');
    expect(ews.tasks(SAM.address).some((t) => t.subject.startsWith(`${tag} Send the`))).toBe(false);
  });

  it('a contact Sam marks "Tracked to CRM" in Outlook becomes his CRM contact and passes on his changes there; an unmarked one stays in Outlook', async () => {
    const sam = await hub.login(SAM.address);
    const tag = uniqueTag('Con').toLowerCase();
    const find = async (search: string) =>
      ok(await hub.gql('query($q: String!) { contacts(first: 5, filter: { search: $q }) { edges { node { id fullName jobTitle telephone emails owner { email } } } } }', { q: search }, sam)).contacts.edges.map((e: any) => e.node);
    ews.addContact(SAM.address, { displayName: `Dentist ${tag}`, surname: `Dentist ${tag}`, emails: [`dentist.${tag}@private.example`] });
    const itemId = ews.addContact(SAM.address, { givenName: 'Åsa', surname: `Lind ${tag}`, companyName: 'Contoso AB', jobTitle: 'Buyer', emails: [`asa.${tag}@contoso.example`], businessPhone: '+46 8 555 01 00', categories: ['Tracked to CRM'] });
    const [created] = await eventually(async () => {
      const found = await find(`Lind ${tag}`);
      return found.length ? found : undefined;
    }, 30_000, 'the contact in the CRM');
    expect(created).toMatchObject({ fullName: `Åsa Lind ${tag}`, jobTitle: 'Buyer', telephone: '+46 8 555 01 00', emails: [`asa.${tag}@contoso.example`], owner: { email: SAM.address } });

    ews.updateContact(SAM.address, itemId, { jobTitle: 'Head of purchasing' });
    await eventually(async () => ((await find(`Lind ${tag}`))[0]?.jobTitle === 'Head of purchasing' ? true : undefined), 30_000, 'the new job title in the CRM');
    expect(await find(`Dentist ${tag}`)).toEqual([]);
    expect(await find(`Lind ${tag}`)).toHaveLength(1);
  });

  it('a contact Sam makes in the CRM appears once in his Exchange Contacts folder, marked "Tracked to CRM"; changed in the CRM, it changes there in place', async () => {
    const sam = await hub.login(SAM.address);
    const tag = uniqueTag('Crm').toLowerCase();
    const outlookCopies = () => ews.contacts(SAM.address).filter((c) => c.surname === `Rask ${tag}`);
    const inCrm = async () => ok(await hub.gql('query($q: String!) { contacts(first: 5, filter: { search: $q }) { edges { node { id } } } }', { q: `Rask ${tag}` }, sam)).contacts.edges.map((e: any) => e.node.id);
    const made = ok(await hub.gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { firstName: 'Gustav', lastName: `Rask ${tag}`, jobTitle: 'Engineer', emails: [`gustav.${tag}@adatum.example`] } }, sam)).createContact.id;
    const written = await eventually(async () => outlookCopies()[0], 30_000, 'the contact in Sam\'s Exchange Contacts folder');
    expect(written).toMatchObject({ givenName: 'Gustav', displayName: `Gustav Rask ${tag}`, jobTitle: 'Engineer', emails: [`gustav.${tag}@adatum.example`], categories: ['Tracked to CRM'], extended: { CrmActivityHubContactId: made } });

    // Read back on the next runs (it is marked, so the hub reads it as tracked): still one Outlook contact and one CRM contact.
    const reads = ews.requests().filter((r) => r.operation === 'SyncFolderItems').length;
    await eventually(async () => (ews.requests().filter((r) => r.operation === 'SyncFolderItems').length > reads + 6 ? true : undefined), 30_000, 'more reads');
    expect(outlookCopies()).toHaveLength(1);
    expect(await inCrm()).toEqual([made]);

    // Changed in the CRM: the same Outlook contact follows.
    ok(await hub.gql('mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id } }', { id: made, input: { jobTitle: 'Lead engineer', mobilePhone: '+46 70 555 07 00' } }, sam));
    const changed = await eventually(async () => outlookCopies().find((c) => c.jobTitle === 'Lead engineer'), 30_000, 'the Outlook contact changed');
    expect(changed).toMatchObject({ itemId: written.itemId, mobilePhone: '+46 70 555 07 00', categories: ['Tracked to CRM'] });
    expect(outlookCopies()).toHaveLength(1);
    expect(await inCrm()).toEqual([made]);
    // Sam's seeded contacts went to Outlook too, each once, and no write failed.
    expect(engines[0].lines.filter((line) => line.msg.includes('Contacts folder could not be synchronized'))).toEqual([]);
    const crmIds = ews.contacts(SAM.address).filter((c) => c.extended?.CrmActivityHubContactId).map((c) => c.extended!.CrmActivityHubContactId);
    expect(crmIds.length).toBeGreaterThan(1);
    expect(new Set(crmIds).size).toBe(crmIds.length);
    // Read back on several more runs, nothing the hub wrote echoes: no contact in his folder is written again (same ChangeKeys).
    const versions = () => ews.contacts(SAM.address).map((c) => [c.itemId, c.changeKey]).sort();
    const settled = versions();
    const before = ews.requests().filter((r) => r.operation === 'SyncFolderItems').length;
    await eventually(async () => (ews.requests().filter((r) => r.operation === 'SyncFolderItems').length > before + 6 ? true : undefined), 30_000, 'more reads');
    expect(versions()).toEqual(settled);
  });

  it('sends with CreateItem SendAndSaveCopy keeping the hub\'s Message-ID, marks it SENT, reads the Sent Items copy once, and the reply correlates', async () => {
    const sam = await hub.login(SAM.address);
    const contact = contacts[2];
    const account = ok(await hub.gql('{ accounts(first: 1) { edges { node { id } } } }', {}, admin)).accounts.edges[0].node.id;
    const outgoing = new Arrivals<{ activityId: string; activity: any }>();
    await subscribeFromNow(sam, 'subscription($after: String) { outgoingEmailChanged(after: $after) { activityId activity { ... on Email { status } } } }', outgoing, (d) => d.outgoingEmailChanged);
    const sent = ok(
      await hub.gql(
        'mutation($input: SendEmailInput!) { sendEmail(input: $input) { id subject messageId status } }',
        { input: { toRecordIds: [contact.id], subject: `Proposal over Exchange ${uniqueTag()}`, textBody: 'Please find the proposal.', regardingId: account } },
        sam,
      ),
    ).sendEmail;
    await outgoing.find((e) => e.activityId === sent.id && e.activity?.status === 'SENT', { timeoutMs: 30_000, what: 'the email to be SENT' });
    const [message] = ews.sent(SAM.address).filter((m) => m.mime.toString('utf8').includes(sent.messageId));
    expect(message.recipients).toEqual([contact.primaryEmail]);
    expect(message.savedCopy).toBe(true);
    expect(message.mime.toString('utf8')).toMatch(new RegExp(`^Message-ID: <${sent.messageId.replace(/[.$^]/g, '\\$&')}>`, 'mi'));

    const replySubject = `RE: ${sent.subject}`;
    const from = events.items.length;
    ews.deliver(SAM.address, 'inbox', rawMessage({ from: { address: contact.primaryEmail, name: contact.fullName }, to: [SAM], subject: replySubject, inReplyTo: sent.messageId }));
    await tracked(account, (e) => e.type === 'ACTIVITY_TRACKED' && e.activityId !== parseGlobalId(sent.id)?.id, from);
    const onAccount = await timeline(account);
    expect(onAccount.find((i) => i.subject === replySubject)).toMatchObject({ correlationMethod: 'IN_REPLY_TO', regarding: { id: account } });
    // The Sent Items copy was read back and recognized: one email, not two.
    expect(onAccount.filter((i) => i.messageId === sent.messageId)).toHaveLength(1);
  });

  it('a killed engine\'s Exchange mailbox is taken over by another engine, and nothing is tracked twice', async () => {
    const [first] = engines;
    first.signal('SIGKILL');
    await first.exited;
    startEngine('ews-engine-b');
    const contact = contacts[3];
    const subject = `After the engine died ${uniqueTag()}`;
    const from = events.items.length;
    ews.deliver(SAM.address, 'inbox', rawMessage({ from: { address: contact.primaryEmail, name: contact.fullName }, to: [SAM], subject }));
    // Within the lease (6 s) and a claim: the second engine reads it.
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_TRACKED', from);
    expect((await timeline(contact.id)).filter((i) => i.subject === subject)).toHaveLength(1);
    const seen = ews.requests().filter((r) => r.operation === 'SyncFolderItems' && r.mailbox === SAM.address);
    expect(seen.length).toBeGreaterThan(0);
  });
});
