import { GraphQLRequestError, type FieldWhy } from '../graphql/graphql-client';
import { messageOf } from '../session/session.svelte';

/** A refused change: the API's words, its code, and the input field it names (`input.password`, `from`, `id`), if any; shown with i18n.problem. */
export interface MutationError {
  readonly message: string;
  readonly code: string;
  readonly field: string | null;
  /** The record a CONFLICT is about (a duplicate), when the API names one. */
  readonly existingId?: string | null;
  /** Why an input was refused, when the API says: i18n.problem then writes the reader's sentence. */
  readonly why?: FieldWhy | null;
  /** How many users still hold what a refused delete is about, when the API counts them. */
  readonly holders?: number | null;
}

// The API prefixes input errors with the field they concern (api/src/common/errors.ts badInput/notFound,
// api/src/server/errors.ts for validation); extensions.field carries the same name.
const FIELD_PREFIX = /^([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*): (.+)$/s;

/**
 * The field and message of a failed mutation: `extensions.field` (the client's `error.field`), else the
 * "field: message" prefix every BAD_USER_INPUT and NOT_FOUND message carries.
 */
export function toMutationError(error: unknown): MutationError {
  // CLIENT: a failure in the page itself (shell/i18n/translator.ts problemOf), not an answer from the API.
  if (!(error instanceof GraphQLRequestError)) return { message: messageOf(error), code: 'CLIENT', field: null, existingId: null };
  const prefixed = FIELD_PREFIX.exec(error.message);
  const field = error.field ?? (error.code === 'BAD_USER_INPUT' || error.code === 'NOT_FOUND' ? (prefixed?.[1] ?? null) : null);
  // The field is shown beside its control, so the message drops the prefix that repeats it.
  const message = field && prefixed?.[1] === field ? prefixed[2] : error.message;
  return { message: capitalize(message), code: error.code, field, existingId: error.existingId, why: error.why, holders: error.holders };
}

/** Whether `error` is about one of `fields` (so it belongs beside that control, not in a general slot). */
export function isAbout(error: MutationError | null, ...fields: string[]): boolean {
  return !!error?.field && fields.includes(error.field);
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The input field a refusal names, without `input.` and a list index (`input.blockedAddresses[3]` → `blockedAddresses`); null when none. */
export function inputFieldOf(error: MutationError | null): string | null {
  const match = error?.field ? /^input\.(\w+)/.exec(error.field) : null;
  return match ? match[1] : null;
}
