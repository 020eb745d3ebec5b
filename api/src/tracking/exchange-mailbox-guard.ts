import type { DataSource, EntityManager } from 'typeorm';
import { ApiError, badInput, notFound } from '../common/errors';
import { expectGlobalId } from '../common/global-id';
import { forUpdate } from '../db/row-locks';
import { EmailServerProfile } from '../mail/email-server-profile.entity';
import { ActMethod, EmailServerKind } from '../mail/mail-enums';
import { Mailbox } from '../mail/mailbox.entity';

/**
 * The mailbox an engine names for appointments or tasks: it must synchronize them with Exchange
 * (appointmentsContactsTasksMethod SERVER_SIDE_SYNC on an EXCHANGE_EWS profile), else CONFLICT naming mailboxId.
 */
export async function exchangeActMailbox(db: DataSource, mailboxGlobalId: string, what: string): Promise<Mailbox> {
  const { id: mailboxId } = expectGlobalId('mailboxId', mailboxGlobalId, 'Mailbox');
  const mailbox = await db.getRepository(Mailbox).findOneBy({ id: mailboxId });
  if (!mailbox) throw notFound('mailboxId', mailboxGlobalId);
  const profile = mailbox.profileId ? await db.getRepository(EmailServerProfile).findOneBy({ id: mailbox.profileId }) : null;
  if (mailbox.actMethod !== ActMethod.SERVER_SIDE_SYNC || profile?.kind !== EmailServerKind.EXCHANGE_EWS) {
    throw new ApiError('CONFLICT', `mailboxId: this mailbox does not synchronize ${what} with Exchange (appointmentsContactsTasksMethod SERVER_SIDE_SYNC on an EXCHANGE_EWS profile)`, 'mailboxId');
  }
  return mailbox;
}

/** Under the row lock: a claim cannot take the mailbox over between this check and the commit. */
export async function requireLease(em: EntityManager, mailboxId: string, leaseId: string): Promise<void> {
  const [locked] = (await em.query(`SELECT leaseId FROM mailbox WHERE id = ?${forUpdate(em)}`, [mailboxId])) as { leaseId: string | null }[];
  if (locked?.leaseId !== leaseId) throw new ApiError('CONFLICT', 'leaseId: this lease is no longer the mailbox\'s (another engine claimed it, or it was released); nothing was written', 'leaseId');
}

/** A claim's `first`: from 1 to `max`, else BAD_USER_INPUT naming it. */
export function requireWriteCount(first: number, max: number): void {
  if (!Number.isInteger(first) || first < 1) throw badInput('first', `must be from 1 to ${max}`, { reason: 'TOO_SMALL', min: 1 });
  if (first > max) throw badInput('first', `must be from 1 to ${max}`, { reason: 'TOO_LARGE', max });
}
