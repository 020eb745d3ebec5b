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

/** An error a caller can act on: a code, and the input field it concerns when there is one. */
export class ApiError extends GraphQLError {
  constructor(code: ApiErrorCode, message: string, field?: string) {
    super(message, { extensions: field ? { code, field } : { code } });
  }
}

export const notFound = (field: string, id: string) =>
  new ApiError('NOT_FOUND', `${field}: no record with id "${id}" exists or you may not read it`, field);

export const badInput = (field: string, message: string) => new ApiError('BAD_USER_INPUT', `${field}: ${message}`, field);

export const forbidden = (message: string) => new ApiError('FORBIDDEN', message);

export const unauthenticated = () =>
  new ApiError('UNAUTHENTICATED', 'sign in first: send "Authorization: Bearer <session token or API key>"');
