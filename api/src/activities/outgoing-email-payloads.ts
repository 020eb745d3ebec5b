import { In, type DataSource } from 'typeorm';
import type { BlobStore } from '../attachments/blob-store';
import { toGlobalId } from '../common/global-id';
import type { MailTransports } from '../mail/mail-transport';
import { PartyRole } from './activity-enums';
import { ActivityParty } from './activity-party.entity';
import { Activity } from './activity.entity';
import { Attachment } from './attachment.entity';
import { EmailMessage } from './email-message.entity';
import type { ClaimedEmail, OutgoingEmail } from './outgoing-email.types';

/** Bodies handed to the sync engine: well above any organization's body limit. */
const MAX_SEND_BODY_BYTES = 16 * 1024 * 1024;

/** What the engine needs to send each claimed email: headers, bodies, attachments and the sender mailbox's transport. */
export class OutgoingEmailPayloads {
  constructor(
    private readonly db: DataSource,
    private readonly blobs: Pick<BlobStore, 'readSmall'>,
    private readonly transports: Pick<MailTransports, 'forMailboxes'>,
  ) {}

  /** In a fixed number of statements, however many were claimed. */
  async of(claimed: readonly ClaimedEmail[]): Promise<OutgoingEmail[]> {
    if (claimed.length === 0) return [];
    const ids = claimed.map((c) => c.id);
    const [activities, messages, parties, attachments] = await Promise.all([
      this.db.getRepository(Activity).findBy({ id: In(ids) }),
      this.db.getRepository(EmailMessage).findBy({ activityId: In(ids) }),
      this.db.getRepository(ActivityParty).find({ where: { activityId: In(ids) }, order: { position: 'ASC' } }),
      this.db.getRepository(Attachment).find({ where: { activityId: In(ids) }, order: { position: 'ASC' } }),
    ]);
    const activityById = new Map(activities.map((a) => [a.id, a]));
    const messageById = new Map(messages.map((m) => [m.activityId, m]));
    const shas = messages.flatMap((m) => [m.textBodyBlob, m.htmlBodyBlob]).filter((s): s is string => !!s);
    const bodies = await this.blobs.readSmall([...new Set(shas)], MAX_SEND_BODY_BYTES);
    const transports = await this.transports.forMailboxes(messages.map((m) => m.senderMailboxId!));
    const text = (sha: string | null) => (sha ? (bodies.get(sha)?.toString('utf8') ?? null) : null);
    return claimed.map(({ id, leaseId }) => {
      const activity = activityById.get(id)!;
      const message = messageById.get(id)!;
      const own = parties.filter((p) => p.activityId === id);
      const addresses = (role: PartyRole) => own.filter((p) => p.role === role && p.address).map((p) => ({ address: p.address!, name: p.displayName }));
      const from = own.find((p) => p.role === PartyRole.FROM);
      const html = text(message.htmlBodyBlob);
      return {
        emailId: toGlobalId('Email', id),
        leaseId,
        leaseUntil: message.sendLeaseUntil!,
        mailboxId: toGlobalId('Mailbox', message.senderMailboxId!),
        from: { address: message.fromAddress ?? from?.address ?? '', name: from?.displayName ?? null },
        to: addresses(PartyRole.TO),
        cc: addresses(PartyRole.CC),
        bcc: addresses(PartyRole.BCC),
        subject: activity.subject,
        messageId: message.messageId,
        inReplyTo: message.inReplyTo,
        references: message.referenceIds ? (JSON.parse(message.referenceIds) as string[]) : [],
        textBody: text(message.textBodyBlob),
        htmlBody: html,
        attachments: attachments
          .filter((a) => a.activityId === id && a.blobSha256)
          .map((a) => ({ fileName: a.fileName, contentType: a.contentType, size: a.size, sha256: a.blobSha256! })),
        attempt: message.sendAttempts,
        transport: transports.get(message.senderMailboxId!)!,
      };
    });
  }
}
