import { EmailMessage, MimeContent, WellKnownFolderName } from 'ews-javascript-api';
import type { Log } from '../../logger.js';
import { MailError } from '../mail-error.js';
import type { MailSender, OutgoingMessage, SendReceipt } from '../mail-sender.js';
import type { ChannelCheck, SentFolder } from '../mail-source.js';
import { withBccHeader } from './ews-mime.js';
import { bareMessageId, hasMessageId, openFolder } from './ews-operations.js';
import type { EwsAccount, EwsServices } from './ews-service.js';

/**
 * Sends through Exchange: CreateItem of the finished MIME with MessageDisposition SendAndSaveCopy, so the
 * Message-ID, In-Reply-To and References the hub set go out unchanged and Exchange itself files the copy in Sent
 * Items (appendSent must never be called: a second copy would appear). When the outcome is unknown (the
 * connection dropped after the request left), Sent Items is asked once; not found stays unknown (UNCERTAIN).
 */
export class EwsSender implements MailSender, Pick<SentFolder, 'hasSent'> {
  constructor(private readonly options: { readonly services: EwsServices; readonly account: EwsAccount; readonly logger?: Log }) {}

  async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendReceipt> {
    const session = await this.options.services.session(this.options.account, 'outgoing', signal);
    const raw = withBccHeader(message.raw, message.recipients);
    const messageId = messageIdOf(raw);
    try {
      await session.call(
        'CreateItem (SendAndSaveCopy)',
        (service) => {
          const email = new EmailMessage(service);
          email.MimeContent = new MimeContent('UTF-8', raw.toString('base64'));
          return email.SendAndSaveCopy(WellKnownFolderName.SentItems);
        },
        { signal },
      );
    } catch (error) {
      if (!(error instanceof MailError) || !outcomeUnknown(error) || !messageId || signal?.aborted) throw error;
      // The request may have reached Exchange: sending again could deliver twice. Sent Items says whether it did.
      const found = await this.hasSent(messageId, signal).catch(() => false);
      if (!found) throw error;
      this.options.logger?.info({ messageId }, 'the send call failed, but Sent Items has the message: it was sent');
    }
    return { accepted: [...message.recipients], rejected: [], response: 'Exchange accepted the message (CreateItem, SendAndSaveCopy)' };
  }

  /** FindItem in Sent Items on InternetMessageId; the id may come with or without angle brackets. */
  async hasSent(messageId: string, signal?: AbortSignal): Promise<boolean> {
    const session = await this.options.services.session(this.options.account, 'outgoing', signal);
    return hasMessageId(session, WellKnownFolderName.SentItems, messageId, signal);
  }

  /** Test & Enable's outgoing check: sign in and open Sent Items and the Outbox with the mailbox's rights. */
  async check(signal?: AbortSignal): Promise<ChannelCheck> {
    try {
      const session = await this.options.services.session(this.options.account, 'outgoing', signal);
      await openFolder(session, WellKnownFolderName.SentItems, 'Sent Items', signal);
      await openFolder(session, WellKnownFolderName.Outbox, 'Outbox', signal);
      const { server, username, impersonating } = session.context;
      const as = impersonating ? ` acting as ${impersonating}` : '';
      return { ok: true, detail: `Signed in to Exchange ${server} as ${username}${as} and opened Sent Items and Outbox; mail is sent with SendAndSaveCopy.` };
    } catch (error) {
      return failedCheck(error);
    }
  }

  close(): void {}
}

/** A dropped connection or a timeout with no answer from the server: the message may or may not have been taken. */
const outcomeUnknown = (error: MailError) => (error.code === 'TEMPORARY' || error.code === 'TIMEOUT') && !error.serverResponse;

function messageIdOf(raw: Buffer): string | null {
  const header = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1').split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  return bareMessageId(/^message-id:\s*(.*)$/im.exec(header)?.[1]);
}

export function failedCheck(error: unknown): ChannelCheck {
  const mailError = error instanceof MailError ? error : new MailError('TEMPORARY', String(error), { cause: error });
  return { ok: false, code: mailError.code, reason: mailError.message };
}
