import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../api/src/activities/activity-events';
import { parseGlobalId } from '../../api/src/common/global-id';
import { Mailbox } from '../../api/src/mail/mailbox.entity';
import { ADMIN, ok, uniqueTag } from '../api/gql-helpers';
import { Arrivals } from '../support/arrivals';
import { buildEngine, EngineProcess } from '../support/engine-process';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { rawId } from '../support/mail-setup';
import { eventually, setUpMailbox } from '../support/mailbox-admin';
import { rawMessage } from '../support/raw-mail';

// Exchange push without a work slot: one engine with a single work slot watches three Exchange mailboxes (EWS
// streaming subscriptions held outside the slot), and mail to each is synced at once. Before, the slot sat in one
// mailbox's notification wait for IDLE_SECONDS and the other two waited for their poll, which here is a day away.
// The built engine and api against the EWS test server (a local HTTP server keeping the mailboxes' state and
// answering SOAP shaped as Microsoft's EWS schema defines it, not Exchange itself).

const USERS = [
  { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' },
  { address: 'sara.sales@demo.crm.test', name: 'Sara Säljare' },
  { address: 'nora.north@demo.crm.test', name: 'Nora North' },
];
const SAM = USERS[0];
const PASSWORD = 'exchange-secret-watch';
// Far below IDLE_SECONDS (300) and the profile's poll (a day): only the watch can bring changes this fast.
const WITHIN_MS = 15_000;

describe.each(DIALECTS)('Exchange mailboxes watched outside the work slots (EWS test server), api on %s', (dialect) => {
  let hub: StartedHub;
  let ews: StartedEwsServer;
  let engine: EngineProcess;
  let admin: string;
  const mailboxes: Record<string, string> = {};
  let contacts: { id: string; fullName: string; primaryEmail: string }[];
  const events = new Arrivals<ActivityEvent>();

  const watchers = async () =>
    (await hub.database.dataSource.getRepository(Mailbox).find({ select: { id: true, watchEngineId: true, watchLeaseId: true } })).filter((m) => USERS.some((u) => rawId(mailboxes[u.address]) === m.id));
  const streamsOpen = () => USERS.map((u) => ews.openStreams(u.address));
  /** Delivers a message from `contact` to the Inbox and waits until the hub tracked it. */
  const deliverAndTrack = async (address: string, contact: (typeof contacts)[number], subject: string, from: number) => {
    ews.deliver(address, 'inbox', rawMessage({ from: { address: contact.primaryEmail, name: contact.fullName }, to: [{ address }], subject }));
    const { id } = parseGlobalId(contact.id)!;
    return events.find((e) => e.type === 'ACTIVITY_TRACKED' && e.records.some((r) => r.recordId === id), { from, timeoutMs: WITHIN_MS, what: `the mail from ${contact.primaryEmail}` });
  };

  beforeAll(async () => {
    await buildEngine();
    ews = await startEwsTestServer();
    for (const user of USERS) ews.addUser(user.address, { password: PASSWORD });
    hub = await startHub({ dialect });
    hub.services.events.subscribe((e) => events.push(e));
    admin = await hub.login(ADMIN);
    for (const m of ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[]) mailboxes[m.address] = m.id;
    contacts = ok(await hub.gql('{ contacts(first: 3) { edges { node { id fullName primaryEmail } } } }', {}, admin)).contacts.edges.map((e: any) => e.node);
    // Polled once a day: within this test only push brings changes in.
    const input = { name: `Exchange watched ${uniqueTag()}`, kind: 'EXCHANGE_EWS', ewsUrl: ews.url, authMethod: 'PASSWORD', pollIntervalSeconds: 86_400 };
    const profileId = ok(await hub.gql('mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { id } }', { input }, admin)).createEmailServerProfile.id;
    for (const user of USERS) {
      // Sam also synchronizes appointments, contacts and tasks: the CRM's changes must reach his Exchange promptly too.
      const configure = user === SAM ? { appointmentsContactsTasksMethod: 'SERVER_SIDE_SYNC' } : { outgoingMethod: 'NONE' };
      await setUpMailbox(hub, admin, mailboxes[user.address], { profileId, username: user.address, password: PASSWORD, configure });
      ok(await hub.gql('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: mailboxes[user.address], input: { trackingFilter: 'FROM_CRM_RECORDS' } }, admin));
    }
    engine = new EngineProcess({
      HUB_API_URL: hub.graphqlUrl,
      HUB_API_KEY: hub.syncServiceKey,
      ENGINE_ID: 'exchange-watch-engine',
      MAX_MAILBOXES: '1',
      IDLE_SECONDS: '300',
      POLL_INTERVAL_MS: '500',
      LEASE_SECONDS: '30',
      WATCH_LEASE_SECONDS: '6',
      RECONCILE_INTERVAL_SECONDS: '3600',
      // A job's own look for CRM writes would come far too late: only the hub's wake-up, through the watcher, can bring them in time.
      EXCHANGE_WRITES_LOOK_SECONDS: '600',
      SEND_BATCH: '0',
    });
  }, 180_000);

  afterAll(async () => {
    engine?.signal('SIGKILL');
    await engine?.exited;
    await hub?.close();
    await ews?.close();
  });

  it('watches every enabled Exchange mailbox, each once, over one streaming connection each', async () => {
    await engine.waitForLine((line) => line.msg === 'push connections open' && line.listening === USERS.length);
    const rows = await watchers();
    expect(rows.map((m) => m.watchEngineId)).toEqual(USERS.map(() => 'exchange-watch-engine'));
    expect(new Set(rows.map((m) => m.watchLeaseId)).size).toBe(USERS.length);
    await eventually(async () => (streamsOpen().every((n) => n === 1) ? true : undefined), WITHIN_MS, 'a streaming connection per mailbox');
  });

  it('syncs mail to each watched Exchange mailbox at once, with one work slot and no notification wait held in it', async () => {
    const from = events.items.length;
    const started = Date.now();
    await Promise.all(USERS.map((user, i) => deliverAndTrack(user.address, contacts[i], `Watched on Exchange ${i} ${uniqueTag()}`, from)));
    expect(Date.now() - started).toBeLessThan(WITHIN_MS);
    // A job waiting in its slot would have opened a second subscription and connection of its own.
    expect(streamsOpen()).toEqual(USERS.map(() => 1));
    expect(ews.requests().filter((r) => r.operation === 'GetEvents')).toEqual([]);
  });

  it('a watched mailbox\'s later syncs follow its folders from the engine\'s kept SyncFolderHierarchy state: one SyncFolderHierarchy, no GetFolder', async () => {
    const sara = USERS[1];
    const from = ews.requests().length;
    await deliverAndTrack(sara.address, contacts[1], `With kept folders ${uniqueTag()}`, events.items.length);
    const calls = ews.requests().slice(from).filter((r) => r.mailbox === sara.address).map((r) => r.operation);
    expect(calls).toContain('SyncFolderHierarchy');
    expect(calls).not.toContain('GetFolder');
  });

  it('a dropped streaming connection is opened again, and mail after it is synced at once', async () => {
    const sara = USERS[1];
    await eventually(async () => (ews.openStreams(sara.address) === 1 ? true : undefined), WITHIN_MS, 'Sara\'s streaming connection');
    const requests = ews.requests().length;
    expect(ews.dropStreams(sara.address)).toBe(1);
    await eventually(async () => (ews.openStreams(sara.address) === 1 && ews.requests().slice(requests).some((r) => r.operation === 'GetStreamingEvents' && r.mailbox === sara.address) ? true : undefined), WITHIN_MS, 'a new streaming connection');
    await deliverAndTrack(sara.address, contacts[1], `After the drop ${uniqueTag()}`, events.items.length);
  });

  it('after Exchange restarts (subscriptions forgotten) the watcher subscribes anew, and mail after it is synced at once', async () => {
    const nora = USERS[2];
    const lines = engine.lines.length;
    const requests = ews.requests().length;
    ews.forgetSubscriptions(nora.address);
    await engine.waitForLine((line) => line.msg === 'push connection closed; reconnecting' && /subscription lost/.test(String(line.reason)), lines);
    await eventually(async () => (ews.openStreams(nora.address) === 1 && ews.requests().slice(requests).some((r) => r.operation === 'Subscribe' && r.mailbox === nora.address) ? true : undefined), WITHIN_MS, 'a new subscription and connection');
    await deliverAndTrack(nora.address, contacts[2], `After the restart ${uniqueTag()}`, events.items.length);
  });

  it('a task Sam makes in the CRM reaches his Exchange Tasks folder within seconds: the hub\'s wake-up goes through the watcher to a work slot', async () => {
    const sam = await hub.login(SAM.address);
    const subject = `${uniqueTag('Watched')} Send the proposal`;
    const started = Date.now();
    ok(await hub.gql('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { subject } }, sam));
    await eventually(async () => ews.tasks(SAM.address).find((t) => t.subject === subject), WITHIN_MS, 'the CRM task in Sam\'s Exchange Tasks folder');
    expect(Date.now() - started).toBeLessThan(WITHIN_MS);
  });
});
