import { describe, expect, it } from 'vitest';
import { MailError } from '../mail-error.js';
import { cursorThrough, EMPTY_POP3_CURSOR, findStart, parsePop3Cursor, RECENT_LIMIT, serializePop3Cursor } from './pop3-cursor.js';

const ids = (count: number, from = 1) => Array.from({ length: count }, (_, index) => `0000${(from + index).toString(16).padStart(4, '0')}5f3a9c10`);

describe('parsePop3Cursor', () => {
  it('reads null and empty as never synced', () => {
    expect(parsePop3Cursor(null)).toEqual(EMPTY_POP3_CURSOR);
    expect(parsePop3Cursor('')).toEqual(EMPTY_POP3_CURSOR);
  });

  it('round-trips', () => {
    const cursor = { v: 1 as const, recent: ids(3) };
    expect(parsePop3Cursor(serializePop3Cursor(cursor))).toEqual(cursor);
  });

  it('accepts any printable unique-id of up to 70 characters (RFC 1939 7)', () => {
    const odd = ['whqtswO00WBw418f9t5JxYwZ', '<1896.697170952@dbc.mtview.ca.us>', 'x'.repeat(70)];
    expect(parsePop3Cursor(JSON.stringify({ v: 1, recent: odd })).recent).toEqual(odd);
  });

  it.each([
    ['not JSON', '{'],
    ['an array', '[]'],
    ['another version', '{"v":2,"recent":[]}'],
    ['an IMAP cursor', '{"v":1,"folders":{}}'],
    ['recent that is not a list', '{"v":1,"recent":"abc"}'],
    ['a number as id', '{"v":1,"recent":[5]}'],
    ['an empty id', '{"v":1,"recent":[""]}'],
    ['an id with a space', '{"v":1,"recent":["a b"]}'],
    ['an id of 71 characters', JSON.stringify({ v: 1, recent: ['x'.repeat(71)] })],
    ['more than the limit', JSON.stringify({ v: 1, recent: ids(RECENT_LIMIT + 1) })],
    ['an unknown field', '{"v":1,"recent":[],"last":"a"}'],
  ])('rejects %s with CURSOR_INVALID', (_label, text) => {
    expect(() => parsePop3Cursor(text)).toThrow(MailError);
    try {
      parsePop3Cursor(text);
    } catch (error) {
      expect((error as MailError).code).toBe('CURSOR_INVALID');
    }
  });
});

describe('findStart', () => {
  const listing = ids(6);

  it('starts at the first message on the first sync', () => {
    expect(findStart(listing, EMPTY_POP3_CURSOR)).toEqual({ index: 0, lostTrack: false });
  });

  it('starts after the newest message the cursor knows', () => {
    expect(findStart(listing, { v: 1, recent: listing.slice(0, 4) })).toEqual({ index: 4, lostTrack: false });
  });

  it('finds nothing new when the cursor knows the last message', () => {
    expect(findStart(listing, { v: 1, recent: listing })).toEqual({ index: 6, lostTrack: false });
  });

  it('copes with the server deleting the newest processed messages', () => {
    const serverNow = [listing[0], listing[1], listing[4], listing[5]]; // 3 and 4 deleted, 5 and 6 new
    expect(findStart(serverNow, { v: 1, recent: listing.slice(0, 4) })).toEqual({ index: 2, lostTrack: false });
  });

  it('copes with the server deleting the oldest messages', () => {
    const serverNow = listing.slice(3);
    expect(findStart(serverNow, { v: 1, recent: listing.slice(0, 4) })).toEqual({ index: 1, lostTrack: false });
  });

  it('reads everything again when none of the recent ids survives', () => {
    expect(findStart(ids(3, 100), { v: 1, recent: listing })).toEqual({ index: 0, lostTrack: true });
    expect(findStart([], { v: 1, recent: listing })).toEqual({ index: 0, lostTrack: true });
  });

  it('is not fooled by an old id reappearing earlier in the listing', () => {
    // Server order wins: the newest match is the last one in the listing.
    expect(findStart([listing[3], listing[0], listing[5]], { v: 1, recent: [listing[0], listing[3]] })).toEqual({ index: 2, lostTrack: false });
  });
});

describe('cursorThrough', () => {
  it('keeps the ids up to the index, in server order', () => {
    const listing = ids(5);
    expect(cursorThrough(listing, 2, EMPTY_POP3_CURSOR)).toEqual({ v: 1, recent: listing.slice(0, 3) });
  });

  it('keeps at most the last RECENT_LIMIT ids', () => {
    const listing = ids(RECENT_LIMIT + 20);
    const cursor = cursorThrough(listing, listing.length - 1, EMPTY_POP3_CURSOR);
    expect(cursor.recent).toHaveLength(RECENT_LIMIT);
    expect(cursor.recent[RECENT_LIMIT - 1]).toBe(listing[listing.length - 1]);
    expect(cursor.recent[0]).toBe(listing[20]);
  });

  it('keeps the previous cursor when nothing was covered', () => {
    const previous = { v: 1 as const, recent: ['abc'] };
    expect(cursorThrough(ids(3), -1, previous)).toBe(previous);
  });
});
