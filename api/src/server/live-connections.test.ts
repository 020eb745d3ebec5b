import { describe, expect, it } from 'vitest';
import type { Authenticated } from '../identity/auth.service';
import { LIVE_CLOSE, type LiveConnection } from '../live/live-connection';
import { LiveConnections } from './live-connections';

/** The part of AuthService the registry listens to, with a way to announce an access change. */
function accessEvents() {
  const listeners = new Set<(origin: 'here' | 'elsewhere') => void>();
  return {
    onAccessChanged: (listener: (origin: 'here' | 'elsewhere') => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    changed: () => listeners.forEach((l) => l('here')),
    get listening() {
      return listeners.size;
    },
  };
}

/** A connection whose credentials are whatever `valid` says, recording how it was closed. */
function connection(valid: { current: boolean }) {
  const closes: number[] = [];
  let closedNow!: () => void;
  const closed = new Promise<void>((resolve) => (closedNow = resolve));
  const live: LiveConnection = {
    current: async () => (valid.current ? ({ mustChangePassword: false } as Authenticated) : undefined),
    close: (code) => {
      closes.push(code);
      closedNow();
    },
  };
  return { live, closes, closed };
}

describe('LiveConnections', () => {
  it('admits a user up to the limit, refuses the next, and counts a release once however often it is called', () => {
    const connections = new LiveConnections(accessEvents(), { connectionsPerUser: 2, recheckMs: 60_000 });
    const [a, b, c] = [0, 1, 2].map(() => connection({ current: true }).live);
    const releaseA = connections.admit('user-1', a)!;
    expect(connections.admit('user-1', b)).toBeDefined();
    expect(connections.admit('user-1', c)).toBeUndefined();
    expect(connections.admit('user-2', c)).toBeDefined();
    releaseA();
    releaseA();
    expect(connections.size).toBe(2);
    expect(connections.admit('user-1', a)).toBeDefined();
    expect(connections.admit('user-1', a)).toBeUndefined();
    connections.dispose();
  });

  it('closes a connection whose credentials were revoked as soon as access changes anywhere, and keeps the others', async () => {
    const events = accessEvents();
    const connections = new LiveConnections(events, { connectionsPerUser: 5, recheckMs: 60_000 });
    const revoked = { current: true };
    const gone = connection(revoked);
    const kept = connection({ current: true });
    connections.admit('user-1', gone.live);
    connections.admit('user-2', kept.live);
    revoked.current = false;
    events.changed();
    await gone.closed;
    expect(gone.closes).toEqual([LIVE_CLOSE.sessionEnded.code]);
    expect(kept.closes).toEqual([]);
    connections.dispose();
    expect(events.listening).toBe(0);
  });
});
