import type { EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import type { BlobStore } from '../attachments/blob-store';
import { badInput } from '../common/errors';
import type { OrganizationEmailSettings } from '../mail/organization-email-settings.entity';
import type { ActivityEvents } from './activity-events';
import { ActivityMailbox } from './activity-mailbox.entity';
import type { ActivityWriter } from './activity-writer';
import { sanitizeEmailHtml } from './email-html';
import { EmailMessage } from './email-message.entity';
import type { EmailRows } from './email-rows';
import { htmlForSending, previewOf, textOfHtml } from './outgoing-email-rules';
import type { ChosenAttachment, OutgoingAttachments } from './outgoing-attachments';
import type { SendEmailInput } from './outgoing-email.inputs';

/** A composed email's bodies, as blob keys, and the preview taken from them. */
export interface StoredBodies {
  readonly textBlob: string | null;
  readonly htmlBlob: string | null;
  readonly preview: string | null;
}

/** Stores an email composed in the hub: its bodies in the blob store, its rows and live event in the send transaction. */
export class ComposedEmailWriter {
  constructor(
    private readonly blobs: Pick<BlobStore, 'putBuffer'>,
    private readonly writer: Pick<ActivityWriter, 'insert'>,
    private readonly events: Pick<ActivityEvents, 'stage'>,
    private readonly files: Pick<OutgoingAttachments, 'chosen' | 'attach'>,
  ) {}

  /** The files to send, checked before the transaction (outgoing-attachments.ts). */
  attachments(principal: Principal, input: SendEmailInput, settings: Pick<OrganizationEmailSettings, 'maxAttachmentKb'>): Promise<ChosenAttachment[]> {
    return this.files.chosen(principal, input, settings);
  }

  /** Bodies into the blob store (before the transaction: blobs are content-addressed, so a rolled-back send only leaves an unreferenced blob). */
  async bodies(input: SendEmailInput, settings: Pick<OrganizationEmailSettings, 'maxBodyKb'>): Promise<StoredBodies> {
    const maxBytes = settings.maxBodyKb * 1024;
    const put = async (field: string, content: string) => {
      const result = await this.blobs.putBuffer(content, { maxBytes });
      if ('tooLarge' in result) throw badInput(field, `is larger than the organization's limit of ${settings.maxBodyKb} KB`);
      return result.sha256;
    };
    const text = input.textBody ? input.textBody : null;
    // Stored as it will be sent: made safe (no scripts, handlers, forms), remote images as written.
    // Readers see it through the display sanitizer, like any tracked email.
    const html = input.htmlBody ? htmlForSending(sanitizeEmailHtml(input.htmlBody).html) : null;
    return {
      textBlob: text !== null ? await put('input.textBody', text) : null,
      htmlBlob: html !== null ? await put('input.htmlBody', html) : null,
      preview: previewOf(text ?? (html ? textOfHtml(html) : null)),
    };
  }

  /** The activity, its parties, message row, attachments and sender mailbox link, and its CREATED event. */
  async insert(em: EntityManager, rows: EmailRows, attachments: readonly ChosenAttachment[], mailboxId: string, seenAt: Date): Promise<void> {
    await this.writer.insert(em, [rows]);
    await em.insert(EmailMessage, rows.email);
    await this.files.attach(em, rows.activity.id, attachments);
    await em.insert(ActivityMailbox, { activityId: rows.activity.id, mailboxId, folder: null, seenAt });
    await this.events.stage(em, 'CREATED', rows.activity.id);
  }
}
