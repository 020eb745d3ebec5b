import { describe, expect, it } from 'vitest';
import { MailError } from '../mail-error.js';
import {
  advancedPosition,
  completedPosition,
  EMPTY_IMAP_CURSOR,
  isFolderUnchanged,
  parseImapCursor,
  resumePosition,
  serializeImapCursor,
  withPosition,
} from './imap-cursor.js';

const rejects = (text: string) => {
  try {
    parseImapCursor(text);
  } catch (error) {
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).code).toBe('CURSOR_INVALID');
    return (error as MailError).message;
  }
  throw new Error(`accepted ${text}`);
};

describe('parseImapCursor', () => {
  it('reads null and empty as never synced', () => {
    expect(parseImapCursor(null)).toEqual(EMPTY_IMAP_CURSOR);
    expect(parseImapCursor('')).toEqual(EMPTY_IMAP_CURSOR);
  });

  it('round-trips positions, with and without HIGHESTMODSEQ', () => {
    const cursor = withPosition(withPosition(EMPTY_IMAP_CURSOR, 'INBOX', { uidValidity: 1795328445, lastUid: 42, highestModseq: '9223372036854775807' }), 'Sent', {
      uidValidity: 7,
      lastUid: 0,
    });
    expect(parseImapCursor(serializeImapCursor(cursor))).toEqual(cursor);
  });

  it('keeps folder paths with separators and non-ASCII names', () => {
    const cursor = withPosition(EMPTY_IMAP_CURSOR, 'Projekte/Bürgschaft: ACME', { uidValidity: 1, lastUid: 3 });
    expect(parseImapCursor(serializeImapCursor(cursor)).folders['Projekte/Bürgschaft: ACME']).toEqual({ uidValidity: 1, lastUid: 3 });
  });

  it('accepts the largest 32-bit values', () => {
    expect(parseImapCursor('{"v":1,"folders":{"INBOX":{"uidValidity":4294967295,"lastUid":4294967295}}}').folders.INBOX.lastUid).toBe(4294967295);
  });

  it.each([
    ['not JSON', '{"v":1,'],
    ['a JSON array', '[]'],
    ['a JSON string', '"INBOX"'],
    ['null JSON', 'null'],
    ['another version', '{"v":2,"folders":{}}'],
    ['a missing version', '{"folders":{}}'],
    ['a POP3 cursor', '{"v":1,"recent":["00000001"]}'],
    ['folders as an array', '{"v":1,"folders":[]}'],
    ['an unknown top-level field', '{"v":1,"folders":{},"x":1}'],
    ['an empty folder path', '{"v":1,"folders":{"":{"uidValidity":1,"lastUid":0}}}'],
    ['a position that is not an object', '{"v":1,"folders":{"INBOX":5}}'],
    ['uidValidity 0', '{"v":1,"folders":{"INBOX":{"uidValidity":0,"lastUid":0}}}'],
    ['uidValidity as a string', '{"v":1,"folders":{"INBOX":{"uidValidity":"1","lastUid":0}}}'],
    ['uidValidity beyond 32 bits', '{"v":1,"folders":{"INBOX":{"uidValidity":4294967296,"lastUid":0}}}'],
    ['a negative lastUid', '{"v":1,"folders":{"INBOX":{"uidValidity":1,"lastUid":-1}}}'],
    ['a fractional lastUid', '{"v":1,"folders":{"INBOX":{"uidValidity":1,"lastUid":1.5}}}'],
    ['a missing lastUid', '{"v":1,"folders":{"INBOX":{"uidValidity":1}}}'],
    ['highestModseq as a number', '{"v":1,"folders":{"INBOX":{"uidValidity":1,"lastUid":1,"highestModseq":5}}}'],
    ['highestModseq 0', '{"v":1,"folders":{"INBOX":{"uidValidity":1,"lastUid":1,"highestModseq":"0"}}}'],
    ['highestModseq with letters', '{"v":1,"folders":{"INBOX":{"uidValidity":1,"lastUid":1,"highestModseq":"12a"}}}'],
    ['an unknown position field', '{"v":1,"folders":{"INBOX":{"uidValidity":1,"lastUid":1,"uidNext":2}}}'],
  ])('rejects %s', (_label, text) => {
    expect(rejects(text)).toMatch(/stored IMAP position/);
  });
});

describe('resumePosition', () => {
  const server = { uidValidity: 100, uidNext: 50 };

  it('starts a folder never read at UID 0', () => {
    expect(resumePosition(undefined, server)).toEqual({ position: { uidValidity: 100, lastUid: 0 }, reset: false });
  });

  it('continues where the same UIDVALIDITY left off', () => {
    const saved = { uidValidity: 100, lastUid: 20, highestModseq: '7' };
    expect(resumePosition(saved, server)).toEqual({ position: saved, reset: false });
  });

  it('starts again from 0 when UIDVALIDITY changed (RFC 3501 2.3.1.1)', () => {
    expect(resumePosition({ uidValidity: 99, lastUid: 20, highestModseq: '7' }, server)).toEqual({ position: { uidValidity: 100, lastUid: 0 }, reset: true });
  });
});

describe('isFolderUnchanged', () => {
  it('is false for a folder never read', () => {
    expect(isFolderUnchanged(undefined, { uidValidity: 1, uidNext: 1 })).toBe(false);
  });

  it('is true when HIGHESTMODSEQ did not move', () => {
    expect(isFolderUnchanged({ uidValidity: 1, lastUid: 5, highestModseq: '30' }, { uidValidity: 1, uidNext: 9, highestModseq: '30' })).toBe(true);
  });

  it('is false when HIGHESTMODSEQ moved and UIDNEXT passed lastUid', () => {
    expect(isFolderUnchanged({ uidValidity: 1, lastUid: 5, highestModseq: '30' }, { uidValidity: 1, uidNext: 7, highestModseq: '31' })).toBe(false);
  });

  it('is true when only flags changed (HIGHESTMODSEQ moved, UIDNEXT did not)', () => {
    expect(isFolderUnchanged({ uidValidity: 1, lastUid: 5, highestModseq: '30' }, { uidValidity: 1, uidNext: 6, highestModseq: '31' })).toBe(true);
  });

  it('uses UIDNEXT without CONDSTORE', () => {
    expect(isFolderUnchanged({ uidValidity: 1, lastUid: 5 }, { uidValidity: 1, uidNext: 6 })).toBe(true);
    expect(isFolderUnchanged({ uidValidity: 1, lastUid: 5 }, { uidValidity: 1, uidNext: 7 })).toBe(false);
  });

  it('is false after a UIDVALIDITY change even with equal numbers', () => {
    expect(isFolderUnchanged({ uidValidity: 1, lastUid: 5, highestModseq: '30' }, { uidValidity: 2, uidNext: 6, highestModseq: '30' })).toBe(false);
  });
});

describe('advancedPosition and completedPosition', () => {
  it('advances lastUid mid-folder and keeps the old HIGHESTMODSEQ', () => {
    expect(advancedPosition({ uidValidity: 1, lastUid: 5, highestModseq: '30' }, 9)).toEqual({ uidValidity: 1, lastUid: 9, highestModseq: '30' });
  });

  it('never moves backwards (a resync reads UIDs below lastUid)', () => {
    const position = { uidValidity: 1, lastUid: 9 };
    expect(advancedPosition(position, 3)).toBe(position);
  });

  it('completes at UIDNEXT-1 with the HIGHESTMODSEQ seen at open', () => {
    expect(completedPosition({ uidValidity: 1, lastUid: 5, highestModseq: '30' }, { uidValidity: 1, uidNext: 12, highestModseq: '44' })).toEqual({
      uidValidity: 1,
      lastUid: 11,
      highestModseq: '44',
    });
  });

  it('completes without HIGHESTMODSEQ when the server has none', () => {
    expect(completedPosition({ uidValidity: 1, lastUid: 5 }, { uidValidity: 1, uidNext: 3 })).toEqual({ uidValidity: 1, lastUid: 5 });
  });
});
