import { describe, expect, it } from 'vitest';
import { EMPTY_EWS_CURSOR, parseEwsCursor, resumeState, serializeEwsCursor, withCalendarExpansion, withCalendarState, withTasksState, withFolderPosition } from './ews-cursor.js';

const inbox = { folderId: 'AAMkAGI2TG93AAA=', syncState: 'H4sIAAAAAAAEAO29B2AcSZYlJi9tynt/SvVK1+B0oQiAYBMk2JBAEOzBiM3mkuwdaUcjKasqgcplVmVdZhZAzO2dvPfee++999577733' };

describe('the EWS cursor', () => {
  it('reads null and the empty string as "never synced"', () => {
    expect(parseEwsCursor(null)).toEqual(EMPTY_EWS_CURSOR);
    expect(parseEwsCursor('')).toEqual(EMPTY_EWS_CURSOR);
  });

  it('round-trips one SyncState per folder path', () => {
    const cursor = withFolderPosition(withFolderPosition(EMPTY_EWS_CURSOR, 'Inbox', inbox), 'Inbox/Customers', { folderId: 'AQMkAD=', syncState: 'abc/+=' });
    expect(parseEwsCursor(serializeEwsCursor(cursor))).toEqual(cursor);
    expect(JSON.parse(serializeEwsCursor(cursor))).toEqual({ v: 1, folders: { Inbox: inbox, 'Inbox/Customers': { folderId: 'AQMkAD=', syncState: 'abc/+=' } } });
  });

  it('keeps the Calendar\'s SyncState beside the mail folders\', whichever moves', () => {
    const cursor = withFolderPosition(withCalendarState(withFolderPosition(EMPTY_EWS_CURSOR, 'Inbox', inbox), 'Q2FsZW5kYXI='), 'Inbox', { ...inbox, syncState: 'bmV4dA==' });
    expect(JSON.parse(serializeEwsCursor(cursor))).toEqual({ v: 1, folders: { Inbox: { ...inbox, syncState: 'bmV4dA==' } }, calendar: { syncState: 'Q2FsZW5kYXI=' } });
    expect(parseEwsCursor(serializeEwsCursor(cursor))).toEqual(cursor);
  });

  it('keeps how far the Calendar\'s series were expanded across new SyncStates, and refuses a malformed one', () => {
    const cursor = withCalendarState(withCalendarExpansion(withCalendarState(EMPTY_EWS_CURSOR, 'Q2FsZW5kYXI='), '2027-03-03T00:00:00.000Z'), 'bmV4dA==');
    expect(cursor.calendar).toEqual({ syncState: 'bmV4dA==', expandedUntil: '2027-03-03T00:00:00.000Z' });
    expect(parseEwsCursor(serializeEwsCursor(cursor))).toEqual(cursor);
    // Nothing expanded before the Calendar has a SyncState.
    expect(withCalendarExpansion(EMPTY_EWS_CURSOR, '2027-03-03T00:00:00.000Z')).toEqual(EMPTY_EWS_CURSOR);
    for (const bad of ['tomorrow', 7, '2027-03-03']) expect(() => parseEwsCursor(JSON.stringify({ v: 1, folders: {}, calendar: { syncState: 'Q2FsZW5kYXI=', expandedUntil: bad } }))).toThrow(/expandedUntil/);
  });

  it('keeps the Tasks folder\'s SyncState beside the Calendar\'s', () => {
    const cursor = withTasksState(withCalendarState(EMPTY_EWS_CURSOR, 'Q2FsZW5kYXI='), 'VGFza3M=');
    expect(JSON.parse(serializeEwsCursor(cursor))).toEqual({ v: 1, folders: {}, calendar: { syncState: 'Q2FsZW5kYXI=' }, tasks: { syncState: 'VGFza3M=' } });
    expect(parseEwsCursor(serializeEwsCursor(withCalendarState(cursor, 'bmV4dA==')))).toEqual({ ...cursor, calendar: { syncState: 'bmV4dA==' } });
  });

  it.each([
    ['tasks without a SyncState', JSON.stringify({ v: 1, folders: {}, tasks: { syncState: '' } })],
    ['a calendar without a SyncState', JSON.stringify({ v: 1, folders: {}, calendar: {} })],
    ['a calendar SyncState that is not base64', JSON.stringify({ v: 1, folders: {}, calendar: { syncState: '<xml/>' } })],
    ['not JSON', '{v:1'],
    ['an IMAP cursor', JSON.stringify({ v: 1, folders: { INBOX: { uidValidity: 1, lastUid: 5 } } })],
    ['another version', JSON.stringify({ v: 2, folders: {} })],
    ['an extra field', JSON.stringify({ v: 1, folders: {}, more: true })],
    ['an empty path', JSON.stringify({ v: 1, folders: { '': inbox } })],
    ['a SyncState that is not base64', JSON.stringify({ v: 1, folders: { Inbox: { ...inbox, syncState: '<xml/>' } } })],
    ['an oversized SyncState', JSON.stringify({ v: 1, folders: { Inbox: { ...inbox, syncState: 'A'.repeat(65_537) } } })],
    ['a missing folder id', JSON.stringify({ v: 1, folders: { Inbox: { syncState: inbox.syncState } } })],
    ['too many folders', JSON.stringify({ v: 1, folders: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`F${i}`, inbox])) })],
  ])('refuses %s as CURSOR_INVALID', (_, text) => {
    expect(() => parseEwsCursor(text)).toThrow(expect.objectContaining({ code: 'CURSOR_INVALID' }));
  });

  it('resumes a folder from its SyncState only while the path names the same folder', () => {
    expect(resumeState(inbox, inbox.folderId)).toEqual({ syncState: inbox.syncState, reset: false });
    expect(resumeState(inbox, 'AAMkOTHER=')).toEqual({ syncState: null, reset: true });
    expect(resumeState(undefined, inbox.folderId)).toEqual({ syncState: null, reset: false });
  });
});
