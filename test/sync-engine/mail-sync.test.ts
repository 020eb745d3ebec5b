import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../api/src/activities/activity-events';
import { parseGlobalId, toGlobalId } from '../../api/src/common/global-id';
import { ADMIN, ok, uniqueTag } from '../api/gql-helpers';
import { startDovecot, type StartedDovecot } from '../support/dovecot';
import { buildEngine, EngineProcess, type LogLine } from '../support/engine-process';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { Arrivals } from '../support/arrivals';
import type { LiveClient } from '../support/live-client';
import { subscribeFromNow as subscribeLive } from '../support/live-from-now';
import { whenFolderChanges } from '../support/imap-folder-watch';
import { createProfile, MAILBOX_STATUS, setCredentials, setUpMailbox } from '../support/mailbox-admin';
import { newMessageId, rawForward, rawInvite, rawMessage } from '../support/raw-mail';
import { startSmtpPeer, type StartedSmtpPeer } from '../support/smtp-peer';

// End to end over real peers: the built sync engine (child processes) between a real Dovecot (IMAP, POP3),
// a real SMTP server (smtp-server) and the api on each database. Everything is configured and checked through GraphQL.

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const SARA = { address: 'sara.sales@demo.crm.test', name: 'Sara Säljare' };
const NORA = { address: 'nora.north@demo.crm.test', name: 'Nora North' };
const SVEN = { address: 'sven.service@demo.crm.test', name: 'Sven Service' };
const MARIA = { address: 'maria.manager@demo.crm.test', name: 'Maria Manager' };
const FORWARD = { address: 'crm-forward@demo.crm.test', name: 'CRM forward mailbox' };
const PASSWORD = 'imap-secret-1';

interface Contact {
  id: string;
  fullName: string;
  primaryEmail: string;
}

describe.each(DIALECTS)('sync engine against real Dovecot and SMTP, api on %s', (dialect) => {
  let hub: StartedHub;
  let dovecot: StartedDovecot;
  let smtp: StartedSmtpPeer;
  let admin: string;
  let imapProfile: string;
  let popProfile: string;
  const mailboxes: Record<string, string> = {};
  let contacts: Contact[];
  const events = new Arrivals<ActivityEvent>();
  /** mailboxChanged for every mailbox, from before the first change: each with the mailbox as it was delivered. */
  const mailboxEvents = new Arrivals<{ mailboxId: string; mailbox: any }>();
  const live: LiveClient[] = [];
  const engines: EngineProcess[] = [];

  const startEngine = (name: string, env: Record<string, string> = {}) => {
    const engine = new EngineProcess({
      HUB_API_URL: hub.graphqlUrl,
      HUB_API_KEY: hub.syncServiceKey,
      ENGINE_ID: name,
      POLL_INTERVAL_MS: '200',
      LEASE_SECONDS: '6',
      IDLE_SECONDS: '3',
      RECONCILE_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'info',
      ...env,
    });
    engines.push(engine);
    return engine;
  };
  /** Resolves with the first event (from index `from` on) that put an activity on `recordId`'s timeline and matches `test`. */
  const tracked = (recordGlobalId: string, test: (e: ActivityEvent) => boolean = () => true, timeoutMs = 30_000, from = 0) => {
    const { id } = parseGlobalId(recordGlobalId)!;
    return events.find((e) => e.records.some((r) => r.recordId === id) && test(e), { from, timeoutMs, what: `an activity on ${recordGlobalId}` });
  };
  /** Resolves with the mailbox of the first mailboxChanged event (from index `from` on) that shows it as `test` wants. */
  const mailboxShows = async (address: string, test: (mailbox: any) => boolean, what: string, from = 0, timeoutMs = 30_000) =>
    (await mailboxEvents.find((e) => e.mailboxId === mailboxes[address] && !!e.mailbox && test(e.mailbox), { from, timeoutMs, what })).mailbox;
  /** A graphql-ws subscription from the live cursor read now: nothing that commits after this call is missed. */
  const subscribeFromNow = async <T>(token: string, query: string, into: Arrivals<T>, pick: (data: any) => T) => {
    live.push(await subscribeLive(hub, token, query, into, pick));
  };
  const timeline = async (recordId: string) =>
    ok(
      await hub.gql(
        `query($id: ID!) { timeline(recordId: $id, first: 50) { edges { node { id __typename subject
          ... on Email { status direction correlationMethod messageId regarding { __typename ... on Account { id } ... on Contact { id } } }
          ... on Appointment { state startAt endAt location } } } } }`,
        { id: recordId },
        admin,
      ),
    ).timeline.edges.map((e: any) => e.node) as any[];
  const setFilter = async (mailbox: string, trackingFilter: string) =>
    ok(await hub.gql('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: mailboxes[mailbox], input: { trackingFilter } }, admin));

  beforeAll(async () => {
    await buildEngine();
    dovecot = await startDovecot({ users: [SAM, SARA, NORA, SVEN, MARIA, FORWARD].map((u) => ({ address: u.address, password: PASSWORD })) });
    smtp = await startSmtpPeer();
    smtp.deliverTo(dovecot);
    hub = await startHub({ dialect });
    hub.services.events.subscribe((e) => events.push(e));
    admin = await hub.login(ADMIN);
    await subscribeFromNow(admin, `subscription($after: String) { mailboxChanged(after: $after) { mailboxId mailbox { ${MAILBOX_STATUS} } } }`, mailboxEvents, (d) => d.mailboxChanged);
    for (const m of ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[]) mailboxes[m.address] = m.id;
    contacts = ok(await hub.gql('{ contacts(first: 12) { edges { node { id fullName primaryEmail } } } }', {}, admin)).contacts.edges.map((e: any) => e.node);
    imapProfile = await createProfile(hub, admin, 'Dovecot IMAP', { kind: 'IMAP_SMTP', incomingPort: dovecot.imapPort, outgoingPort: smtp.port });
    popProfile = await createProfile(hub, admin, 'Dovecot POP3', { kind: 'POP3_SMTP', incomingPort: dovecot.popPort, outgoingPort: smtp.port });
    for (const user of [SAM, SARA]) {
      await setUpMailbox(hub, admin, mailboxes[user.address], { profileId: imapProfile, username: user.address, password: PASSWORD });
      await setFilter(user.address, 'FROM_CRM_RECORDS');
    }
    // Debug logs each claim ('mailbox claimed'): the lease test waits on them.
    startEngine('engine-a', { LOG_LEVEL: 'debug' });
  }, 180_000);

  afterAll(async () => {
    await Promise.all(live.map((c) => c.dispose()));
    for (const engine of engines) engine.signal('SIGKILL');
    await Promise.all(engines.map((e) => e.exited));
    await hub?.close();
    await smtp?.stop();
    await dovecot?.stop();
  });

  it('Test & Enable checks IMAP and SMTP over the network and enables the mailbox', async () => {
    const sam = await mailboxShows(SAM.address, (m) => m.state === 'ENABLED', 'Sam\'s mailbox to be enabled');
    expect(sam.incomingTest).toMatchObject({ status: 'SUCCESS' });
    expect(sam.outgoingTest).toMatchObject({ status: 'SUCCESS' });
  });

  it('puts a message dropped into the maildir on the right contact\'s timeline', async () => {
    const contact = contacts[0];
    const subject = `Pricing question ${uniqueTag()}`;
    await dovecot.deliver(SAM.address, rawMessage({ from: { address: contact.primaryEmail, name: contact.fullName }, to: [SAM], subject }));
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_TRACKED');
    const items = await timeline(contact.id);
    expect(items.find((i) => i.subject === subject)).toMatchObject({ __typename: 'Email', direction: 'INCOMING', status: 'RECEIVED' });
  });

  it('sends with sendEmail over SMTP with the right headers, marks it SENT, copies it to Sent once, and the reply correlates back', async () => {
    const sam = await hub.login(SAM.address);
    const contact = contacts[1];
    const account = ok(await hub.gql('{ accounts(first: 1) { edges { node { id } } } }', {}, admin)).accounts.edges[0].node.id;
    const before = smtp.messages.length;
    const outgoing = new Arrivals<{ activityId: string; activity: any }>();
    await subscribeFromNow(sam, 'subscription($after: String) { outgoingEmailChanged(after: $after) { activityId activity { ... on Email { status } } } }', outgoing, (d) => d.outgoingEmailChanged);
    const sent = ok(
      await hub.gql(
        'mutation($input: SendEmailInput!) { sendEmail(input: $input) { id subject messageId status } }',
        { input: { toRecordIds: [contact.id], subject: `Proposal ${uniqueTag()}`, textBody: 'Please find the proposal.', regardingId: account } },
        sam,
      ),
    ).sendEmail;
    const [message] = (await smtp.waitForMessages(before + 1)).slice(before);
    const raw = message.raw.toString('utf8');
    expect(message.recipients).toEqual([contact.primaryEmail]);
    expect(raw).toMatch(new RegExp(`^Message-ID: <${sent.messageId.replace(/[.$^]/g, '\\$&')}>`, 'mi'));
    expect(raw).toMatch(/^Subject: Proposal .* CRM:\d+/im); // the tracking token travels in the subject
    expect(raw).toMatch(/^From: .*sam\.sales@demo\.crm\.test/im);
    expect(raw).not.toMatch(/^Bcc:/im);

    await outgoing.find((e) => e.activityId === sent.id && e.activity?.status === 'SENT', { what: 'the email to be SENT' });
    // The engine reports nothing after the copy: Dovecot's own IDLE notification on Sent is the event.
    await whenFolderChanges(dovecot, { address: SAM.address, password: PASSWORD, folder: 'Sent' }, async () => ((await dovecot.messageIds(SAM.address, 'Sent')).some((id) => id.includes(sent.messageId)) ? true : undefined), 30_000, 'the copy in Sent');

    // The contact answers; the reply lands in Sam's inbox and correlates through In-Reply-To.
    const replySubject = `RE: ${sent.subject}`;
    const beforeReply = events.items.length;
    await dovecot.deliver(SAM.address, rawMessage({ from: { address: contact.primaryEmail, name: contact.fullName }, to: [SAM], subject: replySubject, inReplyTo: sent.messageId }));
    await tracked(account, (e) => e.type === 'ACTIVITY_TRACKED', 30_000, beforeReply);
    const onAccount = await timeline(account);
    expect(onAccount.find((i) => i.subject === replySubject)).toMatchObject({ correlationMethod: 'IN_REPLY_TO', regarding: { id: account } });
    // The Sent copy was read back from the Sent folder and recognized: one email, not two.
    expect(onAccount.filter((i) => i.messageId === sent.messageId)).toHaveLength(1);
  });

  it('quarantines a message that cannot be read, with its reason, and syncs the rest', async () => {
    const contact = contacts[2];
    const subject = `After the broken one ${uniqueTag()}`;
    await dovecot.deliver(SAM.address, Buffer.concat([Buffer.from('\x00\x01\x02 not a message \xff\xfe', 'latin1'), Buffer.alloc(64, 0)]));
    await dovecot.deliver(SAM.address, rawMessage({ from: { address: contact.primaryEmail }, to: [SAM], subject }));
    await tracked(contact.id);
    // The alert is written in the quarantine's transaction, but one query reads the two lists apart: wait for both.
    const sam = await mailboxShows(SAM.address, (m) => m.quarantined.length > 0 && m.alerts.some((a: any) => a.code === 'MESSAGE_QUARANTINED'), 'a quarantined message with its alert', 0, 10_000);
    expect(sam.quarantined[0]).toMatchObject({ code: 'INVALID_MESSAGE', reason: expect.stringMatching(/cannot be read/) });
    expect(sam.alerts).toContainEqual(expect.objectContaining({ code: 'MESSAGE_QUARANTINED' }));
  });

  it('turns a meeting invitation into an appointment, and its update and cancellation change the same appointment', async () => {
    const contact = contacts[3];
    const organizer = { address: contact.primaryEmail, name: contact.fullName };
    const uid = `${uniqueTag()}@outlook.example.test`;
    const start = new Date(Date.now() + 7 * 86_400_000);
    start.setUTCHours(9, 0, 0, 0);
    const hour = 3_600_000;
    const summary = `Quarterly review ${uniqueTag()}`;
    const appointmentOf = async (test: (a: any) => boolean) => (await timeline(contact.id)).find((i) => i.__typename === 'Appointment' && i.subject === summary && test(i));
    const seen = events.items.length;
    await dovecot.deliver(SAM.address, rawInvite({ organizer, attendees: [SAM], uid, sequence: 0, method: 'REQUEST', summary, start, end: new Date(start.getTime() + hour) }));
    const createdEvent = await tracked(contact.id, (e) => e.type === 'ACTIVITY_CREATED', 30_000, seen);
    const created = await appointmentOf((a) => parseGlobalId(a.id)?.id === createdEvent.activityId);
    expect(created).toMatchObject({ state: 'OPEN', startAt: start.toISOString() });

    const moved = new Date(start.getTime() + 2 * hour);
    const changedAt = events.items.length;
    await dovecot.deliver(SAM.address, rawInvite({ organizer, attendees: [SAM], uid, sequence: 1, method: 'REQUEST', summary, start: moved, end: new Date(moved.getTime() + hour), location: 'HQ' }));
    const changed = (from: number) => tracked(contact.id, (e) => e.type === 'ACTIVITY_UPDATED' && e.activityId === createdEvent.activityId, 30_000, from);
    await changed(changedAt);
    const updated = await appointmentOf((a) => a.startAt === moved.toISOString());
    expect(updated).toMatchObject({ id: created.id, location: 'HQ', state: 'OPEN' });

    const cancelledAt = events.items.length;
    await dovecot.deliver(SAM.address, rawInvite({ organizer, attendees: [SAM], uid, sequence: 2, method: 'CANCEL', summary, start: moved, end: new Date(moved.getTime() + hour) }));
    await changed(cancelledAt);
    const cancelled = await appointmentOf((a) => a.state === 'CANCELLED');
    expect(cancelled?.id).toBe(created.id);
    expect((await timeline(contact.id)).filter((i) => i.__typename === 'Appointment' && i.subject === summary)).toHaveLength(1);
  });

  it('the reconciler finds a decision removed behind the engine\'s back and tracks the message again', async () => {
    const contact = contacts[4];
    const subject = `Lost and found ${uniqueTag()}`;
    const messageId = newMessageId();
    await dovecot.deliver(SAM.address, rawMessage({ from: { address: contact.primaryEmail }, to: [SAM], subject, messageId }));
    const first = await tracked(contact.id);
    const rawActivityId = first.activityId;
    const mailboxRawId = parseGlobalId(mailboxes[SAM.address])!.id;
    const beforeLoss = mailboxEvents.items.length;
    // Lose the email and its decision as a failed restore would: nothing tells the engine.
    await hub.database.dataSource.transaction(async (em) => {
      await em.query('DELETE FROM mailbox_item WHERE mailboxId = ? AND activityId = ?', [mailboxRawId, rawActivityId]);
      for (const table of ['activity_mailbox', 'activity_party', 'timeline_entry', 'email_message']) await em.query(`DELETE FROM ${table} WHERE activityId = ?`, [rawActivityId]);
      await em.query('DELETE FROM activity WHERE id = ?', [rawActivityId]);
    });
    const restored = await tracked(contact.id, (e) => e.activityId !== first.activityId && e.type === 'ACTIVITY_TRACKED', 40_000);
    expect((await timeline(contact.id)).find((i) => parseGlobalId(i.id)?.id === restored.activityId)).toMatchObject({ subject, messageId });
    const sam = await mailboxShows(
      SAM.address,
      (m) => m.coverage && m.coverage.missingCount === 0 && m.alerts.some((a: any) => a.code === 'COVERAGE_RECOVERED' || /recover/i.test(a.message)),
      'coverage back to complete',
      beforeLoss,
      20_000,
    );
    expect(sam.coverage.serverCount).toBeGreaterThan(0);
  });

  it('a wrong password disables the mailbox with an alert until the credentials change', async () => {
    const beforeWrong = mailboxEvents.items.length;
    await setCredentials(hub, admin, mailboxes[SARA.address], SARA.address, 'wrong-password');
    const sara = await mailboxShows(SARA.address, (m) => m.state === 'DISABLED_AUTH', 'DISABLED_AUTH', beforeWrong);
    expect(sara.stateReason).toMatch(/user name or password|credentials|authenticat/i);
    expect(sara.alerts).toContainEqual(expect.objectContaining({ severity: 'ERROR', code: 'AUTH_FAILED' }));

    // Mail that arrives meanwhile is not lost: it syncs once the right password is set.
    const contact = contacts[5];
    const subject = `While disabled ${uniqueTag()}`;
    await dovecot.deliver(SARA.address, rawMessage({ from: { address: contact.primaryEmail }, to: [SARA], subject }));
    const beforeRight = mailboxEvents.items.length;
    await setCredentials(hub, admin, mailboxes[SARA.address], SARA.address, PASSWORD);
    await mailboxShows(SARA.address, (m) => m.state === 'ENABLED', 'ENABLED again', beforeRight);
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_TRACKED');
  });

  it('syncs a POP3 mailbox by UIDL, leaving mail on the server, and copes with messages deleted between sessions', async () => {
    await setUpMailbox(hub, admin, mailboxes[NORA.address], { profileId: popProfile, username: NORA.address, password: PASSWORD });
    await setFilter(NORA.address, 'FROM_CRM_RECORDS');
    const contact = contacts[6];
    const first = `POP first ${uniqueTag()}`;
    const firstId = newMessageId();
    await dovecot.deliver(NORA.address, rawMessage({ from: { address: contact.primaryEmail }, to: [NORA], subject: first, messageId: firstId }));
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_TRACKED');
    expect(await dovecot.messageIds(NORA.address)).toEqual([expect.stringContaining(firstId)]); // left on the server

    await dovecot.remove(NORA.address, firstId); // another client deleted it
    const second = `POP second ${uniqueTag()}`;
    const seen = events.items.length;
    await dovecot.deliver(NORA.address, rawMessage({ from: { address: contact.primaryEmail }, to: [NORA], subject: second }));
    await events.find((e) => e.type === 'ACTIVITY_TRACKED', { from: seen, what: 'the second POP3 message' });
    const subjects = (await timeline(contact.id)).map((i) => i.subject);
    expect(subjects.filter((s) => s === first)).toHaveLength(1);
    expect(subjects.filter((s) => s === second)).toHaveLength(1);
  });

  it('unwraps copies in the forward mailbox and files them under the forwarding user\'s mailbox', async () => {
    ok(await hub.gql('mutation($input: CreateQueueInput!) { createQueue(input: $input) { id } }', { input: { name: `Forward ${uniqueTag()}`, emailAddress: FORWARD.address } }, admin));
    const all = ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[];
    mailboxes[FORWARD.address] = all.find((m) => m.address === FORWARD.address)!.id;
    await setUpMailbox(hub, admin, mailboxes[FORWARD.address], {
      profileId: imapProfile,
      username: FORWARD.address,
      password: PASSWORD,
      configure: { isForwardMailbox: true, deleteForwardedCopies: true, outgoingMethod: 'NONE' },
    });
    ok(await hub.gql('mutation($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { id } }', { id: mailboxes[SVEN.address], input: { profileId: imapProfile, incomingMethod: 'FORWARD_MAILBOX', outgoingMethod: 'NONE' } }, admin));
    ok(await hub.gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: mailboxes[SVEN.address] }, admin));
    await setFilter(SVEN.address, 'FROM_CRM_RECORDS');

    const contact = contacts[7];
    const subject = `Forwarded for tracking ${uniqueTag()}`;
    const original = rawMessage({ from: { address: contact.primaryEmail, name: contact.fullName }, to: [SVEN], subject });
    await dovecot.deliver(FORWARD.address, rawForward(SVEN, FORWARD, original));
    const event = await tracked(contact.id, (e) => e.type === 'ACTIVITY_TRACKED');
    const email = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Email { subject seenIn { mailboxAddress } } } }', { id: toGlobalId('Email', event.activityId) }, admin)).node;
    expect(email).toMatchObject({ subject, seenIn: [{ mailboxAddress: SVEN.address }] });
    await whenFolderChanges(dovecot, { address: FORWARD.address, password: PASSWORD, folder: 'INBOX' }, async () => ((await dovecot.messageIds(FORWARD.address)).length === 0 ? true : undefined), 20_000, 'the copy to be deleted');
  });

  it('tracks mail filed into a folder with a folder tracking rule, regarding the rule\'s record', async () => {
    const account = ok(await hub.gql('{ accounts(first: 3) { edges { node { id } } } }', {}, admin)).accounts.edges[2].node.id;
    const folder = 'Projects/ACME';
    await dovecot.createFolder(SAM.address, folder);
    ok(await hub.gql('mutation($m: ID!, $input: FolderTrackingRuleInput!) { setFolderTrackingRule(mailboxId: $m, input: $input) { folder } }', { m: mailboxes[SAM.address], input: { folder, regardingId: account } }, admin));
    const contact = contacts[9];
    const subject = `Filed by hand ${uniqueTag()}`;
    await dovecot.deliver(SAM.address, rawMessage({ from: { address: contact.primaryEmail }, to: [SAM], subject }), { folder });
    await tracked(account, (e) => e.type === 'ACTIVITY_TRACKED');
    expect((await timeline(account)).find((i) => i.subject === subject)).toMatchObject({ regarding: { id: account } });
  });

  it('a new UIDVALIDITY makes the engine read the folder again, and nothing is tracked twice', async () => {
    const samRaw = parseGlobalId(mailboxes[SAM.address])!.id;
    const decisions = async () => Number((await hub.database.dataSource.query('SELECT COUNT(*) AS n FROM mailbox_item WHERE mailboxId = ?', [samRaw]))[0].n);
    const before = await decisions();
    await dovecot.changeUidValidity(SAM.address, 'INBOX');
    const contact = contacts[10];
    const subject = `After the server rebuilt its index ${uniqueTag()}`;
    await dovecot.deliver(SAM.address, rawMessage({ from: { address: contact.primaryEmail }, to: [SAM], subject }));
    await tracked(contact.id, (e) => e.type === 'ACTIVITY_TRACKED');
    expect(await decisions()).toBe(before + 1);
    expect((await timeline(contact.id)).filter((i) => i.subject === subject)).toHaveLength(1);
  });

  it('an administrator\'s resync from a date reads the window again without duplicates', async () => {
    const samRaw = parseGlobalId(mailboxes[SAM.address])!.id;
    const activities = async () => Number((await hub.database.dataSource.query('SELECT COUNT(*) AS n FROM activity_mailbox WHERE mailboxId = ?', [samRaw]))[0].n);
    const before = await activities();
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const beforeResync = mailboxEvents.items.length;
    expect(ok(await hub.gql('mutation($id: ID!, $from: DateTimeISO!) { resyncMailbox(id: $id, from: $from) { resyncFrom } }', { id: mailboxes[SAM.address], from }, admin)).resyncMailbox.resyncFrom).toBe(from);
    await mailboxShows(SAM.address, (m) => m.resyncFrom === null, 'the resync to complete', beforeResync);
    expect(await activities()).toBe(before);
  });

  it('two engines share the mailboxes; a killed engine\'s leases expire and the other takes over; nothing is tracked twice', async () => {
    await setUpMailbox(hub, admin, mailboxes[MARIA.address], { profileId: imapProfile, username: MARIA.address, password: PASSWORD });
    await setFilter(MARIA.address, 'FROM_CRM_RECORDS');
    const second = startEngine('engine-b', { LOG_LEVEL: 'debug' });
    await second.waitForLine((l) => l.msg === 'engine started');
    const contact = contacts[8];
    const tag = uniqueTag('K');
    const users = [SAM, SARA, MARIA];
    const perUser = 15;
    const claimed = (l: LogLine) => l.msg === 'mailbox claimed';
    const rawMailboxId = (id: unknown) => parseGlobalId(String(id))?.id ?? String(id);
    const heldBy = async (engineId: string) =>
      Number((await hub.database.dataSource.query('SELECT COUNT(*) AS n FROM mailbox WHERE leaseOwner = ? AND leaseId IS NOT NULL', [engineId]))[0].n);
    let heldAtKill = 0;
    const beforeStream = events.items.length;
    for (let i = 0; i < perUser; i++) {
      for (const user of users) await dovecot.deliver(user.address, rawMessage({ from: { address: contact.primaryEmail }, to: [user], subject: `${tag} ${user.name} ${i}` }));
      if (i === 5) {
        // Between two of engine-a's claims the database may show it holding nothing: then wait for its next claim.
        for (;;) {
          const from = engines[0].lines.length;
          heldAtKill = await heldBy('engine-a');
          if (heldAtKill > 0) break;
          await engines[0].waitForLine(claimed, from);
        }
        engines[0].signal('SIGKILL'); // engine-a dies mid-stream, holding leases
      }
    }
    await engines[0].exited;
    expect(heldAtKill).toBeGreaterThan(0);
    const claimsFrom = second.lines.length;
    const orphaned = (await hub.database.dataSource.query('SELECT id FROM mailbox WHERE leaseOwner = ? AND leaseId IS NOT NULL', ['engine-a'])).map((r: { id: string }) => r.id);
    const subjects = async () => (await timeline(contact.id)).map((i) => i.subject).filter((s: string) => s.startsWith(tag));
    const contactId = parseGlobalId(contact.id)!.id;
    await events.until(
      (items) => (new Set(items.slice(beforeStream).filter((e) => e.type === 'ACTIVITY_TRACKED' && e.records.some((r) => r.recordId === contactId)).map((e) => e.activityId)).size >= users.length * perUser ? true : undefined),
      60_000,
      'every message tracked',
    );
    const all = await subjects();
    expect(new Set(all).size).toBe(all.length); // each once
    expect(all).toHaveLength(users.length * perUser);
    // The dead engine's leases ran out and engine-b claimed those mailboxes.
    // engine-b claims each mailbox engine-a died holding once its lease expired; a claim logged after the query above is one of those.
    for (const id of orphaned) await second.waitForLine((l) => claimed(l) && rawMailboxId(l.mailboxId) === id, claimsFrom);
    expect(await heldBy('engine-a')).toBe(0);
  });

  it('stops on SIGTERM after finishing its batch and hands its leases back', async () => {
    const engine = engines.find((e) => e !== engines[0])!;
    engine.signal('SIGTERM');
    expect(await engine.exited, engine.dump()).toBe(0);
    const leases = await hub.database.dataSource.query('SELECT COUNT(*) AS n FROM mailbox WHERE leaseId IS NOT NULL');
    expect(Number(leases[0].n)).toBe(0);
  });
});
