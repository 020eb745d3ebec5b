import { mount } from 'svelte';
import App from './app.svelte';
import { GraphQLClient, graphQLContext, sessionTokenStore } from './graphql/graphql-client';
import { LiveClient } from './live/live-client';
import { liveContext, sameOriginWebSocketUrl } from './live/live-context';
import { I18n, i18nContext } from './shell/i18n/i18n.svelte.ts';
import './app.css';

// The API is on the same origin: served by api in production, proxied by Vite in development.
const client = new GraphQLClient('/graphql', sessionTokenStore());
// Subscriptions go to the same path over graphql-ws, with the same session token.
const live = new LiveClient({
  url: () => sameOriginWebSocketUrl('/graphql'),
  tokens: client.tokens,
  onSessionEnded: () => client.reportUnauthenticated(),
});

// The reader's language: their saved choice, else the browser's; <html lang> follows it.
const i18n = new I18n({ storage: localStorage, languages: navigator.languages, root: document.documentElement });

mount(App, { target: document.getElementById('app')!, context: graphQLContext(client, liveContext(live), i18nContext(i18n)) });
