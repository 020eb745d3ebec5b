import { getOperationAST, GraphQLError, parse, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import type { RequestContext } from '../graphql/context';
import { createLoaders } from '../graphql/loaders';
import type { Services } from '../graphql/services';
import type { Authenticated } from '../identity/auth.service';
import type { LiveConnection } from '../live/live-connection';
import { cachedSubscribe, DeliveryCache, operationKey } from '../live/live-execution';
import type { LiveDelivery } from '../live/live-subscriptions';
import { operationComplexity, refusalOfQueryText, type QueryLimits } from './query-limits';

/** What a realtime client sends to start an operation (graphql-ws `subscribe` payload, graphql-sse request body or URL). */
export interface LiveRequest {
  readonly query?: unknown;
  readonly operationName?: string | null;
  readonly variables?: Record<string, unknown> | null;
}

/** The context a subscription's resolvers see: a request's, plus the connection it runs on. */
export type LiveContext = RequestContext & { readonly live: LiveConnection };

/** Who asks, and over what: the caller's credentials as just checked, their connection, their address. */
export interface LiveCaller {
  readonly auth: Authenticated;
  readonly connection: LiveConnection;
  readonly clientAddress?: string;
}

export type LivePreparation = { readonly args: ExecutionArgs & { contextValue: LiveContext } } | { readonly errors: readonly GraphQLError[] };

/** The sentence both transports refuse queries and mutations with. */
export const SUBSCRIPTIONS_ONLY = 'Realtime connections (WebSocket and Server-Sent Events) run subscriptions only; send queries and mutations as HTTP POST /graphql.';

/**
 * How both realtime transports run subscriptions, so they cannot drift apart: the same checks before a
 * subscription starts (query text and shape, parse, validation, subscriptions only, the caller's
 * complexity share), and one executor whose deliveries are resolved once per (operation, event, visibility)
 * across both transports, each with fresh loaders.
 */
export function liveOperations(options: {
  schema: GraphQLSchema;
  services: Services;
  queryLimits: QueryLimits;
  complexityLimit: (auth: Authenticated) => number;
}) {
  const { schema, services, queryLimits } = options;
  const operationKeys = new WeakMap<object, string>();
  const loadersFor = (auth: Authenticated) => createLoaders(services.db, services.stores, services.identity, services.blobs, services.mailboxes, auth.principal);

  const subscribe = cachedSubscribe({
    cache: new DeliveryCache(),
    keyOf: (args) => operationKeys.get(args.contextValue as object) ?? '',
    // Fresh loaders for every delivery: a subscription lives for hours, its data must not.
    contextFor: (base, delivery: LiveDelivery<unknown>) => ({ ...(base as LiveContext), auth: delivery.auth, loaders: loadersFor(delivery.auth) }),
  });

  /** The execution arguments of a subscription, or why it is refused (coded GraphQL errors, before anything runs). */
  function prepare(request: LiveRequest, caller: LiveCaller): LivePreparation {
    if (typeof request.query !== 'string') return refuse('BAD_REQUEST', 'The request needs a query.');
    const refusal = refusalOfQueryText(request.query, queryLimits);
    if (refusal) return { errors: [refusal] };
    let document: DocumentNode;
    try {
      document = parse(request.query, { maxTokens: queryLimits.maxTokens, noLocation: true });
    } catch (err) {
      return refuse('GRAPHQL_PARSE_FAILED', (err as Error).message);
    }
    const invalid = validate(schema, document);
    if (invalid.length) return { errors: invalid.map((e) => new GraphQLError(e.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) };
    const operationName = request.operationName ?? undefined;
    if (getOperationAST(document, operationName)?.operation !== 'subscription') return refuse('BAD_REQUEST', SUBSCRIPTIONS_ONLY);
    const variables = request.variables ?? undefined;
    let complexity: number;
    try {
      complexity = operationComplexity(schema, { document, operationName, variables });
    } catch (err) {
      return refuse('BAD_USER_INPUT', (err as Error).message);
    }
    const max = options.complexityLimit(caller.auth);
    if (complexity > max) return refuse('QUERY_TOO_COMPLEX', `The subscription's complexity ${complexity} exceeds the limit of ${max}; ask for fewer fields.`);
    const contextValue: LiveContext = { auth: caller.auth, services, loaders: loadersFor(caller.auth), clientAddress: caller.clientAddress, live: caller.connection };
    const args = { schema, document, operationName, variableValues: variables, contextValue };
    operationKeys.set(contextValue, operationKey(args, request.query));
    return { args };
  }

  return { prepare, subscribe };
}

export type LiveOperations = ReturnType<typeof liveOperations>;

const refuse = (code: string, message: string): LivePreparation => ({ errors: [new GraphQLError(message, { extensions: { code } })] });
