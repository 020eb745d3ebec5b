import {
  BasePropertySet, ChangeCollection, ChangeType, DateTime, DeleteMode, EmailMessage, EmailMessageSchema, Folder, FolderId, FolderSchema, ItemId, type FolderChange, ItemSchema,
  ItemView, PropertySet, SearchFilter, ServiceError, ServiceResult, SortDirection, SyncFolderItemsScope, WellKnownFolderName, type Item, type ServiceResponse,
} from 'ews-javascript-api';
import { MailError } from '../mail-error.js';
import { ewsMailError } from './ews-errors.js';
import { dateOf, optional } from './ews-properties.js';
import type { ListedFolder } from './ews-folder-paths.js';
import type { EwsSession } from './ews-service.js';
import { sideBySide } from './side-by-side.js';
import { xmlEscape } from './ews-xml.js';

// Thin, typed calls of the EWS operations the adapters use (Microsoft's EWS operation reference names each).

/** One item as a sync page or a search lists it, before its MIME is fetched. */
export interface ListedItem {
  readonly itemId: string;
  readonly receivedAt: Date | null;
  readonly size: number;
}

// Messages.xsd SyncFolderItems/MaxChangesReturned: 1 to 512.
export const MAX_SYNC_CHANGES = 512;
// FindItem pages (IndexedPageItemView MaxEntriesReturned).
const PAGE = 1000;
const MAX_LISTED_FOLDERS = 5000;
// SyncFolderHierarchy answers in pages of Exchange's choosing; a mailbox deeper than this many is cut (and reported as cut).
const MAX_HIERARCHY_PAGES = 50;


/**
 * GetFolder of the well-known folders (Types.xsd DistinguishedFolderIdNameType); their ids, in order. Asked side by
 * side (within the account's call limit): a sync or watch without a kept folder tree opens with them, and one round
 * trip costs less than three.
 */
export async function wellKnownFolderIds(session: EwsSession, names: readonly WellKnownFolderName[], signal?: AbortSignal): Promise<string[]> {
  const folders = await sideBySide(
    signal,
    names.map((name) => (shared: AbortSignal) => session.call(`GetFolder ${WellKnownFolderName[name]}`, (service) => Folder.Bind(service, name, new PropertySet(BasePropertySet.IdOnly)), { folder: WellKnownFolderName[name], signal: shared })),
  );
  return folders.map((folder) => folder.Id.UniqueId);
}

/** The folders below msgfolderroot as of a SyncFolderHierarchy SyncState. */
export interface FolderHierarchy {
  readonly folders: readonly ListedFolder[];
  /** Messages.xsd SyncFolderHierarchyResponseMessage/SyncState: where the next incremental read starts. */
  readonly syncState: string;
  /** False when the tree was cut (MAX_LISTED_FOLDERS, MAX_HIERARCHY_PAGES): then it must not be followed incrementally. */
  readonly complete: boolean;
}

/**
 * Every folder below msgfolderroot with its id, parent, display name and class: SyncFolderHierarchy page after page
 * until IncludesLastFolderInRange. From `known` (a tree and its SyncState) only the folders created, changed (renamed,
 * moved) or deleted since are asked for and applied; from null, the whole tree. Renames and moves keep a folder's id,
 * which is how folder tracking rules follow them. A refused SyncState throws MailError CURSOR_INVALID.
 */
export async function readFolderHierarchy(session: EwsSession, known: Pick<FolderHierarchy, 'folders' | 'syncState'> | null, signal?: AbortSignal): Promise<FolderHierarchy> {
  const properties = new PropertySet(BasePropertySet.IdOnly, [FolderSchema.DisplayName, FolderSchema.ParentFolderId, FolderSchema.FolderClass]);
  const folders = new Map<string, ListedFolder>((known?.folders ?? []).map((folder) => [folder.id, folder]));
  let syncState: string | null = known?.syncState ?? null;
  let complete = false;
  for (let page = 0; page < MAX_HIERARCHY_PAGES; page++) {
    const state: string | null = syncState;
    const changes: ChangeCollection<FolderChange> = await session.call('SyncFolderHierarchy', (service) => service.SyncFolderHierarchy(new FolderId(WellKnownFolderName.MsgFolderRoot), properties, state as string), { signal });
    for (const change of changes.GetEnumerator()) {
      const folder = optional(() => change.Folder);
      const id = optional(() => change.FolderId?.UniqueId) ?? folder?.Id?.UniqueId;
      if (!id) continue;
      if (change.ChangeType === ChangeType.Delete || !folder) {
        deleteWithDescendants(folders, id);
        continue;
      }
      folders.set(id, { id, parentId: optional(() => folder.ParentFolderId?.UniqueId), displayName: optional(() => folder.DisplayName) ?? '', folderClass: optional(() => folder.FolderClass) });
    }
    syncState = changes.SyncState;
    if (folders.size >= MAX_LISTED_FOLDERS) break;
    if (!changes.MoreChangesAvailable) {
      complete = true;
      break;
    }
  }
  return { folders: [...folders.values()].slice(0, MAX_LISTED_FOLDERS), syncState: syncState ?? '', complete: complete && folders.size <= MAX_LISTED_FOLDERS };
}

/** A folder gone for good takes its subfolders with it, whether or not the server names each (a full listing would not list them). */
function deleteWithDescendants(folders: Map<string, ListedFolder>, id: string): void {
  const doomed = [id];
  while (doomed.length > 0) {
    const gone = doomed.pop()!;
    folders.delete(gone);
    for (const folder of folders.values()) if (folder.parentId === gone) doomed.push(folder.id);
  }
}

/** GetFolder of one folder by id: opens it with the signed-in account's rights (Test & Enable). */
export async function openFolder(session: EwsSession, folder: FolderId | WellKnownFolderName, label: string, signal?: AbortSignal): Promise<void> {
  await session.call(`GetFolder ${label}`, (service) => Folder.Bind(service, folder as FolderId, new PropertySet(BasePropertySet.IdOnly, [FolderSchema.DisplayName])), { folder: label, signal });
}

export interface SyncPage {
  /** Items created (or moved in) since the state, oldest first. */
  readonly created: readonly ListedItem[];
  readonly syncState: string;
  readonly moreChangesAvailable: boolean;
}

/** SyncFolderItems: the changes after `syncState` (null: from the folder's beginning), IdOnly + DateTimeReceived + Size. */
export async function syncFolderItems(session: EwsSession, folderId: string, folderPath: string, syncState: string | null, maxChanges: number, signal?: AbortSignal): Promise<SyncPage> {
  const properties = new PropertySet(BasePropertySet.IdOnly, [ItemSchema.DateTimeReceived, ItemSchema.Size]);
  const changes = await session.call(
    'SyncFolderItems',
    (service) => service.SyncFolderItems(new FolderId(folderId), properties, null as unknown as ItemId[], Math.min(MAX_SYNC_CHANGES, Math.max(1, maxChanges)), SyncFolderItemsScope.NormalItems, syncState as string),
    { folder: folderPath, signal },
  );
  const created: ListedItem[] = [];
  for (const change of changes.GetEnumerator()) {
    // Update, Delete and ReadFlagChange say nothing new about a message the hub already has.
    if (change.ChangeType !== ChangeType.Create) continue;
    const item = optional(() => change.Item);
    const itemId = change.ItemId?.UniqueId ?? item?.Id?.UniqueId;
    if (!itemId) continue;
    created.push({ itemId, receivedAt: dateOf(optional(() => item?.DateTimeReceived ?? null)), size: optional(() => item?.Size ?? null) ?? 0 });
  }
  return { created: oldestFirst(created), syncState: changes.SyncState, moreChangesAvailable: changes.MoreChangesAvailable };
}

/** FindItem in one folder: items received since `since` (all when null), oldest first, with their Message-IDs when asked. */
export async function findItems(
  session: EwsSession,
  folderId: string,
  folderPath: string,
  since: Date | null,
  signal?: AbortSignal,
): Promise<(ListedItem & { readonly messageId: string | null })[]> {
  const found: (ListedItem & { messageId: string | null })[] = [];
  for (let offset = 0; ; ) {
    const view = new ItemView(PAGE, offset);
    view.PropertySet = new PropertySet(BasePropertySet.IdOnly, [ItemSchema.DateTimeReceived, ItemSchema.Size, EmailMessageSchema.InternetMessageId]);
    view.OrderBy.Add(ItemSchema.DateTimeReceived, SortDirection.Ascending);
    const filter = since ? new SearchFilter.IsGreaterThanOrEqualTo(ItemSchema.DateTimeReceived, new DateTime(since.getTime())) : null;
    const page = await session.call('FindItem', (service) => (filter ? service.FindItems(new FolderId(folderId), filter, view) : service.FindItems(new FolderId(folderId), view)), { folder: folderPath, signal });
    for (const item of page.Items) {
      found.push({
        itemId: item.Id.UniqueId,
        receivedAt: dateOf(optional(() => item.DateTimeReceived)),
        size: optional(() => item.Size) ?? 0,
        messageId: item instanceof EmailMessage ? bareMessageId(optional(() => item.InternetMessageId)) : null,
      });
    }
    if (!page.MoreAvailable || page.Items.length === 0) break;
    offset = page.NextPageOffset ?? offset + page.Items.length;
  }
  return found;
}

/** DeleteItem with MoveToDeletedItems (recoverable by the user); items already gone are fine. */
export async function moveToDeletedItems(session: EwsSession, itemIds: readonly string[], signal?: AbortSignal): Promise<void> {
  if (itemIds.length === 0) return;
  const responses = await session.call('DeleteItem', (service) => service.DeleteItems(itemIds.map((id) => new ItemId(id)), DeleteMode.MoveToDeletedItems, null as never, null as never), { signal });
  for (const response of responses.Responses) {
    if (response.Result === ServiceResult.Error && !isGone(response)) throw responseError(session, response, undefined);
  }
}

/**
 * FindItem in one folder restricted to InternetMessageId = "<id>" (Exchange stores the header with its angle
 * brackets): whether a message with this Message-ID is there.
 */
export async function hasMessageId(session: EwsSession, folder: WellKnownFolderName, messageId: string, signal?: AbortSignal): Promise<boolean> {
  const bare = bareMessageId(messageId);
  if (!bare) return false;
  const view = new ItemView(1);
  view.PropertySet = new PropertySet(BasePropertySet.IdOnly);
  // ews-javascript-api writes attribute values unescaped (EwsServiceXmlWriter.WriteAttributeString): escape the brackets ourselves.
  const filter = new SearchFilter.IsEqualTo(EmailMessageSchema.InternetMessageId, xmlEscape(`<${bare}>`));
  const page = await session.call('FindItem', (service) => service.FindItems(folder, filter, view), { folder: WellKnownFolderName[folder], signal });
  return page.Items.length > 0;
}

const isGone = (response: ServiceResponse) => response.ErrorCode === ServiceError.ErrorItemNotFound || response.ErrorCode === ServiceError.ErrorMoveCopyFailed;

function responseError(session: EwsSession, response: ServiceResponse, folder: string | undefined): MailError {
  return ewsMailError({ responseCode: ServiceError[response.ErrorCode], serverText: response.ErrorMessage ?? undefined }, { ...session.context, folder });
}

function oldestFirst<T extends ListedItem>(items: T[]): T[] {
  return items.map((item, index) => ({ item, index })).sort((a, b) => (a.item.receivedAt?.getTime() ?? 0) - (b.item.receivedAt?.getTime() ?? 0) || a.index - b.index).map(({ item }) => item);
}

/** "<id@host>" → "id@host"; null when absent. */
export function bareMessageId(value: string | undefined | null): string | null {
  if (!value) return null;
  const trimmed = value.trim().replace(/^<|>$/g, '').trim();
  return trimmed === '' ? null : trimmed;
}
