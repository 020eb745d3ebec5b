import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, locatedError, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * Runs queries through graphql-jit: each query document is compiled once into a function that walks the answer
 * without graphql-js's per-field machinery (a timeline page is hundreds of fields). Mutations and anything jit does
 * not compile run on graphql-js as before. Apollo still parses, validates, checks the limits and runs every plugin
 * hook; resolvers are the schema's own, so the execution budget's field wrappers (budgetedFields) and the argument
 * guards still run.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  // Apollo keeps one parsed document per query text (its document store, bounded), so a compiled query lives as
  // long as its document and needs no cache bound of its own.
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null | number>>();

  const compiledFor = (document: DocumentNode, operationName: string | null): CompiledQuery | null => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let query = byName.get(key);
    if (query === undefined || typeof query === 'number') {
      // Compiling costs several executions' worth of CPU: a query is compiled once it comes again, so a stream of
      // queries each sent once (a client's one-offs, or someone making the server compile) runs on graphql-js.
      const runs = (query ?? 0) + 1;
      if (runs < COMPILE_AFTER_RUNS) {
        byName.set(key, runs);
        return null;
      }
      const result = compileQuery(schema, document, operationName ?? undefined);
      // Not compiled (jit refuses something): graphql-js runs this document, and reports what is wrong.
      query = isCompiledQuery(result) ? result : null;
      byName.set(key, query);
    }
    return query;
  };

  const executor: GatewayExecutor = async (request) => {
    const variables = request.request.variables ?? {};
    const query = request.operation.operation === 'query' ? compiledFor(request.document, request.operationName) : null;
    if (query) return withGraphqlErrors((await query.query(undefined, request.context, variables)) as ExecutionResult<Record<string, unknown>>);
    return (await execute({
      schema,
      document: request.document,
      contextValue: request.context,
      variableValues: variables,
      operationName: request.operationName,
    })) as ExecutionResult<Record<string, unknown>>;
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    load: async () => ({ executor }),
    stop: async () => undefined,
  };
}

/** The run of a query document at which it is compiled; the ones before run on graphql-js. */
const COMPILE_AFTER_RUNS = 3;

/**
 * graphql-jit reports errors as objects of its own (no `extensions` unless the original error had some), which
 * Apollo's error formatting cannot read: each becomes a graphql-js GraphQLError with the same message, path,
 * locations and original error, so codes and messages come out as they do from graphql-js.
 */
function withGraphqlErrors(result: ExecutionResult<Record<string, unknown>>): ExecutionResult<Record<string, unknown>> {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((jitError) => {
    // As graphql-js reports a resolver's error: the error thrown, placed at the field (its code and message kept).
    const error = jitError.originalError ? locatedError(jitError.originalError, undefined, jitError.path) : new GraphQLError(jitError.message, { path: jitError.path });
    if (!error.locations && jitError.locations) (error as { locations?: unknown }).locations = jitError.locations;
    return error;
  });
  return { ...result, errors };
}
