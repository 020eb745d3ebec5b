import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../api/src/activities/activity-events';
import { parseGlobalId } from '../../api/src/common/global-id';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import {
  appleMailMessage,
  gmailMessage,
  newsletter,
  outlookMessage,
  outlookThreadIndex,
  outOfOffice,
  thunderbirdMessage,
  threadRoot,
  TRACK_EMAILS,
  type TrackItem,
} from '../support/mail-fixtures';
import { ADMIN, countRows, failed, ok, uniqueTag } from './gql-helpers';

interface Contact {
  id: string;
  fullName: string;
  primaryEmail: string;
}

const EMAIL_FIELDS = `id ... on Email { subject status direction correlationMethod textBody htmlBody preview bodyTruncated blockedRemoteImages
  regarding { __typename ... on Account { id name } ... on Case { id title status } ... on Contact { id fullName } }
  parties { role address resolution record { __typename ... on Contact { id fullName } ... on User { email } ... on Queue { name } } }
  attachments { fileName size stored skippedReason downloadUrl }
  trackingDecision { outcome correlationMethod correlationEvidence steps { step outcome detail } } }`;

describe.each(DIALECTS)('trackEmails on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let sync: string;
  const mailboxes: Record<string, string> = {};
  let contacts: Contact[];
  const events: ActivityEvent[] = [];

  const track = async (mailbox: string, items: TrackItem[], cursor?: string) =>
    ok(await hub.gql(TRACK_EMAILS, { mailboxId: mailboxes[mailbox], input: { items, cursor } }, sync)).trackEmails as {
      cursor: string | null;
      items: { index: number; outcome: string; activityId: string | null; errorCode: string | null; salvaged: string[]; decision: any }[];
    };
  const email = async (id: string, token = admin) => ok(await hub.gql(`query($id: ID!) { node(id: $id) { ${EMAIL_FIELDS} } }`, { id }, token)).node;
  const setMailbox = async (address: string, input: Record<string, unknown>) =>
    ok(await hub.gql('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: mailboxes[address], input }, admin));
  const sam = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
  const sara = { address: 'sara.sales@demo.crm.test', name: 'Sara Säljare' };
  const asContact = (c: Contact) => ({ address: c.primaryEmail, name: c.fullName });

  beforeAll(async () => {
    hub = await startHub({ dialect });
    hub.services.events.subscribe((e) => events.push(e));
    admin = await hub.login(ADMIN);
    sync = hub.syncServiceKey;
    const list = ok(await hub.gql('{ mailboxes { id address } }', {}, sync)).mailboxes as { id: string; address: string }[];
    for (const m of list) mailboxes[m.address] = m.id;
    contacts = ok(await hub.gql('{ contacts(first: 12) { edges { node { id fullName primaryEmail } } } }', {}, admin)).contacts.edges.map((e: any) => e.node);
  }, 120_000);
  afterAll(() => hub?.close());

  it('gives every person a mailbox with Dynamics\' default filter, and only the sync engine may track', async () => {
    expect(Object.keys(mailboxes)).toEqual(expect.arrayContaining([sam.address, sara.address, ADMIN]));
    const own = ok(await hub.gql('{ mailboxes { address trackingFilter privacyLevel owner { email } } }', {}, await hub.login(sam.address))).mailboxes;
    expect(own).toEqual([{ address: sam.address, trackingFilter: 'RESPONSES_TO_CRM_EMAIL', privacyLevel: 'FULL', owner: { email: sam.address } }]);
    failed(await hub.gql(TRACK_EMAILS, { mailboxId: mailboxes[sam.address], input: { items: [] } }, admin), 'FORBIDDEN');
  });

  it('by default tracks only responses to CRM email; FROM_CRM_RECORDS tracks a contact\'s mail and puts it on the contact', async () => {
    const first = outlookMessage({ from: asContact(contacts[0]), to: [sam], subject: `Offer ${uniqueTag()}` });
    const filtered = await track(sam.address, [first]);
    expect(filtered.items[0]).toMatchObject({ outcome: 'FILTERED', activityId: null, decision: { filterReason: 'NOT_A_RESPONSE_TO_CRM_EMAIL' } });

    await setMailbox(sam.address, { trackingFilter: 'FROM_CRM_RECORDS' });
    const again = outlookMessage({ from: asContact(contacts[0]), to: [sam], subject: `Offer ${uniqueTag()}` });
    const result = await track(sam.address, [again]);
    expect(result.items[0].outcome).toBe('TRACKED');
    const tracked = await email(result.items[0].activityId!);
    expect(tracked).toMatchObject({ status: 'RECEIVED', direction: 'INCOMING', correlationMethod: 'NONE', regarding: null });
    expect(tracked.parties).toEqual([
      { role: 'FROM', address: contacts[0].primaryEmail, resolution: 'RESOLVED', record: { __typename: 'Contact', id: contacts[0].id, fullName: contacts[0].fullName } },
      { role: 'TO', address: sam.address, resolution: 'RESOLVED', record: { __typename: 'User', email: sam.address } },
    ]);
    // Sanitized: the tracking pixel does not load, Outlook's conditional comments are gone.
    expect(tracked.htmlBody).not.toMatch(/\ssrc="https:\/\/tracker/);
    expect(tracked.blockedRemoteImages).toBe(1);
    expect(tracked.textBody).toContain('please find our offer');
    // Committed to the live event log: the event names the records whose timelines changed.
    await hub.liveDelivered();
    const event = events.find((e) => e.type === 'ACTIVITY_TRACKED' && e.activityId === parseGlobalId(result.items[0].activityId!)!.id);
    expect(event?.records).toContainEqual({ recordKind: 'contact', recordId: parseGlobalId(contacts[0].id)!.id });
    expect(await countRows(hub, 'activity', `id = '${event!.activityId}'`)).toBe(1);
  });

  it('correlates a Gmail reply through In-Reply-To to the regarding record of the email it answers', async () => {
    const account = ok(await hub.gql('{ accounts(first: 1) { edges { node { id name } } } }', {}, admin)).accounts.edges[0].node;
    const tag = uniqueTag();
    ok(await hub.gql('mutation($m: ID!, $input: FolderTrackingRuleInput!) { setFolderTrackingRule(mailboxId: $m, input: $input) { folder } }', { m: mailboxes[sam.address], input: { folder: `INBOX/${tag}`, regardingId: account.id } }, admin));
    const original = { ...outlookMessage({ from: asContact(contacts[1]), to: [sam], subject: `Pricing ${tag}` }), folder: `INBOX/${tag}` };
    const [filed] = (await track(sam.address, [original])).items;
    expect(filed.decision.correlationMethod).toBe('FOLDER_RULE');
    const reply = gmailMessage({ from: asContact(contacts[2]), to: [sam], subject: `Re: Pricing ${tag}`, inReplyTo: original.messageId!, references: [original.messageId!] });
    const [answered] = (await track(sam.address, [reply])).items;
    expect(answered.outcome).toBe('TRACKED');
    const view = await email(answered.activityId!);
    expect(view.regarding).toEqual({ __typename: 'Account', id: account.id, name: account.name });
    expect(view.correlationMethod).toBe('IN_REPLY_TO');
    expect(view.trackingDecision.correlationEvidence).toContain(original.messageId!.slice(1, 20));
  });

  it('correlates by tracking token in a Swedish "SV:" subject and by Outlook Thread-Index, each recorded with its method', async () => {
    await setMailbox(sara.address, { trackingFilter: 'ALL' });
    const account = ok(await hub.gql('{ accounts(first: 2) { edges { node { id } } } }', {}, admin)).accounts.edges[1].node;
    const tag = uniqueTag();
    ok(await hub.gql('mutation($m: ID!, $input: FolderTrackingRuleInput!) { setFolderTrackingRule(mailboxId: $m, input: $input) { folder } }', { m: mailboxes[sara.address], input: { folder: `Kunder/${tag}`, regardingId: account.id } }, admin));
    const thread = outlookThreadIndex();
    const sent = { ...outlookMessage({ from: sara, to: [asContact(contacts[3])], subject: `Offert ${tag} CRM:0042001`, threadIndex: thread }), folder: `Kunder/${tag}` };
    expect((await track(sara.address, [sent])).items[0].decision.correlationMethod).toBe('FOLDER_RULE');

    const byToken = appleMailMessage({ from: asContact(contacts[3]), to: [sara], subject: `=?UTF-8?Q?SV=3A_Offert_${tag}_CRM=3A0042001?=` });
    const byThread = outlookMessage({ from: asContact(contacts[4]), to: [sara], subject: `VB: helt annat ämne ${tag}`, threadIndex: outlookThreadIndex(threadRoot(thread), 2) });
    const result = await track(sara.address, [byToken, byThread]);
    expect(result.items.map((i) => [i.outcome, i.decision.correlationMethod])).toEqual([
      ['TRACKED', 'TRACKING_TOKEN'],
      ['TRACKED', 'THREAD_INDEX'],
    ]);
    expect((await email(result.items[0].activityId!)).subject).toBe(`SV: Offert ${tag} CRM:0042001`);
    for (const item of result.items) expect((await email(item.activityId!)).regarding.id).toBe(account.id);
  });

  it('a replayed batch changes nothing and reports DUPLICATE; the cursor commits with the batch', async () => {
    const items = [
      thunderbirdMessage({ from: asContact(contacts[5]), to: [sara], subject: `Replay ${uniqueTag()}` }),
      gmailMessage({ from: asContact(contacts[6]), to: [sara], subject: `Replay ${uniqueTag()}` }),
    ];
    const first = await track(sara.address, items, 'uidvalidity=7;uid=101');
    expect(first.cursor).toBe('uidvalidity=7;uid=101');
    const before = await countRows(hub, 'activity');
    const replay = await track(sara.address, items, 'uidvalidity=7;uid=101');
    expect(replay.items.map((i) => i.outcome)).toEqual(['DUPLICATE', 'DUPLICATE']);
    expect(replay.items.map((i) => i.activityId)).toEqual(first.items.map((i) => i.activityId));
    expect(await countRows(hub, 'activity')).toBe(before);
  });

  it('a batch sent with afterCursor commits only after the batch before it: refused with nothing written out of turn, and (MariaDB) waits behind it', async () => {
    await setMailbox(sam.address, { trackingFilter: 'ALL' });
    const mailboxId = mailboxes[sam.address];
    const rawMailboxId = parseGlobalId(mailboxId)!.id;
    const message = (subject: string) => gmailMessage({ from: asContact(contacts[8]), to: [sam], subject: `${subject} ${uniqueTag()}` });
    const cursorNow = async () => ((await hub.database.dataSource.query('SELECT syncCursor FROM mailbox WHERE id = ?', [rawMailboxId])) as { syncCursor: string | null }[])[0].syncCursor;
    const stored = async (item: TrackItem) =>
      Number(((await hub.database.dataSource.query('SELECT COUNT(*) AS n FROM email_message WHERE messageId = ?', [item.messageId!.slice(1, -1)])) as { n: number | string }[])[0].n);
    const send = (items: TrackItem[], cursor: string, afterCursor: string) => hub.gql(TRACK_EMAILS, { mailboxId, input: { items, cursor, afterCursor } }, sync);

    // Out of turn: the batch before (committing "turn-1") has not committed.
    const second = message('Second batch');
    const before = await cursorNow();
    failed(await send([second], 'turn-2', 'turn-1'), 'CONFLICT', 'input.afterCursor');
    expect(await stored(second)).toBe(0);
    expect(await cursorNow()).toBe(before);

    // In turn.
    await track(sam.address, [message('First batch')], 'turn-1');
    const inTurn = ok(await send([second], 'turn-2', 'turn-1')).trackEmails;
    expect(inTurn).toMatchObject({ cursor: 'turn-2', items: [{ outcome: 'TRACKED' }] });
    expect(await cursorNow()).toBe('turn-2');

    if (dialect === 'mariadb') {
      // Sent while the batch before still commits: it waits for the mailbox's row, then reads the cursor that batch committed.
      const runner = hub.database.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query('SELECT id FROM mailbox WHERE id = ? FOR UPDATE', [rawMailboxId]);
        const waiting = send([message('Fourth batch')], 'turn-4', 'turn-3');
        // Committed only once the batch is seen waiting for the row: it must read the cursor committed after it began.
        const waitingForRow = async () =>
          Number(((await hub.database.dataSource.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT syncCursor%FROM mailbox%FOR UPDATE'")) as { n: number | string }[])[0].n);
        for (const deadline = Date.now() + 10_000; (await waitingForRow()) === 0; ) {
          if (Date.now() > deadline) throw new Error('the batch never waited for the mailbox row');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await runner.query('UPDATE mailbox SET syncCursor = ? WHERE id = ?', ['turn-3', rawMailboxId]);
        await runner.commitTransaction();
        expect(ok(await waiting).trackEmails).toMatchObject({ cursor: 'turn-4', items: [{ outcome: 'TRACKED' }] });
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    }
  });

  it('the same message in two mailboxes is one activity linked to both', async () => {
    const message = outlookMessage({ from: asContact(contacts[7]), to: [sam, sara], subject: `Both ${uniqueTag()}` });
    const viaSara = await track(sara.address, [message]);
    const viaSam = await track(sam.address, [{ ...message }]);
    expect(viaSara.items[0].outcome).toBe('TRACKED');
    expect(viaSam.items[0]).toMatchObject({ outcome: 'LINKED', activityId: viaSara.items[0].activityId });
    const raw = (await hub.database.dataSource.query('SELECT COUNT(*) AS n FROM activity_mailbox am JOIN email_message e ON e.activityId = am.activityId WHERE e.messageId = ?', [message.messageId!.slice(1, -1)])) as { n: number | string }[];
    expect(Number(raw[0].n)).toBe(2);
    const seen = ok(await hub.gql(`query($id: ID!) { node(id: $id) { ... on Email { seenIn { mailboxAddress folder } } } }`, { id: viaSam.items[0].activityId }, admin)).node.seenIn;
    expect(seen).toEqual([
      { mailboxAddress: sam.address, folder: 'INBOX' },
      { mailboxAddress: sara.address, folder: 'INBOX' },
    ]);
  });

  it('concurrent batches from two callers over overlapping mailboxes store each message exactly once', async () => {
    await setMailbox(sam.address, { trackingFilter: 'ALL' });
    const shared = Array.from({ length: 20 }, (_, i) => gmailMessage({ from: asContact(contacts[i % contacts.length]), to: [sam, sara], subject: `Concurrent ${i} ${uniqueTag()}` }));
    const results = await Promise.all([track(sam.address, shared), track(sara.address, shared), track(sam.address, shared), track(sara.address, shared)]);
    const ids = shared.map((_, i) => new Set(results.map((r) => r.items[i].activityId)));
    expect(ids.every((set) => set.size === 1 && !set.has(null))).toBe(true);
    const hashes = shared.map((m) => m.messageId!.slice(1, -1));
    const rows = (await hub.database.dataSource.query(`SELECT COUNT(*) AS n FROM email_message WHERE messageId IN (${hashes.map(() => '?').join(',')})`, hashes)) as { n: number | string }[];
    expect(Number(rows[0].n)).toBe(20);
  });

  it('filters blocked domains (with subdomains), auto-replies and bulk mail, counting each reason', async () => {
    ok(await hub.gql('mutation { updateEmailSettings(input: { blockedDomains: ["Spam.Example"] }) { blockedDomains } }', {}, admin));
    const blocked = gmailMessage({ from: { address: 'promo@mail.spam.example' }, to: [sam], subject: 'Buy now' });
    const ooo = outOfOffice({ from: asContact(contacts[8]), to: [sam] });
    const bulk = newsletter({ from: { address: 'news@vendor.example' }, to: [sam] });
    const result = await track(sam.address, [blocked, ooo, bulk]);
    expect(result.items.map((i) => [i.outcome, i.decision.filterReason])).toEqual([
      ['FILTERED', 'BLOCKED'],
      ['FILTERED', 'AUTO_REPLY'],
      ['FILTERED', 'BULK'],
    ]);
    // Not stored, only counted: the dashboard reads the counts per reason.
    const counts = ok(await hub.gql('{ mailboxes { address trackingCounts { outcome reason count } } }', {}, admin)).mailboxes.find((m: any) => m.address === sam.address).trackingCounts;
    for (const reason of ['BLOCKED', 'AUTO_REPLY', 'BULK']) expect(counts).toContainEqual({ outcome: 'FILTERED', reason, count: 1 });
    expect(counts.find((c: any) => c.outcome === 'TRACKED').count).toBeGreaterThan(0);
    expect(await countRows(hub, 'activity', "subject = 'Buy now'")).toBe(0);
  });

  it('salvages malformed items, rejects one whose attachment was never uploaded, and commits the rest', async () => {
    const limit = 1024 * 1024;
    const items: TrackItem[] = [
      { ...gmailMessage({ from: asContact(contacts[9]), to: [sam], subject: 'No id' }), messageId: null },
      { ...gmailMessage({ from: asContact(contacts[9]), to: [sam, { address: 'not an address' }], subject: 'Bad date' }), date: 'Thu, 45 Smarch 2026 25:61:00 +9900', receivedAt: 'yesterday-ish' },
      { ...gmailMessage({ from: asContact(contacts[9]), to: [sam], subject: 'Huge' }), textBody: 'å'.repeat(limit) },
      { ...gmailMessage({ from: asContact(contacts[9]), to: [sam], subject: 'Ghost attachment' }), attachments: [{ fileName: 'offer.pdf', contentType: 'application/pdf', size: 1000, sha256: 'a'.repeat(64) }] },
      { ...gmailMessage({ from: asContact(contacts[9]), to: [sam], subject: 'Too big to store' }), attachments: [{ fileName: 'video.mp4', contentType: 'video/mp4', size: 50 * 1024 * 1024, sha256: null }] },
    ];
    const result = await track(sam.address, items);
    expect(result.items.map((i) => i.outcome)).toEqual(['TRACKED', 'TRACKED', 'TRACKED', 'REJECTED', 'TRACKED']);
    expect(result.items[0].salvaged[0]).toMatch(/^MISSING_MESSAGE_ID/);
    expect(result.items[1].salvaged.map((s) => s.split(':')[0])).toEqual(['INVALID_ADDRESS', 'INVALID_DATE', 'INVALID_DATE']);
    expect(result.items[2].salvaged[0]).toMatch(/^BODY_TRUNCATED/);
    expect(result.items[3]).toMatchObject({ errorCode: 'ATTACHMENT_NOT_UPLOADED', activityId: null });
    const huge = await email(result.items[2].activityId!);
    expect(huge.bodyTruncated).toBe(true);
    expect(Buffer.byteLength(huge.textBody)).toBeLessThanOrEqual(limit);
    expect((await email(result.items[4].activityId!)).attachments).toEqual([{ fileName: 'video.mp4', size: 50 * 1024 * 1024, stored: false, skippedReason: 'TOO_LARGE', downloadUrl: null }]);
    // The same message without an id keys the same way the second time: no duplicate.
    expect((await track(sam.address, [items[0]])).items[0].outcome).toBe('DUPLICATE');
  });

  it('stores an uploaded attachment once however many emails carry it', async () => {
    const content = Buffer.from(`%PDF-1.7 ${uniqueTag()}`.repeat(2000));
    const upload = async () => {
      const response = await fetch(`${hub.url}/blobs`, { method: 'PUT', headers: { authorization: `Bearer ${sync}` }, body: content });
      expect(response.status).toBeLessThan(300);
      return (await response.json()) as { sha256: string };
    };
    const { sha256 } = await upload();
    await upload();
    const attachment = { fileName: 'Offert.pdf', contentType: 'application/pdf', size: content.length, sha256 };
    const result = await track(sam.address, [
      { ...outlookMessage({ from: asContact(contacts[10]), to: [sam], subject: 'PDF 1' }), attachments: [attachment] },
      { ...outlookMessage({ from: asContact(contacts[11]), to: [sam], subject: 'PDF 2' }), attachments: [attachment] },
    ]);
    expect(result.items.map((i) => i.outcome)).toEqual(['TRACKED', 'TRACKED']);
    expect(await countRows(hub, 'blob_content', `sha256 = '${sha256}'`)).toBe(1);
    expect(await countRows(hub, 'activity_attachment', `blobSha256 = '${sha256}'`)).toBe(2);
    const [listed] = (await email(result.items[0].activityId!)).attachments;
    const view = ok(await hub.gql(`{ node(id: "${listed.downloadUrl ? listed.downloadUrl.split('/').pop() : ''}") { __typename ... on Attachment { fileName size stored } } }`, {}, admin)).node;
    expect(view).toEqual({ __typename: 'Attachment', fileName: 'Offert.pdf', size: content.length, stored: true });
  });

  it('stores a file sent inside its item (base64) byte for byte, once however many items carry it, and lists one over the limit unstored', async () => {
    await setMailbox(sam.address, { trackingFilter: 'ALL' });
    const content = Buffer.concat([Buffer.from(`%PDF-1.7 ${uniqueTag()}\n`), Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 7919) % 256))]);
    const attachment = { fileName: 'Ritning.pdf', contentType: 'application/pdf', size: 1, content: content.toString('base64') };
    const result = await track(sam.address, [
      { ...outlookMessage({ from: asContact(contacts[10]), to: [sam], subject: 'Inline 1' }), attachments: [attachment] },
      { ...outlookMessage({ from: asContact(contacts[11]), to: [sam], subject: 'Inline 2' }), attachments: [attachment, { ...attachment, fileName: 'kopia.pdf' }] },
    ]);
    expect(result.items.map((i) => i.outcome)).toEqual(['TRACKED', 'TRACKED']);
    const sha256 = createHash('sha256').update(content).digest('hex');
    expect(await countRows(hub, 'blob_content', `sha256 = '${sha256}'`)).toBe(1);
    expect(await countRows(hub, 'activity_attachment', `blobSha256 = '${sha256}'`)).toBe(3);
    const listed = (await email(result.items[1].activityId!)).attachments;
    // The size is the bytes', not the size the item claimed.
    expect(listed.map((a: any) => [a.fileName, a.size, a.stored, a.skippedReason])).toEqual([
      ['Ritning.pdf', content.length, true, null],
      ['kopia.pdf', content.length, true, null],
    ]);
    const download = await fetch(`${hub.url}${listed[0].downloadUrl}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(content)).toBe(true);

    // Mail that is not tracked stores nothing, not even its files (an upload first would have stored them for the sweep).
    const flyer = Buffer.from(`%PDF-1.7 flyer ${uniqueTag()}`);
    const [filtered] = (await track(sam.address, [{ ...newsletter({ from: { address: 'news@vendor.example' }, to: [sam] }), attachments: [{ fileName: 'flyer.pdf', size: flyer.length, content: flyer.toString('base64') }] }])).items;
    expect(filtered.outcome).toBe('FILTERED');
    expect(await countRows(hub, 'blob_content', `sha256 = '${createHash('sha256').update(flyer).digest('hex')}'`)).toBe(0);

    // Over the organization's limit: listed with its size, nothing stored (as an upload the hub refuses).
    const SETTINGS = 'mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { maxAttachmentKb } }';
    const before = ok(await hub.gql('{ emailSettings { maxAttachmentKb } }', {}, admin)).emailSettings.maxAttachmentKb;
    ok(await hub.gql(SETTINGS, { input: { maxAttachmentKb: 100 } }, admin));
    try {
      const other = Buffer.concat([content, Buffer.from(uniqueTag())]);
      const [big] = (await track(sam.address, [{ ...outlookMessage({ from: asContact(contacts[10]), to: [sam], subject: 'Inline too big' }), attachments: [{ ...attachment, content: other.toString('base64') }] }])).items;
      expect(big.outcome).toBe('TRACKED');
      expect((await email(big.activityId!)).attachments).toEqual([{ fileName: 'Ritning.pdf', size: other.length, stored: false, skippedReason: 'TOO_LARGE', downloadUrl: null }]);
      expect(await countRows(hub, 'blob_content', `sha256 = '${createHash('sha256').update(other).digest('hex')}'`)).toBe(0);
    } finally {
      ok(await hub.gql(SETTINGS, { input: { maxAttachmentKb: before } }, admin));
    }
  });

  it('refuses a file sent inside its item that is not plain base64, over 1 MiB, or given with a sha256, naming the field, and writes nothing of the batch', async () => {
    await setMailbox(sam.address, { trackingFilter: 'ALL' });
    const subject = `Inline refused ${uniqueTag()}`;
    const good = { ...outlookMessage({ from: asContact(contacts[10]), to: [sam], subject }), attachments: [] };
    const file = (content: string, extra: Record<string, unknown> = {}) => ({ ...outlookMessage({ from: asContact(contacts[11]), to: [sam], subject: `${subject} (file)` }), attachments: [{ fileName: 'x.bin', size: 3, content, ...extra }] });
    const refused = async (item: TrackItem, message: RegExp) => {
      const answer = await hub.gql(TRACK_EMAILS, { mailboxId: mailboxes[sam.address], input: { items: [good, item] } }, sync);
      const error = failed(answer, 'BAD_USER_INPUT');
      expect(error.message).toMatch(/^input\.items\[1\]\.attachments\[0\]\.content: /);
      expect(error.message).toMatch(message);
    };
    await refused(file('QUJD\nREVG'), /must be base64/);
    await refused(file('QUJDRA'), /must be base64/); // not padded
    await refused(file('QU=D'), /must be base64/);
    await refused(file('QUJD!!!!'), /must be base64/);
    await refused(file('QUJD', { sha256: 'a'.repeat(64) }), /not both/);
    await refused(file(Buffer.alloc(1024 * 1024 + 1).toString('base64')), /larger than 1048576 bytes/);
    expect(await countRows(hub, 'activity', `subject LIKE '${subject}%'`)).toBe(0);
    // Exactly 1 MiB, and an empty file, are taken.
    const atLimit = file(Buffer.alloc(1024 * 1024, 1).toString('base64'));
    const [taken] = (await track(sam.address, [{ ...atLimit, attachments: [...atLimit.attachments, { fileName: 'empty.txt', size: 0, content: '' }] }])).items;
    expect(taken.outcome).toBe('TRACKED');
    expect((await email(taken.activityId!)).attachments.map((a: any) => [a.fileName, a.size, a.stored])).toEqual([
      ['x.bin', 1024 * 1024, true],
      ['empty.txt', 0, true],
    ]);
  });

  it('email to case: a new conversation to a queue opens a case (creating the contact), a reply lands on it, a reply after resolving reopens it', async () => {
    const tag = uniqueTag().toLowerCase();
    const queue = ok(
      await hub.gql(
        'mutation($input: CreateQueueInput!) { createQueue(input: $input) { id name } }',
        { input: { name: `Support ${tag}`, emailAddress: `support-${tag}@demo.crm.test`, createCaseFromEmail: true, createContactForUnknownSender: true, reopenResolvedWithinHours: 48 } },
        admin,
      ),
    ).createQueue;
    const list = ok(await hub.gql('{ mailboxes { id address } }', {}, sync)).mailboxes as { id: string; address: string }[];
    for (const m of list) mailboxes[m.address] = m.id;
    const support = { address: `support-${tag}@demo.crm.test`, name: queue.name };
    const customer = { address: `kund-${tag}@kund.example`, name: 'Åsa Öberg' };
    const opening = outlookMessage({ from: customer, to: [support], subject: 'Printer on fire' });
    const [opened] = (await track(support.address, [opening])).items;
    const view = await email(opened.activityId!);
    expect(view.regarding).toMatchObject({ __typename: 'Case', title: 'Printer on fire', status: 'ACTIVE' });
    expect(view.correlationMethod).toBe('QUEUE_RULE');
    expect(view.parties[0]).toMatchObject({ role: 'FROM', resolution: 'RESOLVED', record: { __typename: 'Contact', fullName: 'Åsa Öberg' } });
    expect(view.parties[1].record).toEqual({ __typename: 'Queue', name: queue.name });

    const reply = gmailMessage({ from: customer, to: [support], subject: 'RE: Printer on fire', inReplyTo: opening.messageId!, references: [opening.messageId!] });
    const [replied] = (await track(support.address, [reply])).items;
    expect((await email(replied.activityId!)).regarding.id).toBe(view.regarding.id);

    ok(await hub.gql('mutation($id: ID!) { updateCase(id: $id, input: { status: RESOLVED }) { status } }', { id: view.regarding.id }, admin));
    const late = gmailMessage({ from: customer, to: [support], subject: 'RE: Printer on fire', inReplyTo: reply.messageId!, references: [opening.messageId!, reply.messageId!] });
    const [reopened] = (await track(support.address, [late])).items;
    expect(reopened.decision.steps.find((s: any) => s.step === 'QUEUE_RULE')).toMatchObject({ outcome: 'REOPENED' });
    expect((await email(reopened.activityId!)).regarding).toMatchObject({ id: view.regarding.id, status: 'ACTIVE' });
  });

  it('creates a lead for an unknown sender when the mailbox asks for it (off by default), and it resolves from then on', async () => {
    await setMailbox(sara.address, { trackingFilter: 'ALL', autoCreateRecords: 'LEAD' });
    const stranger = { address: `new-${uniqueTag().toLowerCase()}@prospect.example`, name: 'Öberg, Åsa' };
    const first = gmailMessage({ from: stranger, to: [sara], subject: 'Interested in your product' });
    const second = gmailMessage({ from: stranger, to: [sara], subject: 'Following up' });
    const result = await track(sara.address, [first, second]);
    expect(result.items[0].decision.steps.find((s: any) => s.step === 'AUTO_CREATE')).toMatchObject({ outcome: 'CREATED' });
    expect(result.items[1].decision.steps.find((s: any) => s.step === 'AUTO_CREATE')).toBeUndefined();
    const lead = result.items[0].decision.parties[0];
    expect(lead).toMatchObject({ resolution: 'RESOLVED', kind: 'lead' });
    expect(result.items[1].decision.parties[0].recordId).toBe(lead.recordId);
    const created = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Lead { firstName lastName topic emails } } }', { id: lead.recordId }, admin)).node;
    expect(created).toEqual({ firstName: 'Åsa', lastName: 'Öberg', topic: 'Interested in your product', emails: [stranger.address] });
    const timeline = ok(await hub.gql('query($id: ID!) { timeline(recordId: $id) { totalCount } }', { id: lead.recordId }, admin)).timeline;
    expect(timeline.totalCount).toBe(2);
    await setMailbox(sara.address, { autoCreateRecords: 'NONE' });
  });

  it('records an address two contacts share as AMBIGUOUS, without guessing', async () => {
    const tag = uniqueTag().toLowerCase();
    const shared = `shared-${tag}@twins.example`;
    for (const lastName of ['Twin A', 'Twin B']) {
      ok(await hub.gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { lastName, emails: [shared] } }, admin));
    }
    const [item] = (await track(sam.address, [thunderbirdMessage({ from: { address: shared }, to: [sam], subject: `Twins ${tag}` })])).items;
    const sender = item.decision.parties[0];
    expect(sender).toMatchObject({ resolution: 'AMBIGUOUS', kind: null, recordId: null });
    expect(sender.candidates).toHaveLength(2);
  });
});
