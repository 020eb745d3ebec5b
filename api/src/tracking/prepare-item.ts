import { createHash } from 'node:crypto';
import { PartyRole } from '../activities/activity-enums';
import { bareMessageId, messageIdHash, parseMessageIdList } from '../activities/message-id';
import { repairStrings } from '../common/text';
import { normalizeEmail, validEmail } from '../records/email-addresses';
import { decodeEncodedWords } from './rules/encoded-words';
import { parseThreadIndex } from './rules/thread-index';
import type { SalvageCode } from './salvage-code';
import type { TrackEmailItemInput } from './track-emails.inputs';

export interface PreparedAddress {
  readonly role: PartyRole;
  readonly address: string;
  readonly name: string | null;
}

export interface PreparedAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string | null;
  /** The file, when it came inside the item (inline-attachments.ts) instead of uploaded first. */
  readonly content: Buffer | null;
  readonly contentId: string | null;
  readonly inline: boolean;
}

/** One message, validated and repaired: everything tracking reads, nothing it has to doubt. */
export interface PreparedItem {
  readonly index: number;
  readonly messageId: string;
  readonly messageIdHash: string;
  readonly folder: string | null;
  readonly direction: 'INCOMING' | 'OUTGOING';
  readonly subject: string;
  readonly from: PreparedAddress | null;
  readonly recipients: readonly PreparedAddress[];
  readonly occurredAt: Date;
  readonly sentAt: Date | null;
  readonly receivedAt: Date | null;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly threadIndex: string | null;
  readonly conversationRoot: string | null;
  /** Lower-case header name → every value. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly textBody: string | null;
  readonly htmlBody: string | null;
  readonly bodyTruncated: boolean;
  readonly attachments: readonly PreparedAttachment[];
  readonly salvage: readonly { code: SalvageCode; detail: string }[];
}

export const MAX_SUBJECT = 400;
/** What the folder column holds (activity_mailbox.folder). */
export const MAX_FOLDER = 255;
export const MAX_PARTIES = 1000;

/** Cuts text to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  let cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1); // a character split at the cut
  return { text: cut, truncated: true };
}

function parseDate(raw: string | null | undefined): Date | null | 'invalid' {
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const date = new Date(raw.trim());
  // Years outside 1970–9999 are broken clocks or parse accidents, and DATETIME cannot hold them all.
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) return 'invalid';
  return date;
}

/**
 * Validates one item and repairs what can be repaired, listing each repair. Never throws for bad
 * data: the worst a malformed message gets is a synthetic Message-ID and fewer parties.
 */
export function prepareItem(
  raw: TrackEmailItemInput,
  index: number,
  context: { mailboxAddress: string; maxBodyBytes: number; now: Date },
  /** The item's attachments sent as content, decoded (decodeInlineAttachments), by position. */
  contents: readonly (Buffer | null)[] = [],
): PreparedItem {
  const salvage: { code: SalvageCode; detail: string }[] = [];

  // NUL bytes and unpaired surrogates (broken 8-bit mail, a bad decoder) cannot be stored as they are.
  const input = repairStrings(raw);
  if (input !== raw) salvage.push({ code: 'INVALID_CHARACTERS', detail: 'removed NUL characters and replaced broken characters with U+FFFD' });

  const addresses: PreparedAddress[] = [];
  const badAddresses: string[] = [];
  const take = (role: PartyRole, list: readonly { address: string; name?: string | null }[]) => {
    for (const entry of list) {
      try {
        addresses.push({ role, address: validEmail('address', entry.address), name: entry.name ? decodeEncodedWords(entry.name).slice(0, 200) : null });
      } catch {
        badAddresses.push(entry.address.slice(0, 100));
      }
    }
  };
  take(PartyRole.FROM, input.from ? [input.from] : []);
  take(PartyRole.TO, input.to ?? []);
  take(PartyRole.CC, input.cc ?? []);
  take(PartyRole.BCC, input.bcc ?? []);
  if (badAddresses.length) salvage.push({ code: 'INVALID_ADDRESS', detail: `dropped: ${badAddresses.map((a) => JSON.stringify(a)).join(', ')}` });
  const from = addresses.find((a) => a.role === PartyRole.FROM) ?? null;
  let recipients = addresses.filter((a) => a.role !== PartyRole.FROM);
  if (recipients.length > MAX_PARTIES) {
    salvage.push({ code: 'TOO_MANY_RECIPIENTS', detail: `kept the first ${MAX_PARTIES} of ${recipients.length}` });
    recipients = recipients.slice(0, MAX_PARTIES);
  }

  const sent = parseDate(input.date);
  const received = parseDate(input.receivedAt);
  if (sent === 'invalid') salvage.push({ code: 'INVALID_DATE', detail: `Date ${JSON.stringify((input.date ?? '').slice(0, 80))}` });
  if (received === 'invalid') salvage.push({ code: 'INVALID_DATE', detail: `receivedAt ${JSON.stringify((input.receivedAt ?? '').slice(0, 80))}` });
  const sentAt = sent instanceof Date ? sent : null;
  const receivedAt = received instanceof Date ? received : null;

  let subject = decodeEncodedWords(input.subject ?? '').replace(/[\r\n]+\s*/g, ' ').trim();
  if ([...subject].length > MAX_SUBJECT) {
    subject = [...subject].slice(0, MAX_SUBJECT).join('');
    salvage.push({ code: 'SUBJECT_TRUNCATED', detail: `cut to ${MAX_SUBJECT} characters` });
  }

  let bodyTruncated = false;
  const cutBody = (body: string | null | undefined, label: string): string | null => {
    if (body === null || body === undefined) return null;
    const cut = truncateUtf8(body, context.maxBodyBytes);
    if (cut.truncated) {
      bodyTruncated = true;
      salvage.push({ code: 'BODY_TRUNCATED', detail: `${label} body cut to ${context.maxBodyBytes} bytes` });
    }
    return cut.text;
  };
  const textBody = cutBody(input.textBody, 'text');
  const htmlBody = cutBody(input.htmlBody, 'HTML');

  let messageId = input.messageId ? bareMessageId(input.messageId) : '';
  if (!messageId) {
    // Stable across re-deliveries of the same message, so a replay still finds it.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([from?.address ?? '', input.date ?? '', subject, recipients.map((r) => r.address), (textBody ?? htmlBody ?? '').slice(0, 4096)]))
      .digest('hex');
    messageId = `synthetic.${fingerprint}@crm-hub.invalid`;
    salvage.push({ code: 'MISSING_MESSAGE_ID', detail: `keyed as <${messageId}>` });
  }

  const headers: Record<string, string[]> = {};
  for (const h of input.headers ?? []) {
    const name = h.name.trim().toLowerCase();
    (headers[name] ??= []).push(h.value);
  }

  const mailbox = normalizeEmail(context.mailboxAddress);
  const direction =
    input.direction === 'INCOMING' || input.direction === 'OUTGOING' ? input.direction : from?.address === mailbox ? 'OUTGOING' : 'INCOMING';
  const threadIndex = input.threadIndex?.trim() || null;

  let folder = input.folder?.trim() || null;
  if (folder && [...folder].length > MAX_FOLDER) {
    folder = [...folder].slice(0, MAX_FOLDER).join('');
    salvage.push({ code: 'FOLDER_TRUNCATED', detail: `cut to ${MAX_FOLDER} characters` });
  }

  return {
    index,
    messageId,
    messageIdHash: messageIdHash(messageId),
    folder,
    direction,
    subject,
    from,
    recipients,
    occurredAt: (direction === 'OUTGOING' ? (sentAt ?? receivedAt) : (receivedAt ?? sentAt)) ?? context.now,
    sentAt,
    receivedAt,
    inReplyTo: parseMessageIdList(input.inReplyTo)[0] ?? null,
    references: (input.references ?? []).flatMap((r) => parseMessageIdList(r)),
    threadIndex,
    conversationRoot: threadIndex ? (parseThreadIndex(threadIndex)?.root ?? null) : null,
    headers,
    textBody,
    htmlBody,
    bodyTruncated,
    attachments: (input.attachments ?? []).map((a, position) => ({
      fileName: decodeEncodedWords(a.fileName).slice(0, 255) || 'attachment',
      contentType: (a.contentType || 'application/octet-stream').slice(0, 127).toLowerCase(),
      // A file sent along has the size of its bytes. A size no BIGINT column holds (or no file has) is unknown, as a negative one is.
      size: contents[position] ? contents[position].length : Number.isSafeInteger(Math.round(a.size)) && a.size >= 0 ? Math.round(a.size) : 0,
      sha256: contents[position] ? null : (a.sha256?.toLowerCase() ?? null),
      content: contents[position] ?? null,
      contentId: a.contentId ? bareMessageId(a.contentId).slice(0, 255) : null,
      inline: a.inline,
    })),
    salvage,
  };
}
