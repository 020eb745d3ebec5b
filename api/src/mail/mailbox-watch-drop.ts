import type { EntityManager } from 'typeorm';

/** SET clause that ends a mailbox's watch lease (mailbox-watch.service.ts). */
export const CLEARED_WATCH = 'watchLeaseId = NULL, watchEngineId = NULL, watchLeaseUntil = NULL';

/**
 * Drops the watch of these mailboxes, inside the transaction that changed their configuration (credentials, folders,
 * profile): the engine hears it at its next renewal and connects again with what the hub says now.
 */
export async function dropMailboxWatches(em: EntityManager, mailboxIds: readonly string[]): Promise<void> {
  for (let i = 0; i < mailboxIds.length; i += 500) {
    const ids = mailboxIds.slice(i, i + 500);
    await em.query(`UPDATE mailbox SET ${CLEARED_WATCH} WHERE watchLeaseId IS NOT NULL AND id IN (${ids.map(() => '?').join(', ')})`, ids);
  }
}

