import { domainToASCII } from 'node:url';

// Addresses and domains whose mail is never tracked (personal contacts, internal systems).

/** Blocked addresses and domains, as an administrator typed them. */
export interface BlockList {
  addresses: readonly string[];
  domains: readonly string[];
}

/**
 * The list entry that blocks `address`, or null: an exact address (any case), else the most
 * specific domain that equals or is a parent of the address's domain. Internationalized
 * domains match in either their Unicode or punycode spelling.
 */
export function blockedBy(address: string, list: BlockList): string | null {
  const wanted = canonicalAddress(address);
  const exact = list.addresses.find((entry) => canonicalAddress(entry) === wanted);
  if (exact !== undefined) return exact;

  const at = wanted.lastIndexOf('@');
  if (at < 0) return null;
  const domain = wanted.slice(at + 1);
  let best: { entry: string; length: number } | null = null;
  for (const entry of list.domains) {
    const blocked = canonicalDomain(entry.trim().replace(/^(?:\*\.|@|\.)/, ''));
    if (blocked === '') continue;
    // Label boundary: example.com blocks mail.example.com, not badexample.com.
    const matches = domain === blocked || domain.endsWith(`.${blocked}`);
    if (matches && (!best || blocked.length > best.length)) best = { entry, length: blocked.length };
  }
  return best?.entry ?? null;
}

// Local parts are case-sensitive in theory (RFC 5321 2.4) and case-insensitive at every
// provider we sync with, so a block on Anna@ must also catch anna@.
function canonicalAddress(address: string): string {
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return trimmed.toLowerCase();
  return `${trimmed.slice(0, at).toLowerCase()}@${canonicalDomain(trimmed.slice(at + 1))}`;
}

// UTS #46 via WHATWG URL: "Bücher.example" and "xn--bcher-kva.example" both become the
// latter; a name it rejects is compared lower-cased as written.
function canonicalDomain(domain: string): string {
  const withoutDot = domain.trim().replace(/\.$/, '');
  return domainToASCII(withoutDot) || withoutDot.toLowerCase();
}
