import { describe, expect, it } from 'vitest';
import { loadApiConfig } from '../config';
import { callerShares, shareOf } from './caller-share';

const shares = callerShares(loadApiConfig({}).shares);
const keyOf = (address: string) => shareOf(shares, undefined, address).key;

describe('the share of a caller who is not signed in', () => {
  it.each([
    { a: '2001:db8:1:2::1', b: '2001:db8:1:2:ffff:ffff:ffff:fffe', same: true, why: 'one IPv6 /64 is one client' },
    { a: '2001:db8:1:2::1', b: '2001:db8:1:3::1', same: false, why: 'another /64 is another client' },
    { a: '::ffff:192.0.2.7', b: '192.0.2.7', same: true, why: 'an IPv4-mapped address is its IPv4 address' },
    { a: '192.0.2.7', b: '192.0.2.8', same: false, why: 'IPv4 addresses count one by one' },
  ])('$a and $b: $why', ({ a, b, same }) => {
    expect(keyOf(a) === keyOf(b)).toBe(same);
    expect(shareOf(shares, undefined, a).pooled).toBe(true);
  });
});
