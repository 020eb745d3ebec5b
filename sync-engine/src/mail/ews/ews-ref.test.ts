import { describe, expect, it } from 'vitest';
import { formatEwsRef, parseEwsRef } from './ews-ref.js';

const ITEM_ID = 'AAMkAGI2TG93AAA/BGUAAAABI7lF+Ao9QTLNBnVUp/ltAQAJmIUgHthwQ61NS3QOJn6+AAAAAAEMAAAJmIUgHthwQ61NS3QOJn6+AAEVZt4xAAA=';

describe('EWS message references', () => {
  it('round-trips an ItemId', () => {
    expect(parseEwsRef(formatEwsRef(ITEM_ID))).toBe(ITEM_ID);
  });

  it.each([['imap:INBOX:1:2'], ['pop3:abc'], ['ews:'], ['ews:has space'], ['ews:a:b'], [`ews:${'A'.repeat(397)}`]])('refuses %s', (text) => {
    expect(parseEwsRef(text)).toBeNull();
  });

  it('stays within the 400 characters the hub stores for a realistic id', () => {
    expect(formatEwsRef(ITEM_ID).length).toBeLessThanOrEqual(400);
  });
});
