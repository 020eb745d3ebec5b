import type { EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import { AlertSeverity } from './mail-enums';
import { MailboxAlert } from './mailbox-alert.entity';

/** Longest alert text kept; the column holds 2,000 characters. */
const MAX_MESSAGE = 2000;

/** Appends one line to a mailbox's alert log, inside the caller's transaction. */
export async function recordAlert(em: EntityManager, mailboxId: string, severity: AlertSeverity, code: string, message: string): Promise<void> {
  await em.insert(MailboxAlert, {
    id: newId(),
    mailboxId,
    severity,
    code: code.slice(0, 48),
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
    createdAt: new Date(),
  });
}
