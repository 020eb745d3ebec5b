import type { DataSource, ObjectLiteral } from 'typeorm';
import { MailboxAlert } from './mailbox-alert.entity';
import { QuarantinedMessage } from './quarantined-message.entity';

/**
 * The newest `first` rows of each mailbox, in one statement for all of them: ROW_NUMBER() per mailbox
 * (SQLite ≥ 3.25, MariaDB ≥ 10.2), newest first. Ids are UUIDv7, so they break ties in the same millisecond.
 */
async function newestPerMailbox<T extends ObjectLiteral & { mailboxId: string }>(
  db: DataSource,
  entity: new () => T,
  timeColumn: string,
  mailboxIds: readonly string[],
  first: number,
): Promise<Map<string, T[]>> {
  const byMailbox = new Map<string, T[]>(mailboxIds.map((id) => [id, []]));
  if (mailboxIds.length === 0 || first <= 0) return byMailbox;
  const ranked = db
    .createQueryBuilder()
    .select('r.id', 'id')
    .addSelect(`ROW_NUMBER() OVER (PARTITION BY r.mailboxId ORDER BY r.${timeColumn} DESC, r.id DESC)`, 'rn')
    .from(entity, 'r')
    .where('r.mailboxId IN (:...mailboxIds)');
  const rows = await db
    .getRepository(entity)
    .createQueryBuilder('x')
    .where(`x.id IN (SELECT ranked.id FROM (${ranked.getQuery()}) ranked WHERE ranked.rn <= :first)`)
    .setParameters({ mailboxIds: [...mailboxIds], first })
    .orderBy(`x.${timeColumn}`, 'DESC')
    .addOrderBy('x.id', 'DESC')
    .getMany();
  for (const row of rows) byMailbox.get(row.mailboxId)?.push(row);
  return byMailbox;
}

/** Each mailbox's newest alerts. */
export const latestAlerts = (db: DataSource, mailboxIds: readonly string[], first: number) => newestPerMailbox(db, MailboxAlert, 'createdAt', mailboxIds, first);

/** Each mailbox's most recently quarantined messages. */
export const latestQuarantined = (db: DataSource, mailboxIds: readonly string[], first: number) =>
  newestPerMailbox(db, QuarantinedMessage, 'quarantinedAt', mailboxIds, first);
