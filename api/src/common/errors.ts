import { GraphQLError } from 'graphql';

/** The fixed set of `extensions.code` values the API answers with. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'CURSOR_EXPIRED'
  | 'INTERNAL_SERVER_ERROR';

/**
 * An error a caller can act on: a code, the input field it concerns when there is one, and facts a
 * client needs to offer the way out (e.g. `existingId`, the duplicate a CONFLICT is about).
 */
export class ApiError extends GraphQLError {
  constructor(code: ApiErrorCode, message: string, field?: string, facts?: Readonly<Record<string, string | number>>) {
    super(message, { extensions: { ...facts, code, ...(field ? { field } : {}) } });
  }
}

export const notFound = (field: string, id: string) =>
  new ApiError('NOT_FOUND', `${field}: no record with id "${id}" exists or you may not read it`, field);

/**
 * Why an input was refused, for clients that write their own sentence (in the reader's language):
 * `extensions.reason`, with its figures (`max`, `min`, `value`) beside it. The message stays the API's English.
 */
export type FieldReason =
  | { readonly reason: 'REQUIRED' }
  | { readonly reason: 'TOO_LONG'; readonly max: number }
  | { readonly reason: 'TOO_LONG_BYTES'; readonly max: number }
  | { readonly reason: 'TOO_SHORT'; readonly min: number }
  | { readonly reason: 'TOO_MANY'; readonly max: number }
  | { readonly reason: 'TOO_SMALL'; readonly min: number }
  | { readonly reason: 'TOO_LARGE'; readonly max: number }
  | { readonly reason: 'NEGATIVE' }
  | { readonly reason: 'INVALID_EMAIL'; readonly value: string }
  | { readonly reason: 'INVALID_CURRENCY'; readonly value: string }
  | { readonly reason: 'INVALID_URL' }
  | { readonly reason: 'INVALID_FORMAT' }
  | { readonly reason: 'DATE_OUT_OF_RANGE' }
  | { readonly reason: 'DATE_IN_FUTURE' }
  | { readonly reason: 'ENDS_BEFORE_START' }
  | { readonly reason: 'STARTS_AFTER_DUE' }
  | { readonly reason: 'ALL_DAY_NOT_WHOLE_DAYS' }
  | { readonly reason: 'UNKNOWN_TIME_ZONE'; readonly value: string }
  | { readonly reason: 'NOT_UNDER_INBOX' };

export const badInput = (field: string, message: string, why?: FieldReason) => new ApiError('BAD_USER_INPUT', `${field}: ${message}`, field, why);

export const forbidden = (message: string) => new ApiError('FORBIDDEN', message);

export const unauthenticated = () =>
  new ApiError('UNAUTHENTICATED', 'sign in first: send "Authorization: Bearer <session token or API key>"');
