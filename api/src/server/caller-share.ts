import type { Principal } from '../access/principal';
import { isSyncEngine } from '../access/sync-engine-guard';
import { clientOf } from '../identity/sign-in-throttle';
import type { ApiConfig } from '../config';

/** The most one GraphQL request may take of the api; every caller gets one of these. */
export interface ShareLimits {
  /** Request body (JSON) in bytes. */
  readonly requestBytes: number;
  /** Operations this caller may have in flight at once. */
  readonly concurrent: number;
  /** A query's time budget, from the moment GraphQL starts on its request. */
  readonly timeoutMs: number;
  /** The answer's size in bytes (approximate JSON size, counted while it is built). */
  readonly responseBytes: number;
  /** The most an operation may cost (query-limits.ts: fields, lists times the rows they can return). */
  readonly complexity: number;
}

/** People (each signed-in user, or each client address when unauthenticated) and the sync engines (one pool for the Sync Service's key). */
export interface CallerShares {
  readonly people: ShareLimits;
  /** Operations all people together may have in flight; the sync engines never wait behind them. */
  readonly peopleTotalConcurrent: number;
  readonly sync: ShareLimits;
}

/** The documented request body limit for everyone but the Sync Service's key. */
export const REQUEST_BODY_BYTES = 2 * 1024 * 1024;

/**
 * A page of 100 timeline items of 1,001 parties each costs about 600,000 (the answer-size limit stops what
 * really grows that large); a Salesperson's `users { roles { privileges } }` costs 7.8 million.
 */
export const PEOPLE_COMPLEXITY = 1_000_000;
/** The engines claim up to 100 outgoing emails of 1,500 recipients each, or read the decisions on 200 tracked emails of 1,001 parties each. */
export const SYNC_COMPLEXITY = 2_000_000;

export function callerShares(config: ApiConfig['shares']): CallerShares {
  return {
    people: { requestBytes: REQUEST_BODY_BYTES, concurrent: config.concurrentPerCaller, timeoutMs: config.operationTimeoutMs, responseBytes: config.responseBytes, complexity: PEOPLE_COMPLEXITY },
    peopleTotalConcurrent: config.concurrentTotal,
    sync: { requestBytes: config.syncRequestBytes, concurrent: config.syncConcurrent, timeoutMs: config.syncOperationTimeoutMs, responseBytes: config.syncResponseBytes, complexity: SYNC_COMPLEXITY },
  };
}

/** Which share a request draws on, and the key its concurrency is counted under. */
export function shareOf(shares: CallerShares, principal: Principal | undefined, clientAddress: string): { limits: ShareLimits; key: string; pooled: boolean } {
  if (principal && isSyncEngine(principal)) return { limits: shares.sync, key: 'sync', pooled: false };
  // Unauthenticated callers by client as the sign-in limit counts them: an IPv6 client is its /64, or one subscriber could open a share per address.
  return { limits: shares.people, key: principal ? `user:${principal.userId}` : `address:${clientOf(clientAddress)}`, pooled: true };
}
