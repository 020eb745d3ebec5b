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

  it('shares one load among callers that ask while it runs; a failure is shared and not kept; clear() starts afresh', async () => {
    const cache = new CredentialCache<string>(60_000);
    let loads = 0;
    let finish!: (value: string) => void;
    const load = () => {
      loads++;
      return new Promise<{ value: string }>((resolve) => (finish = (value) => resolve({ value })));
    };
    const together = [cache.resolve('t', load), cache.resolve('t', load), cache.resolve('t', load)];
    finish('alice');
    expect(await Promise.all(together)).toEqual(['alice', 'alice', 'alice']);
    expect(loads).toBe(1);
    expect(await cache.resolve('t', load)).toBe('alice');
    expect(loads).toBe(1);

    const failing = () => Promise.reject(new Error('revoked'));
    await expect(Promise.all([cache.resolve('u', failing), cache.resolve('u', failing)])).rejects.toThrow('revoked');
    let retried = 0;
    expect(await cache.resolve('u', async () => ({ value: `bob ${++retried}` }))).toBe('bob 1');

    // A load that began before clear() answers its callers but is not kept, and is not joined after.
    const before = cache.resolve('v', load);
    const beforeFinish = finish;
    cache.clear();
    const after = cache.resolve('v', load);
    beforeFinish('old');
    finish('new');
    expect([await before, await after]).toEqual(['old', 'new']);
    expect(await cache.resolve('v', load)).toBe('new');
  });
});
