import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { MAX_PAGE_SIZE } from '../common/pagination';
import { countTokens, shapeRefusal, tooComplex, type ShapeLimits } from './document-shape';
import { PEOPLE_COMPLEXITY } from './caller-share';
import { listEstimator } from './list-bounds';
import { RepeatCache } from './repeat-cache';
import { shareOfContext } from './request-share';

export interface QueryLimits extends ShapeLimits {
  /** For a request with no caller share (each share sets its own, caller-share.ts). */
  readonly maxComplexity: number;
  readonly maxPageSize: number;
}

/** Limits for every caller, documented in README ("Errors and limits"). */
export const QUERY_LIMITS: QueryLimits = {
  maxTokens: 10_000,
  maxFields: 2_000,
  maxSameField: 50,
  maxDepth: 12,
  // The stock introspection query (graphql-js getIntrospectionQuery) nests 15 levels: 9 of them ofType.
  maxIntrospectionDepth: 20,
  maxComplexity: PEOPLE_COMPLEXITY,
  maxPageSize: MAX_PAGE_SIZE,
};

/** The complexity of one operation: a field costs 1, a list 1 plus its children times the most rows it can return. */
export function operationComplexity(
  schema: GraphQLSchema,
  request: { document: DocumentNode; operationName?: string | null; variables?: Record<string, unknown> },
  estimators = complexityEstimators(schema),
): number {
  return getComplexity({ schema, operationName: request.operationName ?? undefined, query: request.document, variables: request.variables, estimators });
}

export const complexityEstimators = (schema: GraphQLSchema) => [listEstimator(schema), simpleEstimator({ defaultComplexity: 1 })];

/**
 * Why a query's text is refused before GraphQL parses and validates it (whose cost grows with it): more tokens
 * than the limit, or a shape past the limits (fields with fragments expanded, repeats of one field, depth).
 * Text that does not parse is left to GraphQL to report.
 */
export function refusalOfQueryText(source: string, limits: ShapeLimits): GraphQLError | undefined {
  // Most texts are a client's few documents, sent again and again: their verdict is kept (short texts only, so the cache stays small).
  if (source.length > MAX_REMEMBERED_TEXT || limits !== QUERY_LIMITS) return judgeQueryText(source, limits);
  return rememberedVerdicts.get(source, () => judgeQueryText(source, limits));
}

const MAX_REMEMBERED_TEXT = 8 * 1024;
const rememberedVerdicts = new RepeatCache<string, GraphQLError | undefined>(1000);

function judgeQueryText(source: string, limits: ShapeLimits): GraphQLError | undefined {
  if (countTokens(source, limits.maxTokens) > limits.maxTokens) {
    return tooComplex(`The query has more than ${limits.maxTokens} tokens, the limit; send a smaller query.`);
  }
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.maxTokens, noLocation: true });
  } catch {
    return undefined;
  }
  return shapeRefusal(document, limits);
}

/** Refuses an operation whose estimated cost exceeds its caller's share (QUERY_TOO_COMPLEX) before it runs. */
export function queryLimitsPlugin(schema: GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  const estimators = complexityEstimators(schema);
  // Apollo hands back the same document object for the same query text (its document store), so the complexity
  // of a document is kept per operation name and variables; a document that is no longer cached takes its own along.
  const complexities = new WeakMap<DocumentNode, RepeatCache<string, number>>();
  // Only queries: mutations may carry megabytes of variables (tracked mail), not worth a key.
  const complexityOf = (document: DocumentNode, operation: OperationTypeNode, operationName: string | null | undefined, variables: Record<string, unknown> | undefined): number => {
    const compute = () => operationComplexity(schema, { document, operationName, variables }, estimators);
    if (operation !== OperationTypeNode.QUERY) return compute();
    const key = JSON.stringify([operationName ?? null, variables ?? null]);
    if (key.length > MAX_REMEMBERED_TEXT) return compute();
    let known = complexities.get(document);
    if (!known) complexities.set(document, (known = new RepeatCache(100)));
    return known.get(key, compute);
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, contextValue }) {
          const maxComplexity = shareOfContext(contextValue as object)?.complexity ?? limits.maxComplexity;
          let complexity: number;
          try {
            complexity = complexityOf(document, operation?.operation ?? OperationTypeNode.MUTATION, request.operationName, request.variables);
          } catch (err) {
            // getComplexity coerces the variables first; a bad variable is the caller's error, as GraphQL would report it.
            if (err instanceof GraphQLError) throw new GraphQLError(err.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
            throw err;
          }
          if (complexity > maxComplexity) {
            throw tooComplex(`The query's complexity ${complexity} exceeds the limit of ${maxComplexity}; ask for smaller pages or fewer fields.`);
          }
        },
      };
    },
  };
}
