import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The policy of every page the hub serves: the UI loads its own scripts, styles, fonts and images,
 * talks only to its own origin (GraphQL over HTTP and WebSocket), and nothing else loads or runs.
 * Styles may be inline: an email body is shown in a sandboxed `srcdoc` frame, which inherits this
 * policy, and keeps the message's own inline styles (scripts never run there or here).
 * `data:` images are the favicon and an email's inline (`cid:`) images, fetched with the reader's
 * credentials and handed to the frame as bytes; nothing loads from another server.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  // 'self' covers ws: and wss: to this host (CSP Level 3), where subscriptions run.
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const satisfies Record<string, readonly string[]>;

/**
 * Security headers on every response (helmet): the CSP above, no framing by any origin (also for
 * browsers that only know X-Frame-Options), no referrer, no MIME sniffing, and the cross-origin
 * isolation headers helmet sets by default. Routes that need a stricter policy (attachment
 * downloads) set their own over these.
 */
export function securityHeaders(): RequestHandler {
  const headers = securityHeaderList();
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/** The headers of securityHeaders(), as name and value pairs, for routes served without Express. */
export function securityHeaderList(): readonly (readonly [string, string])[] {
  const policy = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      // Not upgrade-insecure-requests: the hub is often reached over plain HTTP on a private network.
      directives: Object.fromEntries(Object.entries(CONTENT_SECURITY_POLICY).map(([name, sources]) => [name, [...sources]])),
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS belongs to whatever terminates TLS in front of the hub; over plain HTTP browsers ignore it.
    strictTransportSecurity: false,
  });
  // The headers do not depend on the request: helmet writes them once here, and every response gets the list
  // (a dozen middlewares per request cost more than the GraphQL fields of a small answer).
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: string) => headers.push([name, value]),
    removeHeader: () => undefined,
  };
  policy({} as never, recorder as never, (err?: unknown) => {
    if (err) throw err;
  });
  if (headers.length === 0) throw new Error('helmet set no headers');
  return headers;
}
