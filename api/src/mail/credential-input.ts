import { badInput } from '../common/errors';
import { MailAuthMethod } from './mail-enums';

/** A password or access token as typed into an input; which one is allowed depends on the profile's method. */
export interface SecretInput {
  readonly password?: string | null;
  readonly accessToken?: string | null;
}

/**
 * The one secret an input gives, checked against the authentication method (null `method`: no profile
 * yet, either is accepted); undefined when it gives none. Errors name the input field.
 */
export function secretOf(input: SecretInput, method: MailAuthMethod | null): string | undefined {
  const password = input.password ?? undefined;
  const token = input.accessToken ?? undefined;
  if (password !== undefined && token !== undefined) throw badInput('input.accessToken', 'give either password or accessToken, not both');
  if (password !== undefined) {
    if (method === MailAuthMethod.OAUTH_BEARER) throw badInput('input.password', 'the server profile signs in with OAuth bearer tokens (XOAUTH2): give accessToken instead');
    if (password === '') throw badInput('input.password', 'must not be empty', { reason: 'REQUIRED' });
    return password;
  }
  if (token !== undefined) {
    if (method !== null && method !== MailAuthMethod.OAUTH_BEARER) throw badInput('input.accessToken', `the server profile signs in with a password (${method}): give password instead`);
    if (token.trim() === '') throw badInput('input.accessToken', 'must not be empty', { reason: 'REQUIRED' });
    return token.trim();
  }
  return undefined;
}

/** The input field a missing secret is reported on. */
export const secretField = (method: MailAuthMethod | null): string => (method === MailAuthMethod.OAUTH_BEARER ? 'input.accessToken' : 'input.password');
