import { describe, expect, it } from 'vitest';
import { blockedBy } from './blocklist';

const list = {
  addresses: ['Anna.Svensson@Example.se', 'noreply@bücher.example'],
  domains: ['example.com', 'mail.partner.example', 'partner.example', 'xn--mller-kva.example', 'BÄCKER.example', '@legacy.example', '*.wild.example'],
};

describe('blockedBy', () => {
  it.each([
    ['an exact address, any case', 'anna.svensson@example.se', 'Anna.Svensson@Example.se'],
    ['an exact address with surrounding space', '  ANNA.SVENSSON@EXAMPLE.SE ', 'Anna.Svensson@Example.se'],
    ['an address listed in Unicode, received in punycode', 'noreply@xn--bcher-kva.example', 'noreply@bücher.example'],
    ['the domain itself', 'a@example.com', 'example.com'],
    ['a subdomain', 'a@mail.example.com', 'example.com'],
    ['a deep subdomain, domain in upper case', 'a@EU.MAIL.EXAMPLE.COM', 'example.com'],
    ['the most specific of two domains', 'a@mail.partner.example', 'mail.partner.example'],
    ['the parent of a listed subdomain', 'a@partner.example', 'partner.example'],
    ['a domain listed in punycode, received in Unicode', 'info@müller.example', 'xn--mller-kva.example'],
    ['a domain listed in Unicode, received in punycode', 'info@xn--bcker-gra.example', 'BÄCKER.example'],
    ['a domain written with a leading @', 'a@legacy.example', '@legacy.example'],
    ['a domain written as a wildcard', 'a@x.wild.example', '*.wild.example'],
    ['a fully qualified domain with a trailing dot', 'a@example.com.', 'example.com'],
  ])('blocks %s', (_name, address, entry) => {
    expect(blockedBy(address, list)).toBe(entry);
  });

  it.each([
    ['a domain that merely ends with the same letters', 'a@badexample.com'],
    ['a parent of a listed domain', 'a@example'],
    ['another address at an allowed domain', 'bo@example.se'],
    ['a look-alike with a different umlaut', 'info@möller.example'],
    ['not an address', 'example.com-team'],
    ['an empty string', ''],
  ])('lets through %s', (_name, address) => {
    expect(blockedBy(address, list)).toBeNull();
  });

  it('lets everything through an empty list', () => {
    expect(blockedBy('a@example.com', { addresses: [], domains: [] })).toBeNull();
  });
});
