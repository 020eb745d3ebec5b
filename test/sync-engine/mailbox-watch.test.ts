import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../api/src/activities/activity-events';
import { parseGlobalId } from '../../api/src/common/global-id';
import { Mailbox } from '../../api/src/mail/mailbox.entity';
import { ADMIN, ok, uniqueTag } from '../api/gql-helpers';
import { Arrivals } from '../support/arrivals';
import { startDovecot, type StartedDovecot } from '../support/dovecot';
import { buildEngine, EngineProcess } from '../support/engine-process';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { createProfile, setCredentials, setUpMailbox } from '../support/mailbox-admin';
import { rawId } from '../support/mail-setup';
import { rawMessage } from '../support/raw-mail';

// Push without a work slot: one engine with a single work slot watches three IMAP mailboxes (IDLE outside the
// slot), and mail to each is synced at once. Before the watcher, the slot sat in one mailbox's IDLE for
// IDLE_SECONDS and the other two waited for their poll, which here is a day away.

const USERS = [
  { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' },
  { address: 'sara.sales@demo.crm.test', name: 'Sara Säljare' },
  { address: 'nora.north@demo.crm.test', name: 'Nora North' },
];
const PASSWORD = 'imap-secret-watch';

describe.each(DIALECTS)('mailboxes watched outside the work slots, api on %s', (dialect) => {
  let hub: StartedHub;
  let dovecot: StartedDovecot;
  let engine: EngineProcess;
  let admin: string;
  const mailboxes: Record<string, string> = {};
  let contacts: { id: string; fullName: string; primaryEmail: string }[];
  const events = new Arrivals<ActivityEvent>();

  const watchers = async () =>
    (await hub.database.dataSource.getRepository(Mailbox).find({ select: { id: true, watchEngineId: true, watchLeaseId: true } })).filter((m) => USERS.some((u) => rawId(mailboxes[u.address]) === m.id));

  beforeAll(async () => {
    await buildEngine();
    dovecot = await startDovecot({ users: USERS.map((u) => ({ address: u.address, password: PASSWORD })) });
    hub = await startHub({ dialect });
    hub.services.events.subscribe((e) => events.push(e));
    admin = await hub.login(ADMIN);
    for (const m of ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[]) mailboxes[m.address] = m.id;
    contacts = ok(await hub.gql('{ contacts(first: 3) { edges { node { id fullName primaryEmail } } } }', {}, admin)).contacts.edges.map((e: any) => e.node);
    // Polled once a day: within this test only push brings mail in.
    const profile = await createProfile(hub, admin, 'Dovecot IMAP watched', { kind: 'IMAP_SMTP', incomingPort: dovecot.imapPort, outgoingPort: 1 }, { pollIntervalSeconds: 86_400 });
    for (const user of USERS) {
      await setUpMailbox(hub, admin, mailboxes[user.address], { profileId: profile, username: user.address, password: PASSWORD, configure: { outgoingMethod: 'NONE' } });
      ok(await hub.gql('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: mailboxes[user.address], input: { trackingFilter: 'FROM_CRM_RECORDS' } }, admin));
    }
    engine = new EngineProcess({
      HUB_API_URL: hub.graphqlUrl,
      HUB_API_KEY: hub.syncServiceKey,
      ENGINE_ID: 'watch-engine',
      MAX_MAILBOXES: '1',
      IDLE_SECONDS: '300',
      POLL_INTERVAL_MS: '500',
      LEASE_SECONDS: '30',
      WATCH_LEASE_SECONDS: '6',
      RECONCILE_INTERVAL_SECONDS: '3600',
      SEND_BATCH: '0',
    });
  }, 180_000);

  afterAll(async () => {
    engine?.signal('SIGKILL');
    await engine?.exited;
    await hub?.close();
    await dovecot?.stop();
  });

  it('watches every enabled IMAP mailbox, each once', async () => {
    await engine.waitForLine((line) => line.msg === 'push connections open' && line.listening === USERS.length);
    const rows = await watchers();
    expect(rows.map((m) => m.watchEngineId)).toEqual(USERS.map(() => 'watch-engine'));
    expect(new Set(rows.map((m) => m.watchLeaseId)).size).toBe(USERS.length);
  });

  it('syncs mail to each watched mailbox at once, with one work slot and no IDLE held in it', async () => {
    const from = events.items.length;
    const subjects = USERS.map((user, i) => ({ user, contact: contacts[i], subject: `Watched ${i} ${uniqueTag()}` }));
    for (const { user, contact, subject } of subjects) {
      await dovecot.deliver(user.address, rawMessage({ from: { address: contact.primaryEmail, name: contact.fullName }, to: [user], subject }));
    }
    for (const { contact } of subjects) {
      const { id } = parseGlobalId(contact.id)!;
      await events.find((e) => e.type === 'ACTIVITY_TRACKED' && e.records.some((r) => r.recordId === id), { from, timeoutMs: 20_000, what: `the mail from ${contact.primaryEmail}` });
    }
  });

  it('drops a watch when the mailbox\'s credentials change, and watches it again as configured', async () => {
    const from = engine.lines.length;
    const id = rawId(mailboxes[USERS[0].address]);
    const before = (await watchers()).find((m) => m.id === id)!.watchLeaseId;
    await setCredentials(hub, admin, mailboxes[USERS[0].address], USERS[0].address, PASSWORD);
    await engine.waitForLine((line) => line.msg === 'mailboxes to watch claimed', from);
    await engine.waitForLine((line) => line.msg === 'push connections open' && line.listening === USERS.length, from);
    const after = (await watchers()).find((m) => m.id === id)!;
    expect(after.watchLeaseId).not.toBe(before);
    expect(after.watchEngineId).toBe('watch-engine');
  });
});
