import type { Readable } from 'node:stream';
import type { HubApi } from '../api-client.js';
import { HubApiError } from '../api-client.js';
import type { MailboxWork, QuarantineItem, TrackItem } from '../hub-types.js';
import type { RawMessage } from '../mail/mail-source.js';
import { SpooledMessage } from '../mail/spooled-message.js';
import { unwrapForwarded } from '../mime/forwarded.js';
import { InvalidMessageError, parseRawMessage, type ParsedMessage, type ParseOptions } from '../mime/parse-message.js';
import type { Log } from '../logger.js';
import { cutBody } from './body-cut.js';
import { mapInOrder } from './map-in-order.js';
import type { MessageOrigin, TrackEntry } from './track-sender.js';

/** What one fetched batch becomes: items for the mailbox itself, items for forwarding users, and what could not be read. */
export interface PreparedBatch {
  readonly items: TrackEntry[];
  /** Forward mailbox only: unwrapped copies, by the forwarding user's mailbox id. */
  readonly forwarded: Map<string, TrackEntry[]>;
  readonly quarantine: QuarantineItem[];
}

// Dynamics' largest attachment limit (128 MB); the hub enforces the organization's own limit with a 413.
const PARSE_ATTACHMENT_LIMIT = 128 * 1024 * 1024;
const UPLOADS_AT_ONCE = 4;
/**
 * The largest file trackEmails takes inside its item (the api's INLINE_ATTACHMENT_BYTES, in TrackAttachmentInput.content's
 * description). The engine holds no message over 1 MiB whole, so every file in hand fits.
 */
export const INLINE_ATTACHMENT_BYTES = 1024 * 1024;
const MESSAGES_AT_ONCE = 4;

/**
 * Parses raw messages, cuts their bodies to what the hub keeps and uploads their attachments; a message that
 * cannot be read is quarantined, never thrown.
 */
export class MessagePipeline {
  constructor(
    private readonly api: Pick<HubApi, 'uploadBlob' | 'uploadBlobStream'>,
    private readonly log: Log,
    /** Files in hand up to this size travel inside their item; 0 uploads every one first. */
    private readonly inlineBytes = INLINE_ATTACHMENT_BYTES,
  ) {}

  async prepare(work: Pick<MailboxWork, 'isForwardMailbox' | 'forwardSources' | 'maxBodyKb'>, messages: readonly RawMessage[]): Promise<PreparedBatch> {
    // A few messages at once, so one's attachments upload while the next is parsed; the batch keeps their order.
    const parts = await mapInOrder(messages, MESSAGES_AT_ONCE, async (message) => {
      const part: PreparedBatch = { items: [], forwarded: new Map(), quarantine: [] };
      try {
        await this.prepareOne(work, message, part);
      } finally {
        // Read once: a batch that fails is fetched again, spooled again.
        if (message.source instanceof SpooledMessage) await message.source.dispose();
      }
      return part;
    });
    const batch: PreparedBatch = { items: [], forwarded: new Map(), quarantine: [] };
    for (const part of parts) {
      batch.items.push(...part.items);
      batch.quarantine.push(...part.quarantine);
      for (const [mailboxId, entries] of part.forwarded) batch.forwarded.set(mailboxId, [...(batch.forwarded.get(mailboxId) ?? []), ...entries]);
    }
    return batch;
  }

  private async prepareOne(work: Pick<MailboxWork, 'isForwardMailbox' | 'forwardSources' | 'maxBodyKb'>, message: RawMessage, batch: PreparedBatch): Promise<void> {
    let parsed: ParsedMessage;
    try {
      parsed = await parseRawMessage(message, { ...this.parseOptions, maxBodyBytes: work.maxBodyKb * 1024 });
    } catch (error) {
      // Anything else (the parser's worker cannot start) is the engine's fault: fail the batch and retry it, never drop mail.
      if (!(error instanceof InvalidMessageError)) throw error;
      batch.quarantine.push(quarantineOf(message, 'INVALID_MESSAGE', `the message cannot be read: ${error.reason}`));
      return;
    }
    if (parsed.warnings.length) this.log.info({ sourceRef: message.sourceRef, warnings: parsed.warnings }, 'message read with repairs');
    if (!work.isForwardMailbox) batch.items.push({ item: await this.toItem(parsed, work.maxBodyKb), origin: originOf(message) });
    else await this.unwrap(work, message, parsed, batch);
  }

  /** A forward (sink) mailbox holds copies forwarded as message/rfc822 attachments by each user's server rule. */
  private async unwrap(work: Pick<MailboxWork, 'forwardSources' | 'maxBodyKb'>, message: RawMessage, outer: ParsedMessage, batch: PreparedBatch): Promise<void> {
    const summary = { messageId: outer.item.messageId, subject: outer.item.subject, fromAddress: outer.item.from?.address ?? null };
    const unwrapped = unwrapForwarded(outer);
    if (!unwrapped.inner.length) {
      const why = unwrapped.notForwardReason ?? 'a forward mailbox expects copies attached as message/rfc822; this message has none';
      batch.quarantine.push({ ...quarantineOf(message, 'FORWARD_WITHOUT_ATTACHMENT', why), ...summary });
      return;
    }
    const forwarder = unwrapped.forwarder?.toLowerCase() ?? '';
    const source = work.forwardSources.find((s) => s.address.toLowerCase() === forwarder);
    if (!source) {
      batch.quarantine.push({
        ...quarantineOf(message, 'FORWARDER_UNKNOWN', `forwarded by ${forwarder || 'an unknown sender'}, which is no mailbox with the incoming method "forward mailbox"`),
        ...summary,
      });
      return;
    }
    const items = batch.forwarded.get(source.mailboxId) ?? [];
    for (const [index, inner] of unwrapped.inner.entries()) {
      try {
        const parsed = await parseRawMessage({ ...message, source: inner, sourceRef: `${message.sourceRef}#${index + 1}`, role: 'INBOX' }, { ...this.parseOptions, maxBodyBytes: work.maxBodyKb * 1024 });
        items.push({ item: await this.toItem(parsed, work.maxBodyKb), origin: { ...originOf(message), ...summary } });
      } catch (error) {
        if (!(error instanceof InvalidMessageError)) throw error;
        batch.quarantine.push({ ...quarantineOf(message, 'INVALID_MESSAGE', `forwarded copy ${index + 1} cannot be read: ${error.reason}`), ...summary });
      }
    }
    batch.forwarded.set(source.mailboxId, items);
  }

  private async toItem(parsed: ParsedMessage, maxBodyKb: number): Promise<TrackItem> {
    const attachments: TrackItem['attachments'][number][] = [];
    for (let i = 0; i < parsed.attachments.length; i += UPLOADS_AT_ONCE) {
      const group = parsed.attachments.slice(i, i + UPLOADS_AT_ONCE);
      // Attachments of a streamed message were uploaded as it was read; a small one in hand travels inside the item
      // (stored in the batch's transaction: no request and no commit of its own), a larger one is uploaded first.
      const inHand = group.map((a) => (a.sha256 === undefined && a.content !== null && a.content.length <= this.inlineBytes ? a.content : null));
      const uploaded = await Promise.all(group.map((a, j) => (a.sha256 !== undefined ? a.sha256 : inHand[j] ? null : this.upload(a.content))));
      group.forEach((a, j) => {
        const meta = { fileName: a.fileName, contentType: a.contentType, size: a.size, contentId: a.contentId, inline: a.inline };
        attachments.push(inHand[j] ? { ...meta, sha256: null, content: inHand[j].toString('base64') } : { ...meta, sha256: uploaded[j] });
      });
    }
    const maxBodyBytes = maxBodyKb * 1024;
    return { ...parsed.item, textBody: cutBody(parsed.item.textBody, maxBodyBytes), htmlBody: cutBody(parsed.item.htmlBody, maxBodyBytes), attachments };
  }

  /** Large messages' attachments go straight from the message's stream into the hub's blob store. */
  private readonly parseOptions: ParseOptions = { maxAttachmentBytes: PARSE_ATTACHMENT_LIMIT, upload: (body) => this.uploadStream(body) };

  private async uploadStream(body: Readable): Promise<string | null> {
    try {
      return await this.api.uploadBlobStream(body);
    } catch (error) {
      if (error instanceof HubApiError && error.serverCode === 'ATTACHMENT_TOO_LARGE') return null;
      throw error;
    }
  }

  /** The blob's sha256, or null when the hub refuses it as too large (the item then records it as skipped). */
  private async upload(content: Buffer | null): Promise<string | null> {
    if (!content) return null;
    try {
      return await this.api.uploadBlob(content);
    } catch (error) {
      if (error instanceof HubApiError && error.serverCode === 'ATTACHMENT_TOO_LARGE') return null;
      throw error;
    }
  }
}

function quarantineOf(message: RawMessage, code: string, reason: string): QuarantineItem {
  return { ...originOf(message), code, reason: reason.slice(0, 2000) };
}

function originOf(message: RawMessage): MessageOrigin {
  return { sourceRef: message.sourceRef, folder: message.folder, size: message.size, ...headerSummary(message.source instanceof SpooledMessage ? message.source.head : message.source) };
}

/** Subject, sender and Message-ID read straight from the header block, so a quarantined message can be recognized. */
function headerSummary(source: Buffer): { messageId: string | null; subject: string | null; fromAddress: string | null } {
  const end = source.indexOf('\r\n\r\n');
  const head = source.subarray(0, end === -1 ? Math.min(source.length, 16384) : end).toString('latin1').replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => head.match(new RegExp(`^${name}:[ \\t]*(.*)$`, 'im'))?.[1]?.trim() ?? null;
  const from = header('From');
  return {
    messageId: header('Message-ID')?.replace(/^<|>$/g, '').slice(0, 998) ?? null,
    subject: header('Subject')?.slice(0, 400) ?? null,
    fromAddress: from?.match(/[^\s<>"]+@[^\s<>"]+/)?.[0]?.slice(0, 320) ?? null,
  };
}
