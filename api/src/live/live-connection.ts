import { createHash } from 'node:crypto';
import type { Principal } from '../access/principal';
import type { Authenticated } from '../identity/auth.service';

/**
 * What a subscription knows of the connection it runs on (a WebSocket or an SSE stream): who is
 * connected now, and how to cut the connection off.
 */
export interface LiveConnection {
  /** The caller's current credentials (cached like HTTP's); undefined once the session or key was revoked, expired or the user disabled. */
  current(): Promise<Authenticated | undefined>;
  /** Ends the connection with a documented code (live-close-codes.ts). */
  close(code: number, reason: string): void;
}

/** Close codes the hub uses on WebSocket connections (an SSE stream ends the same way, see live-event-stream.ts), documented in docs/realtime.md. */
export const LIVE_CLOSE = {
  /** The session or API key was revoked, expired, or the user was disabled: sign in again (graphql-ws: do not retry). */
  sessionEnded: { code: 4401, reason: 'Unauthorized: the session ended' },
  /** The client did not keep up: reconnect and resume with the last cursor; nothing is lost. */
  tooSlow: { code: 4499, reason: 'Too slow: reconnect with your last cursor' },
  /** The caller has as many connections open as allowed. */
  tooManyConnections: { code: 4429, reason: 'Too many connections' },
  /** The api process is stopping: reconnect (to another process) with the last cursor; nothing is lost. */
  serverClosing: { code: 1001, reason: 'The server is shutting down' },
} as const;

const visibilityKeys = new WeakMap<Principal, string>();

/**
 * Two principals with the same key see exactly the same of every event: the same user with the same
 * roles, unit and field grants. Deliveries are resolved once per key, not once per subscriber.
 */
export function visibilityKey(principal: Principal): string {
  let key = visibilityKeys.get(principal);
  if (!key) {
    const parts = JSON.stringify([
      principal.userId,
      principal.businessUnitId,
      [...principal.unitAndDescendantIds].sort(),
      [...principal.privileges].sort(),
      [...principal.fieldGrants].sort(),
    ]);
    // Hashed: the key goes into a map lookup for every delivery to every subscriber, and the JSON lists every privilege and unit.
    key = createHash('sha256').update(parts).digest('base64url');
    visibilityKeys.set(principal, key);
  }
  return key;
}
