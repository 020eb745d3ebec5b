import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, uniqueTag } from '../api/gql-helpers';
import { startDovecot, type StartedDovecot } from '../support/dovecot';
import { buildEngine, EngineProcess } from '../support/engine-process';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { createProfile, eventually, mailboxStatus, setUpMailbox } from '../support/mailbox-admin';
import { rawMessage } from '../support/raw-mail';

// A message whose body is larger than the hub takes in one request must not stall its mailbox: the built engine
// cuts the body to the organization's limit (the hub records BODY_TRUNCATED), or, when even that is too large for
// the hub, quarantines it with its reason; the messages around it sync, and the mailbox never backs off.

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const PASSWORD = 'imap-secret-1';
const HUB_REQUEST_MB = 2; // the api's SYNC_MAX_REQUEST_MB; the engine is not told (HUB_MAX_REQUEST_MB stays 32)

/** About 3 MB of text that grows when escaped as JSON (quotes, line breaks). */
const hugeText = () => 'She said "this is big" and went on.\r\n'.repeat(85_000);

describe.each(DIALECTS)('oversized messages, built engine against Dovecot, api on %s', (dialect) => {
  let hub: StartedHub;
  let dovecot: StartedDovecot;
  let engine: EngineProcess;
  let admin: string;
  let mailboxId: string;
  let contacts: { id: string; primaryEmail: string }[];

  const emailsOn = async (contactId: string) =>
    ok(
      await hub.gql('query($id: ID!) { timeline(recordId: $id, first: 50) { edges { node { __typename subject ... on Email { bodyTruncated } } } } }', { id: contactId }, admin),
    ).timeline.edges.map((e: any) => e.node) as { __typename: string; subject: string; bodyTruncated: boolean }[];
  const setMaxBodyKb = async (maxBodyKb: number) =>
    ok(await hub.gql('mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { maxBodyKb } }', { input: { maxBodyKb } }, admin));
  /** Delivers a normal message, the huge one and another normal one, in this order. */
  const deliverThree = async (from: string, tag: string) => {
    for (const [subject, text] of [[`${tag} before`], [`${tag} huge`, hugeText()], [`${tag} after`]] as const) {
      await dovecot.deliver(SAM.address, rawMessage({ from: { address: from }, to: [SAM], subject, text }));
    }
  };
  const samHealthy = async () => {
    const sam = await mailboxStatus(hub, admin, mailboxId);
    expect(sam).toMatchObject({ state: 'ENABLED', failureCount: 0 }); // never backed off over the big message
    return sam;
  };

  beforeAll(async () => {
    await buildEngine();
    dovecot = await startDovecot({ users: [{ address: SAM.address, password: PASSWORD }] });
    hub = await startHub({ dialect, env: { SYNC_MAX_REQUEST_MB: String(HUB_REQUEST_MB) } });
    admin = await hub.login(ADMIN);
    mailboxId = (ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[]).find((m) => m.address === SAM.address)!.id;
    contacts = ok(await hub.gql('{ contacts(first: 2) { edges { node { id primaryEmail } } } }', {}, admin)).contacts.edges.map((e: any) => e.node);
    const profile = await createProfile(hub, admin, 'Dovecot IMAP', { kind: 'IMAP_SMTP', incomingPort: dovecot.imapPort, outgoingPort: 25 }, { outgoingHost: null, outgoingPort: null, outgoingTls: null });
    await setUpMailbox(hub, admin, mailboxId, { profileId: profile, username: SAM.address, password: PASSWORD, configure: { outgoingMethod: 'NONE' } });
    ok(await hub.gql('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: mailboxId, input: { trackingFilter: 'FROM_CRM_RECORDS' } }, admin));
    engine = new EngineProcess({
      HUB_API_URL: hub.graphqlUrl,
      HUB_API_KEY: hub.syncServiceKey,
      ENGINE_ID: 'engine-oversized',
      POLL_INTERVAL_MS: '200',
      LEASE_SECONDS: '10',
      IDLE_SECONDS: '2',
      SEND_BATCH: '0',
    });
    await eventually(async () => ((await mailboxStatus(hub, admin, mailboxId)).state === 'ENABLED' ? true : undefined), 30_000, 'the mailbox to be enabled');
  }, 180_000);

  afterAll(async () => {
    engine?.signal('SIGKILL');
    await engine?.exited;
    await hub?.close();
    await dovecot?.stop();
  });

  it('tracks a huge body cut to the organization\'s limit, marked truncated, with the messages around it', async () => {
    const contact = contacts[0];
    const tag = `Cut ${uniqueTag()}`;
    await deliverThree(contact.primaryEmail, tag);
    const emails = await eventually(async () => {
      const mine = (await emailsOn(contact.id)).filter((e) => e.subject.startsWith(tag));
      return mine.length === 3 ? mine : undefined;
    }, 40_000, 'all three messages on the timeline');
    expect(emails.find((e) => e.subject === `${tag} huge`)).toMatchObject({ __typename: 'Email', bodyTruncated: true });
    expect(emails.filter((e) => e.bodyTruncated)).toHaveLength(1);
    await samHealthy();
  });

  it('quarantines, with its reason, a message too large for the hub even cut, and syncs the ones after it', async () => {
    await setMaxBodyKb(HUB_REQUEST_MB * 1024); // bodies the hub keeps whole no longer fit in its requests
    // The limit travels with each claim: wait until the claim from before the change has been handed back.
    const seen = engine.lines.length;
    await engine.waitForLine((l) => l.msg === 'mailbox sync finished' && engine.lines.indexOf(l) >= seen);
    const contact = contacts[1];
    const tag = `Refused ${uniqueTag()}`;
    await deliverThree(contact.primaryEmail, tag);
    const sam = await eventually(async () => {
      const status = await mailboxStatus(hub, admin, mailboxId);
      // The alert is written in the quarantine's transaction, but one query reads the two lists apart: wait for both.
      const both = status.quarantined.some((q: any) => q.subject === `${tag} huge`) && status.alerts.some((a: any) => a.code === 'MESSAGE_QUARANTINED');
      return both ? status : undefined;
    }, 40_000, 'the huge message to be quarantined, with its alert');
    expect(sam.quarantined.find((q: any) => q.subject === `${tag} huge`)).toMatchObject({ code: 'TOO_LARGE', reason: expect.stringMatching(/too large to track/), fromAddress: contact.primaryEmail });
    expect(sam.alerts).toContainEqual(expect.objectContaining({ code: 'MESSAGE_QUARANTINED' }));
    const subjects = await eventually(async () => {
      const mine = (await emailsOn(contact.id)).map((e) => e.subject).filter((s) => s.startsWith(tag));
      return mine.length === 2 ? mine : undefined;
    }, 15_000, 'the messages around it on the timeline');
    expect(subjects.sort()).toEqual([`${tag} after`, `${tag} before`]);
    await samHealthy();
    expect(engine.lines.filter((l) => l.msg === 'mailbox sync failed')).toEqual([]);
  });
});
