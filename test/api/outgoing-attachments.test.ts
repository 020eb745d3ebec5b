import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile, rawId } from '../support/mail-setup';
import { countRows, failed, ok, uniqueTag } from './gql-helpers';

const SEND = `mutation($input: SendEmailInput!) { sendEmail(input: $input) { id status visibleAs attachments { id fileName contentType size sha256 stored } } }`;
const CLAIM = `mutation { claimOutgoingEmails(limit: 100) { emailId leaseId attachments { fileName contentType size sha256 } } }`;
const SETTINGS = `mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { maxAttachmentKb } }`;

describe.each(DIALECTS)('attachments of email sent from the hub on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  const tag = uniqueTag('Att');
  const to = [`buyer.${tag.toLowerCase()}@example.test`];

  const as = (who: string) => (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, who === 'sync' ? hub.syncServiceKey : tokens[who]);
  const send = (who: string, input: Record<string, unknown>) => as(who)(SEND, { input: { to, subject: `${tag} files`, textBody: 'See attached', ...input } });
  /** Uploads through PUT /blobs as `who`; answers the sha256. */
  const upload = async (who: string, body: Buffer): Promise<string> => {
    const response = await fetch(`${hub.url}/blobs`, { method: 'PUT', body, headers: { authorization: `Bearer ${who === 'sync' ? hub.syncServiceKey : tokens[who]}` } });
    expect(response.status).toBe(201);
    return ((await response.json()) as { sha256: string }).sha256;
  };
  const file = (sha256: string, fileName = 'Offert å.pdf', contentType = 'application/pdf') => ({ sha256, fileName, contentType });
  const emails = () => countRows(hub, 'activity', `subject LIKE '${tag}%'`);

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['admin', 'sam.sales', 'sara.sales', 'sven.service']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    const profileId = await insertProfile(hub, { name: `${tag} SMTP`, outgoingHost: 'smtp.example.test', outgoingPort: 2525, incomingHost: 'imap.example.test', incomingPort: 1143, sentFolder: 'Sent Items' });
    const samsMailboxId = ok(await as('sam.sales')('{ mailboxes { id ownerKind } }')).mailboxes.find((m: { ownerKind: string }) => m.ownerKind === 'USER').id;
    await configureMailbox(hub, samsMailboxId, { profileId, username: 'sam', password: 'sam-smtp-password' });
  });
  afterAll(() => hub?.close());

  it('sends files the sender uploaded: the engine claims them by sha256, and the sweep of unreferenced blobs keeps them', async () => {
    const pdf = randomBytes(3000);
    const sha256 = await upload('sam.sales', pdf);
    const notes = await upload('sam.sales', Buffer.from(`notes ${tag}`));
    const email = ok(await send('sam.sales', { attachments: [file(sha256), file(notes, 'Anteckningar.TXT', 'Text/Plain')] })).sendEmail;
    expect(email.attachments).toMatchObject([
      { fileName: 'Offert å.pdf', contentType: 'application/pdf', size: 3000, sha256, stored: true },
      { fileName: 'Anteckningar.TXT', contentType: 'text/plain', size: Buffer.byteLength(`notes ${tag}`), sha256: notes, stored: true },
    ]);
    const claimed = ok(await as('sync')(CLAIM)).claimOutgoingEmails.find((o: { emailId: string }) => o.emailId === email.id);
    expect(claimed.attachments).toEqual([
      { fileName: 'Offert å.pdf', contentType: 'application/pdf', size: 3000, sha256 },
      { fileName: 'Anteckningar.TXT', contentType: 'text/plain', size: Buffer.byteLength(`notes ${tag}`), sha256: notes },
    ]);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(sha256);

    // A day later the uploads no longer hold their blobs, but the email names them.
    await hub.services.blobUploads.collect(new Date(Date.now() + 25 * 3_600_000));
    expect(await countRows(hub, 'blob_content', `sha256 IN ('${sha256}', '${notes}')`)).toBe(2);
    const engine = await fetch(`${hub.url}/blobs/${sha256}`, { headers: { authorization: `Bearer ${hub.syncServiceKey}` } });
    expect(Buffer.from(await engine.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('refuses another user\'s upload, an unknown sha256 and an expired upload with the same words', async () => {
    const saras = await upload('sara.sales', Buffer.from(`Sara's secret ${tag}`));
    const unknown = createHash('sha256').update(`never uploaded ${tag}`).digest('hex');
    const own = await upload('sam.sales', Buffer.from(`own ${tag}`));
    const before = await emails();
    const othersError = failed(await send('sam.sales', { attachments: [file(own), file(saras)] }), 'BAD_USER_INPUT', 'input.attachments[1].sha256');
    const unknownError = failed(await send('sam.sales', { attachments: [file(own), file(unknown)] }), 'BAD_USER_INPUT', 'input.attachments[1].sha256');
    expect(othersError.message).toBe(unknownError.message);
    failed(await send('sam.sales', { attachments: [file('not-a-hash')] }), 'BAD_USER_INPUT', 'input.attachments[0].sha256');

    // The engine's uploads are nobody's: a person cannot send them either.
    const engines = await upload('sync', Buffer.from(`engine ${tag}`));
    expect(failed(await send('sam.sales', { attachments: [file(own), file(engines)] }), 'BAD_USER_INPUT', 'input.attachments[1].sha256').message).toBe(unknownError.message);

    // Once the grace period is over the upload is no longer the sender's to send.
    const old = await upload('sam.sales', Buffer.from(`old ${tag}`));
    await hub.database.dataSource.query(`UPDATE blob_upload SET uploadedAt = '2000-01-01 00:00:00.000' WHERE sha256 = '${old}'`);
    failed(await send('sam.sales', { attachments: [file(old)] }), 'BAD_USER_INPUT', 'input.attachments[0].sha256');
    expect(await emails()).toBe(before);
  });

  it.each([
    ['a path in the name', file('0'.repeat(64), '../../etc/passwd'), 'input.attachments[0].fileName'],
    ['a backslash in the name', file('0'.repeat(64), 'C:\\boot.ini'), 'input.attachments[0].fileName'],
    ['a control character in the name', file('0'.repeat(64), 'a\r\nb.pdf'), 'input.attachments[0].fileName'],
    ['a right-to-left override in the name', file('0'.repeat(64), 'invoice\u202efdp.exe'), 'input.attachments[0].fileName'],
    ['a name too long', file('0'.repeat(64), `${'å'.repeat(252)}.pdf`), 'input.attachments[0].fileName'],
    ['an empty name', file('0'.repeat(64), ' '), 'input.attachments[0].fileName'],
    ['a content type without subtype', file('0'.repeat(64), 'a.pdf', 'pdf'), 'input.attachments[0].contentType'],
    ['a content type too long to store', file('0'.repeat(64), 'a.pdf', `application/${'x'.repeat(200)}`), 'input.attachments[0].contentType'],
    ['a content type with a header injected', file('0'.repeat(64), 'a.pdf', 'text/plain\r\nBcc: x@example.com'), 'input.attachments[0].contentType'],
  ])('refuses %s, naming the field', async (_, attachment, field) => {
    failed(await send('sam.sales', { attachments: [attachment] }), 'BAD_USER_INPUT', field);
  });

  it('refuses more than 20 files, and files together above the organization\'s attachment limit', async () => {
    const sha256 = await upload('sam.sales', randomBytes(1500));
    failed(await send('sam.sales', { attachments: Array.from({ length: 21 }, () => file(sha256)) }), 'BAD_USER_INPUT', 'input.attachments');
    ok(await as('admin')(SETTINGS, { input: { maxAttachmentKb: 2 } }));
    try {
      const before = await emails();
      // Each file is within the limit, together they are not.
      const error = failed(await send('sam.sales', { attachments: [file(sha256, 'one.bin'), file(sha256, 'two.bin')] }), 'BAD_USER_INPUT', 'input.attachments');
      expect(error.message).toContain('2 KB');
      expect(await emails()).toBe(before);
      ok(await send('sam.sales', { attachments: [file(sha256, 'one.bin')] }));
    } finally {
      ok(await as('admin')(SETTINGS, { input: { maxAttachmentKb: 5120 } }));
    }
  });

  it('a forward carries the attachments of an email the sender reads whole, and nothing of one they may not read', async () => {
    const secret = await upload('sam.sales', Buffer.from(`quote for forwarding ${tag}`));
    const original = ok(await send('sam.sales', { attachments: [file(secret, 'Quote.pdf')] })).sendEmail;
    const unknown = createHash('sha256').update(`nothing ${tag}`).digest('hex');
    // Sven (Service unit) may not read Sam's email: its file is refused exactly like one that does not exist.
    const hidden = failed(await send('sven.service', { forwardOfId: original.id, attachments: [file(secret, 'Quote.pdf')] }), 'BAD_USER_INPUT', 'input.attachments[0].sha256');
    const missing = failed(await send('sven.service', { forwardOfId: original.id, attachments: [file(unknown, 'Quote.pdf')] }), 'BAD_USER_INPUT', 'input.attachments[0].sha256');
    expect(hidden.message).toBe(missing.message);
    // A forward names only that email's files, not others' uploads.
    const saras = await upload('sara.sales', Buffer.from(`not attached ${tag}`));
    failed(await send('sam.sales', { forwardOfId: original.id, attachments: [file(saras)] }), 'BAD_USER_INPUT', 'input.attachments[0].sha256');
    failed(await send('sam.sales', { forwardOfId: 'not-an-id', attachments: [file(secret)] }), 'BAD_USER_INPUT', 'input.forwardOfId');

    // Sam forwards his own email's file without uploading it again, after his upload expired.
    await hub.database.dataSource.query(`UPDATE blob_upload SET uploadedAt = '2000-01-01 00:00:00.000' WHERE sha256 = '${secret}'`);
    const forward = ok(await send('sam.sales', { subject: `${tag} FW: quote`, forwardOfId: original.id, attachments: [file(secret, 'Quote.pdf')] })).sendEmail;
    expect(forward.attachments).toMatchObject([{ fileName: 'Quote.pdf', sha256: secret, stored: true }]);
    expect(await countRows(hub, 'activity_attachment', `blobSha256 = '${secret}' AND activityId = '${rawId(forward.id)}'`)).toBe(1);
  });
});
