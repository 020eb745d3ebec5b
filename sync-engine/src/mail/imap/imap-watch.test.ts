import { describe, expect, it } from 'vitest';
import { hasMailPast } from './imap-watch.js';

const cursor = (uidValidity: number, lastUid: number) => JSON.stringify({ v: 1, folders: { INBOX: { uidValidity, lastUid } } });

describe('hasMailPast: did INBOX get mail while nobody listened?', () => {
  it.each([
    ['nothing past the last UID read', cursor(7, 12), 7, 13, false],
    ['a message past it', cursor(7, 12), 7, 14, true],
    ['a new UIDVALIDITY (RFC 3501 2.3.1.1)', cursor(7, 12), 8, 13, true],
    ['never synced: the mailbox is due anyway', null, 7, 1, false],
    ['INBOX never read (other folders only)', JSON.stringify({ v: 1, folders: { Sent: { uidValidity: 1, lastUid: 3 } } }), 7, 5, false],
    ['an unreadable cursor: one sync more, nothing lost', '{not json', 7, 1, true],
  ] as const)('%s', (_what, stored, uidValidity, uidNext, expected) => {
    expect(hasMailPast(stored, uidValidity, uidNext)).toBe(expected);
  });
});
