import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MoreThan } from 'typeorm';
import { LiveEvent } from '../../api/src/live/live-event.entity';
import { Mailbox } from '../../api/src/mail/mailbox.entity';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { gmailMessage, TRACK_EMAILS } from '../support/mail-fixtures';
import { rawId } from '../support/mail-setup';
import { ADMIN, failed, ok, uniqueTag, userIds } from './gql-helpers';

// Every path that changes what a mailbox query shows leaves exactly one MAILBOX row per changed mailbox
// in the live event outbox (what `mailboxChanged` delivers), committed with the change, never without it.

const CLAIM = 'mutation($e: String!) { claimMailboxes(engineId: $e, limit: 10) { mailboxId leaseId job } }';
const RELEASE = 'mutation($m: ID!, $l: ID!, $r: SyncReportInput!) { releaseMailbox(mailboxId: $m, leaseId: $l, report: $r) { id state } }';
const REPORT_TEST = 'mutation($m: ID!, $l: ID!, $in: ChannelTestInput!, $out: ChannelTestInput!) { reportMailboxTest(mailboxId: $m, leaseId: $l, incoming: $in, outgoing: $out) { id state } }';
const COVERAGE = 'mutation($m: ID!, $l: ID!) { reportMailboxCoverage(mailboxId: $m, leaseId: $l, serverCount: 5, decidedCount: 4, recovered: 1) { id } }';
const CONFIGURE = 'mutation($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { id state } }';
const CREDENTIALS = 'mutation($id: ID!, $u: String!, $p: String!) { setMailboxCredentials(id: $id, input: { username: $u, password: $p }) { id state } }';
const APPROVE = 'mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }';
const REJECT = 'mutation($id: ID!) { rejectMailboxEmail(id: $id) { id } }';
const TEST_ENABLE = 'mutation($id: ID!) { testAndEnableMailbox(id: $id) { id } }';
const DISABLE = 'mutation($id: ID!) { disableMailbox(id: $id) { id state } }';
const RESYNC = 'mutation($id: ID!, $from: DateTimeISO!) { resyncMailbox(id: $id, from: $from) { id } }';
const UPDATE = 'mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }';
const SET_RULE = 'mutation($m: ID!, $f: String!) { setFolderTrackingRule(mailboxId: $m, input: { folder: $f }) { folder } }';
const REMOVE_RULE = 'mutation($m: ID!, $f: String!) { removeFolderTrackingRule(mailboxId: $m, folder: $f) }';
const CREATE_PROFILE = 'mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { id } }';
const UPDATE_PROFILE = 'mutation($id: ID!, $input: UpdateEmailServerProfileInput!) { updateEmailServerProfile(id: $id, input: $input) { id } }';
const SETTINGS = 'mutation($on: Boolean!) { updateEmailSettings(input: { processEmailOnlyForApprovedMailboxes: $on }) { processEmailOnlyForApprovedMailboxes } }';
const MAILBOX_STATE = 'query($id: ID!) { mailbox(id: $id) { state } }';

const imapProfile = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'IMAP_SMTP',
  incomingHost: 'imap.example.test',
  incomingPort: 993,
  incomingTls: 'IMPLICIT',
  outgoingHost: 'smtp.example.test',
  outgoingPort: 587,
  outgoingTls: 'STARTTLS',
  ...extra,
});

type Seen = { change: string; mailbox: string };

describe.each(DIALECTS)('mailbox live events on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  const mailboxOf: Record<string, string> = {};
  const SAM = 'sam.sales@demo.crm.test';
  const SARA = 'sara.sales@demo.crm.test';
  const MARIA = 'maria.manager@demo.crm.test';
  const NORA = 'nora.north@demo.crm.test';
  let QUEUE: string;
  let profileId: string;
  /** The newest event id before the action under test. */
  let mark = '0';

  const engine = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, hub.syncServiceKey);
  const as = (token: string) => (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, token);
  const nameOf = (rawMailboxId: string) => Object.keys(mailboxOf).find((k) => rawId(mailboxOf[k]) === rawMailboxId) ?? rawMailboxId;
  const events = () => hub.database.dataSource.getRepository(LiveEvent).find({ where: { id: MoreThan(mark), topic: 'MAILBOX' }, order: { id: 'ASC' } });

  /** Runs `action` and returns the MAILBOX events it committed, as (change, mailbox address). */
  async function committedBy(action: () => Promise<unknown>): Promise<Seen[]> {
    mark = String((await hub.services.liveEvents.newestId()) || 0);
    await action();
    const rows = await events();
    for (const row of rows) {
      expect(row.topic).toBe('MAILBOX');
      // The owner is stamped from the mailbox row as committed: what access is checked against.
      const mailbox = await hub.database.dataSource.getRepository(Mailbox).findOneByOrFail({ id: row.mailboxId! });
      expect(row.ownerId).toBe(mailbox.ownerUserId);
    }
    return rows.map((r) => ({ change: r.change, mailbox: nameOf(r.mailboxId!) }));
  }
  const one = (change: string, mailbox: string): Seen[] => [{ change, mailbox }];

  async function claimOnly(address: string, job: 'SYNC' | 'TEST'): Promise<string> {
    const work = ok(await engine(CLAIM, { e: 'engine-live' })).claimMailboxes as { mailboxId: string; leaseId: string; job: string }[];
    expect(work.map((w) => [w.mailboxId, w.job])).toEqual([[mailboxOf[address], job]]);
    return work[0].leaseId;
  }

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    // A queue's mailbox: the only kind that may be the organization's forward mailbox.
    QUEUE = `live-${uniqueTag().toLowerCase()}@demo.crm.test`;
    ok(await as(admin)('mutation($input: CreateQueueInput!) { createQueue(input: $input) { id } }', { input: { name: `Live ${QUEUE}`, emailAddress: QUEUE } }));
    for (const m of ok(await engine('{ mailboxes { id address } }')).mailboxes) mailboxOf[m.address] = m.id;
    // Nothing claimable but what a test configures.
    await hub.database.dataSource.query("UPDATE mailbox SET state = 'NOT_ENABLED', profileId = NULL, testRequestedAt = NULL, nextSyncAt = NULL, isForwardMailbox = 0");
    profileId = ok(await as(admin)(CREATE_PROFILE, { input: imapProfile(`Live ${uniqueTag()}`) })).createEmailServerProfile.id;
  });
  afterAll(() => hub?.close());

  it('stamps the mailbox owner on each event', async () => {
    const users = await userIds(hub, admin);
    const seen = await committedBy(() => as(admin)(UPDATE, { id: mailboxOf[SAM], input: { trackingFilter: 'ALL' } }));
    expect(seen).toEqual(one('CONFIGURATION', SAM));
    const [row] = await events();
    expect(row).toMatchObject({ topic: 'MAILBOX', change: 'CONFIGURATION', mailboxId: rawId(mailboxOf[SAM]), ownerId: rawId(users[SAM]), activityId: null });
  });

  it('the mailbox form: configuration, credentials, approval, Test & Enable, one event each', async () => {
    const run = as(admin);
    expect(await committedBy(async () => ok(await run(CONFIGURE, { id: mailboxOf[SAM], input: { profileId, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'SERVER_SIDE_SYNC' } })))).toEqual(
      one('CONFIGURATION', SAM),
    );
    // Nothing changed: nothing to tell.
    expect(await committedBy(async () => ok(await run(CONFIGURE, { id: mailboxOf[SAM], input: { profileId } })))).toEqual([]);
    expect(await committedBy(async () => ok(await run(CREDENTIALS, { id: mailboxOf[SAM], u: 'sam', p: 'secret 1' })))).toEqual(one('CONFIGURATION', SAM));
    // The alert line the approval writes is part of the same event, not a second one.
    expect(await committedBy(async () => ok(await run(REJECT, { id: mailboxOf[SAM] })))).toEqual(one('STATE', SAM));
    expect(await committedBy(async () => ok(await run(APPROVE, { id: mailboxOf[SAM] })))).toEqual(one('STATE', SAM));
    expect(await committedBy(async () => ok(await run(APPROVE, { id: mailboxOf[SAM] })))).toEqual([]);
    expect(await committedBy(async () => ok(await run(TEST_ENABLE, { id: mailboxOf[SAM] })))).toEqual(one('TEST', SAM));
  });

  it('the engine: Test & Enable claimed and reported, sync runs, batches, back-off, DISABLED_AUTH and the resume on new credentials', async () => {
    let lease = '';
    expect(await committedBy(async () => (lease = await claimOnly(SAM, 'TEST')))).toEqual(one('TEST', SAM));
    const passed = { status: 'SUCCESS', code: null, reason: null };
    expect(await committedBy(async () => ok(await engine(REPORT_TEST, { m: mailboxOf[SAM], l: lease, in: passed, out: passed })))).toEqual(one('TEST', SAM));
    expect(ok(await as(admin)(MAILBOX_STATE, { id: mailboxOf[SAM] })).mailbox.state).toBe('ENABLED');

    // A sync run's start is no event (in push mode a mailbox is claimed every few seconds); its end is.
    expect(await committedBy(async () => (lease = await claimOnly(SAM, 'SYNC')))).toEqual([]);
    const from = { address: `customer-${uniqueTag().toLowerCase()}@example.com` };
    const items = [1, 2, 3].map((n) => gmailMessage({ from, to: [{ address: SAM }], subject: `Live ${n} ${uniqueTag()}` }));
    const quarantine = [1, 2].map((n) => ({ sourceRef: `imap:INBOX:9:${n}:${uniqueTag()}`, code: 'INVALID_MESSAGE', reason: 'unparsable' }));
    // One PROGRESS per batch, however many items and quarantine alert lines it holds.
    expect(await committedBy(async () => ok(await engine(TRACK_EMAILS, { mailboxId: mailboxOf[SAM], input: { items, cursor: 'INBOX:9:3', leaseId: lease, quarantine } })))).toEqual(
      one('PROGRESS', SAM),
    );
    expect(await committedBy(async () => ok(await engine(COVERAGE, { m: mailboxOf[SAM], l: lease })))).toEqual(one('PROGRESS', SAM));
    // A run that ends as the mailbox was (ENABLED, no failures): progress only.
    expect(await committedBy(async () => ok(await engine(RELEASE, { m: mailboxOf[SAM], l: lease, r: { outcome: 'SUCCESS', itemsProcessed: 3, nextSyncInSeconds: 0 } })))).toEqual(
      one('PROGRESS', SAM),
    );

    // An empty run right after another reports nothing; the last sync time is refreshed live at most once a minute.
    lease = await claimOnly(SAM, 'SYNC');
    expect(await committedBy(async () => ok(await engine(RELEASE, { m: mailboxOf[SAM], l: lease, r: { outcome: 'SUCCESS', itemsProcessed: 0, nextSyncInSeconds: 0 } })))).toEqual([]);
    await hub.database.dataSource.getRepository(Mailbox).update({ id: rawId(mailboxOf[SAM]) }, { lastSyncAt: new Date(Date.now() - 61_000) });
    lease = await claimOnly(SAM, 'SYNC');
    expect(await committedBy(async () => ok(await engine(RELEASE, { m: mailboxOf[SAM], l: lease, r: { outcome: 'SUCCESS', itemsProcessed: 0, nextSyncInSeconds: 0 } })))).toEqual(
      one('PROGRESS', SAM),
    );

    lease = await claimOnly(SAM, 'SYNC');
    expect(await committedBy(async () => ok(await engine(RELEASE, { m: mailboxOf[SAM], l: lease, r: { outcome: 'TEMPORARY_FAILURE', itemsProcessed: 0, message: 'connection reset' } })))).toEqual(
      one('STATE', SAM),
    );
    await hub.database.dataSource.getRepository(Mailbox).update({ id: rawId(mailboxOf[SAM]) }, { nextSyncAt: null });
    lease = await claimOnly(SAM, 'SYNC');
    expect(await committedBy(async () => ok(await engine(RELEASE, { m: mailboxOf[SAM], l: lease, r: { outcome: 'AUTH_FAILED', itemsProcessed: 0 } })))).toEqual(one('STATE', SAM));
    expect(ok(await as(admin)(MAILBOX_STATE, { id: mailboxOf[SAM] })).mailbox.state).toBe('DISABLED_AUTH');
    // The owner's new password ends the stop.
    const sam = await hub.login(SAM);
    expect(await committedBy(async () => ok(await as(sam)(CREDENTIALS, { id: mailboxOf[SAM], u: 'sam', p: 'secret 2' })))).toEqual(one('STATE', SAM));
  });

  it('tracking rules, filter, privacy, resync and disable', async () => {
    const sam = as(await hub.login(SAM));
    const folder = `Projects/${uniqueTag()}`;
    expect(await committedBy(async () => ok(await sam(UPDATE, { id: mailboxOf[SAM], input: { privacyLevel: 'SUBJECT_ONLY' } })))).toEqual(one('CONFIGURATION', SAM));
    expect(await committedBy(async () => ok(await sam(SET_RULE, { m: mailboxOf[SAM], f: folder })))).toEqual(one('CONFIGURATION', SAM));
    expect(await committedBy(async () => expect(ok(await sam(REMOVE_RULE, { m: mailboxOf[SAM], f: folder })).removeFolderTrackingRule).toBe(true))).toEqual(one('CONFIGURATION', SAM));
    expect(await committedBy(async () => expect(ok(await sam(REMOVE_RULE, { m: mailboxOf[SAM], f: folder })).removeFolderTrackingRule).toBe(false))).toEqual([]);
    expect(await committedBy(async () => ok(await as(admin)(RESYNC, { id: mailboxOf[SAM], from: new Date(Date.now() - 86_400_000).toISOString() })))).toEqual(one('CONFIGURATION', SAM));
    expect(await committedBy(async () => ok(await as(admin)(DISABLE, { id: mailboxOf[SAM] })))).toEqual(one('STATE', SAM));
    expect(await committedBy(async () => ok(await as(admin)(DISABLE, { id: mailboxOf[SAM] })))).toEqual([]);
  });

  it('an alert on its own: credentials that no longer decrypt, found by a claim', async () => {
    const run = as(admin);
    ok(await run(CONFIGURE, { id: mailboxOf[SARA], input: { profileId, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'NONE' } }));
    ok(await run(CREDENTIALS, { id: mailboxOf[SARA], u: 'sara', p: 'secret' }));
    ok(await run(APPROVE, { id: mailboxOf[SARA] }));
    await hub.database.dataSource.getRepository(Mailbox).update({ id: rawId(mailboxOf[SARA]) }, { state: 'ENABLED' as never, nextSyncAt: null, credentialSecret: 'v1:not-a-ciphertext' });
    // The claim itself is no event; the alert line written on its own is (ALERT).
    let lease = '';
    expect(await committedBy(async () => (lease = await claimOnly(SARA, 'SYNC')))).toEqual([{ change: 'ALERT', mailbox: SARA }]);
    ok(await engine(RELEASE, { m: mailboxOf[SARA], l: lease, r: { outcome: 'SUCCESS', itemsProcessed: 0, nextSyncInSeconds: 3600 } }));
  });

  it('a profile change: one event per mailbox of the profile, STATE for those its new credentials resume', async () => {
    const run = as(admin);
    const shared = ok(await run(CREATE_PROFILE, { input: imapProfile(`Shared ${uniqueTag()}`) })).createEmailServerProfile.id;
    for (const who of [MARIA, NORA]) ok(await run(CONFIGURE, { id: mailboxOf[who], input: { profileId: shared, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'NONE' } }));
    // Maria's server refused her password (DISABLED_AUTH, as the engine's report leaves it); nextSyncAt keeps the engine away.
    await hub.database.dataSource.getRepository(Mailbox).update({ id: rawId(mailboxOf[MARIA]) }, { state: 'DISABLED_AUTH' as never, approval: 'APPROVED' as never });
    await hub.database.dataSource.getRepository(Mailbox).update({ id: rawId(mailboxOf[NORA]) }, { nextSyncAt: new Date(Date.now() + 3_600_000) });

    const renamed = await committedBy(async () => ok(await run(UPDATE_PROFILE, { id: shared, input: { name: `Renamed ${uniqueTag()}` } })));
    expect(renamed).toEqual(expect.arrayContaining([{ change: 'CONFIGURATION', mailbox: MARIA }, { change: 'CONFIGURATION', mailbox: NORA }]));
    expect(renamed).toHaveLength(2);

    const resumed = await committedBy(async () =>
      ok(await run(UPDATE_PROFILE, { id: shared, input: { useProfileCredentials: true, credentialUsername: 'shared', password: 'shared secret' } })),
    );
    expect(resumed).toEqual(expect.arrayContaining([{ change: 'STATE', mailbox: MARIA }, { change: 'CONFIGURATION', mailbox: NORA }]));
    expect(resumed).toHaveLength(2);

    // A new default profile: the former default's mailboxes show it is no longer.
    ok(await run(UPDATE_PROFILE, { id: shared, input: { isDefault: true } }));
    const moved = await committedBy(async () => ok(await run(CREATE_PROFILE, { input: imapProfile(`Default ${uniqueTag()}`, { isDefault: true }) })));
    expect(moved).toEqual(expect.arrayContaining([{ change: 'CONFIGURATION', mailbox: MARIA }, { change: 'CONFIGURATION', mailbox: NORA }]));
    expect(moved).toHaveLength(2);
    ok(await run(DISABLE, { id: mailboxOf[MARIA] }));
    ok(await run(DISABLE, { id: mailboxOf[NORA] }));
  });

  it('a forward mailbox\'s changes reach the mailboxes whose mail it files', async () => {
    const run = as(admin);
    // A queue's mailbox is the forward mailbox (synchronizing); Maria's incoming mail arrives through it.
    ok(await run(CONFIGURE, { id: mailboxOf[QUEUE], input: { profileId, isForwardMailbox: true, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'NONE' } }));
    await hub.database.dataSource
      .getRepository(Mailbox)
      .update({ id: rawId(mailboxOf[QUEUE]) }, { state: 'ENABLED' as never, approval: 'APPROVED' as never, nextSyncAt: new Date(Date.now() + 3_600_000) });
    expect(await committedBy(async () => ok(await run(CONFIGURE, { id: mailboxOf[MARIA], input: { incomingMethod: 'FORWARD_MAILBOX', outgoingMethod: 'NONE' } })))).toEqual(
      one('CONFIGURATION', MARIA),
    );
    expect(ok(await run(MAILBOX_STATE, { id: mailboxOf[MARIA] })).mailbox.state).toBe('ENABLED');

    expect(await committedBy(async () => ok(await run(DISABLE, { id: mailboxOf[QUEUE] })))).toEqual([
      { change: 'STATE', mailbox: QUEUE },
      { change: 'STATE', mailbox: MARIA },
    ]);
    expect(ok(await run(MAILBOX_STATE, { id: mailboxOf[MARIA] })).mailbox.state).toBe('DISABLED_BY_ADMIN');

    // The organization's approval rule: Maria's address is not approved, so her forwarded mail waits while the rule holds.
    await hub.database.dataSource.getRepository(Mailbox).update({ id: rawId(mailboxOf[MARIA]) }, { approval: 'PENDING_APPROVAL' as never });
    expect(await committedBy(async () => ok(await run(SETTINGS, { on: false })))).toEqual(one('STATE', MARIA));
    expect(await committedBy(async () => ok(await run(SETTINGS, { on: false })))).toEqual([]);
    expect(await committedBy(async () => ok(await run(SETTINGS, { on: true })))).toEqual(one('STATE', MARIA));
  });

  it('a change that fails inside its transaction leaves no event', async () => {
    const run = as(admin);
    const nowhere = Buffer.from('EmailServerProfile:01900000-0000-7000-8000-000000000000').toString('base64url');
    expect(await committedBy(async () => failed(await run(CONFIGURE, { id: mailboxOf[SARA], input: { profileId: nowhere } }), 'NOT_FOUND', 'input.profileId'))).toEqual([]);
    await hub.database.dataSource.getRepository(Mailbox).update({ id: rawId(mailboxOf[SARA]) }, { credentialSecret: null });
    expect(await committedBy(async () => failed(await run(TEST_ENABLE, { id: mailboxOf[SARA] }), 'BAD_USER_INPUT', 'id'))).toEqual([]);

    // Staged, then rolled back: nothing written, and the next transaction (SQLite's one runner) writes only its own.
    const db = hub.database.dataSource;
    const sara = rawId(mailboxOf[SARA]);
    const seen = await committedBy(async () => {
      await expect(
        db.transaction(async (em) => {
          await hub.services.liveEvents.stage(em, { topic: 'MAILBOX', mailboxId: sara, change: 'STATE' });
          throw new Error('validation failed halfway');
        }),
      ).rejects.toThrow('validation failed halfway');
      ok(await run(UPDATE, { id: mailboxOf[SARA], input: { trackingFilter: 'ALL' } }));
    });
    expect(seen).toEqual(one('CONFIGURATION', SARA));
  });
});
