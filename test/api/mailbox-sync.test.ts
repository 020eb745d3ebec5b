import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailboxAlert } from '../../api/src/mail/mailbox-alert.entity';
import { Mailbox } from '../../api/src/mail/mailbox.entity';
import { QuarantinedMessage } from '../../api/src/mail/quarantined-message.entity';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { gmailMessage, newsletter, TRACK_EMAILS } from '../support/mail-fixtures';
import { configureMailbox, insertMailboxes, insertProfile, mailboxGlobalId, rawId } from '../support/mail-setup';
import { ADMIN, countRows, failed, ok, uniqueTag } from './gql-helpers';

const WORK = `mailboxId leaseId leaseUntil job address kind
  incoming { host port tls allowInvalidCertificates } outgoing { host port tls allowInvalidCertificates }
  credentials { method username secret } credentialsStatus incomingEnabled outgoingEnabled isForwardMailbox deleteForwardedCopies
  forwardSources { mailboxId address } cursor processEmailFrom resyncFrom sentFolder trackedFolders pollIntervalSeconds
  pastExpansionWindowMonths futureExpansionWindowMonths timeZone`;
const CLAIM = `mutation($engineId: String!, $limit: Int, $leaseSeconds: Int) { claimMailboxes(engineId: $engineId, limit: $limit, leaseSeconds: $leaseSeconds) { ${WORK} } }`;
const RENEW = 'mutation($m: ID!, $l: ID!, $s: Int) { renewMailboxLease(mailboxId: $m, leaseId: $l, leaseSeconds: $s) }';
const RELEASE = 'mutation($m: ID!, $l: ID!, $r: SyncReportInput!) { releaseMailbox(mailboxId: $m, leaseId: $l, report: $r) { id state stateReason failureCount lastSyncAt lastSyncItems resyncFrom } }';
const REPORT_TEST = `mutation($m: ID!, $l: ID!, $in: ChannelTestInput!, $out: ChannelTestInput!) {
  reportMailboxTest(mailboxId: $m, leaseId: $l, incoming: $in, outgoing: $out) { id state stateReason } }`;
const UNDECIDED = 'mutation($m: ID!, $l: ID!, $items: [ServerMessageInput!]!) { undecidedMessages(mailboxId: $m, leaseId: $l, items: $items) }';
const COVERAGE = `mutation($m: ID!, $l: ID!, $s: Int!, $d: Int!, $r: Int!) {
  reportMailboxCoverage(mailboxId: $m, leaseId: $l, serverCount: $s, decidedCount: $d, recovered: $r) { id } }`;

type Work = { mailboxId: string; leaseId: string; leaseUntil: string; job: string; address: string; [field: string]: any };

describe.each(DIALECTS)('the sync engine\'s mailbox work on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  const mailboxes: Record<string, string> = {};
  const SAM = 'sam.sales@demo.crm.test';
  const SARA = 'sara.sales@demo.crm.test';
  const MARIA = 'maria.manager@demo.crm.test';
  const NORA = 'nora.north@demo.crm.test';
  const SVEN = 'sven.service@demo.crm.test';

  const engine = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, hub.syncServiceKey);
  const claim = async (engineId = 'engine-a', limit = 10, leaseSeconds?: number): Promise<Work[]> => ok(await engine(CLAIM, { engineId, limit, leaseSeconds })).claimMailboxes;
  const release = (work: Pick<Work, 'mailboxId' | 'leaseId'>, report: Record<string, unknown>) => engine(RELEASE, { m: work.mailboxId, l: work.leaseId, r: report });
  const row = (globalId: string) => hub.database.dataSource.getRepository(Mailbox).findOneByOrFail({ id: rawId(globalId) });
  const alertsOf = async (globalId: string) =>
    (await hub.database.dataSource.getRepository(MailboxAlert).find({ where: { mailboxId: rawId(globalId) }, order: { createdAt: 'ASC', id: 'ASC' } })).map((a) => ({ severity: a.severity, code: a.code, message: a.message }));
  const update = (globalId: string, values: Partial<Mailbox>) => hub.database.dataSource.getRepository(Mailbox).update({ id: rawId(globalId) }, values);
  const makeDue = (globalId: string) => update(globalId, { nextSyncAt: null });
  const expireLease = (globalId: string) => hub.database.dataSource.query(`UPDATE mailbox SET leaseUntil = '2000-01-01 00:00:00.000' WHERE id = ?`, [rawId(globalId)]);
  const secondsUntil = (date: Date | null) => (date ? (date.getTime() - Date.now()) / 1000 : null);

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    for (const m of ok(await engine('{ mailboxes { id address ownerKind } }')).mailboxes) if (m.ownerKind === 'USER') mailboxes[m.address] = m.id;
  });
  afterAll(() => hub?.close());
  // Every test starts with nothing claimable: it configures exactly the mailboxes it claims.
  beforeEach(async () => {
    await hub.database.dataSource.query(
      "UPDATE mailbox SET state = 'NOT_ENABLED', profileId = NULL, testRequestedAt = NULL, leaseId = NULL, leaseOwner = NULL, leaseUntil = NULL, nextSyncAt = NULL, isForwardMailbox = 0, failureCount = 0",
    );
    await hub.database.dataSource.query('DELETE FROM mailbox_alert');
    await hub.database.dataSource.query('DELETE FROM quarantined_message');
  });

  it('only the Sync Service key claims, renews and reports', async () => {
    const someone = mailboxes[SAM];
    for (const token of [admin, await hub.login(SAM)]) {
      failed(await hub.gql(CLAIM, { engineId: 'x' }, token), 'FORBIDDEN');
      failed(await hub.gql(RENEW, { m: someone, l: 'x' }, token), 'FORBIDDEN');
      failed(await hub.gql(RELEASE, { m: someone, l: 'x', r: { outcome: 'SUCCESS' } }, token), 'FORBIDDEN');
      failed(await hub.gql(UNDECIDED, { m: someone, l: 'x', items: [] }, token), 'FORBIDDEN');
    }
    failed(await engine(CLAIM, { engineId: 'x', limit: 0 }), 'BAD_USER_INPUT', 'limit');
    failed(await engine(CLAIM, { engineId: 'x', leaseSeconds: 4 }), 'BAD_USER_INPUT', 'leaseSeconds');
    failed(await engine(CLAIM, { engineId: ' ' }), 'BAD_USER_INPUT', 'engineId');
    failed(await engine(RENEW, { m: Buffer.from('Mailbox:01900000-0000-7000-8000-000000000000').toString('base64url'), l: 'x' }), 'NOT_FOUND', 'mailboxId');
  });

  it('claims what is due, Test & Enable first, with where and how to connect', async () => {
    const profileId = await insertProfile(hub, {
      incomingHost: 'imap.example.test',
      incomingPort: 993,
      incomingTls: 'IMPLICIT' as never,
      outgoingHost: 'smtp.example.test',
      outgoingPort: 465,
      outgoingTls: 'IMPLICIT' as never,
      allowInvalidCertificates: true,
      pollIntervalSeconds: 300,
      processEmailFrom: new Date('2026-01-01T00:00:00.000Z'),
      sentFolder: 'Sent Items',
    });
    await configureMailbox(hub, mailboxes[SAM], { profileId, username: 'sam@imap', password: 'pässword 1', extra: { syncCursor: 'INBOX:7:12' } });
    ok(await hub.gql('mutation($m: ID!) { setFolderTrackingRule(mailboxId: $m, input: { folder: "Projects/Acme" }) { folder } }', { m: mailboxes[SAM] }, admin));
    await configureMailbox(hub, mailboxes[SARA], { profileId, state: 'NOT_ENABLED' as never, extra: { testRequestedAt: new Date() } });
    await configureMailbox(hub, mailboxes[MARIA], { profileId, extra: { nextSyncAt: new Date(Date.now() + 3_600_000) } });
    await configureMailbox(hub, mailboxes[NORA], { profileId, approval: 'PENDING_APPROVAL' as never, extra: { testRequestedAt: new Date() } });
    // Outgoing only: nothing to read, so no SYNC job (its email goes out through claimOutgoingEmails).
    await configureMailbox(hub, mailboxes[SVEN], { profileId, incomingMethod: 'NONE' as never });
    await configureMailbox(hub, mailboxes[ADMIN], { profileId, state: 'DISABLED_BY_ADMIN' as never });
    // The organization's expansion windows for recurring meetings go with every claim (Dynamics' defaults: 3 and 12 months).
    const WINDOWS = 'mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { pastExpansionWindowMonths futureExpansionWindowMonths } }';
    expect(ok(await hub.gql('{ emailSettings { pastExpansionWindowMonths futureExpansionWindowMonths } }', {}, admin)).emailSettings).toEqual({ pastExpansionWindowMonths: 3, futureExpansionWindowMonths: 12 });
    for (const [input, field] of [[{ pastExpansionWindowMonths: 0 }, 'input.pastExpansionWindowMonths'], [{ pastExpansionWindowMonths: 121 }, 'input.pastExpansionWindowMonths'], [{ futureExpansionWindowMonths: 141 }, 'input.futureExpansionWindowMonths']] as const) {
      failed(await hub.gql(WINDOWS, { input }, admin), 'BAD_USER_INPUT', field);
    }
    failed(await hub.gql(WINDOWS, { input: { futureExpansionWindowMonths: 24 } }, await hub.login(SAM)), 'FORBIDDEN');
    expect(ok(await hub.gql(WINDOWS, { input: { pastExpansionWindowMonths: 6, futureExpansionWindowMonths: 24 } }, admin)).updateEmailSettings).toEqual({ pastExpansionWindowMonths: 6, futureExpansionWindowMonths: 24 });

    const [test, sync, ...rest] = await claim('engine-a');
    expect(rest).toEqual([]);
    expect(test).toMatchObject({ job: 'TEST', mailboxId: mailboxes[SARA], address: SARA });
    expect(sync).toEqual({
      mailboxId: mailboxes[SAM],
      leaseId: expect.any(String),
      leaseUntil: expect.any(String),
      job: 'SYNC',
      address: SAM,
      kind: 'IMAP_SMTP',
      incoming: { host: 'imap.example.test', port: 993, tls: 'IMPLICIT', allowInvalidCertificates: true },
      outgoing: { host: 'smtp.example.test', port: 465, tls: 'IMPLICIT', allowInvalidCertificates: true },
      credentials: { method: 'PASSWORD', username: 'sam@imap', secret: 'pässword 1' },
      credentialsStatus: 'PRESENT',
      incomingEnabled: true,
      outgoingEnabled: true,
      isForwardMailbox: false,
      deleteForwardedCopies: false,
      forwardSources: [],
      cursor: 'INBOX:7:12',
      processEmailFrom: '2026-01-01T00:00:00.000Z',
      resyncFrom: null,
      sentFolder: 'Sent Items',
      trackedFolders: ['Projects/Acme'],
      pollIntervalSeconds: 300,
      pastExpansionWindowMonths: 6,
      futureExpansionWindowMonths: 24,
      timeZone: null,
    });
    ok(await hub.gql(WINDOWS, { input: { pastExpansionWindowMonths: 3, futureExpansionWindowMonths: 12 } }, admin));
    expect(secondsUntil(new Date(sync.leaseUntil))).toBeGreaterThan(100);
    expect(secondsUntil(new Date(sync.leaseUntil))).toBeLessThanOrEqual(120);
    // Credentials decrypt only for the sync engine; a mailbox without them gets null.
    expect(test.credentials).toEqual({ method: 'PASSWORD', username: SARA, secret: 'secret' });
    expect(await row(mailboxes[SAM])).toMatchObject({ leaseId: sync.leaseId, leaseOwner: 'engine-a' });
    // Leased mailboxes are not handed out again.
    expect(await claim('engine-b')).toEqual([]);

    // The mailbox's own "process email from" wins over the profile's.
    const own = new Date('2026-02-01T00:00:00.000Z');
    ok(await release(sync, { outcome: 'SUCCESS' }));
    await update(mailboxes[SAM], { processEmailFrom: own, nextSyncAt: null });
    expect((await claim())[0]).toMatchObject({ mailboxId: mailboxes[SAM], processEmailFrom: own.toISOString() });
  });

  it('a released lease applies the outcome: schedule, back-off, recovery, authentication failure, administrator\'s choice', async () => {
    const profileId = await insertProfile(hub, { pollIntervalSeconds: 300 });
    const sam = mailboxes[SAM];
    await configureMailbox(hub, sam, { profileId });

    let [work] = await claim();
    const released = ok(await release(work, { outcome: 'SUCCESS', itemsProcessed: 3 })).releaseMailbox;
    expect(released).toMatchObject({ state: 'ENABLED', stateReason: null, failureCount: 0, lastSyncItems: 3 });
    expect(secondsUntil((await row(sam)).nextSyncAt)).toBeGreaterThan(290);
    expect(await row(sam)).toMatchObject({ leaseId: null, leaseOwner: null, leaseUntil: null, consecutiveEmptyPolls: 0 });
    // Not due before its poll interval; the lease is gone, so a late second report conflicts.
    expect(await claim()).toEqual([]);
    failed(await release(work, { outcome: 'SUCCESS' }), 'CONFLICT', 'leaseId');

    const fail = async (report: Record<string, unknown>) => {
      await makeDue(sam);
      [work] = await claim();
      return ok(await release(work, report)).releaseMailbox;
    };
    expect(await fail({ outcome: 'TEMPORARY_FAILURE', code: 'TIMEOUT', message: 'connect timed out' })).toMatchObject({ state: 'BACKING_OFF', failureCount: 1, stateReason: 'connect timed out' });
    const first = secondsUntil((await row(sam)).nextSyncAt)!;
    expect(first).toBeGreaterThan(22);
    expect(first).toBeLessThanOrEqual(36);
    expect(await fail({ outcome: 'TEMPORARY_FAILURE', code: 'TIMEOUT', message: 'connect timed out' })).toMatchObject({ state: 'BACKING_OFF', failureCount: 2 });
    const second = secondsUntil((await row(sam)).nextSyncAt)!;
    expect(second).toBeGreaterThan(46);
    expect(second).toBeLessThanOrEqual(72);
    // The same problem twice is one line in the log.
    expect(await alertsOf(sam)).toEqual([{ severity: 'WARNING', code: 'TIMEOUT', message: 'connect timed out' }]);
    expect(await fail({ outcome: 'SUCCESS', itemsProcessed: 0 })).toMatchObject({ state: 'ENABLED', failureCount: 0, stateReason: null });
    expect((await alertsOf(sam)).map((a) => [a.severity, a.code])).toEqual([['WARNING', 'TIMEOUT'], ['INFORMATION', 'RECOVERED']]);

    // An administrator's resync: handed out, and cleared once the engine reports it done (not before).
    const from = new Date('2026-02-15T00:00:00.000Z');
    await update(sam, { resyncFrom: from, nextSyncAt: null });
    [work] = await claim();
    expect(work.resyncFrom).toBe(from.toISOString());
    expect(ok(await release(work, { outcome: 'SUCCESS', resyncCompleted: '2026-02-14T00:00:00.000Z', nextSyncInSeconds: 0 })).releaseMailbox.resyncFrom).toBe(from.toISOString());
    [work] = await claim();
    expect(ok(await release(work, { outcome: 'SUCCESS', resyncCompleted: from.toISOString() })).releaseMailbox.resyncFrom).toBeNull();

    // Disabled by an administrator while the engine worked: stays disabled, whatever the outcome.
    await makeDue(sam);
    [work] = await claim();
    await update(sam, { state: 'DISABLED_BY_ADMIN' as never, stateReason: 'paused by admin' });
    expect(ok(await release(work, { outcome: 'SUCCESS', itemsProcessed: 2 })).releaseMailbox).toMatchObject({ state: 'DISABLED_BY_ADMIN', stateReason: 'paused by admin', lastSyncItems: 2 });
    expect(await claim()).toEqual([]);

    // Refused credentials stop the mailbox until they change.
    await update(sam, { state: 'ENABLED' as never, nextSyncAt: null });
    expect(await fail({ outcome: 'AUTH_FAILED', code: 'AUTH_FAILED', message: 'AUTHENTICATIONFAILED Authentication failed.' })).toMatchObject({ state: 'DISABLED_AUTH', stateReason: 'AUTHENTICATIONFAILED Authentication failed.' });
    expect((await row(sam)).nextSyncAt).toBeNull();
    expect((await alertsOf(sam)).at(-1)).toEqual({ severity: 'ERROR', code: 'AUTH_FAILED', message: 'AUTHENTICATIONFAILED Authentication failed.' });
    expect(await claim()).toEqual([]);

    failed(await release({ mailboxId: sam, leaseId: 'x' }, { outcome: 'SUCCESS', itemsProcessed: -1 }), 'BAD_USER_INPUT', 'report.itemsProcessed');
    failed(await release({ mailboxId: sam, leaseId: 'x' }, { outcome: 'SUCCESS', nextSyncInSeconds: 90_000 }), 'BAD_USER_INPUT', 'report.nextSyncInSeconds');
  });

  it('Test & Enable: results are stored, a passing test enables the mailbox, refused credentials disable it', async () => {
    const profileId = await insertProfile(hub);
    const sara = mailboxes[SARA];
    await configureMailbox(hub, sara, { profileId, state: 'NOT_ENABLED' as never, extra: { testRequestedAt: new Date() } });
    let [work] = await claim();
    expect(work.job).toBe('TEST');
    failed(await engine(REPORT_TEST, { m: sara, l: work.leaseId, in: { status: 'PENDING' }, out: { status: 'SUCCESS' } }), 'BAD_USER_INPUT', 'incoming.status');
    failed(await engine(REPORT_TEST, { m: sara, l: 'not-the-lease', in: { status: 'SUCCESS' }, out: { status: 'SUCCESS' } }), 'CONFLICT', 'leaseId');
    const passed = ok(await engine(REPORT_TEST, { m: sara, l: work.leaseId, in: { status: 'SUCCESS' }, out: { status: 'WARNING', code: 'TLS', reason: 'certificate is self-signed' } })).reportMailboxTest;
    expect(passed).toMatchObject({ state: 'ENABLED', stateReason: null });
    expect(await row(sara)).toMatchObject({
      incomingTestStatus: 'SUCCESS',
      outgoingTestStatus: 'WARNING',
      outgoingTestCode: 'TLS',
      outgoingTestReason: 'certificate is self-signed',
      testRequestedAt: null,
      leaseId: null,
    });
    expect((await row(sara)).testedAt).toBeInstanceOf(Date);
    expect((await alertsOf(sara)).map((a) => [a.severity, a.code])).toEqual([['INFORMATION', 'TEST_SUCCEEDED']]);
    // Enabled and due at once: the next claim syncs it.
    [work] = await claim();
    expect(work).toMatchObject({ mailboxId: sara, job: 'SYNC' });
    ok(await release(work, { outcome: 'SUCCESS' }));

    // A test wins over a due sync, whatever the state; a channel whose method is NONE is not run.
    await update(sara, { testRequestedAt: new Date(), state: 'DISABLED_BY_ADMIN' as never });
    [work] = await claim();
    expect(work.job).toBe('TEST');
    const refused = ok(await engine(REPORT_TEST, { m: sara, l: work.leaseId, in: { status: 'FAILURE', code: 'AUTH_FAILED', reason: 'LOGIN rejected' }, out: { status: 'NOT_RUN' } })).reportMailboxTest;
    expect(refused.state).toBe('DISABLED_AUTH');
    expect(refused.stateReason).toContain('LOGIN rejected');
    expect((await alertsOf(sara)).at(-1)).toMatchObject({ severity: 'ERROR', code: 'AUTH_FAILED' });
    expect(await row(sara)).toMatchObject({ incomingTestStatus: 'FAILURE', incomingTestCode: 'AUTH_FAILED', outgoingTestStatus: 'NOT_RUN', testRequestedAt: null });
    expect(await claim()).toEqual([]);
  });

  it('never more leases per profile than its maxConcurrentConnections', async () => {
    const profileId = await insertProfile(hub, { maxConcurrentConnections: 2 });
    const spare = await insertProfile(hub, { maxConcurrentConnections: 5 });
    const adminId = rawId(ok(await hub.gql('{ viewer { id } }', {}, admin)).viewer.id);
    const ids = await insertMailboxes(hub, adminId, 5, uniqueTag('Cap'));
    for (const id of ids) await configureMailbox(hub, id, { profileId });
    // The capped profile's mailboxes are due first; another profile's mailbox is not starved behind them.
    await configureMailbox(hub, mailboxes[SAM], { profileId: spare, extra: { nextSyncAt: new Date(Date.now() - 1000) } });
    const first = await claim('engine-a', 10);
    expect(first.filter((w) => w.mailboxId !== mailboxes[SAM])).toHaveLength(2);
    expect(first.map((w) => w.mailboxId)).toContain(mailboxes[SAM]);
    expect(await claim('engine-b', 10)).toEqual([]);
    ok(await release(first[0], { outcome: 'SUCCESS' }));
    expect(await claim('engine-b', 10)).toHaveLength(1);
    // A lease that ran out is no connection any more.
    await expireLease(first[1].mailboxId);
    expect(await claim('engine-c', 10)).toHaveLength(1);
  });

  it('an expired lease is claimed again; the engine that lost it is refused and writes nothing', async () => {
    const profileId = await insertProfile(hub);
    const sam = mailboxes[SAM];
    await configureMailbox(hub, sam, { profileId, extra: { syncCursor: 'INBOX:1:10' } });
    ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: ALL }) { id } }', { id: sam }, admin));
    const [lost] = await claim('engine-a', 10, 10);
    await expireLease(sam);
    const [taken] = await claim('engine-b');
    expect(taken).toMatchObject({ mailboxId: sam, cursor: 'INBOX:1:10' });
    expect(taken.leaseId).not.toBe(lost.leaseId);
    expect(await row(sam)).toMatchObject({ leaseOwner: 'engine-b' });

    const message = gmailMessage({ from: { address: `someone-${uniqueTag().toLowerCase()}@example.com` }, to: [{ address: SAM }], subject: `Lost lease ${uniqueTag()}` });
    const input = (leaseId: string) => ({ items: [message], cursor: 'INBOX:1:11', leaseId, quarantine: [{ sourceRef: 'imap:INBOX:1:11', code: 'INVALID_MESSAGE', reason: 'x' }] });
    const before = await countRows(hub, 'activity');
    failed(await engine(TRACK_EMAILS, { mailboxId: sam, input: input(lost.leaseId) }), 'CONFLICT', 'input.leaseId');
    expect(await countRows(hub, 'activity')).toBe(before);
    expect(await countRows(hub, 'quarantined_message', `mailboxId = '${rawId(sam)}'`)).toBe(0);
    expect((await row(sam)).syncCursor).toBe('INBOX:1:10');
    failed(await release(lost, { outcome: 'SUCCESS' }), 'CONFLICT', 'leaseId');
    failed(await engine(RENEW, { m: sam, l: lost.leaseId }), 'CONFLICT', 'leaseId');
    failed(await engine(UNDECIDED, { m: sam, l: lost.leaseId, items: [] }), 'CONFLICT', 'leaseId');
    failed(await engine(COVERAGE, { m: sam, l: lost.leaseId, s: 1, d: 1, r: 0 }), 'CONFLICT', 'leaseId');

    // The holder renews and commits.
    const renewed = new Date(ok(await engine(RENEW, { m: sam, l: taken.leaseId, s: 600 })).renewMailboxLease);
    expect(secondsUntil(renewed)).toBeGreaterThan(590);
    expect(secondsUntil((await row(sam)).leaseUntil)).toBeGreaterThan(590);
    const committed = ok(await engine(TRACK_EMAILS, { mailboxId: sam, input: input(taken.leaseId) })).trackEmails;
    expect(committed.cursor).toBe('INBOX:1:11');
    expect(committed.items[0].outcome).toBe('TRACKED');
    ok(await release(taken, { outcome: 'SUCCESS', itemsProcessed: 1 }));
  });

  it('engines claiming at the same moment share the work: every mailbox exactly once', async () => {
    const profileId = await insertProfile(hub, { maxConcurrentConnections: 100 });
    const adminId = rawId(ok(await hub.gql('{ viewer { id } }', {}, admin)).viewer.id);
    const ids = await insertMailboxes(hub, adminId, 24, uniqueTag('Race'));
    for (const id of ids) await configureMailbox(hub, id, { profileId });
    const got = new Map<string, string[]>();
    const run = async (engineId: string) => {
      // A claim may come back short while another engine's claim holds rows (they skip each other's).
      for (let empty = 0; empty < 2; ) {
        const batch = await claim(engineId, 3);
        if (!batch.length) empty++;
        for (const w of batch) got.set(w.mailboxId, [...(got.get(w.mailboxId) ?? []), engineId]);
      }
    };
    await Promise.all(['engine-1', 'engine-2', 'engine-3', 'engine-4'].map(run));
    for (const w of await claim('engine-5', 50)) got.set(w.mailboxId, [...(got.get(w.mailboxId) ?? []), 'engine-5']);
    expect([...got.keys()].sort()).toEqual(ids.map(mailboxGlobalId).sort());
    // Shared, not taken by whoever came first: each engine's first claim got its share.
    expect(new Set([...got.values()].flat()).size).toBeGreaterThanOrEqual(4);
    for (const [mailboxId, engines] of got) {
      expect(engines, mailboxId).toHaveLength(1);
      expect((await row(mailboxId)).leaseOwner).toBe(engines[0]);
    }
  });

  it('an Exchange Calendar, Tasks or Contacts folder that cannot be synchronized raises one warning, and its recovery one line; mail is not held up', async () => {
    const profileId = await insertProfile(hub, { pollIntervalSeconds: 300 });
    const sam = mailboxes[SAM];
    await configureMailbox(hub, sam, { profileId });
    const run = async (actFolders: unknown) => {
      await makeDue(sam);
      const [work] = await claim();
      return release(work, { outcome: 'SUCCESS', itemsProcessed: 1, actFolders });
    };
    const failing = [{ folder: 'CALENDAR', failure: 'Exchange refused GetItem: ErrorAccessDenied.' }, { folder: 'TASKS', failure: null }, { folder: 'CONTACTS' }];
    expect(ok(await run(failing)).releaseMailbox).toMatchObject({ state: 'ENABLED', failureCount: 0 });
    // Push mode reports every few seconds: the same failure is not said again.
    ok(await run(failing));
    ok(await run([{ folder: 'CALENDAR', failure: null }, { folder: 'TASKS', failure: null }]));
    ok(await run([{ folder: 'CALENDAR', failure: null }]));
    expect(await alertsOf(sam)).toEqual([
      { severity: 'WARNING', code: 'CALENDAR_SYNC_FAILED', message: 'The Exchange Calendar could not be synchronized: Exchange refused GetItem: ErrorAccessDenied. Mail keeps syncing, and the Calendar is tried again on the next run.' },
      { severity: 'INFORMATION', code: 'CALENDAR_SYNC_RECOVERED', message: 'The Exchange Calendar synchronizes again.' },
    ]);

    // A report naming a folder twice, or one that is none of the three, is refused and names the field; a reason
    // as long as a server's reply is cut.
    await makeDue(sam);
    const [work] = await claim();
    failed(await release(work, { outcome: 'SUCCESS', actFolders: [{ folder: 'TASKS' }, { folder: 'TASKS', failure: 'x' }] }), 'BAD_USER_INPUT', 'report.actFolders[1].folder');
    expect((await release(work, { outcome: 'SUCCESS', actFolders: [{ folder: 'INBOX' }] })).errors?.[0].message).toMatch(/INBOX/);
    expect((await release(work, { outcome: 'SUCCESS', actFolders: [{ folder: 'TASKS' }, { folder: 'CALENDAR' }, { folder: 'CONTACTS' }, { folder: 'TASKS' }] })).errors).toBeDefined();
    ok(await release(work, { outcome: 'SUCCESS', actFolders: [{ folder: 'CONTACTS', failure: `Server said: ${'x'.repeat(5000)}` }] }));
    const long = (await alertsOf(sam)).at(-1)!;
    expect(long.code).toBe('CONTACTS_SYNC_FAILED');
    expect(long.message.length).toBeLessThan(700);
  });

  it('credentials that no longer decrypt: claimed without them, and one alert says why', async () => {
    const profileId = await insertProfile(hub);
    const sam = mailboxes[SAM];
    await configureMailbox(hub, sam, { profileId });
    // A ciphertext copied from another row does not decrypt here (the row is its associated data).
    await update(sam, { credentialSecret: hub.services.credentials.encrypt('copied', `mailbox:${rawId(mailboxes[SARA])}`) });
    for (let round = 0; round < 2; round++) {
      await makeDue(sam);
      const [work] = await claim();
      expect(work).toMatchObject({ mailboxId: sam, credentials: null, credentialsStatus: 'UNREADABLE' });
      ok(await release(work, { outcome: 'SUCCESS' }));
    }
    expect(await alertsOf(sam)).toEqual([{ severity: 'ERROR', code: 'CREDENTIALS_UNREADABLE', message: expect.stringMatching(/cannot be decrypted/) }]);

    // A profile with one set of credentials for all its mailboxes hands out those.
    const shared = await insertProfile(hub, { useProfileCredentials: true, credentialUsername: 'service-account', authMethod: 'OAUTH_BEARER' as never });
    await hub.database.dataSource.query('UPDATE email_server_profile SET credentialSecret = ? WHERE id = ?', [hub.services.credentials.encrypt('access-token', `profile:${shared}`), shared]);
    await configureMailbox(hub, sam, { profileId: shared, password: null });
    expect((await claim())[0].credentials).toEqual({ method: 'OAUTH_BEARER', username: 'service-account', secret: 'access-token' });
  });

  it('quarantine commits with the cursor, a replay adds nothing, and the reconciler counts it as decided', async () => {
    const profileId = await insertProfile(hub);
    const sam = mailboxes[SAM];
    await configureMailbox(hub, sam, { profileId });
    ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: ALL }) { id } }', { id: sam }, admin));
    const [work] = await claim();
    const tracked = gmailMessage({ from: { address: 'customer@quarantine.example' }, to: [{ address: SAM }], subject: `Tracked ${uniqueTag()}` });
    const bulk = newsletter({ from: { address: 'news@vendor.example' }, to: [{ address: SAM }] });
    const input = {
      leaseId: work.leaseId,
      cursor: 'INBOX:7:13',
      items: [tracked, bulk],
      quarantine: [{ sourceRef: 'imap:INBOX:7:12', folder: 'INBOX', code: 'INVALID_MESSAGE', reason: 'no header/body separator', subject: 'Broken invoice', fromAddress: 'billing@vendor.example', size: 1234 }],
    };
    const first = ok(await engine(TRACK_EMAILS, { mailboxId: sam, input })).trackEmails;
    expect(first.cursor).toBe('INBOX:7:13');
    expect(first.items.map((i: { outcome: string }) => i.outcome)).toEqual(['TRACKED', 'FILTERED']);
    const stored = await hub.database.dataSource.getRepository(QuarantinedMessage).findBy({ mailboxId: rawId(sam) });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ sourceRef: 'imap:INBOX:7:12', folder: 'INBOX', code: 'INVALID_MESSAGE', reason: 'no header/body separator', subject: 'Broken invoice', fromAddress: 'billing@vendor.example', size: 1234 });
    const [alert] = await alertsOf(sam);
    expect(alert).toMatchObject({ severity: 'WARNING', code: 'MESSAGE_QUARANTINED' });
    expect(alert.message).toContain('Broken invoice');
    expect(alert.message).toContain('billing@vendor.example');
    expect(alert.message).toContain('no header/body separator');

    const replay = ok(await engine(TRACK_EMAILS, { mailboxId: sam, input })).trackEmails;
    expect(replay.items.map((i: { outcome: string }) => i.outcome)).toEqual(['DUPLICATE', 'DUPLICATE']);
    expect(await countRows(hub, 'quarantined_message', `mailboxId = '${rawId(sam)}'`)).toBe(1);
    expect(await alertsOf(sam)).toHaveLength(1);
    failed(await engine(TRACK_EMAILS, { mailboxId: sam, input: { items: [], quarantine: [{ sourceRef: '', code: 'X', reason: 'y' }] } }), 'BAD_USER_INPUT', 'input.quarantine[0].sourceRef');

    const items = [
      { sourceRef: 'imap:INBOX:7:10', messageId: tracked.messageId },
      { sourceRef: 'imap:INBOX:7:11', messageId: bulk.messageId!.slice(1, -1) }, // filtered is decided too; brackets or not
      { sourceRef: 'imap:INBOX:7:12' }, // quarantined, no Message-ID
      { sourceRef: 'imap:INBOX:7:13', messageId: '<never-seen@example.com>' },
      { sourceRef: 'imap:INBOX:7:14' },
      { sourceRef: 'imap:INBOX:7:12', messageId: '<other@example.com>' }, // quarantined by its place on the server
    ];
    expect(ok(await engine(UNDECIDED, { m: sam, l: work.leaseId, items })).undecidedMessages).toEqual(['imap:INBOX:7:13', 'imap:INBOX:7:14']);
    failed(await engine(UNDECIDED, { m: sam, l: work.leaseId, items: Array.from({ length: 1001 }, (_, i) => ({ sourceRef: `pop3:${i}` })) }), 'BAD_USER_INPUT', 'items');

    ok(await engine(COVERAGE, { m: sam, l: work.leaseId, s: 6, d: 4, r: 1 }));
    expect(await row(sam)).toMatchObject({ coverageServerCount: 6, coverageDecidedCount: 4 });
    expect((await row(sam)).coverageCheckedAt).toBeInstanceOf(Date);
    ok(await engine(COVERAGE, { m: sam, l: work.leaseId, s: 6, d: 4, r: 0 }));
    expect((await alertsOf(sam)).map((a) => [a.severity, a.code])).toEqual([
      ['WARNING', 'MESSAGE_QUARANTINED'],
      ['INFORMATION', 'COVERAGE_RECOVERED'],
      ['WARNING', 'COVERAGE_INCOMPLETE'],
    ]);
    ok(await release(work, { outcome: 'SUCCESS', itemsProcessed: 2 }));
  });

  it('the forward mailbox is read and lists the approved mailboxes forwarding to it', async () => {
    const profileId = await insertProfile(hub);
    await configureMailbox(hub, mailboxes[ADMIN], { profileId, incomingMethod: 'NONE' as never, extra: { isForwardMailbox: true, deleteForwardedCopies: true } });
    await configureMailbox(hub, mailboxes[SAM], { profileId, incomingMethod: 'FORWARD_MAILBOX' as never });
    await configureMailbox(hub, mailboxes[SARA], { profileId, incomingMethod: 'FORWARD_MAILBOX' as never, approval: 'PENDING_APPROVAL' as never });
    const [work, ...rest] = await claim();
    // Sam's own mailbox is not connected to: its mail comes through the forward mailbox.
    expect(rest).toEqual([]);
    expect(work).toMatchObject({ mailboxId: mailboxes[ADMIN], isForwardMailbox: true, deleteForwardedCopies: true, incomingEnabled: true, forwardSources: [{ mailboxId: mailboxes[SAM], address: SAM }] });
  });
});
