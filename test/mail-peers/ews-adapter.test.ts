import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEwsAct, checkEwsIncoming } from '../../sync-engine/src/mail/ews/ews-check.js';
import { EwsSender } from '../../sync-engine/src/mail/ews/ews-sender.js';
import { EwsServices, type EwsAccount } from '../../sync-engine/src/mail/ews/ews-service.js';
import { EwsSource, type EwsTrackedFolder } from '../../sync-engine/src/mail/ews/ews-source.js';
import { MailError } from '../../sync-engine/src/mail/mail-error.js';
import type { FetchedBatch, FetchOptions, InventoryItem, RawMessage } from '../../sync-engine/src/mail/mail-source.js';
import { checkEwsDocument } from '../support/ews/ews-schema.js';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server.js';
import { rawMessage } from './raw-messages.js';

// The engine's Exchange adapter (ews-javascript-api) against the EWS test server: a local HTTP server keeping a
// mailbox's state and answering SOAP shaped as Microsoft's EWS schema defines it. Not Exchange itself, which
// cannot run here.

const OPTIONS: FetchOptions = { batchSize: 50, maxBatchBytes: 8 * 1024 * 1024, notBefore: null, resyncFrom: null };
const SERVICE = 'svc-crm@corp.test';

let ews: StartedEwsServer;
let services: EwsServices;
let users = 0;

const account = (address: string, password: string, impersonate: string | null = null): EwsAccount => ({
  address: impersonate ?? address,
  connection: { url: ews.url, impersonateAddress: impersonate, allowInvalidCertificates: false, maxConnections: 4 },
  credentials: { method: 'PASSWORD', username: address, password },
});
const freshUser = () => {
  const address = `user${++users}@corp.test`;
  ews.addUser(address, { password: `pw-${users}` });
  return { address, password: `pw-${users}` };
};
const byPath = (...paths: string[]) => paths.map((path) => ({ path, folderId: null }));
const source = (acct: EwsAccount, tracked: EwsTrackedFolder[] = []) => new EwsSource({ services, account: acct, folders: { sent: null, tracked }, pullIntervalMs: 50 });

async function readAll(src: EwsSource, cursor: string | null, options = OPTIONS): Promise<{ batches: FetchedBatch[]; cursor: string | null }> {
  const batches: FetchedBatch[] = [];
  for await (const batch of src.fetchNew(cursor, options)) batches.push(batch);
  return { batches, cursor: batches.at(-1)?.cursor ?? cursor };
}
const subjects = (batches: FetchedBatch[]) => batches.flatMap((b) => b.messages.map((m) => /^Subject: (.*)$/m.exec(m.source.toString('utf8'))?.[1]));

beforeAll(async () => {
  ews = await startEwsTestServer();
  services = new EwsServices({ timeoutMs: 10_000, maxBackOffMs: 2_000 });
  ews.addUser(SERVICE, { password: 'svc-pw', canImpersonate: true });
});

afterAll(async () => {
  await ews?.close();
});

describe('EWS adapter against the schema-faithful EWS test server (not Exchange)', () => {
  it('reads Inbox and Sent Items with SyncFolderItems and GetItem MIME, then only what came since its cursor', async () => {
    const user = freshUser();
    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'First', messageId: 'first@corp.test' }).raw, { receivedAt: new Date('2026-12-01T10:00:00Z') });
    ews.deliver(user.address, 'sentitems', rawMessage({ subject: 'Sent one', messageId: 'sent-one@corp.test' }).raw, { receivedAt: new Date('2026-12-01T11:00:00Z') });
    const src = source(account(user.address, user.password));
    await src.open();
    const first = await readAll(src, null);
    expect(subjects(first.batches).sort()).toEqual(['First', 'Sent one']);
    const roles = first.batches.flatMap((b) => b.messages.map((m) => m.role)).sort();
    expect(roles).toEqual(['INBOX', 'SENT']);
    expect(first.batches[0].messages.every((m) => m.sourceRef.startsWith('ews:'))).toBe(true);

    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'Second', messageId: 'second@corp.test' }).raw);
    const next = await readAll(src, first.cursor);
    expect(subjects(next.batches)).toEqual(['Second']);
    const nothing = await readAll(src, next.cursor);
    expect(subjects(nothing.batches)).toEqual([]);
    await src.close();
  });

  it('pages through a folder of more than 512 changes without losing or repeating a message', async () => {
    const user = freshUser();
    for (let i = 0; i < 600; i++) ews.deliver(user.address, 'inbox', rawMessage({ subject: `Bulk ${i}`, messageId: `bulk-${i}@corp.test` }).raw);
    const src = source(account(user.address, user.password));
    await src.open();
    const { batches } = await readAll(src, null, { ...OPTIONS, batchSize: 100 });
    const seen = subjects(batches);
    expect(seen).toHaveLength(600);
    expect(new Set(seen).size).toBe(600);
    expect(ews.requests().filter((r) => r.operation === 'SyncFolderItems' && r.mailbox === user.address).length).toBeGreaterThanOrEqual(3);
    await src.close();
  });

  it('reads a batch of large messages in several GetItem calls of about 2 MB each, whole and in order, under the batch\'s one cursor', async () => {
    const user = freshUser();
    const line = 'x'.repeat(998);
    const sizes = [900, 700, 1200, 300, 1500, 10]; // KB of body each: 4.5 MB in all
    sizes.forEach((kb, i) =>
      ews.deliver(user.address, 'inbox', rawMessage({ subject: `Large ${i}`, messageId: `large-${i}@corp.test`, body: Array.from({ length: kb }, () => line) }).raw, {
        receivedAt: new Date(Date.UTC(2026, 11, 1, 10, i)),
      }),
    );
    const src = source(account(user.address, user.password));
    await src.open();
    const before = ews.requests().filter((r) => r.operation === 'GetItem' && r.mailbox === user.address).length;
    const { batches } = await readAll(src, null, { ...OPTIONS, batchSize: 50, maxBatchBytes: 8 * 1024 * 1024 });
    const inbox = batches.filter((b) => b.messages.length > 0);
    expect(inbox).toHaveLength(1); // one batch, so one cursor to commit
    expect(subjects(inbox)).toEqual(sizes.map((_, i) => `Large ${i}`));
    expect(inbox[0].messages.map((m) => Math.floor(m.source.length / 1000))).toEqual(sizes); // whole: each body's 1,000-byte lines, and a header
    const calls = ews.requests().filter((r) => r.operation === 'GetItem' && r.mailbox === user.address).length - before;
    expect(calls).toBeGreaterThanOrEqual(3);
    await src.close();
  });

  it('starts a folder again when Exchange refuses its SyncState (ErrorInvalidSyncStateData), and skips an item deleted before GetItem', async () => {
    const user = freshUser();
    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'Kept', messageId: 'kept@corp.test' }).raw);
    const src = source(account(user.address, user.password));
    await src.open();
    const first = await readAll(src, null);
    expect(subjects(first.batches)).toEqual(['Kept']);
    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'After reset', messageId: 'after@corp.test' }).raw);
    ews.failNext('SyncFolderItems', 'InvalidSyncState');
    const again = await readAll(src, first.cursor);
    // Read from the start: the hub drops what it already has by Message-ID and sourceRef.
    expect(subjects(again.batches).sort()).toEqual(['After reset', 'Kept']);

    const gone = ews.deliver(user.address, 'inbox', rawMessage({ subject: 'Gone', messageId: 'gone@corp.test' }).raw);
    const listed: InventoryItem[] = [];
    for await (const items of src.inventory(null)) listed.push(...items);
    const refOf = (messageId: string) => listed.find((item) => item.messageId === messageId)!.sourceRef;
    // Listed, then deleted before GetItem asks for it: ErrorItemNotFound skips it, and the others are still read.
    ews.deleteItem(user.address, gone);
    const read: RawMessage[] = [];
    for await (const message of src.fetchRefs([refOf('gone@corp.test'), refOf('kept@corp.test')])) read.push(message);
    expect(read.map((m) => /^Subject: (.*)$/m.exec(m.source.toString('utf8'))?.[1])).toEqual(['Kept']);
    const after = await readAll(src, again.cursor);
    expect(subjects(after.batches)).toEqual([]);
    await src.close();
  });

  it('reads a tracked folder under the Inbox, and lists the server\'s folders for the folder picker', async () => {
    const user = freshUser();
    ews.createFolder(user.address, 'Inbox', 'Customers');
    ews.createFolder(user.address, 'Inbox/Customers', 'Contoso');
    ews.deliver(user.address, 'Inbox/Customers/Contoso', rawMessage({ subject: 'Filed', messageId: 'filed@corp.test' }).raw);
    const src = source(account(user.address, user.password), byPath('Inbox/Customers/Contoso'));
    await src.open();
    expect(src.serverFolders.map((folder) => folder.path)).toEqual(expect.arrayContaining(['Inbox', 'Inbox/Customers', 'Inbox/Customers/Contoso', 'Sent Items']));
    // Each with its FolderId, and whether it lies below the Inbox (Exchange folder tracking takes only those).
    const listed = new Map(src.serverFolders.map((folder) => [folder.path, folder]));
    expect(listed.get('Inbox/Customers/Contoso')).toMatchObject({ underInbox: true, folderId: expect.stringMatching(/^[A-Za-z0-9+/=]{20,}$/) });
    expect(listed.get('Inbox')?.underInbox).toBe(false);
    expect(listed.get('Sent Items')?.underInbox).toBe(false);
    const { batches } = await readAll(src, null);
    const filed = batches.flatMap((b) => b.messages).find((m) => m.source.toString('utf8').includes('Subject: Filed'));
    expect(filed).toMatchObject({ role: 'TRACKED', folder: 'Inbox/Customers/Contoso' });
    await src.close();
  });

  it('follows a tracked folder by its FolderId when it is renamed or moved, keeping its SyncState, and a deleted one leaves the rest readable', async () => {
    const user = freshUser();
    const acct = account(user.address, user.password);
    ews.createFolder(user.address, 'Inbox', 'Projects');
    const folderId = ews.createFolder(user.address, 'Inbox', 'Contoso');
    ews.deliver(user.address, 'Inbox/Contoso', rawMessage({ subject: 'Before the rename', messageId: 'before@corp.test' }).raw);
    const first = source(acct, [{ path: 'Inbox/Contoso', folderId }]);
    await first.open();
    const read = await readAll(first, null);
    expect(subjects(read.batches)).toEqual(['Before the rename']);
    await first.close();

    // Renamed, then dragged under another folder in Outlook: the same FolderId under a new path.
    ews.renameFolder(user.address, 'Inbox/Contoso', 'Contoso AB');
    ews.moveFolder(user.address, 'Inbox/Contoso AB', 'Inbox/Projects');
    ews.deliver(user.address, 'Inbox/Projects/Contoso AB', rawMessage({ subject: 'After the move', messageId: 'after@corp.test' }).raw);
    const second = source(acct, [{ path: 'Inbox/Contoso', folderId }]);
    await second.open();
    expect(second.missingFolders).toEqual([]);
    expect(second.folders.find((folder) => folder.id === folderId)).toMatchObject({ path: 'Inbox/Projects/Contoso AB', role: 'TRACKED' });
    const again = await readAll(second, read.cursor);
    // Its SyncState went with it: only the new message, filed under the folder's new path; the cursor keeps one entry.
    expect(again.batches.flatMap((b) => b.messages).map((m) => [m.folder, /^Subject: (.*)$/m.exec(m.source.toString('utf8'))?.[1]])).toEqual([['Inbox/Projects/Contoso AB', 'After the move']]);
    expect(Object.keys(JSON.parse(again.cursor!).folders).sort()).toEqual(['Inbox', 'Inbox/Projects/Contoso AB', 'Sent Items']);
    await second.close();

    // Deleted for good: Inbox and Sent Items still sync, and the folder report no longer lists it.
    ews.deleteFolder(user.address, 'Inbox/Projects/Contoso AB', { hard: true });
    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'Inbox still read', messageId: 'inbox@corp.test' }).raw);
    const third = source(acct, [{ path: 'Inbox/Projects/Contoso AB', folderId }]);
    await third.open();
    expect(third.missingFolders).toEqual(['Inbox/Projects/Contoso AB']);
    expect(subjects((await readAll(third, again.cursor)).batches)).toEqual(['Inbox still read']);
    expect(third.serverFolders.some((folder) => folder.folderId === folderId)).toBe(false);
    await third.close();

    // Deleted between the listing and SyncFolderItems (ErrorFolderNotFound): that folder is skipped, the rest is read.
    const lateId = ews.createFolder(user.address, 'Inbox', 'Late');
    const fourth = source(acct, [{ path: 'Inbox/Late', folderId: lateId }]);
    await fourth.open();
    ews.deleteFolder(user.address, 'Inbox/Late', { hard: true });
    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'Read despite the race', messageId: 'race@corp.test' }).raw);
    expect(subjects((await readAll(fourth, null)).batches)).toContain('Read despite the race');
    await fourth.close();
  });

  it('sends with CreateItem SendAndSaveCopy: the hub\'s Message-ID, In-Reply-To and References go out unchanged, Bcc only in the envelope, and hasSent finds it', async () => {
    const user = freshUser();
    const sender = new EwsSender({ services, account: account(user.address, user.password) });
    const raw = Buffer.from(
      [
        `From: ${user.address}`,
        'To: customer@example.test',
        'Bcc: boss@corp.test',
        'Subject: Proposal',
        'Message-ID: <proposal-1@crm.test>',
        'In-Reply-To: <question@example.test>',
        'References: <question@example.test>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Please find the proposal.',
        '',
      ].join('\r\n'),
    );
    const receipt = await sender.send({ from: user.address, recipients: ['customer@example.test', 'boss@corp.test'], raw });
    expect(receipt.accepted).toEqual(['customer@example.test', 'boss@corp.test']);
    const [sent] = ews.sent(user.address);
    expect(sent.savedCopy).toBe(true);
    expect([...sent.recipients].sort()).toEqual(['boss@corp.test', 'customer@example.test']);
    const text = sent.mime.toString('utf8');
    expect(text).toContain('Message-ID: <proposal-1@crm.test>');
    expect(text).toContain('In-Reply-To: <question@example.test>');
    expect(ews.items(user.address, 'sentitems').map((i) => i.messageId)).toEqual(['<proposal-1@crm.test>']);
    expect(await sender.hasSent('proposal-1@crm.test')).toBe(true);
    expect(await sender.hasSent('<never-sent@crm.test>')).toBe(false);
    expect((await sender.check()).ok).toBe(true);
  });

  it('Test & Enable checks each channel and says why one fails: a wrong password, a missing tracked folder', async () => {
    const user = freshUser();
    expect(await checkEwsIncoming(services, account(user.address, user.password), { sent: null, tracked: [] })).toMatchObject({ ok: true });
    expect(await checkEwsAct(services, account(user.address, user.password))).toMatchObject({ ok: true });
    const wrong = await checkEwsIncoming(services, account(user.address, 'wrong-password'), { sent: null, tracked: [] });
    expect(wrong).toMatchObject({ ok: false, code: 'AUTH_FAILED' });
    const missing = await checkEwsIncoming(services, account(user.address, user.password), { sent: null, tracked: byPath('Inbox/Nowhere') });
    expect(missing).toMatchObject({ ok: false });
    expect(missing.ok === false && missing.reason).toMatch(/Inbox\/Nowhere/);
  });

  it('acts as a mailbox through impersonation when the service account may, and says so when it may not', async () => {
    const user = freshUser();
    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'Impersonated read', messageId: 'imp@corp.test' }).raw);
    const src = source(account(SERVICE, 'svc-pw', user.address));
    await src.open();
    expect(subjects((await readAll(src, null)).batches)).toEqual(['Impersonated read']);
    await src.close();
    expect(ews.requests().some((r) => r.account === SERVICE && r.mailbox === user.address)).toBe(true);

    const other = freshUser();
    const denied = await checkEwsIncoming(services, account(user.address, user.password, other.address), { sent: null, tracked: [] });
    expect(denied).toMatchObject({ ok: false });
    expect(denied.ok === false && denied.reason).toMatch(/imperson/i);
  });

  it('signs in with NTLM (NTLMv2 on one connection, as IIS in front of Exchange wants it), as DOMAIN\\user or by address; a wrong NTLM password is AUTH_FAILED', async () => {
    const user = freshUser();
    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'Over NTLM', messageId: 'ntlm@corp.test' }).raw);
    const ntlm = (username: string, password: string): EwsAccount => ({ ...account(user.address, password), credentials: { method: 'NTLM', username, password } });
    for (const username of [`CORP\\${user.address.split('@')[0]}`, user.address]) {
      const from = ews.requests().length;
      const src = source(ntlm(username, user.password));
      await src.open();
      expect(subjects((await readAll(src, null)).batches)).toEqual(['Over NTLM']);
      await src.close();
      // Every operation ran signed in as the user, and nothing went by Basic.
      const answered = ews.requests().slice(from).filter((r) => r.operation !== 'unknown');
      expect(answered.length).toBeGreaterThan(2);
      expect(answered.every((r) => r.account === user.address)).toBe(true);
    }
    const refused = source(ntlm(`CORP\\${user.address.split('@')[0]}`, 'not-the-password'));
    await expect(refused.open()).rejects.toSatisfy((error: unknown) => error instanceof MailError && error.code === 'AUTH_FAILED');
  });

  it('waits as asked when Exchange is busy (ErrorServerBusy with BackOffMilliseconds), and a refused sign-in is AUTH_FAILED', async () => {
    const user = freshUser();
    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'After the wait', messageId: 'wait@corp.test' }).raw);
    const src = source(account(user.address, user.password));
    await src.open();
    ews.failNext('SyncFolderItems', 'ServerBusy', { backOffMs: 200 });
    const started = Date.now();
    expect(subjects((await readAll(src, null)).batches)).toEqual(['After the wait']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    await src.close();

    const refused = source(account(user.address, 'not-the-password'));
    await expect(refused.open()).rejects.toSatisfy((error: unknown) => error instanceof MailError && error.code === 'AUTH_FAILED');
  });

  it('a connection dropped mid-response is a temporary failure, and the next read loses nothing', async () => {
    const user = freshUser();
    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'Survives the drop', messageId: 'drop@corp.test' }).raw);
    const src = source(account(user.address, user.password));
    await src.open();
    ews.failNext('GetItem', 'DropConnection');
    await expect(readAll(src, null)).rejects.toSatisfy((error: unknown) => error instanceof MailError && error.code !== 'AUTH_FAILED');
    expect(subjects((await readAll(src, null)).batches)).toEqual(['Survives the drop']);
    await src.close();
  });

  it('opening asks the well-known folders and the folder tree side by side; any one of them refused or dropped fails the open with its own code, and the next open resolves every folder', async () => {
    const cases: [string, Parameters<StartedEwsServer['failNext']>[1]][] = [
      ['GetFolder', 'Unauthorized'],
      ['GetFolder', 'DropConnection'],
      ['SyncFolderHierarchy', 'AccessDenied'],
      ['SyncFolderHierarchy', 'DropConnection'],
    ];
    const outcomes: string[] = [];
    for (const [operation, failure] of cases) {
      // A mailbox of its own each time, so no call of an earlier opening can meet this failure.
      const user = freshUser();
      ews.createFolder(user.address, 'Inbox', 'Customers');
      ews.deliver(user.address, 'Inbox/Customers', rawMessage({ subject: 'In a tracked folder', messageId: `side-by-side-${users}@corp.test` }).raw);
      ews.failNext(operation, failure, { mailbox: user.address });
      const failed = await source(account(user.address, user.password), byPath('Inbox/Customers')).open().then(
        () => 'opened',
        (error: unknown) => (error instanceof MailError ? error.code : String(error)),
      );
      const src = source(account(user.address, user.password), byPath('Inbox/Customers'));
      await src.open();
      const folders = src.folders.map((folder) => `${folder.path} ${folder.role}`).join(', ');
      outcomes.push(`${operation} ${failure}: ${failed}; then ${folders}; ${subjects((await readAll(src, null)).batches).join(', ')}`);
      await src.close();
    }
    const then = 'then Inbox INBOX, Sent Items SENT, Inbox/Customers TRACKED; In a tracked folder';
    expect(outcomes).toEqual([`GetFolder Unauthorized: AUTH_FAILED; ${then}`, `GetFolder DropConnection: TEMPORARY; ${then}`, `SyncFolderHierarchy AccessDenied: AUTH_FAILED; ${then}`, `SyncFolderHierarchy DropConnection: TEMPORARY; ${then}`]);
  });

  // Last: it reads what every test above made the server write.
  it('every response the EWS test server wrote follows the structure Messages.xsd and Types.xsd give it', () => {
    expect(ews.documents.length).toBeGreaterThan(50);
    const operations = new Set(ews.documents.map((xml) => /<m:(\w+)Response /.exec(xml)?.[1] ?? /faultcode[^>]*>a:(\w+)/.exec(xml)?.[1]));
    expect([...operations].sort()).toEqual(expect.arrayContaining(['CreateItem', 'FindItem', 'GetFolder', 'GetItem', 'SyncFolderHierarchy', 'SyncFolderItems', 'ErrorServerBusy']));
    const problems = ews.documents.flatMap((xml) => checkEwsDocument(xml));
    expect(problems).toEqual([]);
    // The check itself catches a document out of order, a missing ResponseCode and an unknown element.
    const wrongOrder = ews.documents.find((xml) => xml.includes('<m:IncludesLastItemInRange>'))!.replace(/(<m:SyncState>[^<]*<\/m:SyncState>)(<m:IncludesLastItemInRange>[^<]*<\/m:IncludesLastItemInRange>)/, '$2$1');
    expect(checkEwsDocument(wrongOrder)).toContainEqual(expect.stringContaining('comes after'));
    expect(checkEwsDocument(ews.documents[0].replace(/<m:ResponseCode>NoError<\/m:ResponseCode>/, ''))).toContainEqual(expect.stringContaining('missing m:ResponseCode'));
    expect(checkEwsDocument(ews.documents[0].replace('<m:ResponseCode>', '<t:Surprise/><m:ResponseCode>'))).toContainEqual(expect.stringContaining('t:Surprise'));
    // Where an element sits decides what it holds: a folder hierarchy's changes hold folders, not messages.
    const hierarchy = ews.documents.find((xml) => xml.includes('<m:SyncFolderHierarchyResponse') && xml.includes('<t:Create><t:Folder>'))!;
    expect(checkEwsDocument(hierarchy)).toEqual([]);
    expect(checkEwsDocument(hierarchy.replace(/<t:Create><t:Folder>(.*?)<\/t:Folder>/, '<t:Create><t:Message>$1</t:Message>'))).toContainEqual(expect.stringContaining('t:Message is not a child'));
  });
});
