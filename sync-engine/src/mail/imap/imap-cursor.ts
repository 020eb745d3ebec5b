import { readCursorJson } from '../cursor-json.js';
import { MailError } from '../mail-error.js';

/** How far one folder was read: every message with a UID up to `lastUid` under this UIDVALIDITY was handed over. */
export interface FolderPosition {
  readonly uidValidity: number;
  readonly lastUid: number;
  /** HIGHESTMODSEQ (RFC 7162) when the folder was last read to its end; a decimal string, it may exceed 2^53. */
  readonly highestModseq?: string;
}

/** The IMAP source's cursor: one position per folder path. Serialized as JSON `{v:1, folders:{…}}`. */
export interface ImapCursor {
  readonly v: 1;
  readonly folders: Readonly<Record<string, FolderPosition>>;
}

export const EMPTY_IMAP_CURSOR: ImapCursor = Object.freeze({ v: 1, folders: Object.freeze({}) });

const MAX_UINT32 = 0xffff_ffff;
// RFC 7162 3.1.1: mod-sequence values are 63-bit unsigned integers.
const MODSEQ = /^[1-9]\d{0,18}$/;

const invalid = (why: string) => new MailError('CURSOR_INVALID', `The stored IMAP position cannot be read: ${why}`);

const isUint = (value: unknown, min: number): value is number => Number.isInteger(value) && (value as number) >= min && (value as number) <= MAX_UINT32;

/** Reads a stored cursor; null or empty means "never synced". Throws MailError CURSOR_INVALID on anything else malformed. */
export function parseImapCursor(text: string | null): ImapCursor {
  if (text === null || text === '') return EMPTY_IMAP_CURSOR;
  const { folders } = readCursorJson(text, ['folders'], invalid);
  if (typeof folders !== 'object' || folders === null || Array.isArray(folders)) throw invalid('folders is not an object');
  const parsed: Record<string, FolderPosition> = {};
  for (const [path, value] of Object.entries(folders)) {
    if (path === '') throw invalid('empty folder path');
    parsed[path] = parsePosition(path, value);
  }
  return { v: 1, folders: parsed };
}

function parsePosition(path: string, value: unknown): FolderPosition {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`folder ${path} is not an object`);
  const { uidValidity, lastUid, highestModseq, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw invalid(`unexpected field ${Object.keys(rest)[0]} in folder ${path}`);
  // RFC 3501 9: UIDVALIDITY is a nz-number; a UID is a nz-number too, 0 meaning "none read yet".
  if (!isUint(uidValidity, 1)) throw invalid(`folder ${path} has no valid uidValidity`);
  if (!isUint(lastUid, 0)) throw invalid(`folder ${path} has no valid lastUid`);
  if (highestModseq === undefined) return { uidValidity, lastUid };
  if (typeof highestModseq !== 'string' || !MODSEQ.test(highestModseq)) throw invalid(`folder ${path} has an invalid highestModseq`);
  return { uidValidity, lastUid, highestModseq };
}

export function serializeImapCursor(cursor: ImapCursor): string {
  return JSON.stringify(cursor);
}

export function withPosition(cursor: ImapCursor, path: string, position: FolderPosition): ImapCursor {
  return { v: 1, folders: { ...cursor.folders, [path]: position } };
}

/** What the server says about a folder when it is opened (EXAMINE). */
export interface FolderState {
  readonly uidValidity: number;
  readonly uidNext: number;
  /** Absent when the server has no CONDSTORE (or NOMODSEQ for this folder). */
  readonly highestModseq?: string;
}

/**
 * Where to continue reading a folder. RFC 3501 2.3.1.1: a new UIDVALIDITY invalidates every UID we hold, so the
 * folder is read again from its first message (the hub drops what it already has).
 */
export function resumePosition(saved: FolderPosition | undefined, server: FolderState): { readonly position: FolderPosition; readonly reset: boolean } {
  if (saved && saved.uidValidity === server.uidValidity) return { position: saved, reset: false };
  return { position: { uidValidity: server.uidValidity, lastUid: 0 }, reset: saved !== undefined };
}

/**
 * True when the folder cannot hold anything new since `saved`: same UIDVALIDITY and either the same
 * HIGHESTMODSEQ (RFC 7162 3.1.1: every new message raises it) or no UID assigned past `lastUid` (UIDNEXT).
 */
export function isFolderUnchanged(saved: FolderPosition | undefined, server: FolderState): boolean {
  if (!saved || saved.uidValidity !== server.uidValidity) return false;
  if (saved.highestModseq !== undefined && server.highestModseq !== undefined && saved.highestModseq === server.highestModseq) return true;
  return server.uidNext <= saved.lastUid + 1;
}

/**
 * The position once a folder was read to its end. Every UID below the UIDNEXT seen when the folder was opened
 * existed then and was covered by our search (read, or older than "process email from"), so the position may
 * jump there; HIGHESTMODSEQ is recorded only now, or a crash mid-folder could later skip unread mail.
 */
export function completedPosition(current: FolderPosition, server: FolderState): FolderPosition {
  const lastUid = Math.max(current.lastUid, server.uidNext - 1);
  return server.highestModseq !== undefined ? { uidValidity: current.uidValidity, lastUid, highestModseq: server.highestModseq } : { uidValidity: current.uidValidity, lastUid };
}

/** The position after handing over messages up to `uid` mid-folder: HIGHESTMODSEQ stays as it was. */
export function advancedPosition(current: FolderPosition, uid: number): FolderPosition {
  return uid <= current.lastUid ? current : { ...current, lastUid: uid };
}
