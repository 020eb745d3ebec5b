import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Why a remote image was not fetched:
 * - NOT_ALLOWED: not http(s), or its host is (or resolves to) an address that is not on the public
 *   internet (loopback, private, link-local, …): the hub must not become a way into its own network;
 * - UNREACHABLE: no answer in time, a refused connection, a status other than 200, too many redirects;
 * - NOT_AN_IMAGE: the server's Content-Type is not a raster image type;
 * - TOO_LARGE: more bytes than the limit.
 */
export type RemoteImageFailure = 'NOT_ALLOWED' | 'UNREACHABLE' | 'NOT_AN_IMAGE' | 'TOO_LARGE';

export class RemoteImageError extends Error {
  constructor(
    readonly code: RemoteImageFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface RemoteImageFetchOptions {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /** Only for tests and closed networks: lets the fetch reach loopback and private addresses. */
  readonly allowPrivateAddresses?: boolean;
  /** Images one person may have fetched per minute (REMOTE_IMAGE_PER_MINUTE), so no account can make the hub a download robot. */
  readonly perPersonPerMinute?: number;
}

/** The defaults of config.remoteImages. */
export const DEFAULT_REMOTE_IMAGE_FETCH: RemoteImageFetchOptions = { maxBytes: 5 * 1024 * 1024, timeoutMs: 10_000, perPersonPerMinute: 300 };

export interface RemoteImage {
  readonly contentType: string;
  readonly bytes: Buffer;
}

const MAX_REDIRECTS = 3;
// Raster types a browser shows without running anything; SVG (which can hold script) is not one.
const RASTER_IMAGE = /^image\/(png|jpeg|pjpeg|gif|webp|bmp|avif|x-icon|vnd\.microsoft\.icon)$/;

/** Whether `address` is a unicast address on the public internet (IPv4-mapped IPv6 judged as its IPv4). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * A DNS lookup that refuses hosts resolving to non-public addresses. The connection is made to the
 * address checked here (node passes the lookup's answer to connect), so a second resolution cannot
 * swap in an internal address (DNS rebinding).
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (refused || addresses.length === 0) {
        return callback(new RemoteImageError('NOT_ALLOWED', `${hostname} is not on the public internet`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** The URL to fetch for an image source, or a NOT_ALLOWED error: http(s) only, a protocol-relative `//host` as https. */
export function remoteImageUrl(source: string): URL {
  let url: URL;
  try {
    url = new URL(source.replace(/^[/\\]{2}/, 'https://'));
  } catch {
    throw new RemoteImageError('NOT_ALLOWED', 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RemoteImageError('NOT_ALLOWED', `${url.protocol} is not fetched`);
  if (url.username || url.password) throw new RemoteImageError('NOT_ALLOWED', 'URLs with credentials are not fetched');
  return url;
}

/**
 * Fetches an image an email links to, on behalf of a reader who asked to see it: the sender's
 * server sees the hub, not the reader's address or browser. No cookies, no referrer; at most
 * MAX_REDIRECTS redirects, each checked again; the body read up to `maxBytes`.
 */
export async function fetchRemoteImage(source: string, options: RemoteImageFetchOptions): Promise<RemoteImage> {
  let url = remoteImageUrl(source);
  for (let redirects = 0; ; redirects++) {
    if (!options.allowPrivateAddresses && ipaddr.isValid(url.hostname.replace(/^\[|\]$/g, '')) && !isPublicAddress(url.hostname.replace(/^\[|\]$/g, ''))) {
      throw new RemoteImageError('NOT_ALLOWED', `${url.hostname} is not on the public internet`);
    }
    const answer = await get(url, options);
    if (answer.location === undefined) return answer.image;
    if (redirects >= MAX_REDIRECTS) throw new RemoteImageError('UNREACHABLE', 'too many redirects');
    url = remoteImageUrl(new URL(answer.location, url).toString());
  }
}

type Answer = { readonly location?: undefined; readonly image: RemoteImage } | { readonly location: string };

function get(url: URL, options: RemoteImageFetchOptions): Promise<Answer> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    const request = client.get(
      url,
      {
        lookup: guardedLookup(options.allowPrivateAddresses ?? false),
        headers: { accept: 'image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9', 'user-agent': 'CRM-Activity-Hub-ImageProxy' },
        timeout: options.timeoutMs,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if ([301, 302, 303, 307, 308].includes(status) && response.headers.location) {
          response.resume();
          return resolve({ location: response.headers.location });
        }
        if (status !== 200) {
          response.resume();
          return reject(new RemoteImageError('UNREACHABLE', `the image server answered ${status}`));
        }
        const contentType = (response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        if (!RASTER_IMAGE.test(contentType)) {
          response.destroy();
          return reject(new RemoteImageError('NOT_AN_IMAGE', `the server sent ${contentType || 'no type'}, not an image`));
        }
        if (Number(response.headers['content-length'] ?? 0) > options.maxBytes) {
          response.destroy();
          return reject(new RemoteImageError('TOO_LARGE', 'the image is larger than the limit'));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            response.destroy();
            reject(new RemoteImageError('TOO_LARGE', 'the image is larger than the limit'));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ image: { contentType, bytes: Buffer.concat(chunks) } }));
        response.on('error', (err) => reject(new RemoteImageError('UNREACHABLE', err.message)));
      },
    );
    // The whole exchange, not only idle time, is bounded: a server trickling bytes cannot hold a slot.
    const deadline = setTimeout(() => request.destroy(new RemoteImageError('UNREACHABLE', 'the image server did not answer in time')), options.timeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(new RemoteImageError('UNREACHABLE', 'the image server did not answer in time')));
    request.on('error', (err) => reject(err instanceof RemoteImageError ? err : new RemoteImageError('UNREACHABLE', err.message)));
  });
}
