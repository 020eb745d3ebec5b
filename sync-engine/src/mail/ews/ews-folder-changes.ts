import { BasePropertySet, ChangeType, FolderId, ItemId, PropertySet, SyncFolderItemsScope, type WellKnownFolderName } from 'ews-javascript-api';
import { MailError } from '../mail-error.js';
import { parseEwsCursor, serializeEwsCursor, type EwsCursor } from './ews-cursor.js';
import { MAX_SYNC_CHANGES } from './ews-operations.js';
import type { EwsSession } from './ews-service.js';

// What changed in one of a mailbox's Outlook folders (Calendar, Tasks, Contacts) since a SyncState, and the walk
// through its pages from where the mailbox's cursor says: shared by the calendar, task and contact sources.

/** One SyncFolderItems page of a folder, by ItemId: created or changed, and deleted (the last change of each wins). */
export interface FolderChanges {
  readonly changed: readonly string[];
  readonly deleted: readonly string[];
  readonly syncState: string;
  readonly moreChangesAvailable: boolean;
}

export async function readFolderChanges(session: EwsSession, folder: WellKnownFolderName, folderName: string, syncState: string | null, maxChanges: number, signal?: AbortSignal): Promise<FolderChanges> {
  const changes = await session.call(
    'SyncFolderItems',
    (service) => service.SyncFolderItems(new FolderId(folder), new PropertySet(BasePropertySet.IdOnly), null as unknown as ItemId[], Math.min(MAX_SYNC_CHANGES, Math.max(1, maxChanges)), SyncFolderItemsScope.NormalItems, syncState as string),
    { folder: folderName, signal },
  );
  const changed = new Set<string>();
  const deleted = new Set<string>();
  for (const change of changes.GetEnumerator()) {
    const id = change.ItemId?.UniqueId;
    if (!id) continue;
    if (change.ChangeType === ChangeType.Delete) {
      deleted.add(id);
      changed.delete(id);
    } else if (change.ChangeType === ChangeType.Create || change.ChangeType === ChangeType.Update) {
      changed.add(id);
      deleted.delete(id);
    }
  }
  return { changed: [...changed], deleted: [...deleted], syncState: changes.SyncState, moreChangesAvailable: changes.MoreChangesAvailable };
}

/** Where one folder's SyncState sits in the mailbox cursor. */
export interface CursorSlot {
  readonly stateOf: (cursor: EwsCursor) => string | null;
  readonly withState: (cursor: EwsCursor, syncState: string) => EwsCursor;
}

/**
 * A folder read page by page from the SyncState the cursor holds, each page with the mailbox cursor to commit with
 * it. A state Exchange no longer accepts starts the folder again: what the pages carry is keyed (UID, ItemId), so a
 * second reading doubles nothing.
 */
export async function* pagesFromCursor<P extends { readonly syncState: string; readonly moreChangesAvailable: boolean }>(
  cursorText: string | null,
  slot: CursorSlot,
  readPage: (syncState: string | null) => Promise<P>,
): AsyncIterable<{ readonly page: P; readonly cursor: string }> {
  let cursor = parseEwsCursor(cursorText);
  let syncState = slot.stateOf(cursor);
  for (;;) {
    let page: P;
    try {
      page = await readPage(syncState);
    } catch (error) {
      if (error instanceof MailError && error.code === 'CURSOR_INVALID' && syncState !== null) {
        syncState = null;
        continue;
      }
      throw error;
    }
    cursor = slot.withState(cursor, page.syncState);
    syncState = page.syncState;
    yield { page, cursor: serializeEwsCursor(cursor) };
    if (!page.moreChangesAvailable) return;
  }
}
