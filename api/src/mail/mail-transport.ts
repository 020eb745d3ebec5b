import { In, type DataSource } from 'typeorm';
import type { LiveEventLog } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { CredentialCipher } from './credential-cipher';
import { EmailServerProfile } from './email-server-profile.entity';
import { AlertSeverity, EmailServerKind } from './mail-enums';
import { MailboxAlert } from './mailbox-alert.entity';
import { recordAlert } from './mailbox-alerts';
import { Mailbox } from './mailbox.entity';
import { CredentialsStatus, type EwsConnection, type MailCredentials, type MailEndpoint, type MailTransport } from './mailbox-sync.types';

export const CREDENTIALS_UNREADABLE = 'CREDENTIALS_UNREADABLE';

type CredentialColumns = Pick<Mailbox, 'id' | 'address' | 'credentialUsername' | 'credentialSecret'>;

/** The profile's IMAP or POP3 server; null on an Exchange profile. */
export function incomingEndpoint(p: EmailServerProfile): MailEndpoint | null {
  if (p.incomingHost === null || p.incomingPort === null || p.incomingTls === null) return null;
  return { host: p.incomingHost, port: p.incomingPort, tls: p.incomingTls, allowInvalidCertificates: p.allowInvalidCertificates };
}

/** How the engine reaches the Exchange server for this mailbox; null unless the profile is EXCHANGE_EWS. */
export function ewsConnection(p: EmailServerProfile, mailboxAddress: string): EwsConnection | null {
  if (p.kind !== EmailServerKind.EXCHANGE_EWS) return null;
  return {
    url: p.ewsUrl,
    // Impersonation needs the service account's credentials (the profile's); the address says whom it acts as.
    impersonateAddress: p.useImpersonation ? mailboxAddress : null,
    allowInvalidCertificates: p.allowInvalidCertificates,
    maxConnections: p.maxConcurrentConnections,
  };
}

/** The profile's SMTP server; null when it has none (nothing sends through it). */
export function outgoingEndpoint(p: EmailServerProfile): MailEndpoint | null {
  if (p.outgoingHost === null || p.outgoingPort === null || p.outgoingTls === null) return null;
  return { host: p.outgoingHost, port: p.outgoingPort, tls: p.outgoingTls, allowInvalidCertificates: p.allowInvalidCertificates };
}

/**
 * Connection details and decrypted credentials for the sync engine, the only reader of secrets. A
 * secret that no longer decrypts (key changed, row copied) is not an error of the claim: the engine
 * gets no credentials, and the mailbox's alert log says why, once.
 */
export class MailTransports {
  constructor(
    private readonly db: DataSource,
    private readonly cipher: CredentialCipher,
    private readonly log: Logger,
    private readonly live: LiveEventLog,
    private readonly clock: Clock,
  ) {}

  /** The mailbox's own credentials, or the profile's when it uses one set for all mailboxes; null when none are set or unreadable, and which. */
  async credentials(mailbox: CredentialColumns, profile: EmailServerProfile): Promise<Pick<MailTransport, 'credentials' | 'credentialsStatus'>> {
    const [stored, owner, username] = profile.useProfileCredentials
      ? [profile.credentialSecret, `profile:${profile.id}`, profile.credentialUsername]
      : [mailbox.credentialSecret, `mailbox:${mailbox.id}`, mailbox.credentialUsername];
    if (!stored) return { credentials: null, credentialsStatus: CredentialsStatus.NONE };
    try {
      const credentials: MailCredentials = { method: profile.authMethod, username: username || mailbox.address, secret: this.cipher.decrypt(stored, owner) };
      return { credentials, credentialsStatus: CredentialsStatus.PRESENT };
    } catch (err) {
      this.log.warn({ err, mailboxId: mailbox.id, owner }, 'mail credentials could not be decrypted');
      await this.alertUnreadable(mailbox.id, owner.startsWith('profile:') ? `the email server profile "${profile.name}"` : 'this mailbox');
      return { credentials: null, credentialsStatus: CredentialsStatus.UNREADABLE };
    }
  }

  /** How each mailbox sends: its profile's SMTP server (and IMAP, for the Sent copy), or Exchange. Mailboxes without a profile, or whose profile sends nothing, are absent. */
  async forMailboxes(mailboxIds: readonly string[]): Promise<Map<string, MailTransport>> {
    const result = new Map<string, MailTransport>();
    if (!mailboxIds.length) return result;
    const mailboxes = await this.db.getRepository(Mailbox).find({
      where: { id: In([...new Set(mailboxIds)]) },
      select: { id: true, address: true, profileId: true, credentialUsername: true, credentialSecret: true },
    });
    const profileIds = [...new Set(mailboxes.map((m) => m.profileId).filter((id): id is string => !!id))];
    const profiles = new Map((profileIds.length ? await this.db.getRepository(EmailServerProfile).findBy({ id: In(profileIds) }) : []).map((p) => [p.id, p]));
    for (const mailbox of mailboxes) {
      const profile = mailbox.profileId ? profiles.get(mailbox.profileId) : undefined;
      const smtp = profile && outgoingEndpoint(profile);
      const ews = profile && ewsConnection(profile, mailbox.address);
      if (!profile || (!smtp && !ews)) continue;
      result.set(mailbox.id, {
        kind: profile.kind,
        smtp: smtp ?? null,
        ews: ews ?? null,
        imap: profile.kind === EmailServerKind.IMAP_SMTP ? incomingEndpoint(profile) : null,
        sentFolder: profile.kind === EmailServerKind.IMAP_SMTP ? profile.sentFolder : null,
        ...(await this.credentials(mailbox, profile)),
      });
    }
    return result;
  }

  /** One line per episode: not repeated while it is still the mailbox's newest alert. */
  private async alertUnreadable(mailboxId: string, whose: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const [newest] = await em.find(MailboxAlert, { where: { mailboxId }, order: { createdAt: 'DESC', id: 'DESC' }, take: 1 });
      if (newest?.code === CREDENTIALS_UNREADABLE) return;
      await recordAlert(
        em,
        this.live,
        mailboxId,
        AlertSeverity.ERROR,
        CREDENTIALS_UNREADABLE,
        `The stored credentials of ${whose} cannot be decrypted (the credential key changed, or the value was altered). Set the credentials again.`,
        this.clock,
      );
    });
  }
}
