import { createClient, type Client } from 'graphql-sse';
import { subscriptionOf, type Subscription } from './live-client';

export interface SseClient {
  readonly client: Client;
  subscribe<T = any>(query: string, variables?: Record<string, unknown>): Subscription<T>;
  dispose(): void;
}

/**
 * A graphql-sse client (the library's own, distinct connections mode, with the global fetch) to a running api,
 * authenticated with a session token or API key. No retries: a test sees every end of a stream.
 */
export function sseClient(httpUrl: string, token: string | undefined): SseClient {
  const client = createClient({
    url: `${httpUrl}/graphql`,
    fetchFn: fetch,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  return {
    client,
    subscribe: <T>(query: string, variables?: Record<string, unknown>) => subscriptionOf<T>((sink) => client.subscribe({ query, variables }, sink)),
    dispose: () => client.dispose(),
  };
}
