import { readCursorJson } from '../cursor-json.js';
import { MailError } from '../mail-error.js';

/**
 * The POP3 source's cursor: the unique ids (UIDL, RFC 1939 7) of the last messages handed over, in server order,
 * at most RECENT_LIMIT of them. POP3 has no "since" query; the newest survivor of this list marks where new mail
 * starts, so the server may delete up to RECENT_LIMIT - 1 of them between sessions without us losing our place.
 */
export interface Pop3Cursor {
  readonly v: 1;
  readonly recent: readonly string[];
}

export const RECENT_LIMIT = 50;
export const EMPTY_POP3_CURSOR: Pop3Cursor = Object.freeze({ v: 1, recent: Object.freeze([]) as readonly string[] });

// RFC 1939 7: a unique-id is 1 to 70 characters in the range 0x21 to 0x7E.
const UIDL = /^[\x21-\x7e]{1,70}$/;

const invalid = (why: string) => new MailError('CURSOR_INVALID', `The stored POP3 position cannot be read: ${why}`);

/** Reads a stored cursor; null or empty means "never synced". Throws MailError CURSOR_INVALID on anything else malformed. */
export function parsePop3Cursor(text: string | null): Pop3Cursor {
  if (text === null || text === '') return EMPTY_POP3_CURSOR;
  const { recent } = readCursorJson(text, ['recent'], invalid);
  if (!Array.isArray(recent)) throw invalid('recent is not a list');
  if (recent.length > RECENT_LIMIT) throw invalid(`more than ${RECENT_LIMIT} recent ids`);
  for (const uidl of recent) {
    if (typeof uidl !== 'string' || !UIDL.test(uidl)) throw invalid(`bad unique id ${JSON.stringify(uidl)}`);
  }
  return { v: 1, recent: [...recent] as string[] };
}

export function serializePop3Cursor(cursor: Pop3Cursor): string {
  return JSON.stringify(cursor);
}

/** Where new mail starts in this session's listing (UIDLs in server order). */
export interface Pop3Start {
  /** Index of the first new message; listing.length when there is none. */
  readonly index: number;
  /**
   * True when the cursor named messages but none of them is on the server any more (all deleted, or the server
   * renumbered its ids): every message is a candidate again and the hub drops the ones it already has.
   */
  readonly lostTrack: boolean;
}

export function findStart(listing: readonly string[], cursor: Pop3Cursor): Pop3Start {
  if (cursor.recent.length === 0) return { index: 0, lostTrack: false };
  const known = new Set(cursor.recent);
  for (let index = listing.length - 1; index >= 0; index--) {
    if (known.has(listing[index])) return { index: index + 1, lostTrack: false };
  }
  return { index: 0, lostTrack: true };
}

/** The cursor once every message up to and including `listing[index]` was handed over (or skipped as too old). */
export function cursorThrough(listing: readonly string[], index: number, previous: Pop3Cursor): Pop3Cursor {
  if (index < 0) return previous;
  return { v: 1, recent: listing.slice(Math.max(0, index + 1 - RECENT_LIMIT), index + 1) };
}
