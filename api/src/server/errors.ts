import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { validationExtensions, validationFields } from '../common/argument-guard';
import type { Logger } from '../platform/logger';

/**
 * Every error leaves with `extensions.code`; input errors name the field; anything unexpected
 * (a database error, a bug) is logged in full and reaches the caller only as a generic message.
 */
export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof ArgumentValidationError) {
      // A fallback: guardArguments (graphql/schema.ts) names the argument before this is reached.
      const fields = validationFields(original.extensions.validationErrors as ValidationError[], 'input');
      return {
        ...formatted,
        message: fields.map((f) => `${f.field}: ${f.message}`).join('; '),
        extensions: validationExtensions(fields),
      };
    }
    const code = formatted.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
      log.error({ err: original, path: formatted.path }, 'unexpected error in a GraphQL operation');
      return { message: 'internal error; the server log has the details', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    return formatted;
  };
}
