import type { IncomingMessage } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { createHandler, type ExecutionResult } from 'graphql-sse';
import type { Services } from '../graphql/services';
import type { Authenticated } from '../identity/auth.service';
import { LIVE_CLOSE, type LiveConnection } from '../live/live-connection';
import type { Logger } from '../platform/logger';
import { formatError } from './errors';
import { eventStreamResponse } from './event-stream-response';
import { sendGraphqlError } from './http-errors';
import { connectionOf, LiveConnections, mayConnect } from './live-connections';
import type { LiveContext, LiveOperations } from './live-operations';
import { clientAddress } from './trust-proxy';

/** Limits of the SSE endpoint: the same numbers as the WebSocket's (live-socket.ts). */
export interface LiveEventStreamLimits {
  /** Open streams of one user (each stream is one subscription: graphql-sse's "distinct connections mode"). */
  readonly connectionsPerUser: number;
  /** Open streams of this process, all users together. */
  readonly maxConnections: number;
  /** Bytes waiting in a response's send buffer before the client is cut off as too slow. */
  readonly maxBufferedBytes: number;
  readonly recheckMs: number;
}

/** What an SSE stream knows of its request, for graphql-sse's callbacks. */
interface StreamRequestContext {
  readonly caller: { auth: Authenticated; connection: LiveConnection; clientAddress?: string };
}

/** graphql-sse's event-stream media type; the protocol's streaming requests ask for it and nothing else. */
const EVENT_STREAM = 'text/event-stream';

/** Whether a request on /graphql is an SSE subscription (GraphQL over SSE, distinct connections mode): it accepts `text/event-stream`. */
export function wantsEventStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').split(',').some((type) => type.split(';')[0].trim().toLowerCase() === EVENT_STREAM);
}

/**
 * Subscriptions over Server-Sent Events on /graphql (the GraphQL over SSE protocol, graphql-sse's
 * "distinct connections mode": one POST or GET with `Accept: text/event-stream` per subscription), for
 * callers that cannot hold a WebSocket. Authenticated by the same `Authorization` header as HTTP, refused
 * with a JSON error before a stream opens, run by the same executor and checks as the WebSocket.
 * Single connection mode (a stream reserved by PUT) is refused: graphql-sse keeps reservations, and
 * the events queued for them, with no way to expire them.
 */
export function liveEventStream(options: {
  services: Services;
  log: Logger;
  operations: LiveOperations;
  /** The largest request body of this caller (their share's, as on HTTP). */
  requestBytes: (auth: Authenticated) => number;
  limits: LiveEventStreamLimits;
}): { handler: RequestHandler; close(): void; readonly streams: number } {
  const { services, log, operations, limits } = options;
  const connections = new LiveConnections(services.auth, limits);
  const format = formatError(log);
  const formatAll = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((e) => format(e.toJSON(), e));
  const bodyParsers = new Map<number, RequestHandler>();

  const sse = createHandler<Request, StreamRequestContext, LiveContext & Record<PropertyKey, unknown>>({
    // No reservation tokens: every request is a stream of its own (distinct connections mode).
    authenticate: () => null,
    onSubscribe: (req, params) => {
      const prepared = operations.prepare(params, req.context.caller);
      if ('errors' in prepared) {
        return [JSON.stringify({ errors: formatAll(prepared.errors) }), { status: 400, statusText: 'Bad Request', headers: { 'content-type': 'application/json; charset=utf-8' } }];
      }
      return prepared.args as typeof prepared.args & { contextValue: LiveContext & Record<PropertyKey, unknown> };
    },
    subscribe: operations.subscribe as never,
    onNext: (_ctx, _req, result) => {
      const errors = (result as ExecutionResult).errors as readonly GraphQLError[] | undefined;
      return errors ? { ...result, errors: formatAll(errors) as never } : undefined;
    },
  });

  const readBody = (req: Request, res: Response, auth: Authenticated): Promise<void> => {
    const limit = options.requestBytes(auth);
    let parser = bodyParsers.get(limit);
    if (!parser) bodyParsers.set(limit, (parser = express.json({ limit })));
    return new Promise((resolve, reject) => parser(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
  };

  const handler: RequestHandler = async (req, res, next) => {
    if (req.method === 'PUT' || req.method === 'DELETE') {
      sendGraphqlError(req, res, 405, 'BAD_REQUEST', 'Server-Sent Events run in distinct connections mode only: send each subscription as its own POST /graphql with Accept: text/event-stream.', { allow: 'GET, POST' });
      return;
    }
    if (!wantsEventStream(req)) {
      next();
      return;
    }
    const header = req.headers.authorization;
    let auth: Authenticated | undefined;
    try {
      auth = await services.auth.authenticate(header);
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      sendGraphqlError(req, res, 401, 'UNAUTHENTICATED', err.message);
      return;
    }
    if (!auth || !header) {
      sendGraphqlError(req, res, 401, 'UNAUTHENTICATED', 'Subscriptions need a signed-in caller: send Authorization: Bearer <session token or API key>.');
      return;
    }
    if (!mayConnect(auth)) {
      sendGraphqlError(req, res, 403, 'PASSWORD_CHANGE_REQUIRED', 'An administrator reset your password: choose a new one with changePassword before doing anything else.');
      return;
    }
    if (connections.size >= limits.maxConnections) {
      sendGraphqlError(req, res, 503, 'SERVICE_UNAVAILABLE', 'The api has as many live connections open as it allows; try again shortly.', { 'retry-after': '5' });
      return;
    }
    if (req.method === 'POST') {
      if (!req.is('application/json')) {
        sendGraphqlError(req, res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as a POST with Content-Type: application/json.');
        return;
      }
      try {
        await readBody(req, res, auth);
      } catch (err) {
        next(err);
        return;
      }
    }

    const stream = eventStreamResponse(res);
    const connection = connectionOf(services.auth, header, (code) => stream.end(code));
    const release = connections.admit(auth.user.id, connection);
    if (!release) {
      sendGraphqlError(req, res, 429, 'RATE_LIMITED', `You already have ${limits.connectionsPerUser} live connections open, the limit; close one first.`, { 'retry-after': '5' });
      return;
    }
    res.once('close', release);

    const [body, init] = await sse({
      method: req.method,
      url: req.originalUrl,
      headers: { get: (key) => (key === 'accept' ? EVENT_STREAM : headerValue(req, key)) },
      body: (req.body as Record<string, unknown> | undefined) ?? null,
      raw: req,
      context: { caller: { auth, connection, clientAddress: clientAddress(req) } },
    });
    if (!body || typeof body === 'string') {
      release();
      res.writeHead(init.status, init.statusText, init.headers).end(withCodes(body) ?? undefined);
      return;
    }
    // X-Accel-Buffering: nginx (and proxies that honour it) pass events on as they come instead of buffering the response.
    stream.pipe(body, { ...init.headers, 'x-accel-buffering': 'no' }, limits.maxBufferedBytes);
  };

  return {
    handler,
    get streams() {
      return connections.size;
    },
    close: () => {
      connections.dispose();
      connections.closeAll(LIVE_CLOSE.serverClosing.code, LIVE_CLOSE.serverClosing.reason);
    },
  };
}

/** graphql-sse's own refusals (a request without a query, variables that are not an object) get the code every error carries. */
function withCodes(body: string | null): string | null {
  if (!body) return body;
  try {
    const parsed = JSON.parse(body) as { errors?: { message: string; extensions?: { code?: string } }[] };
    if (!Array.isArray(parsed.errors)) return body;
    return JSON.stringify({ ...parsed, errors: parsed.errors.map((e) => (e.extensions?.code ? e : { ...e, extensions: { ...e.extensions, code: 'BAD_REQUEST' } })) });
  } catch {
    return body;
  }
}

function headerValue(req: Request, key: string): string | undefined {
  const value = req.headers[key];
  return Array.isArray(value) ? value.join('\n') : value;
}
