import { In, MoreThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import { Blob, BlobUpload } from '../attachments/blob.entity';
import { isSha256Hex, touch, type BlobStore } from '../attachments/blob-store';
import type { BlobUploadPolicy } from '../attachments/blob-uploads';
import { badInput } from '../common/errors';
import { expectGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import { rowLock } from '../db/row-locks';
import type { OrganizationEmailSettings } from '../mail/organization-email-settings.entity';
import type { Clock } from '../platform/clock';
import { Activity } from './activity.entity';
import { readsWholeActivity } from './attachment-routes';
import { Attachment } from './attachment.entity';
import { fileNameFault, MAX_CONTENT_TYPE_LENGTH, mediaTypeOf } from './outgoing-email-rules';
import type { SendEmailInput } from './outgoing-email.inputs';

/** A file an email composed in the hub carries: stored content the sender may send, at its stored size. */
export interface ChosenAttachment {
  readonly sha256: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

/**
 * The files of an email composed in the hub. A sender may name only content they uploaded
 * themselves within the grace period, or an attachment of the email they forward when they read
 * that email whole; anything else is refused with the same words as content that does not exist,
 * so the answer says nothing about what others stored or sent.
 */
export class OutgoingAttachments {
  constructor(
    private readonly db: DataSource,
    private readonly blobs: Pick<BlobStore, 'sizes'>,
    private readonly policy: Pick<BlobUploadPolicy, 'graceMs'>,
    private readonly clock: Clock,
  ) {}

  /** The checked attachments of `input`, in order; BAD_USER_INPUT naming the item (`input.attachments[1].sha256`) otherwise. */
  async chosen(principal: Principal, input: Pick<SendEmailInput, 'attachments' | 'forwardOfId'>, settings: Pick<OrganizationEmailSettings, 'maxAttachmentKb'>): Promise<ChosenAttachment[]> {
    const items = input.attachments ?? [];
    const forwarded = await this.forwardedEmail(principal, input.forwardOfId);
    if (items.length === 0) return [];
    const checked = items.map((item, i) => {
      const field = `input.attachments[${i}]`;
      const fault = fileNameFault(item.fileName);
      if (fault) throw badInput(`${field}.fileName`, fault);
      const contentType = mediaTypeOf(item.contentType);
      if (!contentType) throw badInput(`${field}.contentType`, `must be a media type such as "application/pdf" (type/subtype, without parameters, at most ${MAX_CONTENT_TYPE_LENGTH} characters)`);
      return { sha256: item.sha256.trim().toLowerCase(), fileName: item.fileName.trim(), contentType };
    });
    const wanted = [...new Set(checked.map((c) => c.sha256).filter(isSha256Hex))];
    const allowed = new Set([...(await this.uploadedBy(principal.userId, wanted)), ...(await this.attachedTo(forwarded, wanted))]);
    const sizes = await this.blobs.sizes([...allowed]);
    const graceHours = Math.round(this.policy.graceMs / 3_600_000);
    checked.forEach((c, i) => {
      if (!sizes.has(c.sha256)) {
        throw badInput(`input.attachments[${i}].sha256`, `no file you uploaded with PUT /blobs in the last ${graceHours} hours, nor an attachment of the forwarded email, has this sha256`);
      }
    });
    const total = checked.reduce((sum, c) => sum + sizes.get(c.sha256)!, 0);
    if (total > settings.maxAttachmentKb * 1024) {
      throw badInput('input.attachments', `the files have ${total} bytes together, more than the organization's limit of ${settings.maxAttachmentKb} KB`);
    }
    return checked.map((c) => ({ ...c, size: sizes.get(c.sha256)! }));
  }

  /**
   * In the send transaction: touches the content first, so a sweep of unreferenced blobs spares it
   * (or has removed it already, which this then sees under lock), and names it in attachment rows.
   */
  async attach(em: EntityManager, activityId: string, chosen: readonly ChosenAttachment[]): Promise<void> {
    if (chosen.length === 0) return;
    const shas = [...new Set(chosen.map((c) => c.sha256))];
    await touch(em, shas, this.clock());
    const present = await em.find(Blob, { where: { sha256: In(shas) }, select: { sha256: true }, lock: rowLock(em) });
    if (present.length !== shas.length) throw badInput('input.attachments', 'a file was removed while the email was being sent; upload it again');
    await em.insert(
      Attachment,
      chosen.map((c, position) => ({ id: newId(), activityId, fileName: c.fileName, contentType: c.contentType, size: c.size, blobSha256: c.sha256, contentId: null, inline: false, skippedReason: null, position })),
    );
  }

  /** The email forwarded, when the caller reads it whole (readsWholeActivity); null otherwise, whether it exists or not. */
  private async forwardedEmail(principal: Principal, globalId: string | null | undefined): Promise<Activity | null> {
    if (!globalId) return null;
    const { id } = expectGlobalId('input.forwardOfId', globalId, 'Email');
    const activity = await this.db.getRepository(Activity).findOneBy({ id });
    return activity && (await readsWholeActivity(this.db, principal, activity)) ? activity : null;
  }

  private async uploadedBy(userId: string, shas: readonly string[]): Promise<string[]> {
    if (shas.length === 0) return [];
    const since = new Date(this.clock().getTime() - this.policy.graceMs);
    const rows = await this.db.getRepository(BlobUpload).find({ select: { sha256: true }, where: { userId, sha256: In(shas), uploadedAt: MoreThanOrEqual(since) } });
    return rows.map((r) => r.sha256);
  }

  private async attachedTo(email: Activity | null, shas: readonly string[]): Promise<string[]> {
    if (!email || shas.length === 0) return [];
    const rows = await this.db.getRepository(Attachment).find({ select: { blobSha256: true }, where: { activityId: email.id, blobSha256: In(shas) } });
    return rows.map((r) => r.blobSha256!);
  }

}
