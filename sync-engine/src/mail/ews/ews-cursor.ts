import { readCursorJson } from '../cursor-json.js';
import { MailError } from '../mail-error.js';

/** How far one folder was read: the SyncState SyncFolderItems returned (Messages.xsd SyncFolderItemsResponseMessage/SyncState) for this folder id. */
export interface EwsFolderPosition {
  /** The folder the state belongs to: a path that now names another folder starts from the beginning. */
  readonly folderId: string;
  readonly syncState: string;
}

/**
 * The EWS source's cursor: one position per mail folder path ("Inbox", "Sent Items", "Inbox/Customers"), and the
 * Calendar's and the Tasks folder's SyncStates once they are synchronized. JSON `{v:1, folders:{…}, calendar?:{syncState}, tasks?:{syncState}, contacts?:{syncState}}`.
 */
export interface EwsCursor {
  readonly v: 1;
  readonly folders: Readonly<Record<string, EwsFolderPosition>>;
  /** The Calendar's SyncState, and the day up to which its recurring series were expanded (the window's end, ISO 8601). */
  readonly calendar?: { readonly syncState: string; readonly expandedUntil?: string };
  readonly tasks?: { readonly syncState: string };
  readonly contacts?: { readonly syncState: string };
}

export const EMPTY_EWS_CURSOR: EwsCursor = Object.freeze({ v: 1, folders: Object.freeze({}) });

// Exchange's SyncState is base64 of a few hundred bytes to a few KB; a folder id about 150 characters.
export const MAX_SYNC_STATE = 65_536;
export const MAX_FOLDER_ID = 1_024;
const MAX_FOLDERS = 1_000;
const BASE64 = /^[A-Za-z0-9+/=_-]+$/;

const invalid = (why: string) => new MailError('CURSOR_INVALID', `The stored Exchange position cannot be read: ${why}`);

/** Reads a stored cursor; null or empty means "never synced". Throws MailError CURSOR_INVALID on anything malformed. */
export function parseEwsCursor(text: string | null): EwsCursor {
  if (text === null || text === '') return EMPTY_EWS_CURSOR;
  const { folders, calendar, tasks, contacts } = readCursorJson(text, ['folders', 'calendar', 'tasks', 'contacts'], invalid);
  if (typeof folders !== 'object' || folders === null || Array.isArray(folders)) throw invalid('folders is not an object');
  const entries = Object.entries(folders);
  if (entries.length > MAX_FOLDERS) throw invalid(`more than ${MAX_FOLDERS} folders`);
  const parsed: Record<string, EwsFolderPosition> = {};
  for (const [path, value] of entries) {
    if (path.trim() === '') throw invalid('empty folder path');
    parsed[path] = parsePosition(path, value);
  }
  return {
    v: 1,
    folders: parsed,
    ...(calendar === undefined ? {} : { calendar: calendarState(calendar) }),
    ...(tasks === undefined ? {} : { tasks: { syncState: folderState('tasks', tasks) } }),
    ...(contacts === undefined ? {} : { contacts: { syncState: folderState('contacts', contacts) } }),
  };
}

/** The Calendar's `{syncState, expandedUntil?}`. */
function calendarState(value: unknown): { syncState: string; expandedUntil?: string } {
  const { expandedUntil, ...rest } = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  const syncState = folderState('calendar', rest);
  if (expandedUntil === undefined) return { syncState };
  if (typeof expandedUntil !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(expandedUntil) || Number.isNaN(Date.parse(expandedUntil))) throw invalid('calendar has no valid expandedUntil');
  return { syncState, expandedUntil };
}

/** The SyncState of the Calendar or the Tasks folder, `{syncState}`. */
function folderState(name: string, value: unknown): string {
  const { syncState, ...rest } = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { syncState: null }) as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof syncState !== 'string' || syncState === '' || syncState.length > MAX_SYNC_STATE || !BASE64.test(syncState)) throw invalid(`${name} has no valid syncState`);
  return syncState;
}

function parsePosition(path: string, value: unknown): EwsFolderPosition {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`folder ${path} is not an object`);
  const { folderId, syncState, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw invalid(`unexpected field ${Object.keys(rest)[0]} in folder ${path}`);
  if (typeof folderId !== 'string' || folderId === '' || folderId.length > MAX_FOLDER_ID || !BASE64.test(folderId)) throw invalid(`folder ${path} has no valid folderId`);
  if (typeof syncState !== 'string' || syncState === '' || syncState.length > MAX_SYNC_STATE || !BASE64.test(syncState)) throw invalid(`folder ${path} has no valid syncState`);
  return { folderId, syncState };
}

export function serializeEwsCursor(cursor: EwsCursor): string {
  return JSON.stringify(cursor);
}

export function withFolderPosition(cursor: EwsCursor, path: string, position: EwsFolderPosition): EwsCursor {
  return { ...cursor, folders: { ...cursor.folders, [path]: position } };
}

export function withCalendarState(cursor: EwsCursor, syncState: string): EwsCursor {
  return { ...cursor, calendar: { ...cursor.calendar, syncState } };
}

/** The Calendar's series expanded up to `expandedUntil` (kept only once the Calendar has a SyncState). */
export function withCalendarExpansion(cursor: EwsCursor, expandedUntil: string): EwsCursor {
  return cursor.calendar ? { ...cursor, calendar: { ...cursor.calendar, expandedUntil } } : cursor;
}

export function withTasksState(cursor: EwsCursor, syncState: string): EwsCursor {
  return { ...cursor, tasks: { syncState } };
}

export function withContactsState(cursor: EwsCursor, syncState: string): EwsCursor {
  return { ...cursor, contacts: { syncState } };
}

/**
 * The SyncState to continue a folder from: the saved one when it belongs to this folder id, else null (read from
 * the start; the hub drops what it already has by sourceRef and Message-ID).
 */
export function resumeState(saved: EwsFolderPosition | undefined, folderId: string): { readonly syncState: string | null; readonly reset: boolean } {
  if (saved && saved.folderId === folderId) return { syncState: saved.syncState, reset: false };
  return { syncState: null, reset: saved !== undefined };
}
