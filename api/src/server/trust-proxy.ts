import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Request } from 'express';
import proxyaddr from 'proxy-addr';

/**
 * Which peers may say who the client is through X-Forwarded-For: none (the default: a client could
 * otherwise name any address and dodge the per-client limits), the nearest `hops` proxies, or the
 * proxies at these addresses and subnets. Passed as is to Express's `trust proxy`.
 */
export type TrustProxy = false | number | readonly string[];

/** The address ranges Express knows by name (proxy-addr's pre-defined subnets). */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 10;

function validEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Reads TRUST_PROXY: unset, empty, `false` or `0` trust no proxy; a whole number 1–10 trusts that many hops;
 * otherwise a comma-separated list of addresses, subnets (CIDR) and `loopback`, `linklocal`,
 * `uniquelocal`. `true` (believe any X-Forwarded-For) is refused: a hop count says the same safely.
 */
export function parseTrustProxy(raw: string | undefined): { value: TrustProxy } | { problem: string } {
  const text = raw?.trim() ?? '';
  if (text === '' || text === 'false' || text === '0') return { value: false };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= MAX_HOPS ? { value: hops } : { problem: `TRUST_PROXY must be a hop count from 1 to ${MAX_HOPS}, got "${text}"` };
  }
  if (text === 'true') {
    return { problem: 'TRUST_PROXY=true would believe any X-Forwarded-For a client sends; give the number of proxies in front of the api, or their addresses' };
  }
  const entries = text.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !validEntry(e));
  if (bad.length > 0) {
    return { problem: `TRUST_PROXY must be a hop count or a comma-separated list of addresses, subnets (CIDR), loopback, linklocal or uniquelocal; "${bad[0]}" is none of these` };
  }
  return { value: entries };
}

/**
 * The client's address for per-client limits: Express's `req.ip` (the socket's peer, or what trusted proxies
 * forwarded). A forwarded value that is no address (a proxy that passed a client's header on unchecked) counts
 * as the peer that sent it, so a client cannot make up keys of any length.
 */
export function clientAddress(req: Request): string {
  return addressOrPeer(req.ip, req);
}

/**
 * The same address for requests Express never sees (the GraphQL route, WebSocket upgrades): proxy-addr with the trust
 * function Express compiles from its `trust proxy` setting, so both give one answer for one request.
 */
export function clientAddressResolver(trust: TrustProxy): (req: IncomingMessage) => string {
  const trusted: (address: string, hop: number) => boolean =
    trust === false ? () => false : typeof trust === 'number' ? (_address, hop) => hop < trust : proxyaddr.compile([...trust]);
  return (req) => addressOrPeer(req.socket.remoteAddress === undefined ? undefined : proxyaddr(req, trusted), req);
}

function addressOrPeer(forwarded: string | undefined, req: IncomingMessage): string {
  if (forwarded !== undefined && isIP(forwarded) !== 0) return forwarded;
  return req.socket.remoteAddress ?? 'unknown';
}
