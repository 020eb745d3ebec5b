import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok, uniqueTag } from '../api/gql-helpers';
import { startDovecot, type StartedDovecot } from '../support/dovecot';
import { buildEngine, EngineProcess } from '../support/engine-process';
import { startHub, type StartedHub } from '../support/hub';
import { createProfile, eventually, mailboxStatus, setUpMailbox } from '../support/mailbox-admin';

// A 25 MB message over IMAP and over POP3: the built engine spools it to a file and streams its attachment into
// the hub's blob store as it reads it (never holding it whole); the stored file is the one sent, byte for byte.
// A small message's attachment travels inside its trackEmails item instead, and arrives as intact.

const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
const SARA = { address: 'sara.sales@demo.crm.test', name: 'Sara Säljare' };
const PASSWORD = 'large-secret-1';

/** A drawing set of 18.5 MB by default (random bytes, so nothing compresses it), base64 as mailers send it: 25 MB on the wire. */
function largeMessage(from: string, to: string, subject: string, bytes = 18.5 * 1024 * 1024): { raw: Buffer; attachment: Buffer } {
  const attachment = randomBytes(bytes);
  const head = [
    `From: Contact <${from}>`,
    `To: <${to}>`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${uniqueTag()}@large.example.com>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="LARGE"',
    '',
    '--LARGE',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The drawings are attached.',
    '--LARGE',
    'Content-Type: application/octet-stream; name="drawings.bin"',
    'Content-Disposition: attachment; filename="drawings.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ].join('\r\n');
  const body = attachment.toString('base64').replace(/.{76}/g, '$&\r\n');
  return { raw: Buffer.concat([Buffer.from(head), Buffer.from(body), Buffer.from('\r\n--LARGE--\r\n')]), attachment };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('a 25 MB message and a small one with attachments, built engine against Dovecot, api on MariaDB', () => {
  let hub: StartedHub;
  let dovecot: StartedDovecot;
  let engine: EngineProcess;
  let admin: string;
  let contact: { id: string; primaryEmail: string };
  const mailboxes: Record<string, string> = {};

  const emailWithAttachments = async (subject: string) =>
    eventually(
      async () => {
        const edges = ok(
          await hub.gql(
            'query($id: ID!) { timeline(recordId: $id, first: 50) { edges { node { __typename subject ... on Email { attachments { fileName size sha256 downloadUrl } } } } } }',
            { id: contact.id },
            admin,
          ),
        ).timeline.edges as { node: { subject: string; attachments?: { fileName: string; size: number; sha256: string | null; downloadUrl: string | null }[] } }[];
        return edges.map((e) => e.node).find((n) => n.subject === subject);
      },
      120_000,
      `"${subject}" on the timeline`,
    );

  beforeAll(async () => {
    await buildEngine();
    dovecot = await startDovecot({ users: [SAM, SARA].map((u) => ({ address: u.address, password: PASSWORD })) });
    hub = await startHub({ dialect: 'mariadb' });
    admin = await hub.login(ADMIN);
    ok(await hub.gql('mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { maxAttachmentKb } }', { input: { maxAttachmentKb: 32 * 1024 } }, admin));
    for (const m of ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[]) mailboxes[m.address] = m.id;
    contact = ok(await hub.gql('{ contacts(first: 1) { edges { node { id primaryEmail } } } }', {}, admin)).contacts.edges[0].node;
    const imap = await createProfile(hub, admin, 'Dovecot IMAP', { kind: 'IMAP_SMTP', incomingPort: dovecot.imapPort, outgoingPort: 25 }, { outgoingHost: null, outgoingPort: null, outgoingTls: null });
    const pop = await createProfile(hub, admin, 'Dovecot POP3', { kind: 'POP3_SMTP', incomingPort: dovecot.popPort, outgoingPort: 25 }, { outgoingHost: null, outgoingPort: null, outgoingTls: null });
    await setUpMailbox(hub, admin, mailboxes[SAM.address], { profileId: imap, username: SAM.address, password: PASSWORD, configure: { outgoingMethod: 'NONE' } });
    await setUpMailbox(hub, admin, mailboxes[SARA.address], { profileId: pop, username: SARA.address, password: PASSWORD, configure: { outgoingMethod: 'NONE' } });
    for (const address of [SAM.address, SARA.address]) {
      ok(await hub.gql('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: mailboxes[address], input: { trackingFilter: 'ALL' } }, admin));
    }
    engine = new EngineProcess({ HUB_API_URL: hub.graphqlUrl, HUB_API_KEY: hub.syncServiceKey, ENGINE_ID: 'engine-large', POLL_INTERVAL_MS: '200', LEASE_SECONDS: '20', IDLE_SECONDS: '2', SEND_BATCH: '0' });
    for (const address of [SAM.address, SARA.address]) {
      await eventually(async () => ((await mailboxStatus(hub, admin, mailboxes[address])).state === 'ENABLED' ? true : undefined), 30_000, `${address} to be enabled`);
    }
  }, 180_000);

  afterAll(async () => {
    engine?.signal('SIGKILL');
    await engine?.exited;
    await hub?.close();
    await dovecot?.stop();
  });

  it.each([
    ['IMAP', SAM.address],
    ['POP3', SARA.address],
  ])('stores the attachment of a 25 MB message read over %s intact', async (protocol, address) => {
    const subject = `Drawings over ${protocol} ${uniqueTag()}`;
    const { raw, attachment } = largeMessage(contact.primaryEmail, address, subject);
    expect(raw.length).toBeGreaterThan(25 * 1024 * 1024);
    await dovecot.deliver(address, raw);
    const email = await emailWithAttachments(subject).catch(async (error: unknown) => {
      // What the engine and the mailbox said, for the failure report.
      const status = await mailboxStatus(hub, admin, mailboxes[address]);
      throw new Error(`${String(error)}\nmailbox: ${JSON.stringify(status)}\nengine: ${engine.lines.slice(-15).map((l) => JSON.stringify(l)).join('\n')}`);
    });
    expect(email.attachments).toHaveLength(1);
    const [stored] = email.attachments!;
    expect(stored).toMatchObject({ fileName: 'drawings.bin', size: attachment.length, sha256: sha256(attachment) });
    // The bytes themselves, as a person downloads them.
    const response = await fetch(new URL(stored.downloadUrl!, hub.graphqlUrl), { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(attachment));
    expect((await mailboxStatus(hub, admin, mailboxes[address])).quarantined).toEqual([]);
    expect(engine.lines.filter((l) => l.msg === 'mailbox sync failed')).toEqual([]);
  }, 180_000);

  it.each([
    ['IMAP', SAM.address],
    ['POP3', SARA.address],
  ])('stores the attachment of a 300 KB message read over %s, sent inside its item, intact', async (protocol, address) => {
    const subject = `Offer over ${protocol} ${uniqueTag()}`;
    const { raw, attachment } = largeMessage(contact.primaryEmail, address, subject, 300 * 1024);
    expect(raw.length).toBeLessThan(1024 * 1024);
    await dovecot.deliver(address, raw);
    const email = await emailWithAttachments(subject);
    expect(email.attachments).toEqual([expect.objectContaining({ fileName: 'drawings.bin', size: attachment.length, sha256: sha256(attachment) })]);
    const response = await fetch(new URL(email.attachments![0].downloadUrl!, hub.graphqlUrl), { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(attachment)).toBe(true);
    expect(engine.lines.filter((l) => l.msg === 'mailbox sync failed')).toEqual([]);
  }, 120_000);
});
