import type { EntityManager } from 'typeorm';
import { ActivitySyncConflict } from '../activities/activity-sync-conflict.entity';
import { ContactSyncConflict } from '../records/contact-sync-conflict.entity';
import { newId } from '../common/ids';
import type { SyncConflictRule, SyncSide } from './sync-conflict-rule';

/** One conflict settled for a linked task or appointment: who won, by which rule, and the version that lost. */
export interface SettledConflict {
  readonly activityId: string;
  readonly mailboxId: string;
  readonly rule: SyncConflictRule;
  readonly winner: SyncSide;
  readonly crmModifiedAt: Date;
  readonly exchangeModifiedAt: Date;
  /** The losing side's shape (a TaskShape, an AppointmentVersion); null when the loser had deleted it. */
  readonly loser: object | null;
}

/** Keeps the losing version, so nobody's edit is silently gone (Task.syncConflicts, Appointment.syncConflicts). */
export async function recordSyncConflict(em: EntityManager, conflict: SettledConflict, now: Date): Promise<void> {
  const { loser, ...rest } = conflict;
  await em.insert(ActivitySyncConflict, { id: newId(), ...rest, occurredAt: now, losingVersion: JSON.stringify(loser === null ? { deleted: true } : loser) });
}

/** Keeps a contact's losing version (Contact.syncConflicts); the loser is the shape as the owner's mailbox may hold it. */
export async function recordContactSyncConflict(em: EntityManager, conflict: Omit<SettledConflict, 'activityId' | 'loser'> & { readonly contactId: string; readonly loser: object }, now: Date): Promise<void> {
  const { loser, ...rest } = conflict;
  await em.insert(ContactSyncConflict, { id: newId(), ...rest, occurredAt: now, losingVersion: JSON.stringify(loser) });
}
