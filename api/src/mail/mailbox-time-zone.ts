import type { EntityManager } from 'typeorm';
import { badInput } from '../common/errors';
import { isTimeZone } from '../common/zoned-day';
import { rebaseOutlookTaskDays } from '../tracking/exchange-tasks/task-days-rebase';
import { Mailbox } from './mailbox.entity';

/** The longest IANA zone name is 32 characters (America/Argentina/ComodRivadavia); this leaves room. */
export const MAX_TIME_ZONE = 64;

/** An IANA zone as given (trimmed; empty is none), or BAD_USER_INPUT naming `field`. */
export function checkedTimeZone(field: string, value: string | null | undefined): string | null {
  const zone = value?.trim() || null;
  if (zone !== null && (zone.length > MAX_TIME_ZONE || !isTimeZone(zone))) {
    throw badInput(field, 'must be an IANA time zone such as Europe/Stockholm', { reason: 'UNKNOWN_TIME_ZONE', value: zone.slice(0, MAX_TIME_ZONE) });
  }
  return zone;
}

/**
 * Gives the mailbox (its row locked by the caller) another time zone: task days and all-day appointments are written
 * to the server in it, and the tasks whose days came from Outlook keep their days. False when it already had it.
 */
export async function changeMailboxTimeZone(em: EntityManager, mailbox: Pick<Mailbox, 'id' | 'timeZone'>, zone: string | null, now: Date): Promise<boolean> {
  if (mailbox.timeZone === zone) return false;
  await rebaseOutlookTaskDays(em, mailbox.id, mailbox.timeZone, zone);
  await em.update(Mailbox, { id: mailbox.id }, { timeZone: zone, updatedAt: now });
  return true;
}
