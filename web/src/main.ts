import { mount } from 'svelte';
import App from './app.svelte';
import { GraphQLClient, graphQLContext, sessionTokenStore } from './graphql/graphql-client';
import './app.css';

// The API is on the same origin: served by api in production, proxied by Vite in development.
const client = new GraphQLClient('/graphql', sessionTokenStore());

mount(App, { target: document.getElementById('app')!, context: graphQLContext(client) });
