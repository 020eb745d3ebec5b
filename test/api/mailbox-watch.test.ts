import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Mailbox } from '../../api/src/mail/mailbox.entity';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertMailboxes, insertProfile, mailboxGlobalId, rawId } from '../support/mail-setup';
import { ADMIN, failed, ok } from './gql-helpers';

const CLAIM = 'mutation($e: String!, $limit: Int, $s: Int) { claimMailboxWatches(engineId: $e, limit: $limit, leaseSeconds: $s) { mailboxId leaseId address kind credentials { username secret } } }';
const RENEW = 'mutation($e: String!, $ids: [ID!]!, $s: Int) { renewMailboxWatches(engineId: $e, leaseIds: $ids, leaseSeconds: $s) }';
const RELEASE = 'mutation($e: String!, $ids: [ID!]!) { releaseMailboxWatches(engineId: $e, leaseIds: $ids) }';
const CHANGED = 'mutation($e: String!, $ids: [ID!]!) { mailboxesChanged(engineId: $e, leaseIds: $ids) }';

type Watch = { mailboxId: string; leaseId: string; address: string };

describe.each(DIALECTS)('watch leases on %s', (dialect) => {
  let hub: StartedHub;
  let owner: string;
  const engine = (query: string, variables: Record<string, unknown>) => hub.gql(query, variables, hub.syncServiceKey);
  const claim = async (e: string, limit = 50): Promise<Watch[]> => ok(await engine(CLAIM, { e, limit })).claimMailboxWatches;
  const row = (globalId: string) => hub.database.dataSource.getRepository(Mailbox).findOneByOrFail({ id: rawId(globalId) });

  beforeAll(async () => {
    hub = await startHub({ dialect });
    owner = (await hub.database.dataSource.query("SELECT id FROM app_user WHERE email = 'admin@demo.crm.test'"))[0].id;
  });
  afterAll(() => hub?.close());
  // Every test starts with nothing watchable and no engine alive: it configures exactly the mailboxes it watches.
  beforeEach(async () => {
    await hub.database.dataSource.query("UPDATE mailbox SET state = 'NOT_ENABLED', profileId = NULL, watchLeaseId = NULL, watchEngineId = NULL, watchLeaseUntil = NULL, watchChangedAt = NULL");
    await hub.database.dataSource.query('DELETE FROM watch_engine');
  });

  const EXCHANGE = { kind: 'EXCHANGE_EWS' as never, incomingHost: null, incomingPort: null, incomingTls: null, outgoingHost: null, outgoingPort: null, outgoingTls: null, ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx' };
  const watchable = async (count: number, tag: string, kind: 'IMAP_SMTP' | 'POP3_SMTP' | 'EXCHANGE_EWS' = 'IMAP_SMTP') => {
    const profileId = await insertProfile(hub, kind === 'EXCHANGE_EWS' ? EXCHANGE : { kind: kind as never });
    const ids = await insertMailboxes(hub, owner, count, tag);
    for (const id of ids) await configureMailbox(hub, id, { profileId, username: `${id}@imap`, password: 'watch-secret' });
    return ids.map(mailboxGlobalId);
  };

  it('only the Sync Service key takes, renews, releases and reports watches; malformed input names the field', async () => {
    for (const token of [await hub.login(ADMIN), await hub.login('sam.sales@demo.crm.test')]) {
      failed(await hub.gql(CLAIM, { e: 'x' }, token), 'FORBIDDEN');
      failed(await hub.gql(RENEW, { e: 'x', ids: ['a'] }, token), 'FORBIDDEN');
      failed(await hub.gql(RELEASE, { e: 'x', ids: ['a'] }, token), 'FORBIDDEN');
      failed(await hub.gql(CHANGED, { e: 'x', ids: ['a'] }, token), 'FORBIDDEN');
    }
    failed(await engine(CLAIM, { e: 'x', limit: 0 }), 'BAD_USER_INPUT', 'limit');
    failed(await engine(CLAIM, { e: 'x', limit: 201 }), 'BAD_USER_INPUT', 'limit');
    failed(await engine(CLAIM, { e: 'x', s: 4 }), 'BAD_USER_INPUT', 'leaseSeconds');
    failed(await engine(CLAIM, { e: ' ' }), 'BAD_USER_INPUT', 'engineId');
    failed(await engine(CLAIM, { e: 'x'.repeat(101) }), 'BAD_USER_INPUT', 'engineId');
    failed(await engine(RENEW, { e: 'x', ids: Array.from({ length: 1001 }, (_, i) => String(i)) }), 'BAD_USER_INPUT', 'leaseIds');
    failed(await engine(CHANGED, { e: 'x', ids: ['y'.repeat(37)] }), 'BAD_USER_INPUT', 'leaseIds');
  });

  it('hands each IMAP and Exchange mailbox to one engine, with what it needs to connect; POP3 is not watched', async () => {
    const imap = await watchable(4, `watch-imap-${dialect}`);
    const exchange = await watchable(2, `watch-ews-${dialect}`, 'EXCHANGE_EWS');
    await watchable(2, `watch-pop-${dialect}`, 'POP3_SMTP');
    // At the same moment: which engine gets how many depends on which counts itself alive first; none gets one twice.
    const [a, b] = await Promise.all([claim('engine-a'), claim('engine-b')]);
    const all = [...a, ...b];
    expect(new Set(all.map((w) => w.mailboxId)).size).toBe(all.length);
    expect(all.map((w) => w.mailboxId).sort()).toEqual([...imap, ...exchange].sort());
    expect(all.find((w) => imap.includes(w.mailboxId))).toMatchObject({ kind: 'IMAP_SMTP', credentials: { username: expect.stringMatching(/@imap$/), secret: 'watch-secret' } });
    expect(all.find((w) => exchange.includes(w.mailboxId))).toMatchObject({ kind: 'EXCHANGE_EWS', credentials: { secret: 'watch-secret' } });
    // Nothing left: every lease is live.
    expect(await claim('engine-c')).toEqual([]);
    for (const w of all) expect((await row(w.mailboxId)).watchEngineId).toBe(a.includes(w) ? 'engine-a' : 'engine-b');
  });

  it('splits the mailboxes between the engines alive: one that joins gets half at the others\' next renewal', async () => {
    await watchable(6, `watch-split-${dialect}`);
    const a = await claim('engine-a');
    expect(a).toHaveLength(6);
    expect(await claim('engine-b')).toEqual([]); // counted alive from now on
    const lost = ok(await engine(RENEW, { e: 'engine-a', ids: a.map((w) => w.leaseId) })).renewMailboxWatches;
    expect(lost).toHaveLength(3);
    expect(await claim('engine-b')).toHaveLength(3);
    // A released engine no longer counts: its leases are free, and the other may take them all.
    expect(ok(await engine(RELEASE, { e: 'engine-b', ids: [] })).releaseMailboxWatches).toBe(0);
  });

  it('gives a lease that ran out to any engine; the old holder learns it lost the mailbox', async () => {
    const [mailbox] = await watchable(1, `watch-expired-${dialect}`);
    const [first] = await claim('engine-a');
    await hub.database.dataSource.query("UPDATE mailbox SET watchLeaseUntil = '2000-01-01 00:00:00.000' WHERE id = ?", [rawId(mailbox)]);
    await hub.database.dataSource.query("UPDATE watch_engine SET seenUntil = '2000-01-01 00:00:00.000'");
    const [second] = await claim('engine-b');
    expect(second).toMatchObject({ mailboxId: mailbox });
    expect(second.leaseId).not.toBe(first.leaseId);
    expect(ok(await engine(RENEW, { e: 'engine-a', ids: [first.leaseId] })).renewMailboxWatches).toEqual([first.leaseId]);
    expect(ok(await engine(CHANGED, { e: 'engine-a', ids: [first.leaseId] })).mailboxesChanged).toEqual([first.leaseId]);
    // Another engine's lease cannot be renewed or released by naming it.
    expect(ok(await engine(RENEW, { e: 'engine-a', ids: [second.leaseId] })).renewMailboxWatches).toEqual([second.leaseId]);
    expect(ok(await engine(RELEASE, { e: 'engine-a', ids: [second.leaseId] })).releaseMailboxWatches).toBe(0);
    expect((await row(mailbox)).watchEngineId).toBe('engine-b');
  });

  it('drops the watch of a mailbox whose configuration changed or that was disabled; renew says which', async () => {
    const [changed, disabled, kept] = await watchable(3, `watch-drop-${dialect}`);
    const watches = await claim('engine-a');
    const leaseOf = (id: string) => watches.find((w) => w.mailboxId === id)!.leaseId;
    const admin = await hub.login(ADMIN);
    ok(await hub.gql('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: changed, input: { trackingFilter: 'ALL' } }, admin));
    await hub.database.dataSource.query("UPDATE mailbox SET state = 'DISABLED_BY_ADMIN' WHERE id = ?", [rawId(disabled)]);
    const lost = ok(await engine(RENEW, { e: 'engine-a', ids: watches.map((w) => w.leaseId) })).renewMailboxWatches;
    expect([...lost].sort()).toEqual([leaseOf(changed), leaseOf(disabled)].sort());
    expect((await row(kept)).watchLeaseId).toBe(leaseOf(kept));
    // The changed mailbox is watchable again, as now configured; the disabled one is not.
    expect((await claim('engine-a')).map((w) => w.mailboxId)).toEqual([changed]);
  });

  it('makes a mailbox with new mail due now, and a sync running meanwhile is followed by another', async () => {
    const [mailbox] = await watchable(1, `watch-due-${dialect}`);
    const [watch] = await claim('engine-a');
    await hub.database.dataSource.getRepository(Mailbox).update({ id: rawId(mailbox) }, { nextSyncAt: new Date(Date.now() + 3_600_000) });
    const [work] = ok(await engine('mutation { claimMailboxes(engineId: "worker", limit: 5) { mailboxId leaseId } }', {})).claimMailboxes ?? [];
    expect(work).toBeUndefined(); // not due
    expect(ok(await engine(CHANGED, { e: 'engine-a', ids: [watch.leaseId] })).mailboxesChanged).toEqual([]);
    const due = await row(mailbox);
    expect(due.nextSyncAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const [claimed] = ok(await engine('mutation { claimMailboxes(engineId: "worker", limit: 5) { mailboxId leaseId } }', {})).claimMailboxes;
    expect(claimed.mailboxId).toBe(mailbox);
    // New mail while it syncs: the run's release makes it due again at once instead of in 5 minutes.
    ok(await engine(CHANGED, { e: 'engine-a', ids: [watch.leaseId] }));
    ok(await engine('mutation($m: ID!, $l: ID!) { releaseMailbox(mailboxId: $m, leaseId: $l, report: { outcome: SUCCESS, itemsProcessed: 0 }) { id } }', { m: mailbox, l: claimed.leaseId }));
    expect((await row(mailbox)).nextSyncAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    // A quiet run of a watched mailbox: read again after 5 minutes (for Sent and tracked folders), not at the profile's 60-second poll.
    const [again] = ok(await engine('mutation { claimMailboxes(engineId: "worker", limit: 5) { mailboxId leaseId } }', {})).claimMailboxes;
    ok(await engine('mutation($m: ID!, $l: ID!) { releaseMailbox(mailboxId: $m, leaseId: $l, report: { outcome: SUCCESS, itemsProcessed: 0 }) { id } }', { m: mailbox, l: again.leaseId }));
    expect((await row(mailbox)).nextSyncAt!.getTime()).toBeGreaterThan(Date.now() + 250_000);
  });
});
