import type { MiddlewareFn } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { canUseField } from './principal';
import type { AccessEntity } from './privileges';

/** Column security on read: a secured field the caller may not read resolves to null, as in Dynamics. */
export function securedField(entity: AccessEntity): MiddlewareFn<RequestContext> {
  return async ({ context, info }, next) => {
    const principal = context.auth?.principal;
    if (!principal || !canUseField(principal, entity, info.fieldName, 'read')) return null;
    return next();
  };
}
