import type { AuthService, Authenticated } from '../identity/auth.service';
import { LIVE_CLOSE, type LiveConnection } from '../live/live-connection';

/**
 * A connection authenticated by the `Authorization` value it opened with: `current()` checks that
 * value again (cached like HTTP's), `close` is the transport's own way to end it.
 */
export function connectionOf(auth: Pick<AuthService, 'authenticate'>, header: string, close: LiveConnection['close']): LiveConnection {
  return {
    current: async () => {
      try {
        return await auth.authenticate(header);
      } catch {
        return undefined;
      }
    },
    close,
  };
}

/** The credentials a realtime connection may open with: signed in, and not only allowed to change a reset password. */
export const mayConnect = (auth: Authenticated | undefined): auth is Authenticated => Boolean(auth && !auth.mustChangePassword);

/**
 * The open connections of one realtime transport (WebSocket or SSE): at most `connectionsPerUser` per
 * user, and every connection's credentials checked again now and then and whenever access changed
 * anywhere, so a revoked session or disabled user is cut off without waiting for an event.
 */
export class LiveConnections {
  private readonly perUser = new Map<string, number>();
  private readonly open = new Set<LiveConnection>();
  private readonly timer: NodeJS.Timeout;
  private readonly stopListening: () => void;

  constructor(
    auth: Pick<AuthService, 'onAccessChanged'>,
    private readonly limits: { readonly connectionsPerUser: number; readonly recheckMs: number },
  ) {
    this.timer = setInterval(() => this.recheckAll(), limits.recheckMs);
    this.timer.unref();
    this.stopListening = auth.onAccessChanged(() => this.recheckAll());
  }

  get size(): number {
    return this.open.size;
  }

  /** Counts a new connection of `userId`; undefined when the user already has as many as allowed. The release is idempotent. */
  admit(userId: string, connection: LiveConnection): (() => void) | undefined {
    const count = this.perUser.get(userId) ?? 0;
    if (count >= this.limits.connectionsPerUser) return undefined;
    this.perUser.set(userId, count + 1);
    this.open.add(connection);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open.delete(connection);
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    };
  }

  /** Ends every open connection (server shutdown), with a code that tells clients to come back with their cursor. */
  closeAll(code: number, reason: string): void {
    for (const connection of [...this.open]) connection.close(code, reason);
  }

  /** Stops the rechecks; the connections themselves are the transport's to close. */
  dispose(): void {
    clearInterval(this.timer);
    this.stopListening();
  }

  private recheckAll(): void {
    for (const connection of this.open) {
      void connection.current().then((auth) => {
        if (!mayConnect(auth)) connection.close(LIVE_CLOSE.sessionEnded.code, LIVE_CLOSE.sessionEnded.reason);
      });
    }
  }
}
