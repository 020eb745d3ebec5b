import type { Principal } from './principal';

/** What field security needs of a request: the caller, if signed in. The GraphQL request context satisfies it. */
export interface AccessContext {
  readonly auth?: { readonly principal: Principal };
}
