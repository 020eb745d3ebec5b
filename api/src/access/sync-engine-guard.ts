import { forbidden } from '../common/errors';
import { holds, type Principal } from './principal';
import { AccessEntity, Privilege } from './privileges';

/**
 * The one test for the engine-facing operations (claims that hand out decrypted credentials,
 * leases, reports, trackEmails, outgoing email, raw blobs): the caller is a service account
 * (which has no password and cannot sign in) using an API key, and its roles grant MAIL_SYNC.
 * Giving a person the Sync Service role therefore grants none of this, with or without a key.
 */
export function isSyncEngine(principal: Principal): boolean {
  return principal.via === 'api_key' && principal.serviceAccount && holds(principal, AccessEntity.MAIL_SYNC, Privilege.WRITE);
}

/** Throws FORBIDDEN unless `isSyncEngine`; `what` completes "only the sync engine may …". */
export function requireSyncEngine(principal: Principal, what: string): void {
  if (!isSyncEngine(principal)) {
    throw forbidden(`Only the sync engine may ${what}: it needs the API key of a service account with the Sync Service role.`);
  }
}
