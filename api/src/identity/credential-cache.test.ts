import { describe, expect, it } from 'vitest';
import { CredentialCache } from './credential-cache';

describe('CredentialCache', () => {
  it('keeps an entry for the TTL, never past the credential\'s own expiry', () => {
    let now = 1_000;
    const cache = new CredentialCache<string>(5_000, 10, () => now);
    cache.set('a', 'alice');
    cache.set('b', 'bob', new Date(2_000));
    now = 1_999;
    expect([cache.get('a'), cache.get('b')]).toEqual(['alice', 'bob']);
    now = 2_000;
    expect([cache.get('a'), cache.get('b')]).toEqual(['alice', undefined]);
    now = 6_000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the oldest; a TTL of 0 keeps nothing; clear forgets all', () => {
    const cache = new CredentialCache<number>(60_000, 2);
    cache.set('1', 1);
    cache.set('2', 2);
    cache.set('3', 3);
    expect([cache.get('1'), cache.get('2'), cache.get('3')]).toEqual([undefined, 2, 3]);
    cache.clear();
    expect(cache.get('3')).toBeUndefined();
    const off = new CredentialCache<number>(0);
    off.set('x', 1);
    expect(off.get('x')).toBeUndefined();
  });
});
