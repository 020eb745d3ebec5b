import { MoreThan, type EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import type { LiveEventLog } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import { AlertSeverity } from './mail-enums';
import { MailboxAlert } from './mailbox-alert.entity';

/** Longest alert text kept; the column holds 2,000 characters. */
const MAX_MESSAGE = 2000;

/**
 * Appends one line to a mailbox's alert log, inside the caller's transaction, and stages the ALERT live
 * event (which yields to any other change of the mailbox the same transaction stages). The line is stamped
 * by the caller's clock when it is written, so the log's order is the order of writing.
 */
export async function recordAlert(
  em: EntityManager,
  live: LiveEventLog,
  mailboxId: string,
  severity: AlertSeverity,
  code: string,
  message: string,
  clock: Clock,
): Promise<void> {
  await em.insert(MailboxAlert, {
    id: newId(),
    mailboxId,
    severity,
    code: code.slice(0, 48),
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
    createdAt: clock(),
  });
  await live.stage(em, { topic: 'MAILBOX', mailboxId, change: 'ALERT' });
}

/**
 * Appends the line unless the same line (code and message) was recorded in the last `withinMs`: a
 * condition that every message of a flood meets is said once, not once per message.
 */
export async function recordAlertOnce(
  em: EntityManager,
  live: LiveEventLog,
  mailboxId: string,
  severity: AlertSeverity,
  code: string,
  message: string,
  withinMs: number,
  clock: Clock,
): Promise<boolean> {
  const since = new Date(clock().getTime() - withinMs);
  const recent = await em.find(MailboxAlert, { where: { mailboxId, code: code.slice(0, 48), createdAt: MoreThan(since) }, select: { message: true }, order: { createdAt: 'DESC' }, take: 50 });
  if (recent.some((r) => r.message === message)) return false;
  await recordAlert(em, live, mailboxId, severity, code, message, clock);
  return true;
}
