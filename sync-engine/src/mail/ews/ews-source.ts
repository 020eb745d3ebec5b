import { setTimeout as delay } from 'node:timers/promises';
import { EventType, FolderId, WellKnownFolderName, type PullSubscription } from 'ews-javascript-api';
import type { Log } from '../../logger.js';
import { planBatches } from '../batch-plan.js';
import { MailError } from '../mail-error.js';
import type { FetchedBatch, FetchOptions, FolderRole, InventoryItem, MailSource, RawMessage, ServerFolder } from '../mail-source.js';
import { parseEwsCursor, resumeState, serializeEwsCursor, withFolderPosition, type EwsCursor, type EwsFolderPosition } from './ews-cursor.js';
import { folderIdsBelow, folderPaths, samePath, splitFolderPath } from './ews-folder-paths.js';
import { getMime, type FetchedItem } from './ews-get-mime.js';
import { findItems, moveToDeletedItems, readFolderHierarchy, syncFolderItems, wellKnownFolderIds, MAX_SYNC_CHANGES, type FolderHierarchy, type ListedItem } from './ews-operations.js';
import type { FolderTreeSlot, KnownFolderTree } from './ews-folder-cache.js';
import { formatEwsRef, parseEwsRef } from './ews-ref.js';
import { sideBySide } from './side-by-side.js';
import type { EwsAccount, EwsServices, EwsSession } from './ews-service.js';
import { EwsStreamingWatch, type StreamingWatchOptions } from './ews-streaming.js';
import { ExchangeMailboxWatch, PULL_TIMEOUT_MINUTES, type ExchangeWatchHandlers } from './ews-watch.js';

/** Which folders a mailbox reads, besides Inbox. */
export interface EwsFolderConfig {
  /** A path naming the Sent folder; null: the well-known Sent Items (DistinguishedFolderId "sentitems"). */
  readonly sent: string | null;
  /** Folder tracking rules' folders: a path relative to the message folder root ("Inbox/Customers"), and the FolderId a folder report named, which finds the folder after a rename or move. */
  readonly tracked: readonly EwsTrackedFolder[];
}

export interface EwsTrackedFolder {
  readonly path: string;
  readonly folderId: string | null;
}

export interface EwsSourceOptions {
  readonly services: EwsServices;
  readonly account: EwsAccount;
  readonly folders: EwsFolderConfig;
  readonly logger?: Log;
  /** How often waitForChange asks GetEvents of its pull subscription. */
  readonly pullIntervalMs?: number;
  /** Streaming notifications when the server grants them (default); false: pull notifications only. */
  readonly streaming?: boolean;
  /** Also wake waitForChange (and tell a watch) when the Calendar, the Tasks or the Contacts folder changes (the mailbox synchronizes appointments, contacts and tasks). */
  readonly watchActFolders?: boolean;
  /** Where the engine keeps this mailbox's resolved folders between opens (ews-folder-cache.ts); absent: resolved anew each time. */
  readonly folderCache?: FolderTreeSlot;
}

/** A folder this source reads, and why. */
export interface EwsResolvedFolder {
  readonly path: string;
  readonly id: string;
  readonly role: FolderRole;
}

// fetchRefs does not know sizes up front: this many MIME bodies per GetItem.
const REFS_CHUNK = 10;
// A batch is read in GetItem calls of about this much MIME: each answer is held several times over while it is
// read (the HTTP layer's chunks and their concatenation, the text, the decoded bytes), so smaller calls keep that
// peak small; a larger message still comes alone.
const GET_ITEM_BYTES = 2 * 1024 * 1024;
const GET_ITEM_ITEMS = 100;
const DEFAULT_PULL_INTERVAL_MS = 15_000;

/**
 * One mailbox over EWS: Inbox, Sent Items and tracked folders, each read with SyncFolderItems; the cursor holds
 * one SyncState per folder. Its methods must not overlap (one session, one cursor in hand).
 */
export class EwsSource implements MailSource {
  private session: EwsSession | null = null;
  private resolved: EwsResolvedFolder[] = [];
  private missing: string[] = [];
  private missingSent = false;
  private listed: ServerFolder[] = [];
  private pathById = new Map<string, string>();
  private subscription: PullSubscription | null = null;
  private pullUnavailable = false;
  private streaming: EwsStreamingWatch | null = null;

  constructor(private readonly options: EwsSourceOptions) {}

  /** The folders read, in order, once open() resolved them. */
  get folders(): readonly EwsResolvedFolder[] {
    return this.resolved;
  }

  /** Mail folders under the message folder root (at most 1,000) with their FolderIds: the hub's folder picker, and how its rules follow renames. */
  get serverFolders(): readonly ServerFolder[] {
    return this.listed;
  }

  /** Tracked (or Sent) folder paths that name no folder on the server. */
  get missingFolders(): readonly string[] {
    return this.missing;
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (this.session) return;
    const session = await this.options.services.session(this.options.account, 'incoming', signal);
    const { rootId, inboxId, sentItemsId, folders: listedFolders } = await this.folderTree(session, signal);
    const paths = folderPaths(listedFolders, rootId);
    const belowInbox = folderIdsBelow(listedFolders, inboxId);
    this.pathById = paths;
    this.listed = [...paths].map(([folderId, path]) => ({ path, folderId, underInbox: belowInbox.has(folderId) }));
    const byPath = (path: string) => [...paths.entries()].find(([, known]) => samePath(known, path))?.[0];
    const folders: EwsResolvedFolder[] = [{ path: paths.get(inboxId) ?? 'Inbox', id: inboxId, role: 'INBOX' }];
    const missing: string[] = [];
    const add = (path: string, id: string | undefined, role: FolderRole) => {
      if (!id) missing.push(path);
      else if (!folders.some((folder) => folder.id === id)) folders.push({ path: paths.get(id) ?? path, id, role });
    };
    const { sent, tracked } = this.options.folders;
    if (sent) add(sent, byPath(sent), 'SENT');
    else add('Sent Items', sentItemsId, 'SENT');
    const missingSent = missing.length > 0;
    for (const { path, folderId } of tracked) {
      if (splitFolderPath(path).length === 0) continue;
      // By its id first: a folder renamed or moved in Outlook is still the rule's folder, under its new path.
      add(path, folderId && paths.has(folderId) ? folderId : byPath(path), 'TRACKED');
    }
    this.resolved = folders;
    this.missing = missing;
    this.missingSent = missingSent;
    this.session = session;
  }

  /**
   * The well-known folders and the tree: followed from the tree this engine kept for the mailbox (one incremental
   * SyncFolderHierarchy: what was created, renamed, moved or deleted since), else resolved anew.
   */
  private async folderTree(session: EwsSession, signal?: AbortSignal): Promise<KnownFolderTree> {
    const slot = this.options.folderCache;
    const known = slot?.recall();
    if (slot && known) {
      try {
        const hierarchy = await readFolderHierarchy(session, known, signal);
        const tree = { ...known, folders: hierarchy.folders, syncState: hierarchy.syncState };
        if (hierarchy.complete) slot.keep(tree);
        else slot.forget();
        return tree;
      } catch (error) {
        // Whatever went wrong, the next open starts from a full resolution; a refused SyncState (ErrorInvalidSyncStateData) starts it now.
        slot.forget();
        if (!(error instanceof MailError) || error.code !== 'CURSOR_INVALID') throw error;
        this.options.logger?.info({ reason: error.message }, 'Exchange refused the folder tree\'s sync state: resolving the folders anew');
      }
    }
    // The well-known folders and the tree side by side: four round trips in the time of one.
    const [[rootId, inboxId, sentItemsId], hierarchy] = await sideBySide<[string[], FolderHierarchy]>(signal, [
      (shared) => wellKnownFolderIds(session, [WellKnownFolderName.MsgFolderRoot, WellKnownFolderName.Inbox, WellKnownFolderName.SentItems], shared),
      (shared) => readFolderHierarchy(session, null, shared),
    ]);
    const tree = { rootId, inboxId, sentItemsId, folders: hierarchy.folders, syncState: hierarchy.syncState };
    if (hierarchy.complete) slot?.keep(tree);
    return tree;
  }

  async *fetchNew(cursorText: string | null, options: FetchOptions, signal?: AbortSignal): AsyncIterable<FetchedBatch> {
    const session = this.requireSession();
    let cursor: EwsCursor = parseEwsCursor(cursorText);
    let yielded = serializeEwsCursor(cursor);
    const { notBefore, resyncFrom } = options;
    const resyncFloor = resyncFrom && notBefore && notBefore > resyncFrom ? notBefore : resyncFrom;
    const wanted = (item: ListedItem) => !notBefore || !item.receivedAt || item.receivedAt >= notBefore;
    // A page of SyncFolderItems commits one SyncState: pages no larger than a batch keep re-reading after a crash short.
    const pageSize = Math.min(MAX_SYNC_CHANGES, options.batchSize);
    folders: for (const folder of this.resolved) {
      // An administrator's "resync from": read again what arrived since, whatever the SyncState says (the hub drops duplicates).
      if (resyncFloor) {
        const again = await findItems(session, folder.id, folder.path, resyncFloor, signal);
        for (const batch of planBatches(again, options.batchSize, options.maxBatchBytes)) {
          yield { messages: await this.read(session, folder, batch, signal), cursor: yielded };
        }
      }
      let { syncState, reset } = resumeState(positionOf(cursor, folder), folder.id);
      if (reset) this.options.logger?.info({ folder: folder.path }, 'the folder behind this path changed: reading it from the start');
      for (;;) {
        let page;
        try {
          page = await syncFolderItems(session, folder.id, folder.path, syncState, pageSize, signal);
        } catch (error) {
          // ErrorInvalidSyncStateData: the state no longer applies; read the folder from the start (the hub drops what it has).
          if (error instanceof MailError && error.code === 'CURSOR_INVALID' && syncState !== null) {
            this.options.logger?.warn({ folder: folder.path, reason: error.message }, 'Exchange refused the stored sync state: reading the folder from the start');
            syncState = null;
            continue;
          }
          if (this.goneMeanwhile(folder, error)) continue folders;
          throw error;
        }
        const after = withFolderPosition(withoutFolderId(cursor, folder), folder.path, { folderId: folder.id, syncState: page.syncState });
        const batches = planBatches(page.created.filter(wanted), options.batchSize, options.maxBatchBytes);
        for (const [index, batch] of batches.entries()) {
          const messages = await this.read(session, folder, batch, signal);
          // Only the page's last batch may carry its SyncState: earlier ones keep the old one (a crash re-reads the page).
          if (index === batches.length - 1) cursor = after;
          yielded = serializeEwsCursor(cursor);
          yield { messages, cursor: yielded };
        }
        cursor = after;
        syncState = page.syncState;
        if (!page.moreChangesAvailable) break;
      }
    }
    // A folder that only moved its state (nothing new, or only mail before "process email from") still commits it.
    if (serializeEwsCursor(cursor) !== yielded) yield { messages: [], cursor: serializeEwsCursor(cursor) };
    // A missing Sent folder is the profile's mistake; a tracked folder deleted in Outlook is not the mailbox's failure:
    // the folder report marks its rule missing, with a warning, and the rest of the mailbox keeps syncing.
    if (this.missingSent) throw folderMissing(this.missing.slice(0, 1), this.options.account);
    if (this.missing.length > 0) this.options.logger?.info({ folders: this.missing }, 'tracked folders not on the Exchange server: left to the folder report');
  }

  async *inventory(notBefore: Date | null, signal?: AbortSignal): AsyncIterable<readonly InventoryItem[]> {
    const session = this.requireSession();
    for (const folder of this.resolved) {
      let items;
      try {
        items = await findItems(session, folder.id, folder.path, notBefore, signal);
      } catch (error) {
        if (this.goneMeanwhile(folder, error)) continue;
        throw error;
      }
      if (items.length > 0) yield items.map((item) => ({ sourceRef: formatEwsRef(item.itemId), folder: folder.path, role: folder.role, messageId: item.messageId }));
    }
    if (this.missingSent) throw folderMissing(this.missing.slice(0, 1), this.options.account);
  }

  async *fetchRefs(refs: readonly string[], signal?: AbortSignal): AsyncIterable<RawMessage> {
    const session = this.requireSession();
    const ids = refs.map((ref) => {
      const id = parseEwsRef(ref);
      if (!id) throw new MailError('CURSOR_INVALID', `Not an Exchange message reference: ${ref.slice(0, 80)}`);
      return id;
    });
    for (let i = 0; i < ids.length; i += REFS_CHUNK) {
      for (const item of await getMime(session, ids.slice(i, i + REFS_CHUNK), undefined, signal)) yield this.message(item, this.folderOf(item.parentFolderId));
    }
  }

  async remove(refs: readonly string[]): Promise<void> {
    const ids = refs.map(parseEwsRef).filter((id): id is string => id !== null);
    await moveToDeletedItems(this.requireSession(), ids);
  }

  /**
   * Waits for a change in the folders read: streaming notifications (a GetStreamingEvents connection held open)
   * where the server grants them, else pull notifications (Subscribe + GetEvents every pullIntervalMs), else a plain
   * wait. Subscriptions start at the first wait: mail that arrived just before is read on the next claim, so a
   * missed event costs latency only. The stream is read outside the library's HTTP layer, so an NTLM account's
   * streaming connection signs in by itself (ews-ntlm-sign-in.ts).
   */
  async waitForChange(maxMs: number, signal?: AbortSignal): Promise<'changed' | 'timeout'> {
    const session = this.requireSession();
    if (!this.streaming && this.options.streaming !== false) {
      this.streaming = new EwsStreamingWatch(session, () => this.watched().folderIds, this.watched().events, this.streamingOptions());
    }
    const streamed = this.streaming ? await this.streaming.wait(maxMs, signal) : 'unavailable';
    if (streamed !== 'unavailable') return streamed;
    return this.waitForPulledChange(maxMs, signal);
  }

  /**
   * Push mode (mailbox-watcher.ts, outside the work slots): a subscription on the folders waitForChange would watch,
   * held until the watch is closed, streaming where the server grants it, else pulled. Resolves once it listens, with
   * `missed` when Inbox changed past `cursor` (arrived while nobody listened; checked after subscribing, so nothing
   * falls between). Throws MailError when it cannot subscribe.
   */
  async watch(cursor: string | null, handlers: ExchangeWatchHandlers, signal?: AbortSignal): Promise<{ watch: ExchangeMailboxWatch; missed: boolean }> {
    const session = this.requireSession();
    // Taken once: the watch outlives this source, which need not be kept (with its folder list) for it.
    const { folderIds, events } = this.watched();
    const streaming = this.options.streaming === false ? null : this.streamingOptions();
    const watch = new ExchangeMailboxWatch(session, () => folderIds, events, { streaming, pullIntervalMs: this.options.pullIntervalMs ?? DEFAULT_PULL_INTERVAL_MS, logger: this.options.logger }, handlers);
    await watch.start(signal);
    try {
      return { watch, missed: await this.inboxChangedSince(cursor, signal) };
    } catch (error) {
      watch.close();
      throw error;
    }
  }

  /**
   * Whether Inbox holds changes past its position in `cursor`: one SyncFolderItems of one change from the stored
   * SyncState (the state is the client's to keep, so asking moves nothing). Never synced: no (the first sync reads
   * it all anyway); a position that cannot be used, or a question that fails: yes, as one sync more costs little.
   */
  private async inboxChangedSince(cursorText: string | null, signal?: AbortSignal): Promise<boolean> {
    const inbox = this.resolved.find((folder) => folder.role === 'INBOX');
    if (!inbox) return false;
    let position;
    try {
      position = positionOf(parseEwsCursor(cursorText), inbox);
    } catch {
      return true;
    }
    if (!position) return false;
    if (position.folderId !== inbox.id) return true;
    try {
      const page = await syncFolderItems(this.requireSession(), inbox.id, inbox.path, position.syncState, 1, signal);
      return page.created.length > 0 || page.moreChangesAvailable;
    } catch (error) {
      if (signal?.aborted || (error instanceof MailError && error.code === 'AUTH_FAILED')) throw error;
      return true;
    }
  }

  private streamingOptions(): StreamingWatchOptions {
    const { credentials, connection } = this.options.account;
    return {
      allowInvalidCertificates: connection.allowInvalidCertificates,
      ntlm: credentials.method === 'NTLM' ? { username: credentials.username, password: credentials.password } : null,
      logger: this.options.logger,
    };
  }

  /** The folders whose changes wake a wait, and which changes. */
  private watched(): { folderIds: FolderId[]; events: EventType[] } {
    const folderIds = this.resolved.map((folder) => new FolderId(folder.id));
    const events = [EventType.NewMail, EventType.Created, EventType.Moved];
    // An appointment moved, a task completed or a contact changed in Outlook is an item modified in its folder.
    if (this.options.watchActFolders) {
      folderIds.push(new FolderId(WellKnownFolderName.Calendar), new FolderId(WellKnownFolderName.Tasks), new FolderId(WellKnownFolderName.Contacts));
      events.push(EventType.Modified, EventType.Deleted);
    }
    return { folderIds, events };
  }

  private async waitForPulledChange(maxMs: number, signal?: AbortSignal): Promise<'changed' | 'timeout'> {
    const session = this.requireSession();
    const deadline = Date.now() + maxMs;
    const interval = this.options.pullIntervalMs ?? DEFAULT_PULL_INTERVAL_MS;
    if (!this.subscription && !this.pullUnavailable) {
      try {
        const { folderIds, events } = this.watched();
        this.subscription = await session.call('Subscribe', (service) => service.SubscribeToPullNotifications(folderIds, PULL_TIMEOUT_MINUTES, null as unknown as string, ...events), { signal });
      } catch (error) {
        if (signal?.aborted) return 'timeout';
        this.pullUnavailable = true; // not offered (or not to this account): wait the whole time instead
        this.options.logger?.info({ reason: error instanceof Error ? error.message : String(error) }, 'Exchange pull notifications unavailable: polling instead');
      }
    }
    while (Date.now() < deadline && !signal?.aborted) {
      const subscription = this.subscription;
      const pause = subscription ? Math.min(interval, deadline - Date.now()) : deadline - Date.now();
      await delay(Math.max(0, pause), undefined, { signal }).catch(() => undefined);
      if (signal?.aborted || !subscription) break;
      let events;
      try {
        events = await session.call('GetEvents', () => subscription.GetEvents(), { signal });
      } catch (error) {
        // ErrorSubscriptionNotFound and friends (Exchange restarted, the subscription timed out): read the folders
        // again, which also subscribes anew on the next wait. Credentials that stopped working are the mailbox's problem.
        if (signal?.aborted || (error instanceof MailError && error.code === 'AUTH_FAILED')) throw error;
        this.subscription = null;
        this.options.logger?.info({ reason: error instanceof Error ? error.message : String(error) }, 'Exchange pull subscription lost: reading the folders again');
        return 'changed';
      }
      if (events.ItemEvents.length > 0) return 'changed';
    }
    return 'timeout';
  }

  async close(): Promise<void> {
    const subscription = this.subscription;
    const streaming = this.streaming;
    this.subscription = null;
    this.streaming = null;
    this.session = null;
    // Unsubscribing is a courtesy: Exchange drops an unpolled subscription after its timeout anyway.
    if (subscription) await subscription.Unsubscribe().catch(() => undefined);
    await streaming?.close();
  }

  /**
   * A tracked folder deleted in Outlook after open() listed it: the rest of the mailbox is read, and the next run's
   * folder report (which no longer lists it) marks its rule missing. Inbox or Sent gone is an error as before.
   */
  private goneMeanwhile(folder: EwsResolvedFolder, error: unknown): boolean {
    if (folder.role !== 'TRACKED' || !(error instanceof MailError) || error.code !== 'FOLDER_MISSING') return false;
    this.options.logger?.info({ folder: folder.path }, 'a tracked Exchange folder was deleted while the mailbox was read: skipped');
    return true;
  }

  private async read(session: EwsSession, folder: EwsResolvedFolder, items: readonly ListedItem[], signal?: AbortSignal): Promise<RawMessage[]> {
    const messages: RawMessage[] = [];
    for (const call of planBatches(items, GET_ITEM_ITEMS, GET_ITEM_BYTES)) {
      for (const item of await getMime(session, call.map((listed) => listed.itemId), folder.path, signal)) messages.push(this.message(item, folder));
    }
    return messages;
  }

  private message(item: FetchedItem, folder: Pick<EwsResolvedFolder, 'path' | 'role'>): RawMessage {
    return { sourceRef: formatEwsRef(item.itemId), folder: folder.path, role: folder.role, receivedAt: item.receivedAt, size: item.size, source: item.mime };
  }

  /** The folder an item sits in, for fetchRefs: one this source reads, or any other by its path. */
  private folderOf(parentFolderId: string | null): Pick<EwsResolvedFolder, 'path' | 'role'> {
    const known = this.resolved.find((folder) => folder.id === parentFolderId);
    if (known) return known;
    return { path: (parentFolderId && this.pathById.get(parentFolderId)) ?? 'Inbox', role: 'TRACKED' };
  }

  private requireSession(): EwsSession {
    if (!this.session) throw new MailError('TEMPORARY', 'The Exchange source is not open');
    return this.session;
  }
}

/** The position saved for this folder: under its path, or under the path it had before a rename (same FolderId). */
function positionOf(cursor: EwsCursor, folder: EwsResolvedFolder): EwsFolderPosition | undefined {
  return cursor.folders[folder.path] ?? Object.values(cursor.folders).find((position) => position.folderId === folder.id);
}

/** The cursor without positions of this folder under an older path, so a renamed folder is kept once. */
function withoutFolderId(cursor: EwsCursor, folder: EwsResolvedFolder): EwsCursor {
  const stale = Object.entries(cursor.folders).filter(([path, position]) => path !== folder.path && position.folderId === folder.id);
  if (stale.length === 0) return cursor;
  return { ...cursor, folders: Object.fromEntries(Object.entries(cursor.folders).filter(([path]) => !stale.some(([old]) => old === path))) };
}

function folderMissing(paths: readonly string[], account: EwsAccount): MailError {
  const names = paths.map((path) => `'${path}'`).join(', ');
  const mailbox = account.connection.impersonateAddress ?? account.address;
  return new MailError('FOLDER_MISSING', paths.length === 1 ? `Folder ${names} does not exist in the Exchange mailbox ${mailbox}: check the folder name` : `Folders ${names} do not exist in the Exchange mailbox ${mailbox}: check the folder names`);
}
