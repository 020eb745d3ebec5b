import type { EntityManager } from 'typeorm';
import { PrivacyLevel } from '../activities/activity-enums';
import { newId } from '../common/ids';
import { User } from '../identity/user.entity';
import type { Queue } from '../queues/queue.entity';
import { EmailServerProfile } from './email-server-profile.entity';
import { ActMethod, AutoCreateRecords, EmailApproval, MailboxOwnerKind, MailboxState, OutgoingMethod, TrackingFilter } from './mail-enums';
import { Mailbox } from './mailbox.entity';
import { profileSends, profileSyncsAct } from './profile-capabilities';
import { DEFAULT_EMAIL_SETTINGS, ORGANIZATION_SETTINGS_ID, OrganizationEmailSettings } from './organization-email-settings.entity';

/** What every new mailbox starts with: the organization's default methods and default profile, awaiting approval and Test & Enable. */
export type MailboxDefaults = Pick<Mailbox, 'incomingMethod' | 'outgoingMethod' | 'actMethod' | 'profileId' | 'approval' | 'state'>;

/** The defaults as configured now (Dynamics: new users and queues get the organization's methods and the default profile). */
export async function newMailboxDefaults(em: EntityManager): Promise<MailboxDefaults> {
  const settings = await em.findOneByOrFail(OrganizationEmailSettings, { id: ORGANIZATION_SETTINGS_ID });
  return mailboxDefaults(settings, await defaultProfile(em));
}

/** The default profile, whether mail can be sent through it, and whether it holds appointments, contacts and tasks (Exchange). */
type DefaultProfile = { readonly id: string; readonly sends: boolean; readonly syncsAct: boolean } | null;

async function defaultProfile(em: EntityManager): Promise<DefaultProfile> {
  const profile = await em.findOne(EmailServerProfile, { where: { isDefault: true }, select: { id: true, kind: true, outgoingHost: true }, order: { name: 'ASC' } });
  return profile ? { id: profile.id, sends: profileSends(profile), syncsAct: profileSyncsAct(profile) } : null;
}

export function mailboxDefaults(
  settings: Pick<OrganizationEmailSettings, 'defaultIncomingMethod' | 'defaultOutgoingMethod' | 'defaultActMethod'>,
  profile: DefaultProfile,
): MailboxDefaults {
  return {
    incomingMethod: settings.defaultIncomingMethod,
    // A profile without an SMTP server sends nothing: configureMailbox would refuse SERVER_SIDE_SYNC on it.
    outgoingMethod: profile && !profile.sends ? OutgoingMethod.NONE : settings.defaultOutgoingMethod,
    // As in Dynamics, the default applies where the server can do it: a mailbox on an IMAP/POP3 profile (or none) gets NONE.
    actMethod: profile?.syncsAct ? settings.defaultActMethod : ActMethod.NONE,
    profileId: profile?.id ?? null,
    approval: EmailApproval.PENDING_APPROVAL,
    state: MailboxState.NOT_ENABLED,
  };
}

/** A new user's mailbox, with the organization's defaults (Dynamics creates one per user). */
export function userMailbox(
  user: Pick<User, 'id' | 'email'>,
  settings: Pick<OrganizationEmailSettings, 'defaultAutoCreateRecords'>,
  defaults?: MailboxDefaults,
): Partial<Mailbox> {
  return {
    ...defaults,
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

/**
 * A queue's mailbox: owned (for privacy) by the queue's owner; queues track all mail sent to them (Dynamics' default for queues).
 * Pass `defaults` (newMailboxDefaults) for the organization's methods and default profile; without, the columns' defaults apply.
 */
export function queueMailbox(queue: Pick<Queue, 'id' | 'emailAddress' | 'ownerId'>, defaults?: MailboxDefaults): Partial<Mailbox> {
  return {
    ...defaults,
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
  if (users.length === 0) return 0;
  const defaults = mailboxDefaults(settings, await defaultProfile(em));
  await em.insert(Mailbox, users.map((u) => userMailbox(u, settings, defaults)));
  return users.length;
}

/** The organization's email settings row, created with Dynamics' defaults on first need. */
export async function ensureEmailSettings(em: EntityManager, now: Date): Promise<void> {
  if (await em.existsBy(OrganizationEmailSettings, { id: ORGANIZATION_SETTINGS_ID })) return;
  await em.insert(OrganizationEmailSettings, { ...DEFAULT_EMAIL_SETTINGS, updatedAt: now });
}
