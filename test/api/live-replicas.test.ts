import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type StartedHub } from '../support/hub';
import { liveClient, type LiveClient } from '../support/live-client';
import { eventually } from '../support/mailbox-admin';
import { outlookMessage, TRACK_EMAILS } from '../support/mail-fixtures';
import { startRedisServer, type StartedRedisServer } from '../support/redis-server';
import { ADMIN, ok, uniqueTag } from './gql-helpers';

// Two api processes on one MariaDB database with a real Redis between them. The periodic read of the
// event log is set to ten minutes, so what arrives promptly on the other api was woken by Redis.

const CHANGED = `subscription($id: ID!, $after: String) { activityChanged(recordId: $id, after: $after) { cursor change activityId activity { id subject } } }`;

describe('live events across two api processes on MariaDB with Redis', () => {
  let redis: StartedRedisServer;
  let a: StartedHub;
  let b: StartedHub;
  const clients: LiveClient[] = [];
  let contact: { id: string; fullName: string; primaryEmail: string };
  let samToken: string;
  const tag = uniqueTag('Replica');

  const readyz = async (hub: StartedHub) => (await fetch(`${hub.url}/readyz`)).json() as Promise<{ status: string; realtime: { bus: string; ready: boolean } }>;
  const connect = (hub: StartedHub, token: string) => {
    const c = liveClient(hub.url, token);
    clients.push(c);
    return c;
  };
  const task = async (hub: StartedHub, subject: string) =>
    ok(await hub.gql('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { subject: `${tag} ${subject}`, regardingId: contact.id } }, samToken))
      .createTask.id as string;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, LIVE_POLL_MS: '600000' };
    a = await startHub({ dialect: 'mariadb', env });
    b = await startHub({ dialect: 'mariadb', env, sameDatabaseAs: a });
    samToken = await a.login('sam.sales@demo.crm.test');
    contact = ok(await a.gql('{ contacts(first: 20) { edges { node { id fullName primaryEmail businessUnit { name } } } } }', {}, samToken)).contacts.edges
      .map((e: any) => e.node)
      .find((c: any) => c.businessUnit.name === 'Sales' && c.primaryEmail);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await b?.close();
    await a?.close();
    await redis?.stop();
  });

  it('an email tracked through one api reaches a subscriber of the other', async () => {
    expect(await readyz(b)).toMatchObject({ status: 'ready', realtime: { bus: 'redis', ready: true } });
    const admin = await a.login(ADMIN);
    const mailboxes = ok(await a.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[];
    const sam = mailboxes.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    ok(await a.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: FROM_CRM_RECORDS }) { id } }', { id: sam }, admin));
    const cursor = ok(await b.gql('{ liveCursor }', {}, samToken)).liveCursor;
    const sub = connect(b, samToken).subscribe(CHANGED, { id: contact.id, after: cursor });
    const subject = `${tag} question`;
    const message = outlookMessage({ from: { address: contact.primaryEmail, name: contact.fullName }, to: [{ address: 'sam.sales@demo.crm.test', name: 'Sam Sales' }], subject });
    ok(await a.gql(TRACK_EMAILS, { mailboxId: sam, input: { items: [message] } }, a.syncServiceKey));
    const [event] = await sub.waitFor(1);
    expect(event.data.activityChanged).toMatchObject({ change: 'TRACKED', activity: { subject } });
    sub.dispose();
  });

  it('a user disabled through one api is cut off on the other at once (its credential cache is dropped over Redis)', async () => {
    const admin = await a.login(ADMIN);
    const users = ok(await a.gql('{ users { id email } }', {}, admin)).users as { id: string; email: string }[];
    const sara = users.find((u) => u.email === 'sara.sales@demo.crm.test')!.id;
    const token = await b.login('sara.sales@demo.crm.test');
    const c = connect(b, token);
    const sub = c.subscribe(CHANGED, { id: contact.id, after: ok(await b.gql('{ liveCursor }', {}, token)).liveCursor });
    await task(a, 'seen by sara');
    await sub.waitFor(1);
    ok(await a.gql('mutation($u: ID!) { setUserDisabled(userId: $u, disabled: true) { id } }', { u: sara }, admin));
    try {
      expect((await c.closed()).code).toBe(4401);
    } finally {
      ok(await a.gql('mutation($u: ID!) { setUserDisabled(userId: $u, disabled: false) { id } }', { u: sara }, admin));
    }
  });

  it('Redis restarted mid-stream: queries keep working, /readyz says so, and no event is lost for a live or a resuming client', async () => {
    const cursor = ok(await b.gql('{ liveCursor }', {}, samToken)).liveCursor;
    const live = connect(b, samToken).subscribe(CHANGED, { id: contact.id, after: cursor });
    const leaving = connect(b, samToken);
    const resumed = leaving.subscribe(CHANGED, { id: contact.id, after: cursor });
    const first = await task(a, 'before the outage');
    await live.waitFor(1);
    const [seen] = await resumed.waitFor(1);
    await leaving.dispose();

    await redis.stop();
    await eventually(async () => ((await readyz(b)).realtime.ready ? undefined : true), 10_000, 'b to notice Redis is down');
    expect(await readyz(b)).toMatchObject({ status: 'degraded', realtime: { bus: 'redis', ready: false } });
    const during = [await task(a, 'during the outage 1'), await task(a, 'during the outage 2')];
    await redis.start();

    // The live client gets the outage's events once b reconnects and reads the log.
    const events = await live.waitFor(3, 20_000);
    expect(events.map((m) => m.data.activityChanged.activityId)).toEqual([first, ...during]);
    // The client that left resumes from its last cursor and receives what it missed, once, in order.
    const back = connect(b, samToken).subscribe(CHANGED, { id: contact.id, after: seen.data.activityChanged.cursor });
    const replayed = await back.waitFor(2);
    expect(replayed.map((m) => m.data.activityChanged.activityId)).toEqual(during);
    const after = await task(a, 'after the outage');
    expect((await back.waitFor(3))[2].data.activityChanged.activityId).toBe(after);
    expect((await live.waitFor(4))[3].data.activityChanged.activityId).toBe(after);
    await eventually(async () => ((await readyz(b)).realtime.ready ? true : undefined), 10_000, 'b to report realtime ready again');
  });
});
