import type http from 'node:http';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Services } from '../graphql/services';
import type { Authenticated } from '../identity/auth.service';
import { LIVE_CLOSE, type LiveConnection } from '../live/live-connection';
import type { Logger } from '../platform/logger';
import { formatError } from './errors';
import { connectionOf, LiveConnections, mayConnect } from './live-connections';
import type { LiveOperations } from './live-operations';

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
  subscriptions: Set<string>;
  connection: LiveConnection;
  release: () => void;
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
  services: Services;
  log: Logger;
  operations: LiveOperations;
  /** The client's address of an upgrade request, through the proxies the api trusts (trust-proxy.ts). */
  clientAddress(request: http.IncomingMessage): string;
  limits?: LiveSocketLimits;
}): { close(): Promise<void>; readonly connections: number } {
  const { httpServer, services, log, operations, clientAddress } = options;
  const limits = options.limits ?? DEFAULT_LIVE_SOCKET_LIMITS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  const connections = new LiveConnections(services.auth, limits);
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

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const header = authorizationOf(ctx.connectionParams);
        let auth: Authenticated | undefined;
        try {
          auth = await services.auth.authenticate(header);
        } catch {
          auth = undefined;
        }
        if (!mayConnect(auth) || !header) return false;
        const socket = ctx.extra.socket;
        const connection = connectionOf(services.auth, header, (code, reason) => {
          if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, reason);
        });
        const release = connections.admit(auth.user.id, connection);
        if (!release) {
          socket.close(LIVE_CLOSE.tooManyConnections.code, LIVE_CLOSE.tooManyConnections.reason);
          return false;
        }
        ctx.extra.state = { subscriptions: new Set(), connection, release };
        return true;
      },
      onClose: (ctx) => ctx.extra.state?.release(),
      onSubscribe: async (ctx, id, payload) => {
        const state = ctx.extra.state!;
        if (state.subscriptions.size >= limits.subscriptionsPerConnection) {
          return [new GraphQLError(`This connection already has ${limits.subscriptionsPerConnection} subscriptions, the limit; stop one or open another connection.`, { extensions: { code: 'RATE_LIMITED' } })];
        }
        // Taken before the first await: subscribe messages that arrive together cannot all pass the check.
        state.subscriptions.add(id);
        const auth = await state.connection.current();
        if (!mayConnect(auth)) {
          state.subscriptions.delete(id);
          state.connection.close(LIVE_CLOSE.sessionEnded.code, LIVE_CLOSE.sessionEnded.reason);
          return [new GraphQLError('The session ended; sign in again.', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        const prepared = operations.prepare(payload, { auth, connection: state.connection, clientAddress: clientAddress(ctx.extra.request) });
        if ('errors' in prepared) {
          state.subscriptions.delete(id);
          return [...prepared.errors];
        }
        return prepared.args;
      },
      onComplete: (ctx, id) => {
        ctx.extra.state?.subscriptions.delete(id);
      },
      subscribe: operations.subscribe,
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
      connections.dispose();
      await server.dispose();
    },
  };
}
