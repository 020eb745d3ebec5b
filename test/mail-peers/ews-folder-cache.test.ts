import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EwsFolderCache } from '../../sync-engine/src/mail/ews/ews-folder-cache.js';
import { EwsServices, type EwsAccount } from '../../sync-engine/src/mail/ews/ews-service.js';
import { EwsSource, type EwsTrackedFolder } from '../../sync-engine/src/mail/ews/ews-source.js';
import { MailError } from '../../sync-engine/src/mail/mail-error.js';
import type { FetchedBatch, FetchOptions } from '../../sync-engine/src/mail/mail-source.js';
import { checkEwsDocument } from '../support/ews/ews-schema.js';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server.js';
import { rawMessage } from './raw-messages.js';

// The engine's kept Exchange folders (ews-folder-cache.ts) against the EWS test server: a local HTTP server keeping a
// mailbox's state and answering SOAP shaped as Microsoft's EWS schema defines it (SyncFolderHierarchy's SyncState
// included). Not Exchange itself, which cannot run here. The calls counted are the SOAP operations the server received.

const OPTIONS: FetchOptions = { batchSize: 50, maxBatchBytes: 8 * 1024 * 1024, notBefore: null, resyncFrom: null };

let ews: StartedEwsServer;
let services: EwsServices;
let users = 0;

const freshUser = () => {
  const address = `cache${++users}@corp.test`;
  ews.addUser(address, { password: `pw-${users}` });
  return { address, password: `pw-${users}`, mailboxId: `mailbox-${users}` };
};
const account = (address: string, password: string): EwsAccount => ({
  address,
  connection: { url: ews.url, impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 4 },
  credentials: { method: 'PASSWORD', username: address, password },
});
const newCache = () => new EwsFolderCache({ maxMailboxes: 100, maxFolders: 10_000, maxIdleMs: 60_000 });
const source = (acct: EwsAccount, tracked: EwsTrackedFolder[], cache: EwsFolderCache | null, mailboxId: string) =>
  new EwsSource({ services, account: acct, folders: { sent: null, tracked }, folderCache: cache?.slot(mailboxId, acct) });

/** The SOAP operations the server received for `mailbox` while `run` ran, by name. */
async function operations(mailbox: string, run: () => Promise<unknown>): Promise<Record<string, number>> {
  const from = ews.requests().length;
  await run();
  const counts: Record<string, number> = {};
  for (const request of ews.requests().slice(from)) if (request.mailbox === mailbox) counts[request.operation] = (counts[request.operation] ?? 0) + 1;
  return counts;
}

/** One sync as the engine runs it: open, read everything new, close. */
async function sync(src: EwsSource, cursor: string | null): Promise<{ cursor: string | null; subjects: string[]; folders: string[] }> {
  const batches: FetchedBatch[] = [];
  await src.open();
  try {
    for await (const batch of src.fetchNew(cursor, OPTIONS)) batches.push(batch);
  } finally {
    await src.close();
  }
  const messages = batches.flatMap((b) => b.messages);
  return { cursor: batches.at(-1)?.cursor ?? cursor, subjects: messages.map((m) => /^Subject: (.*)$/m.exec(m.source.toString('utf8'))?.[1] ?? ''), folders: messages.map((m) => m.folder) };
}

/** What open() resolved, in an order that does not depend on when a folder entered the tree. */
const resolution = (src: EwsSource) => ({
  folders: src.folders.map((f) => `${f.path} ${f.role} ${f.id}`),
  missing: [...src.missingFolders],
  serverFolders: [...src.serverFolders].map((f) => `${f.path} ${f.folderId} ${f.underInbox}`).sort(),
});

async function opened(src: EwsSource): Promise<EwsSource> {
  await src.open();
  return src;
}

/** A mailbox with a tracked Inbox/Customers, synced once with a cache of its own. */
async function syncedOnce() {
  const user = freshUser();
  const acct = account(user.address, user.password);
  const cache = newCache();
  ews.createFolder(user.address, 'Inbox', 'Customers');
  const tracked = [{ path: 'Inbox/Customers', folderId: null }];
  const { cursor } = await sync(source(acct, tracked, cache, user.mailboxId), null);
  return { user, acct, cache, tracked, cursor };
}

beforeAll(async () => {
  ews = await startEwsTestServer();
  services = new EwsServices({ timeoutMs: 10_000, maxBackOffMs: 2_000 });
});

afterAll(async () => {
  await ews?.close();
});

describe('Exchange folders kept between syncs, against the schema-faithful EWS test server (not Exchange)', () => {
  it('a second sync of the same mailbox asks one SyncFolderHierarchy from its state instead of GetFolder ×3 and the whole tree, and still sees folders renamed, moved, created and deleted between the syncs', async () => {
    const user = freshUser();
    const acct = account(user.address, user.password);
    const cache = newCache();
    const contosoId = ews.createFolder(user.address, 'Inbox', 'Contoso');
    ews.createFolder(user.address, 'Inbox', 'Projects');
    ews.createFolder(user.address, 'Inbox', 'Old');
    ews.createFolder(user.address, 'Inbox/Old', 'Older');
    ews.createFolder(user.address, 'Inbox', 'Binned');
    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'First', messageId: 'cache-first@corp.test' }).raw);
    ews.deliver(user.address, 'Inbox/Contoso', rawMessage({ subject: 'Filed', messageId: 'cache-filed@corp.test' }).raw);
    const tracked = [{ path: 'Inbox/Contoso', folderId: contosoId }, { path: 'Inbox/New', folderId: null }];

    let first!: Awaited<ReturnType<typeof sync>>;
    const firstCalls = await operations(user.address, async () => (first = await sync(source(acct, tracked, cache, user.mailboxId), null)));
    expect(first.subjects.sort()).toEqual(['Filed', 'First']);
    expect(firstCalls).toEqual({ GetFolder: 3, SyncFolderHierarchy: 1, SyncFolderItems: 3, GetItem: 2 });

    // In Outlook meanwhile: the tracked folder renamed and dragged under another, a folder made with the rule's path,
    // one deleted for good with its subfolder, one deleted into Deleted Items; and new mail.
    ews.renameFolder(user.address, 'Inbox/Contoso', 'Contoso AB');
    ews.moveFolder(user.address, 'Inbox/Contoso AB', 'Inbox/Projects');
    ews.createFolder(user.address, 'Inbox', 'New');
    ews.deleteFolder(user.address, 'Inbox/Old', { hard: true });
    ews.deleteFolder(user.address, 'Inbox/Binned');
    ews.deliver(user.address, 'inbox', rawMessage({ subject: 'Second', messageId: 'cache-second@corp.test' }).raw);
    ews.deliver(user.address, 'Inbox/Projects/Contoso AB', rawMessage({ subject: 'After the move', messageId: 'cache-moved@corp.test' }).raw);
    ews.deliver(user.address, 'Inbox/New', rawMessage({ subject: 'In the new folder', messageId: 'cache-new@corp.test' }).raw);

    const kept = source(acct, tracked, cache, user.mailboxId);
    let second!: Awaited<ReturnType<typeof sync>>;
    const secondCalls = await operations(user.address, async () => (second = await sync(kept, first.cursor)));
    expect(secondCalls).toEqual({ SyncFolderHierarchy: 1, SyncFolderItems: 4, GetItem: 3 });
    expect(second.subjects.sort()).toEqual(['After the move', 'In the new folder', 'Second']);
    expect(second.folders.sort()).toEqual(['Inbox', 'Inbox/New', 'Inbox/Projects/Contoso AB']);

    // Exactly what a sync without the kept tree resolves now.
    const fresh = await opened(source(acct, tracked, null, user.mailboxId));
    expect(resolution(kept)).toEqual(resolution(fresh));
    await fresh.close();
    expect(resolution(kept).serverFolders.join('\n')).not.toMatch(/Inbox\/Old/);
    expect(resolution(kept).serverFolders.join('\n')).toMatch(/Deleted Items\/Binned/);

    // Nothing changed: still one SyncFolderHierarchy, which answers no changes.
    const third = await operations(user.address, () => sync(source(acct, tracked, cache, user.mailboxId), second.cursor));
    expect(third).toEqual({ SyncFolderHierarchy: 1, SyncFolderItems: 4 });
  });

  it('an open whose kept SyncState Exchange refuses (ErrorInvalidSyncStateData) resolves the folders anew, and keeps the new tree', async () => {
    const { user, acct, cache, tracked, cursor } = await syncedOnce();

    ews.renameFolder(user.address, 'Inbox/Customers', 'Clients');
    ews.createFolder(user.address, 'Inbox', 'Customers');
    ews.deliver(user.address, 'Inbox/Customers', rawMessage({ subject: 'In the new Customers', messageId: 'cache-invalid@corp.test' }).raw);
    ews.failNext('SyncFolderHierarchy', 'InvalidSyncState', { mailbox: user.address });
    const refused = source(acct, tracked, cache, user.mailboxId);
    let read!: Awaited<ReturnType<typeof sync>>;
    const calls = await operations(user.address, async () => (read = await sync(refused, cursor)));
    expect(calls).toMatchObject({ SyncFolderHierarchy: 2, GetFolder: 3 });
    expect(read.subjects).toEqual(['In the new Customers']);
    const fresh = await opened(source(acct, tracked, null, user.mailboxId));
    expect(resolution(refused)).toEqual(resolution(fresh));
    await fresh.close();

    const after = await operations(user.address, () => sync(source(acct, tracked, cache, user.mailboxId), read.cursor));
    expect(after).toEqual({ SyncFolderHierarchy: 1, SyncFolderItems: 3 });
  });

  it('keeps nothing across mailboxes or credentials: another mailbox, a new password or another account each resolve their own folders', async () => {
    const cache = newCache();
    const sam = freshUser();
    const kim = freshUser();
    ews.createFolder(sam.address, 'Inbox', 'Sam only');
    ews.createFolder(kim.address, 'Inbox', 'Kim only');
    const samSource = source(account(sam.address, sam.password), [], cache, sam.mailboxId);
    await sync(samSource, null);
    const samInbox = samSource.folders[0].id;

    // Another hub mailbox on the same cache: a full resolution of its own folders.
    const kimSource = source(account(kim.address, kim.password), [], cache, kim.mailboxId);
    expect(await operations(kim.address, () => sync(kimSource, null))).toMatchObject({ GetFolder: 3, SyncFolderHierarchy: 1 });
    expect(kimSource.folders[0].id).not.toBe(samInbox);
    expect(kimSource.serverFolders.map((f) => f.path)).toContain('Inbox/Kim only');
    expect(kimSource.serverFolders.map((f) => f.path)).not.toContain('Inbox/Sam only');

    // Sam's mailbox row now signing in as Kim (the admin changed the address and credentials): Kim's folders, not Sam's kept ones.
    const moved = source(account(kim.address, kim.password), [], cache, sam.mailboxId);
    expect(await operations(kim.address, () => sync(moved, null))).toMatchObject({ GetFolder: 3, SyncFolderHierarchy: 1 });
    expect(moved.folders[0].id).toBe(kimSource.folders[0].id);

    // A new password: the tree kept for the old one is not used.
    ews.setPassword(kim.address, 'rotated');
    const rotated = source(account(kim.address, 'rotated'), [], cache, kim.mailboxId);
    expect(await operations(kim.address, () => sync(rotated, null))).toMatchObject({ GetFolder: 3, SyncFolderHierarchy: 1 });
    // The old password is refused outright, kept tree or not.
    const stale = await source(account(kim.address, kim.password), [], cache, kim.mailboxId).open().then(
      () => 'opened',
      (error: unknown) => (error instanceof MailError ? error.code : String(error)),
    );
    expect(stale).toBe('AUTH_FAILED');
  });

  it('a kept tree whose SyncFolderHierarchy fails otherwise fails the open with its own code, and the next open resolves every folder anew', async () => {
    const { user, acct, cache, tracked, cursor } = await syncedOnce();
    ews.failNext('SyncFolderHierarchy', 'DropConnection', { mailbox: user.address });
    const failed = await source(acct, tracked, cache, user.mailboxId).open().then(
      () => 'opened',
      (error: unknown) => (error instanceof MailError ? error.code : String(error)),
    );
    expect(failed).toBe('TEMPORARY');
    const next = source(acct, tracked, cache, user.mailboxId);
    expect(await operations(user.address, () => sync(next, cursor))).toMatchObject({ GetFolder: 3, SyncFolderHierarchy: 1 });
    expect(next.folders.map((f) => `${f.path} ${f.role}`)).toEqual(['Inbox INBOX', 'Sent Items SENT', 'Inbox/Customers TRACKED']);
  });

  // Last: it reads what every test above made the server write.
  it('every response the EWS test server wrote here follows the structure Messages.xsd and Types.xsd give it, the refused SyncFolderHierarchy included', () => {
    expect(ews.documents.some((xml) => xml.includes('SyncFolderHierarchyResponseMessage') && xml.includes('ErrorInvalidSyncStateData'))).toBe(true);
    expect(ews.documents.flatMap((xml) => checkEwsDocument(xml))).toEqual([]);
  });
});
