import { describe, expect, it } from 'vitest';
import { credentialsOnEntry } from './wire-credentials.js';

describe('credentialsOnEntry', () => {
  it.each([
    ['NONE', null, { status: 'NONE' }],
    ['UNREADABLE', null, { status: 'UNREADABLE' }],
    ['PRESENT', { method: 'PASSWORD', username: 'sam', secret: 'pw' }, { status: 'PRESENT', method: 'PASSWORD', username: 'sam', secret: 'pw' }],
    ['PRESENT', { method: 'OAUTH_BEARER', username: 'sam', secret: 'tok' }, { status: 'PRESENT', method: 'OAUTH_BEARER', username: 'sam', secret: 'tok' }],
    ['PRESENT', { method: 'NTLM', username: 'CORP\\sam', secret: 'pw' }, { status: 'PRESENT', method: 'NTLM', username: 'CORP\\sam', secret: 'pw' }],
  ])('%s with %j is %j', (status, credentials, expected) => {
    expect(credentialsOnEntry(status, credentials)).toEqual(expected);
  });

  it.each([
    ['a status the engine does not know', 'EXPIRED', null],
    ['no status (an api older than the engine)', undefined, null],
    ['PRESENT without credentials', 'PRESENT', null],
    ['PRESENT with credentials that are not an object', 'PRESENT', 'sam:pw'],
    ['PRESENT with credentials in a list', 'PRESENT', [{ method: 'PASSWORD', username: 'sam', secret: 'pw' }]],
    ['UNREADABLE with credentials', 'UNREADABLE', { method: 'PASSWORD', username: 'sam', secret: 'pw' }],
    ['PRESENT with an unknown method', 'PRESENT', { method: 'KERBEROS', username: 'sam', secret: 'pw' }],
    ['PRESENT without a secret', 'PRESENT', { method: 'PASSWORD', username: 'sam' }],
    ['NONE with credentials', 'NONE', { method: 'PASSWORD', username: 'sam', secret: 'pw' }],
  ])('refuses %s', (_, status, credentials) => {
    expect(credentialsOnEntry(status, credentials)).toBeUndefined();
  });
});
