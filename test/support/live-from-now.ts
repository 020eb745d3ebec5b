import { ok } from '../api/gql-helpers';
import type { Arrivals } from './arrivals';
import type { StartedHub } from './hub';
import { liveClient, type LiveClient } from './live-client';

/**
 * A graphql-ws subscription from the live cursor read now: nothing that commits after this call is missed. Each
 * event goes into `into` as `pick` makes it; dispose the returned client when the test is done.
 */
export async function subscribeFromNow<T>(hub: StartedHub, token: string, query: string, into: Arrivals<T>, pick: (data: any) => T): Promise<LiveClient> {
  const client = liveClient(hub.url, token);
  const after = ok(await hub.gql('{ liveCursor }', {}, token)).liveCursor;
  client.client.subscribe({ query, variables: { after } }, { next: (m) => into.push(pick(m.data)), error: () => {}, complete: () => {} });
  return client;
}
