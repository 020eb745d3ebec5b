import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { byKey, grouped } from '../common/loader-rows';
import { Mailbox } from '../mail/mailbox.entity';
import { Queue } from '../queues/queue.entity';
import { AppointmentDetail, AppointmentRecurrence, PhoneCallDetail, TaskDetail } from './activity-details.entity';
import { ActivityMailbox } from './activity-mailbox.entity';
import { ActivityParty } from './activity-party.entity';
import { ActivitySyncConflict } from './activity-sync-conflict.entity';
import { Activity } from './activity.entity';
import { Attachment } from './attachment.entity';
import { EmailMessage } from './email-message.entity';
import { rawDatetime } from '../db/raw-datetime';
import { ExchangeCalendarLink } from '../tracking/exchange-calendar-link.entity';

/** Largest body returned through GraphQL per email; the organization's body limit is lower by default. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Reads small blobs (bodies) by sha256 in one statement; implemented by the blob store. */
export interface BodyReader {
  readSmall(sha256s: readonly string[], maxBytes: number): Promise<Map<string, Buffer>>;
}

/** Batched look-ups for activity fields: one statement per look-up kind per request, whatever the page size. */
export interface ActivityLoaders {
  readonly activities: DataLoader<string, Activity | undefined>;
  readonly emails: DataLoader<string, EmailMessage | undefined>;
  readonly appointments: DataLoader<string, AppointmentDetail | undefined>;
  readonly recurrences: DataLoader<string, AppointmentRecurrence | undefined>;
  readonly tasks: DataLoader<string, TaskDetail | undefined>;
  readonly phoneCalls: DataLoader<string, PhoneCallDetail | undefined>;
  readonly parties: DataLoader<string, ActivityParty[]>;
  readonly attachments: DataLoader<string, Attachment[]>;
  /** activity id → the users who own a mailbox it was tracked from (they always see it whole). */
  readonly mailboxOwners: DataLoader<string, string[]>;
  readonly queues: DataLoader<string, Queue | undefined>;
  /** activity id → the mailboxes (address, folder, when) it was seen in. */
  readonly sightings: DataLoader<string, { address: string; folder: string | null; seenAt: Date }[]>;
  /** activity id → the versions that lost a sync conflict, newest first. */
  readonly syncConflicts: DataLoader<string, ActivitySyncConflict[]>;
  /** activity id → its entries in the Exchange Calendars of mailboxes its owner owns (where the hub writes it). */
  readonly ownerCalendarEntries: DataLoader<string, OwnerCalendarEntry[]>;
  /** blob sha256 → its text. */
  readonly bodies: DataLoader<string, string | undefined>;
}

/** An appointment's entry in one of its owner's Exchange Calendars, as Exchange last described it. */
export interface OwnerCalendarEntry {
  readonly itemId: string;
  readonly organizedHere: boolean;
  readonly invitationsSent: boolean;
}

export function createActivityLoaders(db: DataSource, blobs: BodyReader): ActivityLoaders {
  const detail = <T extends { activityId: string }>(entity: new () => T) =>
    new DataLoader<string, T | undefined>(async (ids) =>
      byKey(await db.getRepository(entity).findBy({ activityId: In([...ids]) } as never), ids, (r) => r.activityId),
    );
  return {
    activities: new DataLoader(async (ids) => byKey(await db.getRepository(Activity).findBy({ id: In([...ids]) }), ids, (r) => r.id)),
    emails: detail(EmailMessage),
    appointments: detail(AppointmentDetail),
    recurrences: detail(AppointmentRecurrence),
    tasks: detail(TaskDetail),
    phoneCalls: detail(PhoneCallDetail),
    parties: new DataLoader(async (ids) =>
      grouped(await db.getRepository(ActivityParty).find({ where: { activityId: In([...ids]) }, order: { position: 'ASC' } }), ids, (r) => r.activityId),
    ),
    attachments: new DataLoader(async (ids) =>
      grouped(await db.getRepository(Attachment).find({ where: { activityId: In([...ids]) }, order: { position: 'ASC' } }), ids, (r) => r.activityId),
    ),
    mailboxOwners: new DataLoader(async (ids) => {
      const rows = await db
        .getRepository(ActivityMailbox)
        .createQueryBuilder('am')
        .innerJoin(Mailbox, 'm', 'm.id = am.mailboxId')
        .select(['am.activityId AS activityId', 'm.ownerUserId AS ownerUserId'])
        .where('am.activityId IN (:...ids)', { ids })
        .getRawMany<{ activityId: string; ownerUserId: string }>();
      return grouped(rows, ids, (r) => r.activityId).map((list) => list.map((r) => r.ownerUserId));
    }),
    sightings: new DataLoader(async (ids) => {
      const rows = await db
        .getRepository(ActivityMailbox)
        .createQueryBuilder('am')
        .innerJoin(Mailbox, 'm', 'm.id = am.mailboxId')
        .select(['am.activityId AS activityId', 'm.address AS address', 'am.folder AS folder', 'am.seenAt AS seenAt'])
        .where('am.activityId IN (:...ids)', { ids })
        .orderBy('m.address', 'ASC')
        .getRawMany<{ activityId: string; address: string; folder: string | null; seenAt: Date | string }>();
      return grouped(rows, ids, (r) => r.activityId).map((list) =>
        list.map((r) => ({ address: r.address, folder: r.folder, seenAt: rawDatetime(r.seenAt) })),
      );
    }),
    syncConflicts: new DataLoader(async (ids) =>
      grouped(await db.getRepository(ActivitySyncConflict).find({ where: { activityId: In([...ids]) }, order: { occurredAt: 'DESC' } }), ids, (r) => r.activityId),
    ),
    ownerCalendarEntries: new DataLoader(async (ids) => {
      const rows = await db
        .getRepository(ExchangeCalendarLink)
        .createQueryBuilder('l')
        .innerJoin(Mailbox, 'm', 'm.id = l.mailboxId')
        .innerJoin(Activity, 'a', 'a.id = l.activityId AND a.ownerId = m.ownerUserId')
        .select(['l.activityId AS activityId', 'l.itemId AS itemId', 'l.organizedHere AS organizedHere', 'l.invitationsSent AS invitationsSent'])
        .where('l.activityId IN (:...ids)', { ids })
        .andWhere('l.itemId IS NOT NULL')
        .getRawMany<{ activityId: string; itemId: string; organizedHere: unknown; invitationsSent: unknown }>();
      // Raw booleans are 0/1 (or '0'/'1') depending on the driver.
      const flag = (v: unknown) => v === true || Number(v) === 1;
      return grouped(rows, ids, (r) => r.activityId).map((list) => list.map((r) => ({ itemId: r.itemId, organizedHere: flag(r.organizedHere), invitationsSent: flag(r.invitationsSent) })));
    }),
    queues: new DataLoader(async (ids) => byKey(await db.getRepository(Queue).findBy({ id: In([...ids]) }), ids, (r) => r.id)),
    bodies: new DataLoader(async (shas) => {
      const found = await blobs.readSmall(shas, MAX_BODY_BYTES);
      return shas.map((sha) => found.get(sha)?.toString('utf8'));
    }),
  };
}
