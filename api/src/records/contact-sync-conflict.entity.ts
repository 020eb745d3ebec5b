import { Entity, Index } from 'typeorm';
import { IdColumn } from '../common/columns';
import { SyncConflictColumns } from '../tracking/sync-conflict-columns';

/**
 * A version of a contact that lost when it was changed both in the CRM and in its owner's Outlook between two syncs:
 * kept, as for tasks and appointments, so nobody's edit is silently gone. The loser is a ContactShape without the
 * numbers the mailbox owner may not read.
 */
@Entity('contact_sync_conflict')
@Index(['contactId', 'occurredAt'])
export class ContactSyncConflict extends SyncConflictColumns {
  @IdColumn()
  contactId: string;
}
