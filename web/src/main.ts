import { mount } from 'svelte';
import App from './app.svelte';
import { GraphQLClient, graphQLContext, sessionTokenStore } from './graphql/graphql-client';
import { LiveClient } from './live/live-client';
import { liveContext, sameOriginWebSocketUrl } from './live/live-context';
import './app.css';

// The API is on the same origin: served by api in production, proxied by Vite in development.
const client = new GraphQLClient('/graphql', sessionTokenStore());
// Subscriptions go to the same path over graphql-ws, with the same session token.
const live = new LiveClient({
  url: () => sameOriginWebSocketUrl('/graphql'),
  tokens: client.tokens,
  onSessionEnded: () => client.reportUnauthenticated(),
});

mount(App, { target: document.getElementById('app')!, context: graphQLContext(client, liveContext(live)) });
