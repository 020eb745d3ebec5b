import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, uniqueTag } from '../api/gql-helpers';
import { buildEngine, EngineProcess } from '../support/engine-process';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { eventually, setUpMailbox } from '../support/mailbox-admin';

// Push both ways while the engine holds an Exchange mailbox (IDLE_SECONDS long, as in production): a change in
// Outlook reaches the CRM through a streaming-notification connection, and a change in the CRM reaches Outlook
// through the hub's exchangeWritesDue wake-up, both while the engine is still in its wait (its own look for CRM
// writes is put off to 10 minutes here) and within the claim that opened the mailbox. The built engine and api against the EWS test server (a
// local HTTP server keeping a mailbox's state and answering SOAP shaped as Microsoft's EWS schema defines it, not
// Exchange itself).

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const PASSWORD = 'exchange-secret-2';
// Less than the pull-notification interval (15 s); the engine's own look for CRM writes is set to 10 minutes below.
const WITHIN_MS = 10_000;

describe.each(DIALECTS)('push between the CRM and Exchange while the engine waits, api on %s', (dialect) => {
  let hub: StartedHub;
  let ews: StartedEwsServer;
  let admin: string;
  let sam: string;
  let engine: EngineProcess;
  let contact: { id: string; fullName: string; primaryEmail: string };

  beforeAll(async () => {
    await buildEngine();
    ews = await startEwsTestServer();
    ews.addUser(SAM.address, { password: PASSWORD });
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    sam = await hub.login(SAM.address);
    const samMailbox = (ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[]).find((m) => m.address === SAM.address)!.id;
    contact = ok(await hub.gql('{ contacts(first: 1) { edges { node { id fullName primaryEmail } } } }', {}, admin)).contacts.edges[0].node;
    const input = { name: `Exchange ${uniqueTag()}`, kind: 'EXCHANGE_EWS', ewsUrl: ews.url, authMethod: 'PASSWORD', pollIntervalSeconds: 5 };
    const profileId = ok(await hub.gql('mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { id } }', { input }, admin)).createEmailServerProfile.id;
    await setUpMailbox(hub, admin, samMailbox, { profileId, username: SAM.address, password: PASSWORD, configure: { appointmentsContactsTasksMethod: 'SERVER_SIDE_SYNC' } });
    engine = new EngineProcess({
      HUB_API_URL: hub.graphqlUrl,
      HUB_API_KEY: hub.syncServiceKey,
      ENGINE_ID: 'ews-push',
      POLL_INTERVAL_MS: '200',
      LEASE_SECONDS: '30',
      IDLE_SECONDS: '600',
      // The wait inside the claim, as when watching is off (with it on, exchange-watch.test.ts covers the same push).
      WATCH_MAILBOXES: '0',
      // The engine's own look for CRM writes would come far too late: only the hub's wake-up can bring the task in time.
      EXCHANGE_WRITES_LOOK_SECONDS: '600',
      RECONCILE_INTERVAL_SECONDS: '0',
      LOG_LEVEL: 'info',
    });
    // Enabled, synced once, and waiting on its streaming connection.
    await eventually(async () => (ews.requests().some((r) => r.operation === 'GetStreamingEvents' && r.mailbox === SAM.address) ? true : undefined), 60_000, 'the engine waiting on a streaming connection');
  }, 180_000);

  afterAll(async () => {
    engine?.signal('SIGKILL');
    await engine?.exited;
    await hub?.close();
    await ews?.close();
  });

  const claims = () => ews.requests().filter((r) => r.operation === 'GetFolder' && r.mailbox === SAM.address).length;

  it('a task made in the CRM reaches Outlook, and a meeting moved in Outlook reaches the CRM, while the engine keeps waiting', async () => {
    const opened = claims();
    const subject = `${uniqueTag('Push')} Send the proposal`;
    const started = Date.now();
    ok(await hub.gql('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { subject } }, sam));
    await eventually(async () => ews.tasks(SAM.address).find((t) => t.subject === subject), WITHIN_MS, 'the CRM task in Sam\'s Exchange Tasks folder');
    expect(Date.now() - started).toBeLessThan(WITHIN_MS);

    const itemId = ews.addCalendarItem(SAM.address, {
      uid: `push-${uniqueTag()}`, subject: 'Pushed review', start: new Date('2027-03-02T09:00:00Z'), end: new Date('2027-03-02T10:00:00Z'),
      organizer: { name: SAM.name, address: SAM.address }, required: [{ name: contact.fullName, address: contact.primaryEmail }],
    });
    const find = async () => ok(await hub.gql('{ activities(first: 5, filter: { kinds: [APPOINTMENT], search: "Pushed review" }) { edges { node { ... on Appointment { id startAt } } } } }', {}, admin)).activities.edges.map((e: any) => e.node)[0];
    await eventually(find, WITHIN_MS, 'the Outlook meeting in the CRM');
    ews.updateCalendarItem(SAM.address, itemId, { start: new Date('2027-03-03T09:00:00Z'), end: new Date('2027-03-03T10:00:00Z'), sequence: 1 });
    const movedAt = Date.now();
    await eventually(async () => ((await find())?.startAt === '2027-03-03T09:00:00.000Z' ? true : undefined), WITHIN_MS, 'the move in the CRM');
    expect(Date.now() - movedAt).toBeLessThan(WITHIN_MS);
    // All of it within the one claim that opened the mailbox: no hand-back and new claim did the work.
    expect(claims()).toBe(opened);
    expect(ews.requests().filter((r) => r.operation === 'GetEvents')).toEqual([]);
  });
});
