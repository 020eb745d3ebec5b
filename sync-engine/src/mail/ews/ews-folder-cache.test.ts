import { describe, expect, it } from 'vitest';
import { EwsFolderCache, type KnownFolderTree } from './ews-folder-cache.js';
import type { EwsAccount } from './ews-service.js';

const account = (overrides: { address?: string; password?: string; url?: string; impersonate?: string | null } = {}): EwsAccount => ({
  address: overrides.address ?? 'sam@corp.test',
  connection: { url: overrides.url ?? 'https://mail.corp.test/EWS/Exchange.asmx', impersonateAddress: overrides.impersonate ?? null, allowInvalidCertificates: false, maxConnections: 4 },
  credentials: { method: 'PASSWORD', username: overrides.address ?? 'sam@corp.test', password: overrides.password ?? 'pw' },
});

const tree = (folders: number, syncState = 'c3RhdGU='): KnownFolderTree => ({
  rootId: 'root',
  inboxId: 'inbox',
  sentItemsId: 'sent',
  folders: Array.from({ length: folders }, (_, i) => ({ id: `f${i}`, parentId: 'root', displayName: `Folder ${i}`, folderClass: 'IPF.Note' })),
  syncState,
});

const cache = (overrides: { maxMailboxes?: number; maxFolders?: number; maxIdleMs?: number; clock?: { now: number } } = {}) =>
  new EwsFolderCache({ maxMailboxes: overrides.maxMailboxes ?? 10, maxFolders: overrides.maxFolders ?? 1_000, maxIdleMs: overrides.maxIdleMs ?? 60_000, now: overrides.clock ? () => overrides.clock!.now : undefined });

describe('EwsFolderCache', () => {
  it('gives a kept tree back to the same mailbox and account only', () => {
    const folders = cache();
    folders.slot('mb-1', account()).keep(tree(3));
    expect(folders.slot('mb-1', account()).recall()?.folders).toHaveLength(3);
    expect(folders.slot('mb-2', account()).recall()).toBeNull();
  });

  it('drops the tree when the account signs in differently: a new password, another server, impersonation, another address', () => {
    for (const changed of [{ password: 'new' }, { url: 'https://other.corp.test/EWS/Exchange.asmx' }, { impersonate: 'kim@corp.test' }, { address: 'kim@corp.test' }]) {
      const folders = cache();
      folders.slot('mb-1', account()).keep(tree(3));
      expect(folders.slot('mb-1', account(changed)).recall()).toBeNull();
      // Gone, not only hidden: the old settings do not get it back either.
      expect(folders.slot('mb-1', account()).recall()).toBeNull();
      expect(folders.size).toEqual({ mailboxes: 0, folders: 0 });
    }
  });

  it('keeps at most maxMailboxes, dropping the least recently opened', () => {
    const folders = cache({ maxMailboxes: 2 });
    folders.slot('a', account()).keep(tree(1));
    folders.slot('b', account()).keep(tree(1));
    folders.slot('a', account()).recall();
    folders.slot('c', account()).keep(tree(1));
    expect(['a', 'b', 'c'].map((id) => folders.slot(id, account()).recall() !== null)).toEqual([true, false, true]);
  });

  it('keeps at most maxFolders over all mailboxes, and no tree larger than a tenth of them', () => {
    const folders = cache({ maxFolders: 100 });
    for (const id of ['a', 'b', 'c']) folders.slot(id, account()).keep(tree(10));
    expect(folders.size).toEqual({ mailboxes: 3, folders: 30 });
    folders.slot('huge', account()).keep(tree(11));
    expect(folders.slot('huge', account()).recall()).toBeNull();
    for (let i = 0; i < 10; i++) folders.slot(`m${i}`, account()).keep(tree(10));
    expect(folders.size.folders).toBeLessThanOrEqual(100);
    expect(folders.slot('a', account()).recall()).toBeNull();
  });

  it('drops a tree not opened for maxIdleMs, and a replaced tree counts once', () => {
    const clock = { now: 0 };
    const folders = cache({ maxIdleMs: 1_000, clock });
    folders.slot('a', account()).keep(tree(2, 'b2xk'));
    folders.slot('a', account()).keep(tree(4, 'bmV3'));
    expect(folders.size).toEqual({ mailboxes: 1, folders: 4 });
    expect(folders.slot('a', account()).recall()?.syncState).toBe('bmV3');
    clock.now = 1_001;
    expect(folders.slot('a', account()).recall()).toBeNull();
    expect(folders.size).toEqual({ mailboxes: 0, folders: 0 });
  });

  it('forget drops one mailbox', () => {
    const folders = cache();
    folders.slot('a', account()).keep(tree(1));
    folders.slot('b', account()).keep(tree(1));
    folders.forget('a');
    expect(folders.slot('a', account()).recall()).toBeNull();
    expect(folders.slot('b', account()).recall()).not.toBeNull();
  });
});
