import type { ShareLimits } from './caller-share';

// A symbol-keyed property of the GraphQL context: Apollo copies the context's own properties into each
// operation's context, so the share travels with it, without the context type carrying transport concerns.
const SHARE = Symbol('caller share');

/** Records which share a GraphQL context's request draws on (http-server.ts, when it builds the context). */
export function attachShare(context: object, share: ShareLimits): void {
  Object.defineProperty(context, SHARE, { value: share, enumerable: true });
}

/** The share of the request a GraphQL context belongs to; undefined for contexts built elsewhere (tests, scripts). */
export function shareOfContext(context: object): ShareLimits | undefined {
  return (context as { [SHARE]?: ShareLimits })[SHARE];
}
