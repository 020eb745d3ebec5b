import { createHash } from 'node:crypto';
import type { ListedFolder } from './ews-folder-paths.js';
import type { EwsAccount } from './ews-service.js';

/**
 * What EwsSource.open() resolved for a mailbox: the well-known folders' ids, the folder tree, and the
 * SyncFolderHierarchy SyncState that tree is current to (the next open asks only for what changed since).
 */
export interface KnownFolderTree {
  readonly rootId: string;
  readonly inboxId: string;
  readonly sentItemsId: string;
  readonly folders: readonly ListedFolder[];
  readonly syncState: string;
}

/** One mailbox's place in the cache, as an EwsSource sees it. */
export interface FolderTreeSlot {
  /** The tree kept for this mailbox and account; null when there is none (or it was for other settings). */
  recall(): KnownFolderTree | null;
  keep(tree: KnownFolderTree): void;
  forget(): void;
}

export interface EwsFolderCacheOptions {
  /** Mailboxes kept at most; the least recently opened goes first. */
  readonly maxMailboxes: number;
  /** Folders kept at most over all mailboxes (a real mailbox has tens to hundreds); a larger tree is not kept at all. */
  readonly maxFolders: number;
  /** A tree not opened for this long is dropped: its mailbox is most likely served by another engine now. */
  readonly maxIdleMs: number;
  readonly now?: () => number;
}

interface Entry {
  readonly fingerprint: string;
  readonly tree: KnownFolderTree;
  usedAt: number;
}

/**
 * The engine's resolved Exchange folders per mailbox, kept between syncs so a sync asks SyncFolderHierarchy for the
 * changes since its last one instead of GetFolder ×3 and the whole tree. Bounded (mailboxes, folders, idle time);
 * an entry is only given back for the same account (server, impersonation, address, credentials), so new settings or
 * a new password start from a full resolution. Trees are immutable values: two opens of one mailbox at once (its
 * watch and a sync) each keep a tree consistent with its own SyncState, and the last one kept wins.
 */
export class EwsFolderCache {
  // Map order is use order: the first entry is the least recently used.
  private readonly entries = new Map<string, Entry>();
  private folderCount = 0;

  constructor(private readonly options: EwsFolderCacheOptions) {}

  /** The slot of one hub mailbox signing in with one account. */
  slot(mailboxId: string, account: EwsAccount): FolderTreeSlot {
    const fingerprint = accountFingerprint(account);
    return {
      recall: () => this.recall(mailboxId, fingerprint),
      keep: (tree) => this.keep(mailboxId, fingerprint, tree),
      forget: () => this.forget(mailboxId),
    };
  }

  /** Drops a mailbox's tree: its lease went to another engine, its settings changed, it failed to sign in. */
  forget(mailboxId: string): void {
    const entry = this.entries.get(mailboxId);
    if (!entry) return;
    this.entries.delete(mailboxId);
    this.folderCount -= entry.tree.folders.length;
  }

  /** Mailboxes and folders kept now. */
  get size(): { readonly mailboxes: number; readonly folders: number } {
    return { mailboxes: this.entries.size, folders: this.folderCount };
  }

  private recall(mailboxId: string, fingerprint: string): KnownFolderTree | null {
    this.dropIdle();
    const entry = this.entries.get(mailboxId);
    if (!entry) return null;
    if (entry.fingerprint !== fingerprint) {
      this.forget(mailboxId);
      return null;
    }
    entry.usedAt = this.now();
    this.entries.delete(mailboxId);
    this.entries.set(mailboxId, entry);
    return entry.tree;
  }

  private keep(mailboxId: string, fingerprint: string, tree: KnownFolderTree): void {
    this.forget(mailboxId);
    if (tree.folders.length > this.options.maxFolders / 10) return; // one huge mailbox would push out dozens of others
    // Fresh strings: a tree must not hold slices of the response document it was parsed from.
    const copy = JSON.parse(JSON.stringify(tree)) as KnownFolderTree;
    this.entries.set(mailboxId, { fingerprint, tree: copy, usedAt: this.now() });
    this.folderCount += copy.folders.length;
    this.dropIdle();
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.options.maxMailboxes && this.folderCount <= this.options.maxFolders) break;
      this.entries.delete(oldest);
      this.folderCount -= entry.tree.folders.length;
    }
  }

  private dropIdle(): void {
    const oldestAllowed = this.now() - this.options.maxIdleMs;
    for (const [mailboxId, entry] of this.entries) {
      if (entry.usedAt >= oldestAllowed) break;
      this.entries.delete(mailboxId);
      this.folderCount -= entry.tree.folders.length;
    }
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

/** Everything that decides which mailbox a session reaches and as whom; the secret only as part of a hash. */
export function accountFingerprint(account: EwsAccount): string {
  const { connection, credentials } = account;
  const secret = credentials.method === 'OAUTH_BEARER' ? credentials.accessToken : credentials.password;
  const parts = [connection.url ?? '', connection.impersonateAddress ?? '', account.address.toLowerCase(), credentials.method, credentials.username, secret, String(connection.allowInvalidCertificates)];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64');
}
