import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import { attachmentRoutes } from '../activities/attachment-routes';
import { remoteImageRoutes } from '../activities/remote-image-routes';
import { DEFAULT_REMOTE_IMAGE_FETCH, type RemoteImageFetchOptions } from '../activities/remote-image-fetch';
import { blobRoutes } from '../attachments/blob-routes';
import type { Principal } from '../access/principal';
import { isSyncEngine } from '../access/sync-engine-guard';
import type { Database } from '../db/data-source';
import type { RequestContext } from '../graphql/context';
import { createLoaders } from '../graphql/loaders';
import { buildApiSchema } from '../graphql/schema';
import type { Services } from '../graphql/services';
import type { Logger } from '../platform/logger';
import { shareOf, type CallerShares } from './caller-share';
import { ConcurrencyGate } from './concurrency-gate';
import { compiledExecution } from './compiled-execution';
import { formatError } from './errors';
import { budgetedFields, executionBudgetPlugin } from './execution-budget';
import { browserToExplorer } from './explorer-redirect';
import { graphqlHttpHandler, isGraphqlUrl } from './graphql-http';
import { graphqlRequestGuards } from './graphql-request-guards';
import { jsonErrorHandler } from './http-errors';
import { liveEventStream, wantsEventStream } from './live-event-stream';
import { liveOperations } from './live-operations';
import { attachLiveSocket, DEFAULT_LIVE_SOCKET_LIMITS, type LiveSocketLimits } from './live-socket';
import { QUERY_LIMITS, queryLimitsPlugin } from './query-limits';
import { attachShare } from './request-share';
import { securityHeaderList, securityHeaders } from './security-headers';
import { clientAddressResolver, type TrustProxy } from './trust-proxy';

export interface HubServer {
  readonly httpServer: http.Server;
  /** Listens; resolves with the bound port (0 picks a free one). */
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

/** node:http serving POST /graphql (Apollo) itself, and Express with the rest of /graphql, /healthz, /readyz, files and the web UI. */
export async function createHubServer(options: {
  database: Database;
  services: Services;
  log: Logger;
  webDistDir: string;
  shares: CallerShares;
  /** Unset: no proxy is trusted, and every client is the address of its connection. */
  trustProxy?: TrustProxy;
  liveLimits?: LiveSocketLimits;
  /** The image proxy's limits (config.remoteImages); unset, the defaults, public addresses only. */
  remoteImages?: RemoteImageFetchOptions;
}): Promise<HubServer> {
  const { database, services, log, webDistDir, shares, trustProxy = false } = options;
  const app = express();
  app.disable('x-powered-by');
  // No ETag on answers: GraphQL answers depend on who asks and are not cached (Apollo's cache control is off), and
  // hashing every answer body cost more CPU per timeline page than any field of it. Static files keep theirs.
  app.set('etag', false);
  // req.ip, which the per-client limits count, comes from X-Forwarded-For only through the proxies trusted here.
  app.set('trust proxy', trustProxy);
  app.use(securityHeaders());
  const clientAddress = clientAddressResolver(trustProxy);
  // Its request listener is added once Apollo has started (below); Apollo's drain plugin needs the server first.
  const httpServer = http.createServer();
  const schema = budgetedFields(buildApiSchema());
  const apollo = new ApolloServer<RequestContext>({
    // The schema comes through the compiled executor (queries run as graphql-jit code, the rest on graphql-js).
    gateway: compiledExecution(schema),
    // Apollo's CSRF prevention (on by default, kept explicit): a GET or form post must carry a
    // non-simple content type or an apollo-require-preflight header, which a cross-site page cannot send.
    csrfPrevention: true,
    introspection: true,
    // Stack traces stay in the server log (formatError logs unexpected errors in full).
    includeStacktraceInErrorResponses: false,
    formatError: formatError(log),
    // Answers as compact JSON: Apollo's default indents them, which for a timeline page is about a third more bytes
    // to build, send and parse.
    stringifyResult: (result) => JSON.stringify(result),
    // query-limits refuses longer queries before parsing; this is graphql-js's own stop, in case.
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    // No HTTP caching of GraphQL answers (they depend on who asks), so no per-field cache-control bookkeeping.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      queryLimitsPlugin(schema, QUERY_LIMITS),
      executionBudgetPlugin(),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Realtime is reported, not required: without the bus the api still answers queries, and
  // subscribers on this process still receive every event (read from the database, at most a poll later).
  app.get('/readyz', async (_req, res) => {
    const realtime = { bus: services.bus.kind, ready: services.bus.ready };
    try {
      await database.dataSource.query('SELECT 1');
      res.json({ status: realtime.ready ? 'ready' : 'degraded', database: database.dialect, realtime });
    } catch (err) {
      log.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', reason: 'database unreachable', realtime });
    }
  });

  // Subscriptions, over a WebSocket (upgrade, attached below) or Server-Sent Events (Accept: text/event-stream),
  // share the checks and the executor; SSE requests are taken before the explorer redirect and the JSON guards.
  const liveLimits = options.liveLimits ?? DEFAULT_LIVE_SOCKET_LIMITS;
  const operations = liveOperations({
    schema,
    services,
    queryLimits: QUERY_LIMITS,
    complexityLimit: (auth) => shareOf(shares, auth.principal, '').limits.complexity,
  });
  const eventStream = liveEventStream({
    services,
    log,
    operations,
    requestBytes: (auth) => shareOf(shares, auth.principal, '').limits.requestBytes,
    limits: liveLimits,
  });
  app.use('/graphql', eventStream.handler);
  app.get('/graphql', browserToExplorer());
  const guards = graphqlRequestGuards({
    authenticate: (header) => services.auth.authenticate(header),
    shares,
    gate: new ConcurrencyGate(shares.peopleTotalConcurrent),
    queryLimits: QUERY_LIMITS,
    clientAddress,
  });
  const graphql = graphqlHttpHandler({
    apollo,
    guards,
    context: ({ caller: auth, share, clientAddress: address }): RequestContext => {
      const loaders = createLoaders(database.dataSource, services.stores, services.identity, services.blobs, services.mailboxes, auth?.principal);
      const context = { auth, services, loaders, clientAddress: address };
      attachShare(context, share);
      return context;
    },
    securityHeaders: securityHeaderList(),
    log,
  });
  app.use('/graphql', (req, res) => graphql(req, res));
  // POST /graphql, nearly every request the api gets, skips Express altogether.
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method === 'POST' && isGraphqlUrl(req.url) && !wantsEventStream(req)) void graphql(req, res);
    else app(req, res);
  });

  app.use(
    blobRoutes({
      store: services.blobs,
      authenticate: (header) => services.auth.authenticate(header),
      mayReadAny: (caller) => isSyncEngine((caller as { principal: Principal }).principal),
      maxBytes: async () => (await services.emailSettings.current()).maxAttachmentKb * 1024,
      // People upload for their own drafts, within a quota; the sync engine feeds mail.
      uploaderOf: (caller) => {
        const { principal } = caller as { principal: Principal };
        return isSyncEngine(principal) ? undefined : principal.userId;
      },
      uploads: services.blobUploads,
      log,
    }),
  );
  app.use(attachmentRoutes({ db: database.dataSource, blobs: services.blobs, authenticate: (header) => services.auth.authenticate(header), log }));
  app.use(remoteImageRoutes({ db: database.dataSource, bodies: services.blobs, authenticate: (header) => services.auth.authenticate(header), fetch: options.remoteImages ?? DEFAULT_REMOTE_IMAGE_FETCH, log }));

  const indexHtml = path.join(webDistDir, 'index.html');
  if (fs.existsSync(indexHtml)) {
    app.use(express.static(webDistDir, { index: false, maxAge: '1h' }));
    // Single-page app: every other GET serves index.html and the client routes.
    app.get(/^\/(?!graphql|healthz|readyz).*/, (_req, res) => {
      res.sendFile(indexHtml);
    });
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('CRM activity hub api is running. The web UI is not built: run `npm run build -w web`.\n');
    });
  }

  const liveSocket = attachLiveSocket({ httpServer, services, log, operations, clientAddress, limits: liveLimits });

  // Last: whatever a route could not handle is a JSON error with a code, never Express's HTML page (which prints the error, body included, to stderr).
  app.use(jsonErrorHandler(log));

  return {
    httpServer,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: async () => {
      eventStream.close();
      await liveSocket.close();
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
