import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile, rawId } from '../support/mail-setup';
import { countRows, failed, ok, uniqueTag, userIds } from './gql-helpers';

const EMAIL = `
  id kind subject state direction visibleAs status messageId inReplyTo trackingToken sentAt sendAttempts failureReason
  textBody htmlBody preview blockedRemoteImages correlationMethod
  regarding { __typename ... on Account { id } ... on Contact { id } }
  owner { email }
  parties { role address displayName resolution record { __typename ... on Contact { id } ... on Lead { id } ... on Account { id } ... on User { id } ... on Queue { id } } }`;
const SEND = `mutation($input: SendEmailInput!) { sendEmail(input: $input) { ${EMAIL} } }`;
const TRACK = `mutation($mailboxId: ID!, $input: TrackEmailsInput!) { trackEmails(mailboxId: $mailboxId, input: $input) { items { outcome activityId } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Email { status state failureReason sendAttempts sentAt } } }`;
const OUTGOING = `emailId leaseId leaseUntil mailboxId from { address name } to { address name } cc { address name } bcc { address name }
  subject messageId inReplyTo references textBody htmlBody attachments { fileName contentType size sha256 } attempt`;
const CLAIM = `mutation($limit: Int, $leaseSeconds: Int) { claimOutgoingEmails(limit: $limit, leaseSeconds: $leaseSeconds) { ${OUTGOING} } }`;
const MARK_SENT = `mutation($emailId: ID!, $leaseId: ID!, $sentAt: DateTimeISO) { markEmailSent(emailId: $emailId, leaseId: $leaseId, sentAt: $sentAt) { id status state sentAt occurredAt } }`;
const MARK_FAILED = `mutation($emailId: ID!, $leaseId: ID!, $reason: String!, $retryable: Boolean!) {
  markEmailFailed(emailId: $emailId, leaseId: $leaseId, reason: $reason, retryable: $retryable) { id status failureReason sendAttempts } }`;
const RESOLVE = `mutation($emailId: ID!, $delivered: Boolean!) { resolveUncertainEmail(emailId: $emailId, delivered: $delivered) { id status state } }`;
const RETRY = `mutation($emailId: ID!) { retrySend(emailId: $emailId) { id status failureReason sendAttempts } }`;

/** A DATETIME(3) as read back: a Date from MariaDB, 'YYYY-MM-DD HH:MM:SS.sss' (UTC) text from SQLite. */
const storedTime = (value: Date | string): string => (value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`)).toISOString();

type Outgoing = { emailId: string; leaseId: string; attempt: number; [field: string]: any };
type Rec = { id: string; fullName: string; primaryEmail: string | null; businessUnit: { name: string } };

describe.each(DIALECTS)('outgoing email on %s: nothing silently sent twice or lost', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  let users: Record<string, string>;
  let contact: Rec;
  let salesAccountId: string;
  let profileId: string;
  let samsMailboxId: string;
  const tag = uniqueTag('Mail');

  const as = (who: string) => (query: string, variables: Record<string, unknown> = {}) =>
    hub.gql(query, variables, who === 'sync' ? hub.syncServiceKey : tokens[who]);
  const sam = (query: string, variables: Record<string, unknown> = {}) => as('sam.sales')(query, variables);
  const sync = (query: string, variables: Record<string, unknown> = {}) => as('sync')(query, variables);

  const send = async (input: Record<string, unknown>, who = 'sam.sales') => ok(await as(who)(SEND, { input })).sendEmail;
  const sendTo = (subject: string, extra: Record<string, unknown> = {}) => send({ to: [contact.primaryEmail], subject: `${tag} ${subject}`, textBody: 'Hello', ...extra });
  const claim = async (variables: { limit?: number; leaseSeconds?: number } = {}): Promise<Outgoing[]> =>
    ok(await sync(CLAIM, { limit: 100, ...variables })).claimOutgoingEmails;
  const markSent = async (o: Outgoing) => ok(await sync(MARK_SENT, { emailId: o.emailId, leaseId: o.leaseId })).markEmailSent;
  const statusOf = async (emailId: string) => ok(await sam(NODE, { id: emailId })).node;
  /** Moves a time column of one email into the past, as if the time had passed. */
  const backdate = (emailId: string, column: 'sendLeaseUntil' | 'nextAttemptAt') =>
    hub.database.dataSource.query(`UPDATE email_message SET ${column} = '2000-01-01 00:00:00.000' WHERE activityId = '${rawId(emailId)}'`);

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['admin', 'maria.manager', 'sam.sales', 'sara.sales', 'sven.service']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    users = await userIds(hub, tokens.admin);
    const contacts = ok(await sam('{ contacts(first: 100) { edges { node { id fullName primaryEmail businessUnit { name } } } } }')).contacts.edges.map(
      (e: { node: Rec }) => e.node,
    ) as Rec[];
    contact = contacts.find((c) => c.businessUnit.name === 'Sales' && c.primaryEmail)!;
    const accounts = ok(await sam('{ accounts(first: 100) { edges { node { id businessUnit { name } } } } }')).accounts.edges;
    salesAccountId = accounts.find((e: { node: { businessUnit: { name: string } } }) => e.node.businessUnit.name === 'Sales').node.id;
    // Only a mailbox that may send has its email claimed: Sam's is configured, approved and enabled.
    profileId = await insertProfile(hub, { name: `${tag} SMTP`, outgoingHost: 'smtp.example.test', outgoingPort: 2525, incomingHost: 'imap.example.test', incomingPort: 1143, sentFolder: 'Sent Items' });
    samsMailboxId = ok(await sam('{ mailboxes { id ownerKind } }')).mailboxes.find((m: { ownerKind: string }) => m.ownerKind === 'USER').id;
    await configureMailbox(hub, samsMailboxId, { profileId, username: 'sam', password: 'sam-smtp-password' });
  });
  afterAll(() => hub?.close());

  it('sendEmail queues it (PENDING_SEND, token in the subject, recipient resolved); the engine claims, sends and reports it', async () => {
    const email = await sendTo('Quote', {
      htmlBody: '<p>Hello <b>there</b><script>alert(1)</script><img src="https://cdn.example/logo.png"></p>',
      regardingId: salesAccountId,
    });
    expect(email).toMatchObject({
      kind: 'EMAIL',
      status: 'PENDING_SEND',
      state: 'OPEN',
      direction: 'OUTGOING',
      visibleAs: 'FULL',
      owner: { email: 'sam.sales@demo.crm.test' },
      regarding: { __typename: 'Account', id: salesAccountId },
      correlationMethod: 'MANUAL',
      inReplyTo: null,
      sentAt: null,
      sendAttempts: 0,
      textBody: 'Hello',
      preview: 'Hello',
      blockedRemoteImages: 1,
    });
    expect(email.trackingToken).toMatch(/^CRM:0\d{3}\d{3}$/);
    expect(email.subject).toBe(`${tag} Quote ${email.trackingToken}`);
    expect(email.messageId).toMatch(/^[0-9a-f-]{36}@demo\.crm\.test$/);
    expect(email.htmlBody).not.toContain('script');
    expect(email.parties).toEqual([
      { role: 'FROM', address: 'sam.sales@demo.crm.test', displayName: 'Sam Sales', resolution: 'RESOLVED', record: { __typename: 'User', id: users['sam.sales@demo.crm.test'] } },
      { role: 'TO', address: contact.primaryEmail, displayName: contact.fullName, resolution: 'RESOLVED', record: { __typename: 'Contact', id: contact.id } },
    ]);
    // On the contact's timeline (party) and the account's (regarding) from the start.
    expect(await countRows(hub, 'timeline_entry', `activityId = '${rawId(email.id)}'`)).toBe(2);

    const [claimed, ...others] = await claim();
    expect(others).toEqual([]);
    expect(claimed).toMatchObject({
      emailId: email.id,
      from: { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' },
      to: [{ address: contact.primaryEmail, name: contact.fullName }],
      cc: [],
      bcc: [],
      subject: email.subject,
      messageId: email.messageId,
      inReplyTo: null,
      references: [],
      textBody: 'Hello',
      attachments: [],
      attempt: 1,
    });
    expect(rawId(claimed.mailboxId)).toBeTruthy();
    // Sent as written, minus the script: the remote image keeps its src for the recipient's client to decide.
    expect(claimed.htmlBody).toContain('src="https://cdn.example/logo.png"');
    expect(claimed.htmlBody).not.toContain('script');
    expect(new Date(claimed.leaseUntil).getTime()).toBeGreaterThan(Date.now());
    expect((await statusOf(email.id)).status).toBe('SENDING');

    const sentAt = '2026-01-15T10:00:00.000Z';
    const sent = ok(await sync(MARK_SENT, { emailId: email.id, leaseId: claimed.leaseId, sentAt })).markEmailSent;
    expect(sent).toMatchObject({ status: 'SENT', state: 'COMPLETED', sentAt, occurredAt: sentAt });
    // The timeline shows it when it was sent.
    const entries = await hub.database.dataSource.query(`SELECT occurredAt FROM timeline_entry WHERE activityId = '${rawId(email.id)}'`);
    expect(entries.map((e: { occurredAt: Date | string }) => storedTime(e.occurredAt))).toEqual([sentAt, sentAt]);

    // A repeated report (the engine's request timed out and it asked again) is answered the same.
    expect(ok(await sync(MARK_SENT, { emailId: email.id, leaseId: claimed.leaseId, sentAt })).markEmailSent.status).toBe('SENT');
    expect(await claim()).toEqual([]);
  });

  it('a reply carries In-Reply-To, References, the subject and the regarding record of the email it answers', async () => {
    const first = await sendTo('Renewal', { regardingId: salesAccountId });
    const reply = await send({ to: [contact.primaryEmail], inReplyToId: first.id, textBody: 'Thanks' });
    expect(reply.inReplyTo).toBe(first.messageId);
    expect(reply.subject).toBe(`RE: ${tag} Renewal ${reply.trackingToken}`);
    expect(reply.regarding).toEqual({ __typename: 'Account', id: salesAccountId });
    expect(reply.correlationMethod).toBe('IN_REPLY_TO');
    // The same user number, the next counter value.
    expect(reply.trackingToken.slice(0, -3)).toBe(first.trackingToken.slice(0, -3));
    expect(Number(reply.trackingToken.slice(-3))).toBe(Number(first.trackingToken.slice(-3)) + 1);

    const claimed = await claim();
    expect(claimed.map((c) => c.emailId)).toEqual([first.id, reply.id]);
    expect(claimed[1]).toMatchObject({ inReplyTo: first.messageId, references: [first.messageId] });
    for (const c of claimed) await markSent(c);

    const second = await send({ to: [contact.primaryEmail], inReplyToId: reply.id, textBody: 'Again' });
    const [again] = await claim();
    expect(again).toMatchObject({ emailId: second.id, inReplyTo: reply.messageId, references: [first.messageId, reply.messageId] });
    expect(second.subject).toBe(`RE: ${tag} Renewal ${second.trackingToken}`);
    await markSent(again);
  });

  it('resolves typed addresses as tracking does, and sends to records at their primary address', async () => {
    const shared = `shared-${tag.toLowerCase()}@example.com`;
    for (const lastName of ['One', 'Two']) {
      ok(await sam('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { lastName: `${tag} ${lastName}`, emails: [shared] } }));
    }
    const lead = ok(await sam('{ leads(first: 100) { edges { node { id fullName primaryEmail businessUnit { name } } } } }')).leads.edges.find(
      (e: { node: Rec }) => e.node.businessUnit.name === 'Sales' && e.node.primaryEmail,
    ).node as Rec;
    const email = await send({
      to: [shared, `Nobody-${tag}@Example.com`],
      cc: [shared, 'maria.manager@demo.crm.test'],
      toRecordIds: [lead.id],
      bccRecordIds: [contact.id, users['sara.sales@demo.crm.test']],
      subject: `${tag} many`,
    });
    const byAddress = Object.fromEntries(email.parties.map((p: { address: string }) => [p.address, p]));
    expect(byAddress[shared]).toMatchObject({ role: 'TO', resolution: 'AMBIGUOUS', record: null });
    expect(byAddress[`nobody-${tag.toLowerCase()}@example.com`]).toMatchObject({ role: 'TO', resolution: 'UNRESOLVED', record: null, displayName: null });
    expect(byAddress['maria.manager@demo.crm.test']).toMatchObject({ role: 'CC', resolution: 'RESOLVED', displayName: 'Maria Manager', record: { __typename: 'User' } });
    expect(byAddress[lead.primaryEmail!]).toMatchObject({ role: 'TO', resolution: 'RESOLVED', record: { __typename: 'Lead', id: lead.id } });
    expect(byAddress[contact.primaryEmail!]).toMatchObject({ role: 'BCC', record: { __typename: 'Contact', id: contact.id } });
    expect(byAddress['sara.sales@demo.crm.test']).toMatchObject({ role: 'BCC', record: { __typename: 'User', id: users['sara.sales@demo.crm.test'] } });
    // The shared address once, in its first list.
    expect(email.parties.filter((p: { address: string }) => p.address === shared)).toHaveLength(1);

    const [claimed] = await claim();
    expect(claimed.to.map((a: { address: string }) => a.address)).toEqual([shared, `nobody-${tag.toLowerCase()}@example.com`, lead.primaryEmail]);
    expect(claimed.cc).toEqual([{ address: 'maria.manager@demo.crm.test', name: 'Maria Manager' }]);
    expect(claimed.bcc.map((a: { address: string }) => a.address)).toEqual([contact.primaryEmail, 'sara.sales@demo.crm.test']);
    await markSent(claimed);
  });

  it('commits its changes to the live event log: CREATED when queued, UPDATED when claimed and when reported sent', async () => {
    const seen: { type: string; activityId: string; records: { recordKind: string }[] }[] = [];
    const stop = hub.services.events.subscribe((e) => seen.push(e as never));
    try {
      const email = await sendTo('Events');
      await hub.liveDelivered();
      const created = seen.find((e) => e.type === 'ACTIVITY_CREATED' && e.activityId === rawId(email.id));
      expect(created?.records.map((r) => r.recordKind)).toEqual(['contact']);
      const [claimed] = (await claim()).filter((o) => o.emailId === email.id);
      await markSent(claimed);
      await hub.liveDelivered();
      expect(seen.filter((e) => e.activityId === rawId(email.id)).map((e) => e.type)).toEqual(['ACTIVITY_CREATED', 'ACTIVITY_UPDATED', 'ACTIVITY_UPDATED']);
    } finally {
      stop();
    }
  });

  it('the sender cancels a queued email: no engine claims it; one being sent cannot be cancelled', async () => {
    const CANCEL = 'mutation($id: ID!) { cancelEmail(emailId: $id) { ... on Email { status state } } }';
    const queued = await sendTo('Cancelled');
    expect(ok(await sam(CANCEL, { id: queued.id })).cancelEmail).toEqual({ status: 'CANCELLED', state: 'CANCELLED' });
    // Cancelling again changes nothing and is not an error.
    expect(ok(await sam(CANCEL, { id: queued.id })).cancelEmail.status).toBe('CANCELLED');
    const inFlight = await sendTo('In flight');
    const claimed = await claim();
    expect(claimed.map((o) => o.emailId)).not.toContain(queued.id);
    expect(claimed.map((o) => o.emailId)).toContain(inFlight.id);
    failed(await sam(CANCEL, { id: inFlight.id }), 'CONFLICT', 'emailId');
    failed(await as('sara.sales')(CANCEL, { id: inFlight.id }), 'FORBIDDEN');
    await markSent(claimed.find((o) => o.emailId === inFlight.id)!);
    for (const other of claimed.filter((o) => o.emailId !== inFlight.id)) await markSent(other);
  });

  it('two engines claiming at the same moment never get the same email', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 8; i++) ids.add((await sendTo(`race ${i}`)).id);
    const rounds = await Promise.all([claim({ limit: 3 }), claim({ limit: 3 }), claim({ limit: 3 }), claim({ limit: 3 })]);
    // A claim may come back short while another holds rows (they skip each other's); the rest follow in the next round.
    const claimed = [...rounds.flat(), ...(await claim())];
    expect(claimed.map((c) => c.emailId).sort()).toEqual([...ids].sort());
    expect(new Set(claimed.map((c) => c.leaseId)).size).toBe(8);
    expect(claimed.every((c) => c.attempt === 1)).toBe(true);
    await Promise.all(claimed.map(markSent));
    expect(await claim()).toEqual([]);
  });

  it('an engine that stops reporting leaves the email UNCERTAIN, never sent again until someone decides', async () => {
    const email = await sendTo('Lease');
    const [first] = await claim({ leaseSeconds: 10 });
    expect(first.emailId).toBe(email.id);
    await backdate(email.id, 'sendLeaseUntil');

    expect(await claim()).toEqual([]);
    const uncertain = await statusOf(email.id);
    expect(uncertain).toMatchObject({ status: 'UNCERTAIN', state: 'OPEN', sentAt: null });
    expect(uncertain.failureReason).toMatch(/may or may not have been delivered/);
    // The late engine's report does not count: it is told how to report what it knows.
    const late = failed(await sync(MARK_SENT, { emailId: email.id, leaseId: first.leaseId }), 'CONFLICT', 'leaseId');
    expect(late.message).toMatch(/UNCERTAIN/);

    // Sam decides to send it again.
    expect(ok(await sam(RETRY, { emailId: email.id })).retrySend).toMatchObject({ status: 'PENDING_SEND', failureReason: null, sendAttempts: 0 });
    const [second] = await claim();
    expect(second).toMatchObject({ emailId: email.id, attempt: 1 });
    expect(second.leaseId).not.toBe(first.leaseId);
    // The first lease is stale now.
    failed(await sync(MARK_SENT, { emailId: email.id, leaseId: first.leaseId }), 'CONFLICT', 'leaseId');
    failed(await sync(MARK_FAILED, { emailId: email.id, leaseId: first.leaseId, reason: 'late', retryable: true }), 'CONFLICT', 'leaseId');
    expect((await statusOf(email.id)).status).toBe('SENDING');
    expect((await markSent(second)).status).toBe('SENT');
    failed(await sam(RETRY, { emailId: email.id }), 'CONFLICT', 'emailId');
  });

  it('the engine settles an UNCERTAIN email from the Sent folder', async () => {
    const found = await sendTo('Found');
    const missing = await sendTo('Missing');
    const claimed = await claim({ leaseSeconds: 10 });
    expect(claimed.map((c) => c.emailId)).toEqual([found.id, missing.id]);
    await backdate(found.id, 'sendLeaseUntil');
    await backdate(missing.id, 'sendLeaseUntil');

    failed(await sam(RESOLVE, { emailId: found.id, delivered: true }), 'FORBIDDEN');
    // The engine settles expired leases itself before judging.
    expect(ok(await sync(RESOLVE, { emailId: found.id, delivered: true })).resolveUncertainEmail).toMatchObject({ status: 'SENT', state: 'COMPLETED' });
    expect(ok(await sync(RESOLVE, { emailId: missing.id, delivered: false })).resolveUncertainEmail).toMatchObject({ status: 'PENDING_SEND', state: 'OPEN' });
    // Not UNCERTAIN any more: nothing to resolve, and an already settled answer is harmless.
    failed(await sync(RESOLVE, { emailId: found.id, delivered: false }), 'CONFLICT', 'emailId');
    ok(await sync(RESOLVE, { emailId: found.id, delivered: true }));

    const [again] = await claim();
    expect(again).toMatchObject({ emailId: missing.id, attempt: 2 });
    await markSent(again);
  });

  it('an UNCERTAIN email that turns up in its sender\'s mailbox (the Sent copy) is SENT, without being sent again', async () => {
    const email = await sendTo('Copy in Sent');
    const [claimed] = await claim({ leaseSeconds: 10 });
    await backdate(email.id, 'sendLeaseUntil');
    expect(await claim()).toEqual([]); // settles the expired lease: UNCERTAIN
    expect((await statusOf(email.id)).status).toBe('UNCERTAIN');

    const sentCopy = { messageId: `<${claimed.messageId}>`, folder: 'Sent Items', from: { address: 'sam.sales@demo.crm.test' }, to: [{ address: contact.primaryEmail }], subject: claimed.subject, date: new Date().toUTCString(), textBody: 'Hello' };
    const tracked = ok(await sync(TRACK, { mailboxId: samsMailboxId, input: { items: [sentCopy] } })).trackEmails.items[0];
    expect(tracked).toMatchObject({ outcome: 'LINKED', activityId: email.id });
    expect(await statusOf(email.id)).toMatchObject({ status: 'SENT', state: 'COMPLETED', failureReason: null });
    expect(await claim()).toEqual([]);
  });

  it('a failure known not to have been delivered is retried after a back-off, up to 5 attempts; others fail at once', async () => {
    const email = await sendTo('Flaky');
    for (let attempt = 1; attempt <= 5; attempt++) {
      const [claimed] = await claim();
      expect(claimed).toMatchObject({ emailId: email.id, attempt });
      const reported = ok(await sync(MARK_FAILED, { emailId: email.id, leaseId: claimed.leaseId, reason: 'connection refused', retryable: true })).markEmailFailed;
      if (attempt < 5) {
        expect(reported).toMatchObject({ status: 'PENDING_SEND', failureReason: 'connection refused', sendAttempts: attempt });
        // Not due yet: the back-off holds it.
        expect(await claim()).toEqual([]);
        await backdate(email.id, 'nextAttemptAt');
      } else {
        expect(reported.status).toBe('FAILED');
        expect(reported.failureReason).toMatch(/connection refused \(gave up after 5 attempts\)/);
        // The same report again changes nothing.
        expect(ok(await sync(MARK_FAILED, { emailId: email.id, leaseId: claimed.leaseId, reason: 'connection refused', retryable: true })).markEmailFailed.status).toBe('FAILED');
      }
    }
    await backdate(email.id, 'nextAttemptAt');
    expect(await claim()).toEqual([]);

    const rejected = await sendTo('Rejected');
    const [claimed] = await claim();
    expect(ok(await sync(MARK_FAILED, { emailId: rejected.id, leaseId: claimed.leaseId, reason: '550 mailbox unavailable', retryable: false })).markEmailFailed).toMatchObject({
      status: 'FAILED',
      failureReason: '550 mailbox unavailable',
    });
    expect(await statusOf(rejected.id)).toMatchObject({ status: 'FAILED', failureReason: '550 mailbox unavailable', state: 'OPEN' });
    expect(await claim()).toEqual([]);

    // Sara may read Sam's email (same unit) but not change it; Sam may retry it.
    failed(await as('sara.sales')(RETRY, { emailId: rejected.id }), 'FORBIDDEN');
    ok(await sam(RETRY, { emailId: rejected.id }));
    ok(await sam(RETRY, { emailId: email.id }));
    const retried = await claim();
    expect(retried.map((c) => c.emailId)).toEqual([email.id, rejected.id]);
    for (const c of retried) await markSent(c);
  });

  it('hands out email only from a mailbox that may send, with its SMTP server and decrypted credentials', async () => {
    const TRANSPORT = `mutation { claimOutgoingEmails(limit: 100) { emailId mailboxId transport { kind sentFolder
      smtp { host port tls allowInvalidCertificates } imap { host port tls } credentials { method username secret } } } }`;
    const email = await sendTo('Transport');
    const held: Record<string, unknown>[] = [
      { outgoingMethod: 'NONE' },
      { approval: 'PENDING_APPROVAL' },
      { approval: 'REJECTED' },
      { state: 'DISABLED_AUTH' },
      { state: 'DISABLED_BY_ADMIN' },
      { state: 'NOT_ENABLED' },
      { profileId: null },
    ];
    for (const change of held) {
      await hub.database.dataSource.query(`UPDATE mailbox SET ${Object.keys(change).map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, [...Object.values(change), rawId(samsMailboxId)]);
      expect(ok(await sync(TRANSPORT)).claimOutgoingEmails, JSON.stringify(change)).toEqual([]);
      await configureMailbox(hub, samsMailboxId, { profileId, username: 'sam', password: 'sam-smtp-password' });
    }
    // Backing off still sends: it is the incoming side that failed.
    await configureMailbox(hub, samsMailboxId, { profileId, username: 'sam', password: 'sam-smtp-password', state: 'BACKING_OFF' as never });
    const [claimed] = ok(await sync(TRANSPORT)).claimOutgoingEmails;
    expect(claimed).toEqual({
      emailId: email.id,
      mailboxId: samsMailboxId,
      transport: {
        kind: 'IMAP_SMTP',
        sentFolder: 'Sent Items',
        smtp: { host: 'smtp.example.test', port: 2525, tls: 'STARTTLS', allowInvalidCertificates: false },
        imap: { host: 'imap.example.test', port: 1143, tls: 'STARTTLS' },
        credentials: { method: 'PASSWORD', username: 'sam', secret: 'sam-smtp-password' },
      },
    });
    await configureMailbox(hub, samsMailboxId, { profileId, username: 'sam', password: 'sam-smtp-password' });
    ok(await sync(MARK_SENT, { emailId: email.id, leaseId: (await hub.database.dataSource.query(`SELECT sendLeaseId FROM email_message WHERE activityId = ?`, [rawId(email.id)]))[0].sendLeaseId }));

    // With approval not required, an unapproved mailbox sends; a POP3 profile has no Sent folder to append to.
    const pop3 = await insertProfile(hub, { name: `${tag} POP3`, kind: 'POP3_SMTP' as never, useProfileCredentials: true, credentialUsername: 'relay', credentialSecret: null });
    const profileSecret = hub.services.credentials.encrypt('relay-password', `profile:${pop3}`);
    await hub.database.dataSource.query('UPDATE email_server_profile SET credentialSecret = ? WHERE id = ?', [profileSecret, pop3]);
    const settings = 'mutation($on: Boolean!) { updateEmailSettings(input: { processEmailOnlyForApprovedMailboxes: $on }) { processEmailOnlyForApprovedMailboxes } }';
    await configureMailbox(hub, samsMailboxId, { profileId: pop3, approval: 'PENDING_APPROVAL' as never });
    const viaPop3 = await sendTo('POP3 profile');
    expect(ok(await sync(TRANSPORT)).claimOutgoingEmails).toEqual([]);
    ok(await as('admin')(settings, { on: false }));
    try {
      const [relayed] = ok(await sync(TRANSPORT)).claimOutgoingEmails;
      expect(relayed).toMatchObject({ emailId: viaPop3.id, transport: { kind: 'POP3_SMTP', imap: null, sentFolder: null, credentials: { username: 'relay', secret: 'relay-password' } } });
      const [{ sendLeaseId }] = await hub.database.dataSource.query('SELECT sendLeaseId FROM email_message WHERE activityId = ?', [rawId(viaPop3.id)]);
      ok(await sync(MARK_SENT, { emailId: viaPop3.id, leaseId: sendLeaseId }));
    } finally {
      ok(await as('admin')(settings, { on: true }));
      await configureMailbox(hub, samsMailboxId, { profileId, username: 'sam', password: 'sam-smtp-password' });
    }
  });

  it('only the sync engine claims and reports', async () => {
    for (const who of ['sam.sales', 'admin']) {
      failed(await as(who)(CLAIM, {}), 'FORBIDDEN');
      failed(await as(who)(MARK_SENT, { emailId: Buffer.from('Email:01900000-0000-7000-8000-000000000000').toString('base64url'), leaseId: 'x' }), 'FORBIDDEN');
    }
    // …and the engine's key sends nothing of its own.
    failed(await sync(SEND, { input: { to: ['x@example.com'], subject: `${tag} from the engine` } }), 'FORBIDDEN');
    failed(await sync(CLAIM, { limit: 0 }), 'BAD_USER_INPUT', 'limit');
    failed(await sync(CLAIM, { limit: 101 }), 'BAD_USER_INPUT', 'limit');
    failed(await sync(CLAIM, { leaseSeconds: 4 }), 'BAD_USER_INPUT', 'leaseSeconds');
  });

  it('sends from a queue mailbox its owner manages', async () => {
    const queue = ok(
      await as('admin')('mutation($input: CreateQueueInput!) { createQueue(input: $input) { id name } }', {
        input: { name: `${tag} Support`, emailAddress: `support-${tag.toLowerCase()}@demo.crm.test`, ownerId: users['sam.sales@demo.crm.test'] },
      }),
    ).createQueue;
    const mailbox = ok(await sam('{ mailboxes { id ownerKind address } }')).mailboxes.find((m: { ownerKind: string }) => m.ownerKind === 'QUEUE');
    await configureMailbox(hub, mailbox.id, { profileId, password: 'queue-password' });
    const email = await sendTo('From support', { fromMailboxId: mailbox.id });
    expect(email.parties[0]).toMatchObject({ role: 'FROM', address: mailbox.address, displayName: queue.name, record: { __typename: 'Queue', id: queue.id } });
    failed(await as('sara.sales')(SEND, { input: { to: ['x@example.com'], fromMailboxId: mailbox.id } }), 'NOT_FOUND', 'input.fromMailboxId');
    const [claimed] = await claim();
    expect(claimed).toMatchObject({ emailId: email.id, mailboxId: mailbox.id, from: { address: mailbox.address, name: queue.name } });
    await markSent(claimed);
  });

  it('input errors name the field and leave nothing behind', async () => {
    const subject = `${tag} refused`;
    const samsMailboxes = ok(await sam('{ mailboxes { id ownerKind } }')).mailboxes;
    const marias = ok(await as('maria.manager')('{ mailboxes { id ownerKind } }')).mailboxes.find((m: { ownerKind: string }) => m.ownerKind === 'USER');
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['sam.sales', { to: ['ok@example.com', 'not an address'] }, 'BAD_USER_INPUT', 'input.to[1]'],
      ['sam.sales', { to: ['ok@example.com'], bcc: ['x@'] }, 'BAD_USER_INPUT', 'input.bcc[0]'],
      ['sam.sales', {}, 'BAD_USER_INPUT', 'input.to'],
      ['sam.sales', { to: [], cc: [] }, 'BAD_USER_INPUT', 'input.to'],
      ['sam.sales', { to: Array.from({ length: 300 }, (_, i) => `a${i}@example.com`), cc: Array.from({ length: 201 }, (_, i) => `c${i}@example.com`) }, 'BAD_USER_INPUT', 'input.to'],
      ['sam.sales', { to: ['ok@example.com'], fromMailboxId: marias.id }, 'NOT_FOUND', 'input.fromMailboxId'],
      ['sam.sales', { to: ['ok@example.com'], inReplyToId: salesAccountId }, 'BAD_USER_INPUT', 'input.inReplyToId'],
      ['sven.service', { to: ['ok@example.com'], regardingId: salesAccountId }, 'NOT_FOUND', 'input.regardingId'],
      ['sven.service', { toRecordIds: [contact.id] }, 'NOT_FOUND', 'input.toRecordIds[0]'],
    ];
    expect(samsMailboxes.some((m: { id: string }) => m.id === marias.id)).toBe(false);
    for (const [who, input, code, field] of cases) {
      failed(await as(who)(SEND, { input: { subject, ...input } }), code, field);
    }
    expect(await countRows(hub, 'activity', `subject LIKE '${tag} refused%'`)).toBe(0);
  });

  it('an email’s state is not set by hand', async () => {
    const email = await sendTo('State');
    failed(
      await sam('mutation($id: ID!) { setActivityState(activityId: $id, state: CANCELLED) { id } }', { id: email.id }),
      'BAD_USER_INPUT',
      'activityId',
    );
    const [claimed] = await claim();
    await markSent(claimed);
  });

  it('without tracking tokens the subject is left as written', async () => {
    const settings = 'mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { trackingTokenEnabled } }';
    ok(await as('admin')(settings, { input: { trackingTokenEnabled: false } }));
    try {
      const email = await sendTo('No token');
      expect(email).toMatchObject({ subject: `${tag} No token`, trackingToken: null });
      const [claimed] = await claim();
      await markSent(claimed);
    } finally {
      ok(await as('admin')(settings, { input: { trackingTokenEnabled: true } }));
    }
  });
});
