import type { Principal } from '../access/principal';
import { unauthenticated } from '../common/errors';
import type { Authenticated } from '../identity/auth.service';
import type { Loaders } from './loaders';
import type { Services } from './services';

/** Per request: who is calling, the process-wide services, and this request's DataLoaders. */
export interface RequestContext {
  readonly auth?: Authenticated;
  readonly services: Services;
  readonly loaders: Loaders;
}

export function principalOf(ctx: RequestContext): Principal {
  if (!ctx.auth) throw unauthenticated();
  return ctx.auth.principal;
}
