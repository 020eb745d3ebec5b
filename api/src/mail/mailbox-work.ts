import { In, IsNull, type DataSource } from 'typeorm';
import { toGlobalId } from '../common/global-id';
import type { Logger } from '../platform/logger';
import { EmailServerProfile } from './email-server-profile.entity';
import { FolderTrackingRule } from './folder-tracking-rule.entity';
import { ActMethod, EmailApproval, IncomingMethod, OutgoingMethod } from './mail-enums';
import { ewsConnection, incomingEndpoint, outgoingEndpoint, type MailTransports } from './mail-transport';
import { profileSends, profileSyncsAct } from './profile-capabilities';
import type { ForwardSource, MailboxJob, MailboxWork } from './mailbox-sync.types';
import { Mailbox } from './mailbox.entity';
import type { OrganizationEmailSettings } from './organization-email-settings.entity';

/** A tracked folder's path, and its server id where a folder report named it. */
interface TrackedFolder {
  readonly path: string;
  readonly folderId: string | null;
}

/** A mailbox a claim took, under this lease, for this job. */
export interface Claimed {
  readonly id: string;
  readonly leaseId: string;
  readonly job: MailboxJob;
}

/** Turns claimed leases into the work the engine receives: endpoints, decrypted credentials, folders, forward sources. */
export class MailboxWorkBuilder {
  constructor(
    private readonly db: DataSource,
    private readonly transports: MailTransports,
    private readonly log: Logger,
  ) {}

  /** What the engine needs for each claimed mailbox, in a fixed number of statements (plus one decryption each). */
  async build(engineId: string, claimed: readonly Claimed[], until: Date, settings: Pick<OrganizationEmailSettings, 'processEmailOnlyForApprovedMailboxes' | 'folderTrackingEnabled' | 'maxBodyKb' | 'pastExpansionWindowMonths' | 'futureExpansionWindowMonths'>): Promise<MailboxWork[]> {
    if (!claimed.length) return [];
    this.log.debug({ engineId, mailboxes: claimed.map((c) => c.id) }, 'mailboxes claimed');
    const { processEmailOnlyForApprovedMailboxes: onlyApproved, folderTrackingEnabled: folderTracking } = settings;
    const ids = claimed.map((c) => c.id);
    const mailboxes = new Map((await this.db.getRepository(Mailbox).findBy({ id: In(ids) })).map((m) => [m.id, m]));
    const profileIds = [...new Set([...mailboxes.values()].map((m) => m.profileId!))];
    const profiles = new Map((await this.db.getRepository(EmailServerProfile).findBy({ id: In(profileIds) })).map((p) => [p.id, p]));
    const folders = new Map<string, TrackedFolder[]>();
    if (folderTracking) {
      // A rule whose folder is gone waits for it (its warning is in the alert log); the rest of the mailbox syncs.
      for (const rule of await this.db.getRepository(FolderTrackingRule).find({ where: { mailboxId: In(ids), missingSince: IsNull() }, order: { folder: 'ASC' } })) {
        folders.set(rule.mailboxId, [...(folders.get(rule.mailboxId) ?? []), { path: rule.folder, folderId: rule.folderId }]);
      }
    }
    let forwardSources: ForwardSource[] = [];
    if ([...mailboxes.values()].some((m) => m.isForwardMailbox)) {
      const sources = await this.db.getRepository(Mailbox).find({
        where: { incomingMethod: IncomingMethod.FORWARD_MAILBOX, ...(onlyApproved ? { approval: EmailApproval.APPROVED } : {}) },
        select: { id: true, address: true },
        order: { address: 'ASC' },
      });
      forwardSources = sources.map((s) => ({ mailboxId: toGlobalId('Mailbox', s.id), address: s.address }));
    }

    const work: MailboxWork[] = [];
    for (const { id, leaseId, job } of claimed) {
      const mailbox = mailboxes.get(id);
      const profile = mailbox?.profileId ? profiles.get(mailbox.profileId) : undefined;
      if (!mailbox || !profile) {
        // Its profile was deleted between the claim and now: nothing to connect to; the lease simply expires.
        this.log.warn({ mailboxId: id }, 'claimed mailbox lost its email server profile');
        continue;
      }
      const outgoing = outgoingEndpoint(profile);
      work.push({
        mailboxId: toGlobalId('Mailbox', id),
        leaseId,
        leaseUntil: until,
        job,
        address: mailbox.address,
        kind: profile.kind,
        incoming: incomingEndpoint(profile),
        outgoing,
        ews: ewsConnection(profile, mailbox.address),
        ...(await this.transports.credentials(mailbox, profile)),
        incomingEnabled: mailbox.incomingMethod === IncomingMethod.SERVER_SIDE_SYNC || mailbox.isForwardMailbox,
        // configureMailbox and updateEmailServerProfile keep SERVER_SIDE_SYNC off profiles that send nothing; this holds even so.
        outgoingEnabled: mailbox.outgoingMethod === OutgoingMethod.SERVER_SIDE_SYNC && profileSends(profile),
        actEnabled: mailbox.actMethod === ActMethod.SERVER_SIDE_SYNC && profileSyncsAct(profile),
        isForwardMailbox: mailbox.isForwardMailbox,
        deleteForwardedCopies: mailbox.deleteForwardedCopies,
        forwardSources: mailbox.isForwardMailbox ? forwardSources.filter((s) => s.mailboxId !== toGlobalId('Mailbox', id)) : [],
        cursor: mailbox.syncCursor,
        processEmailFrom: mailbox.processEmailFrom ?? profile.processEmailFrom,
        resyncFrom: mailbox.resyncFrom,
        sentFolder: profile.sentFolder,
        trackedFolders: (folders.get(id) ?? []).map((folder) => folder.path),
        trackedFolderIds: (folders.get(id) ?? []).map((folder) => folder.folderId),
        pollIntervalSeconds: profile.pollIntervalSeconds,
        maxBodyKb: settings.maxBodyKb,
        pastExpansionWindowMonths: settings.pastExpansionWindowMonths,
        futureExpansionWindowMonths: settings.futureExpansionWindowMonths,
        timeZone: mailbox.timeZone,
      });
    }
    return work;
  }
}
