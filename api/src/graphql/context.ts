import type { Principal } from '../access/principal';
import { ApiError, unauthenticated } from '../common/errors';
import type { Authenticated } from '../identity/auth.service';
import type { Loaders } from './loaders';
import type { Services } from './services';

/** Per request: who is calling, the process-wide services, and this request's DataLoaders. */
export interface RequestContext {
  readonly auth?: Authenticated;
  readonly services: Services;
  readonly loaders: Loaders;
  /** The connecting client's address, for the per-client sign-in limit. */
  readonly clientAddress?: string;
}

/** The caller, for every operation but signing in and out, `viewer` and `changePassword`. */
export function principalOf(ctx: RequestContext): Principal {
  if (!ctx.auth) throw unauthenticated();
  if (ctx.auth.mustChangePassword) {
    throw new ApiError('PASSWORD_CHANGE_REQUIRED', 'An administrator reset your password: choose a new one with changePassword before doing anything else.');
  }
  return ctx.auth.principal;
}
