import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import type { Logger } from '../platform/logger';

function flatten(errors: readonly ValidationError[], prefix: string): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = `${prefix}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message: message.replace(new RegExp(`^${e.property} `), '') }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Every error leaves with `extensions.code`; input errors name the field; anything unexpected
 * (a database error, a bug) is logged in full and reaches the caller only as a generic message.
 */
export function formatError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof ArgumentValidationError) {
      // All mutations take their fields in an argument named `input`.
      const fields = flatten(original.extensions.validationErrors as ValidationError[], 'input');
      const first = fields[0];
      return {
        ...formatted,
        message: fields.map((f) => `${f.field}: ${f.message}`).join('; '),
        extensions: { code: 'BAD_USER_INPUT', field: first?.field, fields },
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
