import { getContext } from 'svelte';
import type { LiveClient } from './live-client';

const LIVE_KEY = Symbol('live-client');

/** The live client given to `mount` beside the HTTP client; call during component initialisation. */
export function getLiveClient(): LiveClient {
  const client = getContext<LiveClient | undefined>(LIVE_KEY);
  if (!client) throw new Error('No LiveClient in context: pass liveContext(client) to mount()');
  return client;
}

/** The context entry to add to `mount(App, { context })`. */
export function liveContext(client: LiveClient): [symbol, LiveClient] {
  return [LIVE_KEY, client];
}

/** The page's origin as a WebSocket URL for `path`: wss:// under https, ws:// otherwise. */
export function sameOriginWebSocketUrl(path: string, location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
}
