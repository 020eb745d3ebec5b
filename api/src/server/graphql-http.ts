import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import type { RequestContext } from '../graphql/context';
import type { Logger } from '../platform/logger';
import type { AdmittedRequest, graphqlRequestGuards } from './graphql-request-guards';
import { answerHttpError } from './http-errors';

/** Whether a request line names the GraphQL route exactly (/graphql, with or without a query string). */
export function isGraphqlUrl(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('/graphql') && (url.length === 8 || url.charCodeAt(8) === 63 /* ? */);
}

/**
 * GraphQL over HTTP on node:http's own request and response: the security headers, the guards (who calls, their
 * share, the body, the query's shape), then Apollo's request pipeline, and the answer written in one go. The hub's
 * server hands POST /graphql here before Express (its router, request and response decorations and body parsing
 * cost more CPU than a small page's fields), and Express mounts the same handler for the rest of /graphql.
 */
export function graphqlHttpHandler(options: {
  apollo: ApolloServer<RequestContext>;
  guards: ReturnType<typeof graphqlRequestGuards>;
  /** The operation's context for a request the guards let through. */
  context(admitted: AdmittedRequest): RequestContext;
  securityHeaders: readonly (readonly [string, string])[];
  log: Logger;
}): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { apollo, guards, context, securityHeaders, log } = options;
  return async (req, res) => {
    for (const [name, value] of securityHeaders) res.setHeader(name, value);
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const search = query === -1 ? '' : url.slice(query);
    try {
      const admitted = await guards.admit(req, res, search);
      if (!admitted) return;
      // The slot is held until the operation has finished, even if its client is gone.
      admitted.slot.running = true;
      try {
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers: headerMapOf(req), search, body: admitted.body },
          context: async () => context(admitted),
        });
        await send(res, response);
      } finally {
        admitted.slot.running = false;
        admitted.slot.release();
      }
    } catch (err) {
      answerHttpError(err, req, res, log, '/graphql');
    }
  };
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

async function send(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    // Encoded once: measuring the string's UTF-8 length and then writing the string would walk it twice, and a page
    // with one character outside Latin-1 (a dash in a subject) is a two-byte string, slow to walk.
    const body = Buffer.from(response.body.string, 'utf8');
    res.setHeader('content-length', body.length);
    res.end(body);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
