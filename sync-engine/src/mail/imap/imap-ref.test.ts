import { describe, expect, it } from 'vitest';
import { chunk, formatImapRef, packUidSet, parseImapRef } from './imap-ref.js';

describe('IMAP source references', () => {
  it('round-trips folder, UIDVALIDITY and UID', () => {
    const ref = { folder: 'INBOX', uidValidity: 1795328445, uid: 17 };
    expect(formatImapRef(ref)).toBe('imap:INBOX:1795328445:17');
    expect(parseImapRef(formatImapRef(ref))).toEqual(ref);
  });

  it('keeps colons and separators inside the folder name', () => {
    const ref = { folder: 'Projects/ACME: 2026', uidValidity: 3, uid: 4 };
    expect(parseImapRef(formatImapRef(ref))).toEqual(ref);
  });

  it.each(['pop3:00000001000000aa', 'imap:INBOX:0:1', 'imap:INBOX:1:0', 'imap:INBOX:1', 'imap::1:2', 'imap:INBOX:4294967296:1', 'imap:INBOX:1:x', ''])('rejects %j', (text) => {
    expect(parseImapRef(text)).toBeNull();
  });
});

describe('packUidSet', () => {
  it('packs runs into ranges', () => {
    expect(packUidSet([1, 2, 3, 5, 7, 8])).toBe('1:3,5,7:8');
  });

  it('sorts and drops duplicates', () => {
    expect(packUidSet([9, 3, 4, 3])).toBe('3:4,9');
  });

  it('packs a single UID and nothing', () => {
    expect(packUidSet([42])).toBe('42');
    expect(packUidSet([])).toBe('');
  });
});

describe('chunk', () => {
  it('splits in order', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
