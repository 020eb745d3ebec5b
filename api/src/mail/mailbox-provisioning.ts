import type { EntityManager } from 'typeorm';
import { PrivacyLevel } from '../activities/activity-enums';
import { newId } from '../common/ids';
import { User } from '../identity/user.entity';
import type { Queue } from '../queues/queue.entity';
import { AutoCreateRecords, MailboxOwnerKind, TrackingFilter } from './mail-enums';
import { Mailbox } from './mailbox.entity';
import { DEFAULT_EMAIL_SETTINGS, ORGANIZATION_SETTINGS_ID, OrganizationEmailSettings } from './organization-email-settings.entity';

/** A new user's mailbox, with the organization's defaults (Dynamics creates one per user). */
export function userMailbox(user: Pick<User, 'id' | 'email'>, settings: Pick<OrganizationEmailSettings, 'defaultAutoCreateRecords'>): Partial<Mailbox> {
  return {
    id: newId(),
    ownerKind: MailboxOwnerKind.USER,
    ownerUserId: user.id,
    queueId: null,
    address: user.email,
    trackingFilter: TrackingFilter.RESPONSES_TO_CRM_EMAIL,
    privacyLevel: PrivacyLevel.FULL,
    autoCreateRecords: settings.defaultAutoCreateRecords,
    syncCursor: null,
    lastBatchAt: null,
  };
}

/** A queue's mailbox: owned (for privacy) by the queue's owner; queues track all mail sent to them (Dynamics' default for queues). */
export function queueMailbox(queue: Pick<Queue, 'id' | 'emailAddress' | 'ownerId'>): Partial<Mailbox> {
  return {
    id: newId(),
    ownerKind: MailboxOwnerKind.QUEUE,
    ownerUserId: queue.ownerId,
    queueId: queue.id,
    address: queue.emailAddress,
    trackingFilter: TrackingFilter.ALL,
    privacyLevel: PrivacyLevel.FULL,
    autoCreateRecords: AutoCreateRecords.NONE,
    syncCursor: null,
    lastBatchAt: null,
  };
}

/** Gives every person (not service accounts) a mailbox if they lack one: at first start and after upgrades. */
export async function ensureUserMailboxes(em: EntityManager, onlyUserId?: string): Promise<number> {
  const settings = await em.findOneByOrFail(OrganizationEmailSettings, { id: ORGANIZATION_SETTINGS_ID });
  const users = await em
    .getRepository(User)
    .createQueryBuilder('u')
    .where('u.isService = :no', { no: false })
    .andWhere(onlyUserId ? 'u.id = :onlyUserId' : '1 = 1', { onlyUserId })
    .andWhere('NOT EXISTS (SELECT 1 FROM mailbox m WHERE m.ownerUserId = u.id AND m.ownerKind = :userKind)', { userKind: MailboxOwnerKind.USER })
    .getMany();
  if (users.length > 0) await em.insert(Mailbox, users.map((u) => userMailbox(u, settings)));
  return users.length;
}

/** The organization's email settings row, created with Dynamics' defaults on first need. */
export async function ensureEmailSettings(em: EntityManager): Promise<void> {
  if (await em.existsBy(OrganizationEmailSettings, { id: ORGANIZATION_SETTINGS_ID })) return;
  await em.insert(OrganizationEmailSettings, { ...DEFAULT_EMAIL_SETTINGS, updatedAt: new Date() });
}
