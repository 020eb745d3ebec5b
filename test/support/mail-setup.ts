import { randomBytes } from 'node:crypto';
import { newId } from '../../api/src/common/ids';
import { EmailServerProfile } from '../../api/src/mail/email-server-profile.entity';
import { EmailApproval, EmailServerKind, IncomingMethod, MailAuthMethod, MailboxOwnerKind, MailboxState, OutgoingMethod, TlsMode } from '../../api/src/mail/mail-enums';
import { Mailbox } from '../../api/src/mail/mailbox.entity';
import type { StartedHub } from './hub';

// Mail configuration written straight into the hub's database, for tests of what the sync engine
// sees (claims, reports, outgoing transport) that do not exercise the admin mutations themselves.

/** The database id inside a Relay global id (base64url of "Type:uuid"). */
export const rawId = (globalId: string): string => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
export const mailboxGlobalId = (id: string): string => Buffer.from(`Mailbox:${id}`).toString('base64url');

/** An email server profile; returns its raw id. */
export async function insertProfile(hub: StartedHub, overrides: Partial<EmailServerProfile> = {}): Promise<string> {
  const id = newId();
  await hub.database.dataSource.getRepository(EmailServerProfile).insert({
    id,
    name: `profile-${randomBytes(4).toString('hex')}`,
    kind: EmailServerKind.IMAP_SMTP,
    incomingHost: 'imap.test.invalid',
    incomingPort: 143,
    incomingTls: TlsMode.STARTTLS,
    outgoingHost: 'smtp.test.invalid',
    outgoingPort: 587,
    outgoingTls: TlsMode.STARTTLS,
    authMethod: MailAuthMethod.PASSWORD,
    useProfileCredentials: false,
    credentialUsername: null,
    credentialSecret: null,
    allowInvalidCertificates: false,
    pollIntervalSeconds: 60,
    maxConcurrentConnections: 10,
    processEmailFrom: null,
    sentFolder: null,
    isDefault: false,
    ...overrides,
  });
  return id;
}

export interface MailboxSetup {
  readonly profileId: string;
  readonly incomingMethod?: IncomingMethod;
  readonly outgoingMethod?: OutgoingMethod;
  readonly approval?: EmailApproval;
  readonly state?: MailboxState;
  /** Stored encrypted for this mailbox, as setMailboxCredentials would. */
  readonly password?: string | null;
  readonly username?: string | null;
  readonly extra?: Partial<Mailbox>;
}

/** A mailbox ready for server-side sync (profile, approved, ENABLED, both methods SERVER_SIDE_SYNC) unless told otherwise; due at once. */
export async function configureMailbox(hub: StartedHub, mailboxId: string, setup: MailboxSetup): Promise<void> {
  const id = mailboxId.includes('-') ? mailboxId : rawId(mailboxId);
  const password = setup.password === undefined ? 'secret' : setup.password;
  await hub.database.dataSource.getRepository(Mailbox).update(
    { id },
    {
      profileId: setup.profileId,
      incomingMethod: setup.incomingMethod ?? IncomingMethod.SERVER_SIDE_SYNC,
      outgoingMethod: setup.outgoingMethod ?? OutgoingMethod.SERVER_SIDE_SYNC,
      approval: setup.approval ?? EmailApproval.APPROVED,
      state: setup.state ?? MailboxState.ENABLED,
      credentialUsername: setup.username ?? null,
      credentialSecret: password === null ? null : hub.services.credentials.encrypt(password, `mailbox:${id}`),
      nextSyncAt: null,
      leaseId: null,
      leaseOwner: null,
      leaseUntil: null,
      ...setup.extra,
    },
  );
}

/** Extra mailboxes owned by `ownerUserId` (raw id), for claims over many; returns their raw ids. */
export async function insertMailboxes(hub: StartedHub, ownerUserId: string, count: number, tag: string): Promise<string[]> {
  const ids = Array.from({ length: count }, () => newId());
  await hub.database.dataSource.getRepository(Mailbox).insert(
    ids.map((id, i) => ({ id, ownerKind: MailboxOwnerKind.USER, ownerUserId, queueId: null, address: `${tag.toLowerCase()}-${i}@mail-setup.test` })),
  );
  return ids;
}
