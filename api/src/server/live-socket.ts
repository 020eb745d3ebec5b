import type http from 'node:http';
import { GraphQLError, parse, validate, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RequestContext } from '../graphql/context';
import { createLoaders } from '../graphql/loaders';
import type { Services } from '../graphql/services';
import type { Authenticated } from '../identity/auth.service';
import { LIVE_CLOSE, type LiveConnection } from '../live/live-connection';
import { cachedSubscribe, DeliveryCache, operationKey } from '../live/live-execution';
import type { LiveDelivery } from '../live/live-subscriptions';
import type { Logger } from '../platform/logger';
import { formatError } from './errors';
import { operationComplexity, refusalOfQueryText, type QueryLimits } from './query-limits';
import { clientAddress } from './trust-proxy';

/** Limits of the realtime endpoint, documented in README ("Errors and limits") and docs/realtime.md. */
export interface LiveSocketLimits {
  /** The largest message a client may send (a subscribe message with its query). */
  readonly maxMessageBytes: number;
  /** How long a client has to send connection_init after opening the socket. */
  readonly connectionInitTimeoutMs: number;
  readonly subscriptionsPerConnection: number;
  readonly connectionsPerUser: number;
  /** All connections of this process, signed in or not. */
  readonly maxConnections: number;
  /** Bytes waiting in a socket's send buffer before the client is cut off as too slow. */
  readonly maxBufferedBytes: number;
  /** How often every connection's credentials are checked again (besides every delivery and every access change). */
  readonly recheckMs: number;
}

export const DEFAULT_LIVE_SOCKET_LIMITS: LiveSocketLimits = {
  maxMessageBytes: 64 * 1024,
  connectionInitTimeoutMs: 10_000,
  subscriptionsPerConnection: 50,
  connectionsPerUser: 50,
  maxConnections: 20_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  recheckMs: 30_000,
};

interface ConnectionState {
  header: string;
  userId: string;
  subscriptions: Set<string>;
  connection: LiveConnection;
}

type Extra = { socket: WebSocket; request: http.IncomingMessage; state?: ConnectionState };

/** The `Authorization` value a client sent in connection_init's payload (`authorization` or `Authorization`). */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' && value.length <= 4096 ? value : undefined;
}

/**
 * graphql-ws on /graphql, over the HTTP server's upgrade: authenticated by connection_init's
 * `authorization`, the same session tokens and API keys as HTTP; the same query limits; subscriptions
 * only (queries and mutations go over HTTP, where their budgets apply).
 */
export function attachLiveSocket(options: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  services: Services;
  log: Logger;
  queryLimits: QueryLimits;
  complexityLimit: (auth: Authenticated) => number;
  limits?: LiveSocketLimits;
}): { close(): Promise<void>; readonly connections: number } {
  const { httpServer, schema, services, log, queryLimits } = options;
  const limits = options.limits ?? DEFAULT_LIVE_SOCKET_LIMITS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  const perUser = new Map<string, number>();
  const states = new Set<ConnectionState>();
  const format = formatError(log);

  httpServer.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/graphql') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (wss.clients.size >= limits.maxConnections) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  // Every connection's credentials again, now and then and whenever access changed somewhere.
  const recheckAll = () => {
    for (const state of states) {
      void state.connection.current().then((auth) => {
        if (!auth || auth.mustChangePassword) state.connection.close(LIVE_CLOSE.sessionEnded.code, LIVE_CLOSE.sessionEnded.reason);
      });
    }
  };
  const timer = setInterval(recheckAll, limits.recheckMs);
  timer.unref();
  const stopListening = services.auth.onAccessChanged(recheckAll);

  const cache = new DeliveryCache();
  const operationKeys = new WeakMap<object, string>();

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const header = authorizationOf(ctx.connectionParams);
        let auth: Authenticated | undefined;
        try {
          auth = await services.auth.authenticate(header);
        } catch {
          auth = undefined;
        }
        if (!auth || auth.mustChangePassword) return false;
        const userId = auth.user.id;
        if ((perUser.get(userId) ?? 0) >= limits.connectionsPerUser) {
          ctx.extra.socket.close(LIVE_CLOSE.tooManyConnections.code, LIVE_CLOSE.tooManyConnections.reason);
          return false;
        }
        perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
        const socket = ctx.extra.socket;
        const connection: LiveConnection = {
          current: async () => {
            try {
              return await services.auth.authenticate(header);
            } catch {
              return undefined;
            }
          },
          close: (code, reason) => {
            if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
          },
        };
        const state: ConnectionState = { header: header!, userId, subscriptions: new Set(), connection };
        ctx.extra.state = state;
        states.add(state);
        return true;
      },
      onClose: (ctx) => {
        const state = ctx.extra.state;
        if (!state) return;
        states.delete(state);
        const n = (perUser.get(state.userId) ?? 1) - 1;
        if (n > 0) perUser.set(state.userId, n);
        else perUser.delete(state.userId);
      },
      onSubscribe: async (ctx, id, payload) => {
        const state = ctx.extra.state!;
        if (state.subscriptions.size >= limits.subscriptionsPerConnection) {
          return [new GraphQLError(`This connection already has ${limits.subscriptionsPerConnection} subscriptions, the limit; stop one or open another connection.`, { extensions: { code: 'RATE_LIMITED' } })];
        }
        // Taken before the first await: subscribe messages that arrive together cannot all pass the check.
        state.subscriptions.add(id);
        const refuse = (code: string, message: string) => {
          state.subscriptions.delete(id);
          return [new GraphQLError(message, { extensions: { code } })];
        };
        if (typeof payload.query !== 'string') return refuse('BAD_REQUEST', 'The subscribe message needs a query.');
        const refusal = refusalOfQueryText(payload.query, queryLimits);
        if (refusal) return refuse(String(refusal.extensions.code), refusal.message);
        let document;
        try {
          document = parse(payload.query, { maxTokens: queryLimits.maxTokens, noLocation: true });
        } catch (err) {
          return refuse('GRAPHQL_PARSE_FAILED', (err as GraphQLError).message);
        }
        const errors = validate(schema, document);
        if (errors.length) {
          state.subscriptions.delete(id);
          return errors;
        }
        const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables };
        const operation = document.definitions.find(
          (d) => d.kind === 'OperationDefinition' && (!payload.operationName || d.name?.value === payload.operationName),
        ) as { operation?: string } | undefined;
        if (operation?.operation !== 'subscription') {
          return refuse('BAD_REQUEST', 'Over a WebSocket the api runs subscriptions only; send queries and mutations as HTTP POST /graphql.');
        }
        const auth = await state.connection.current();
        if (!auth) {
          state.connection.close(LIVE_CLOSE.sessionEnded.code, LIVE_CLOSE.sessionEnded.reason);
          return refuse('UNAUTHENTICATED', 'The session ended; sign in again.');
        }
        let complexity: number;
        try {
          complexity = operationComplexity(schema, { document, operationName: payload.operationName, variables: payload.variables ?? undefined });
        } catch (err) {
          return refuse('BAD_USER_INPUT', (err as Error).message);
        }
        const max = options.complexityLimit(auth);
        if (complexity > max) return refuse('QUERY_TOO_COMPLEX', `The subscription's complexity ${complexity} exceeds the limit of ${max}; ask for fewer fields.`);
        const context: RequestContext & { live: LiveConnection } = {
          auth,
          services,
          loaders: createLoaders(services.db, services.stores, services.identity, services.blobs, services.mailboxes, auth.principal),
          clientAddress: clientAddress(ctx.extra.request as never),
          live: state.connection,
        };
        operationKeys.set(context, operationKey(args, payload.query));
        return { ...args, contextValue: context };
      },
      onComplete: (ctx, id) => {
        ctx.extra.state?.subscriptions.delete(id);
      },
      subscribe: cachedSubscribe({
        cache,
        keyOf: (args) => operationKeys.get(args.contextValue as object) ?? '',
        contextFor: (base, delivery: LiveDelivery<unknown>) => {
          const ctx = base as RequestContext;
          // Fresh loaders for every delivery: a subscription lives for hours, its data must not.
          return { ...ctx, auth: delivery.auth, loaders: createLoaders(services.db, services.stores, services.identity, services.blobs, services.mailboxes, delivery.auth.principal) };
        },
      }),
      onNext: (ctx, _id, _payload, _args, result) => {
        // A client that does not read its socket is cut off before its buffer grows without bound; it resumes from its cursor.
        if (ctx.extra.socket.bufferedAmount > limits.maxBufferedBytes) ctx.extra.state?.connection.close(LIVE_CLOSE.tooSlow.code, LIVE_CLOSE.tooSlow.reason);
        if (!result.errors) return;
        return { ...result, errors: result.errors.map((e) => format(e.toJSON(), e)) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => format(e.toJSON(), e)) as never,
    },
    wss,
  );

  // graphql-ws prints socket errors to stderr; a client's oversized message (ws closes it with 1009)
  // or a broken connection is the client's business, noted in our log without the message.
  wss.on('connection', (socket: WebSocket) => {
    socket.removeAllListeners('error');
    socket.on('error', (err) => {
      log.debug({ reason: err.message }, 'a live connection failed');
      if (socket.readyState === socket.OPEN) socket.close(1011, 'Internal error');
    });
  });

  return {
    get connections() {
      return wss.clients.size;
    },
    close: async () => {
      clearInterval(timer);
      stopListening();
      await server.dispose();
    },
  };
}
