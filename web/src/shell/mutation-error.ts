import { GraphQLRequestError } from '../graphql/graphql-client';
import { messageOf } from '../session/session.svelte';

/** A refused change: the API's words, its code, and the input field it names (`input.password`, `from`, `id`), if any. */
export interface MutationError {
  readonly message: string;
  readonly code: string;
  readonly field: string | null;
}

// The API prefixes input errors with the field they concern (api/src/common/errors.ts badInput/notFound,
// api/src/server/errors.ts for validation); extensions.field carries the same name.
const FIELD_PREFIX = /^([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*): (.+)$/s;

/**
 * The field and message of a failed mutation: `extensions.field` (the client's `error.field`), else the
 * "field: message" prefix every BAD_USER_INPUT and NOT_FOUND message carries.
 */
export function toMutationError(error: unknown): MutationError {
  if (!(error instanceof GraphQLRequestError)) return { message: messageOf(error), code: 'INTERNAL_SERVER_ERROR', field: null };
  const prefixed = FIELD_PREFIX.exec(error.message);
  const field = error.field ?? (error.code === 'BAD_USER_INPUT' || error.code === 'NOT_FOUND' ? (prefixed?.[1] ?? null) : null);
  // The field is shown beside its control, so the message drops the prefix that repeats it.
  const message = field && prefixed?.[1] === field ? prefixed[2] : error.message;
  return { message: capitalize(message), code: error.code, field };
}

/** Whether `error` is about one of `fields` (so it belongs beside that control, not in a general slot). */
export function isAbout(error: MutationError | null, ...fields: string[]): boolean {
  return !!error?.field && fields.includes(error.field);
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
