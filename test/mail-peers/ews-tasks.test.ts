import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EwsServices, type EwsAccount } from '../../sync-engine/src/mail/ews/ews-service.js';
import { EwsSource } from '../../sync-engine/src/mail/ews/ews-source.js';
import { EwsTaskSource, readTaskPage, TRACKED_CATEGORY, type TaskWriteRequest } from '../../sync-engine/src/mail/ews/ews-tasks.js';
import { checkEwsDocument } from '../support/ews/ews-schema';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server';

// The Exchange Tasks folder read and written by the engine's adapter (SyncFolderItems, GetItem, CreateItem,
// UpdateItem, DeleteItem), against the schema-faithful EWS test server, not Exchange.

let ews: StartedEwsServer;
let services: EwsServices;
const accountOf = (address: string): EwsAccount => ({ address, connection: { url: ews.url, impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 4 }, credentials: { method: 'PASSWORD', username: address, password: 'pw' } });
const user = (address: string) => {
  ews.addUser(address, { password: 'pw' });
  return address;
};

beforeAll(async () => {
  ews = await startEwsTestServer();
  services = new EwsServices({ timeoutMs: 10_000, maxBackOffMs: 2_000 });
});
afterAll(() => ews?.close());

describe('Exchange Tasks against the schema-faithful EWS test server (not Exchange)', () => {
  it('reads tasks with their notes, due day, status, importance and the "Tracked to CRM" mark; private ones stay out; changes and deletions come next', async () => {
    const sam = user('sam@corp.test');
    const call = ews.addTask(sam, { subject: 'Call back Contoso', notes: 'Ask about the renewal.', dueDate: new Date('2026-12-10T00:00:00Z'), startDate: new Date('2026-12-01T00:00:00Z'), percentComplete: 25, status: 'InProgress', importance: 'High', categories: ['Kunder', 'tracked to crm'] });
    ews.addTask(sam, { subject: 'Buy milk' });
    ews.addTask(sam, { subject: 'Doctor', sensitivity: 'Private', categories: [TRACKED_CATEGORY] });
    const first = await readTaskPage(await services.session(accountOf(sam), 'incoming'), null, 512);
    expect(first.skipped).toBe(1);
    expect(first.deletedItemIds).toEqual([]);
    expect(first.tasks).toEqual([
      {
        itemId: call, changeKey: expect.any(String), subject: 'Call back Contoso', notes: 'Ask about the renewal.', dueAt: '2026-12-10T00:00:00.000Z', startAt: '2026-12-01T00:00:00.000Z', percentComplete: 25,
        status: 'IN_PROGRESS', importance: 'HIGH', tracked: true, lastModifiedAt: expect.any(String), crmTaskId: null,
      },
      expect.objectContaining({ subject: 'Buy milk', notes: null, dueAt: null, startAt: null, percentComplete: 0, status: 'NOT_STARTED', importance: 'NORMAL', tracked: false }),
    ]);
    // Completed in Outlook, then deleted: the next page has what changed since the SyncState, and the deletion.
    ews.updateTask(sam, call, { status: 'Completed' });
    const second = await readTaskPage(await services.session(accountOf(sam), 'incoming'), first.syncState, 512);
    expect(second.tasks.map((t) => [t.itemId, t.status, t.percentComplete])).toEqual([[call, 'COMPLETED', 100]]);
    ews.moveToDeletedItems(sam, call);
    const third = await readTaskPage(await services.session(accountOf(sam), 'incoming'), second.syncState, 512);
    expect(third).toMatchObject({ tasks: [], deletedItemIds: [call] });
  });

  it('writes text with XML\'s special characters as it is (ews-javascript-api writes values unescaped; Exchange refuses a bare "&"), created and updated', async () => {
    const ann = user('esc-task@corp.test');
    const tasks = new EwsTaskSource(services, accountOf(ann));
    const tricky = `R&D <review> "quoted" 'x' &amp; ok`;
    const [created] = await tasks.write([{ taskId: 'VGFzazoy', itemId: null, changeKey: null, remove: false, subject: tricky, notes: `${tricky}\nline 2`, dueDay: null, startDay: null, percentComplete: 0, importance: 'NORMAL', completed: false, fingerprint: 'f1' }]);
    expect(ews.tasks(ann)[0]).toMatchObject({ subject: tricky, notes: `${tricky}\nline 2` });
    await tasks.write([{ taskId: 'VGFzazoy', itemId: created.itemId, changeKey: created.changeKey, remove: false, subject: `${tricky} (2)`, notes: null, dueDay: null, startDay: null, percentComplete: 0, importance: 'NORMAL', completed: false, fingerprint: 'f2' }]);
    expect(ews.tasks(ann)[0].subject).toBe(`${tricky} (2)`);
  });

  it('writes a CRM task with the mark and its id, changes it in place over the version it saw (never a newer one) keeping Outlook\'s own status, and removes a cancelled one', async () => {
    const ann = user('ann@corp.test');
    const tasks = new EwsTaskSource(services, accountOf(ann));
    const write: TaskWriteRequest = { taskId: 'VGFzazox', itemId: null, changeKey: null, remove: false, subject: 'Send the offer', notes: 'Two pages.', dueDay: '2026-12-15', startDay: '2026-12-08', percentComplete: 0, importance: 'LOW', completed: false, fingerprint: 'f1' };
    const [created] = await tasks.write([write]);
    expect(created).toEqual({ taskId: 'VGFzazox', itemId: expect.any(String), changeKey: ews.tasks(ann)[0].changeKey, fingerprint: 'f1' });
    expect(ews.tasks(ann)).toEqual([expect.objectContaining({ itemId: created.itemId, subject: 'Send the offer', notes: 'Two pages.', importance: 'Low', status: 'NotStarted', categories: [TRACKED_CATEGORY], extended: { CrmActivityHubTaskId: 'VGFzazox' } })]);
    // Outlook keeps the due and start days (noon UTC is that day wherever the mailbox is).
    expect(ews.tasks(ann)[0].dueDate?.toISOString()).toBe('2026-12-15T00:00:00.000Z');
    expect(ews.tasks(ann)[0].startDate?.toISOString()).toBe('2026-12-08T00:00:00.000Z');
    // Read back, it carries the CRM task's id: an engine that stopped before reporting finds it again.
    const [batch] = await collect(tasks.read(null));
    expect(batch.tasks).toEqual([expect.objectContaining({ itemId: created.itemId, crmTaskId: 'VGFzazox', tracked: true, dueAt: '2026-12-15T00:00:00.000Z' })]);

    // The user set it in progress in Outlook after the hub last read it: a CRM change is held back (the next read settles it).
    ews.updateTask(ann, created.itemId!, { status: 'InProgress' });
    const change = { ...write, itemId: created.itemId, changeKey: created.changeKey, subject: 'Send the final offer', dueDay: null, fingerprint: 'f2' };
    expect(await tasks.write([change])).toEqual([]);
    expect(ews.tasks(ann)[0].subject).toBe('Send the offer');
    // Over the version it has seen, the CRM change (a new subject, no due day) keeps Outlook's own status and the item's id.
    const [updated] = await tasks.write([{ ...change, changeKey: ews.tasks(ann)[0].changeKey }]);
    expect(updated).toEqual({ taskId: 'VGFzazox', itemId: created.itemId, changeKey: ews.tasks(ann)[0].changeKey, fingerprint: 'f2' });
    expect(ews.tasks(ann)).toEqual([expect.objectContaining({ itemId: created.itemId, subject: 'Send the final offer', status: 'InProgress', dueDate: null })]);
    // Progress from the CRM: 60 % in progress; a task not started with progress is put in progress.
    const [progressed] = await tasks.write([{ ...change, changeKey: updated.changeKey, percentComplete: 60, fingerprint: 'f2b' }]);
    expect(ews.tasks(ann)[0]).toMatchObject({ status: 'InProgress', percentComplete: 60 });
    ews.updateTask(ann, created.itemId!, { status: 'NotStarted', percentComplete: 0 });
    const [restarted] = await tasks.write([{ ...change, changeKey: ews.tasks(ann)[0].changeKey, percentComplete: 30, startDay: null, fingerprint: 'f2c' }]);
    expect(ews.tasks(ann)[0]).toMatchObject({ status: 'InProgress', percentComplete: 30, startDate: null });
    expect(restarted.changeKey).not.toBe(progressed.changeKey);
    const [latest] = await collect(tasks.read(null));
    expect(latest.tasks).toEqual([expect.objectContaining({ percentComplete: 30, status: 'IN_PROGRESS', startAt: null })]);
    // Completed in the CRM: completed in Outlook.
    await tasks.write([{ ...write, itemId: created.itemId, changeKey: restarted.changeKey, completed: true, percentComplete: 100, fingerprint: 'f3' }]);
    expect(ews.tasks(ann)[0]).toMatchObject({ status: 'Completed', percentComplete: 100 });

    // Deleted in Outlook meanwhile: a CRM change makes it again.
    ews.moveToDeletedItems(ann, created.itemId!);
    const [again] = await tasks.write([{ ...write, itemId: created.itemId, fingerprint: 'f4' }]);
    expect(again.itemId).not.toBe(created.itemId);
    expect(ews.tasks(ann).map((t) => t.itemId)).toEqual([again.itemId]);
    // Cancelled in the CRM: removed; removing what is already gone is no failure.
    const removed = { taskId: 'VGFzazox', itemId: null, changeKey: null, fingerprint: 'f5' };
    expect(await tasks.write([{ ...write, itemId: again.itemId, remove: true, fingerprint: 'f5' }])).toEqual([removed]);
    expect(ews.tasks(ann)).toEqual([]);
    expect(await tasks.write([{ ...write, itemId: again.itemId, remove: true, fingerprint: 'f5' }])).toEqual([removed]);
  });

  it('a SyncState Exchange no longer accepts starts the Tasks folder again', async () => {
    const bo = user('bo@corp.test');
    ews.addTask(bo, { subject: 'Renew the contract', categories: [TRACKED_CATEGORY] });
    const tasks = new EwsTaskSource(services, accountOf(bo));
    const [first] = await collect(tasks.read(null));
    ews.failNext('SyncFolderItems', 'InvalidSyncState');
    const [again] = await collect(tasks.read(first.cursor));
    expect(again.tasks.map((t) => t.subject)).toEqual(['Renew the contract']);
    expect(JSON.parse(again.cursor).tasks.syncState).toEqual(expect.any(String));
  });

  it('pull notifications wake the mailbox when a task is completed in Outlook', async () => {
    const cy = user('cy@corp.test');
    const task = ews.addTask(cy, { subject: 'Follow up' });
    const watching = new EwsSource({ services, account: accountOf(cy), folders: { sent: null, tracked: [] }, pullIntervalMs: 50, watchActFolders: true });
    await watching.open();
    expect(await watching.waitForChange(300)).toBe('timeout');
    setTimeout(() => ews.updateTask(cy, task, { status: 'Completed' }), 100);
    expect(await watching.waitForChange(5_000)).toBe('changed');
    await watching.close();
  });

  it('every task response the test server wrote follows Messages.xsd and Types.xsd', () => {
    expect(ews.documents.some((xml) => xml.includes('<t:Task>') && xml.includes('<t:Status>'))).toBe(true);
    expect(ews.documents.some((xml) => xml.includes('UpdateItemResponseMessage'))).toBe(true);
    expect(ews.documents.flatMap((xml) => checkEwsDocument(xml))).toEqual([]);
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}
