import { Readable } from 'node:stream';
import { decodeWords } from 'postal-mime';
import { MailError } from '../mail/mail-error.js';
import type { RawMessage } from '../mail/mail-source.js';
import { SpooledMessage } from '../mail/spooled-message.js';
import { InvalidCalendarError, parseCalendar } from './calendar.js';
import { MimeParseError, parseHere, type Email } from './postal-parse.js';
import { SplitError, splitAttachments, type StreamedPart, type StreamUpload } from './split-attachments.js';
import type { CalendarInput, MailAddress, MailHeader, TrackEmailItem } from './track-email-item.js';
import { repairWindows1252 } from './windows-1252.js';

/** A message with nothing usable in it: quarantine it with `reason`, never stop the mailbox over it. */
export class InvalidMessageError extends MailError {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('INVALID_MESSAGE', reason, options);
    this.name = 'InvalidMessageError';
  }
}

export interface ParseOptions {
  /** An attachment larger than this (decoded bytes) keeps its name and size but not its content. */
  readonly maxAttachmentBytes: number;
  /**
   * Messages larger than this (and every spooled one) are read as a stream with their attachments taken out as
   * they pass, and only the rest is parsed whole; 1 MiB by default (~25 ms of parsing in one go).
   */
  readonly streamThresholdBytes?: number;
  /** Where attachments of streamed messages go as they are read; without it they are collected into `content`. */
  readonly upload?: StreamUpload;
  /** The body the hub keeps: a streamed message's text bodies are read only so far beyond it (split-attachments.ts). */
  readonly maxBodyBytes?: number;
  /** IANA zone for floating times in invitations; UTC by default. */
  readonly floatingTimeZone?: string;
}

/** One attachment's bytes, to upload before the item goes to the hub. */
export interface ParsedAttachment {
  readonly fileName: string;
  readonly contentType: string;
  /** Decoded bytes. */
  readonly size: number;
  /** Without angle brackets. */
  readonly contentId: string | null;
  /** Shown inside the HTML body (a cid: image) rather than listed. */
  readonly inline: boolean;
  /** Null when larger than maxAttachmentBytes, or already uploaded: the hub then records the attachment as skipped. */
  readonly content: Buffer | null;
  /** Set when the bytes were uploaded as the message streamed by: their sha256, or null when too large to keep. */
  readonly sha256?: string | null;
}

export interface ParsedMessage {
  /** The hub's TrackEmailItemInput; `attachments` is empty until the bytes below are uploaded. */
  readonly item: TrackEmailItem;
  readonly attachments: readonly ParsedAttachment[];
  /** The raw bytes of every message/rfc822 part (copies a forwarding rule attached). */
  readonly forwarded: readonly Buffer[];
  /** What was read only in part, for the log: an unreadable calendar part, … */
  readonly warnings: readonly string[];
}

export type ParseInput = Pick<RawMessage, 'source' | 'folder' | 'role' | 'receivedAt' | 'sourceRef'>;

const DEFAULT_STREAM_THRESHOLD = 1024 * 1024;

/**
 * Reads one raw RFC 5322 message into what the hub tracks. Salvages what it can (a missing Message-ID, a bad
 * Date, an unreadable calendar part are the hub's or the log's business) and throws InvalidMessageError only
 * when nothing usable is there. Large messages are streamed (their attachments never held whole); the result is the same.
 */
export async function parseRawMessage(raw: ParseInput, options: ParseOptions): Promise<ParsedMessage> {
  if (raw.source.length === 0) throw new InvalidMessageError('the message is empty (0 bytes)');
  let email: Email;
  let streamed: ReadonlyMap<string, StreamedPart> | null = null;
  try {
    if (raw.source instanceof SpooledMessage || raw.source.length > (options.streamThresholdBytes ?? DEFAULT_STREAM_THRESHOLD)) {
      const stream = raw.source instanceof SpooledMessage ? raw.source.open() : Readable.from(piecesOf(raw.source), { objectMode: false });
      const split = await splitAttachments(stream, { maxAttachmentBytes: options.maxAttachmentBytes, upload: options.upload, maxBodyBytes: options.maxBodyBytes });
      streamed = split.parts;
      email = await parseHere(split.skeleton);
    } else {
      email = await parseHere(raw.source);
    }
  } catch (error) {
    if (error instanceof MimeParseError || error instanceof SplitError) throw new InvalidMessageError(`the MIME structure cannot be parsed: ${error.message}`, { cause: error });
    throw error; // an upload or the spool file failed: the engine's or the hub's fault, not this message's
  }
  if (!email.headers.some((h) => MESSAGE_HEADERS.has(h.key))) {
    throw new InvalidMessageError('no RFC 5322 header fields (From, To, Subject, Date, Message-ID…) were found: this is not an email message');
  }

  const warnings: string[] = [];
  const attachments: ParsedAttachment[] = [];
  const forwarded: Buffer[] = [];
  let calendar: CalendarInput | null = null;
  let calendarSeen = false;

  for (const part of email.attachments) {
    const contentType = part.mimeType || 'application/octet-stream';
    const isCalendar = CALENDAR_TYPES.has(contentType);
    const isMessage = MESSAGE_TYPES.has(contentType);
    // A part taken out while streaming: its bytes were uploaded or collected already.
    const taken = part.description ? streamed?.get(part.description) : undefined;
    if (taken) {
      const contentId = part.contentId ? bareId(part.contentId) || null : null;
      attachments.push({
        fileName: fileNameOf(part.filename, contentType, null),
        contentType,
        size: taken.size,
        contentId,
        inline: isInline(part, contentId, contentType),
        content: taken.content,
        ...(taken.sha256 !== undefined ? { sha256: taken.sha256 } : {}),
      });
      continue;
    }
    const content = isMessage ? canonicalMessage(bufferOf(part.content)) : bufferOf(part.content);
    if (isMessage) forwarded.push(content);
    if (isCalendar && !calendarSeen) {
      // The first calendar part is the invitation; Google repeats it as invite.ics, which is the same object.
      calendarSeen = true;
      try {
        calendar = parseCalendar(repairWindows1252(content.toString('utf8')), { methodHint: part.method ?? null, floatingTimeZone: options.floatingTimeZone });
      } catch (error) {
        // The invitation is a part of the message, not the message: track the mail without it.
        const detail = error instanceof InvalidCalendarError ? error.message : `the calendar parser failed: ${String(error)}`;
        warnings.push(`calendar part ignored: ${detail}`);
      }
    }
    // Outlook's invitation is a text/calendar alternative of the body, not something the sender attached.
    if (isCalendar && !part.filename && part.disposition !== 'attachment') continue;

    const contentId = part.contentId ? bareId(part.contentId) || null : null;
    attachments.push({
      fileName: fileNameOf(part.filename, contentType, isMessage ? content : null),
      contentType,
      size: content.length,
      contentId,
      inline: isInline(part, contentId, contentType),
      content: content.length > options.maxAttachmentBytes ? null : content,
    });
  }

  const header = (key: string): string | null => email.headers.find((h) => h.key === key)?.value.trim() || null;
  const item: TrackEmailItem = {
    messageId: messageIdOf(email.messageId),
    folder: raw.folder,
    direction: raw.role === 'SENT' ? 'OUTGOING' : null,
    subject: repairWindows1252(email.subject) ?? null,
    from: addressesOf(email.from ? [email.from] : email.sender ? [email.sender] : [])[0] ?? null,
    to: addressesOf(email.to),
    cc: addressesOf(email.cc),
    bcc: addressesOf(email.bcc),
    date: header('date'),
    receivedAt: raw.receivedAt && !Number.isNaN(raw.receivedAt.getTime()) ? raw.receivedAt.toISOString() : receivedAtOf(email),
    inReplyTo: messageIdList(email.inReplyTo)[0] ?? null,
    references: boundedReferences(messageIdList(email.references)),
    threadIndex: header('thread-index'),
    headers: trackedHeaders(email),
    textBody: bodyOf(email.text),
    htmlBody: bodyOf(email.html),
    attachments: [],
    calendar,
  };
  return { item, attachments, forwarded, warnings };
}

/** A message in memory (Exchange's MIME, a forwarded copy) fed to the splitter in pieces, so no one step takes long. */
function* piecesOf(source: Buffer): Generator<Buffer> {
  for (let at = 0; at < source.length; at += STREAM_PIECE_BYTES) yield source.subarray(at, at + STREAM_PIECE_BYTES);
}

const STREAM_PIECE_BYTES = 256 * 1024;

/** Shown inside the HTML body (a cid: image of a multipart/related, or an inline image) rather than listed. */
function isInline(part: Email['attachments'][number], contentId: string | null, contentType: string): boolean {
  return part.related === true || (part.disposition === 'inline' && contentId !== null && contentType.startsWith('image/'));
}

// Any one of these makes the input a message; a body without a single one is not mail (RFC 5322 3.6).
const MESSAGE_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'message-id',
  'received',
  'return-path',
  'mime-version',
  'content-type',
]);

const CALENDAR_TYPES = new Set(['text/calendar', 'application/ics']);
// RFC 6532 3.7: message/global is message/rfc822 with UTF-8 headers.
const MESSAGE_TYPES = new Set(['message/rfc822', 'message/global']);

/** The headers tracking rules read (automated-mail.ts and friends), by lower-case name → canonical spelling. */
export const TRACKED_HEADERS: ReadonlyMap<string, string> = new Map(
  [
    'Auto-Submitted',
    'Precedence',
    'List-Id',
    'List-Unsubscribe',
    'List-Unsubscribe-Post',
    'X-Autoreply',
    'X-Autorespond',
    'X-Autogenerated',
    'X-Auto-Response-Suppress',
    'Return-Path',
    'Content-Type',
    'X-Mailer',
    'User-Agent',
    'Feedback-ID',
    'Thread-Topic',
  ].map((name) => [name.toLowerCase(), name]),
);
const MAX_VALUES_PER_HEADER = 5;
const MAX_HEADER_VALUE = 1000; // RFC 5322 2.1.1 caps a line at 998 characters; longer values are abuse

function trackedHeaders(email: Email): MailHeader[] {
  const headers: MailHeader[] = [];
  const counts = new Map<string, number>();
  for (const h of email.headers) {
    const name = TRACKED_HEADERS.get(h.key);
    if (!name) continue;
    const seen = counts.get(h.key) ?? 0;
    if (seen >= MAX_VALUES_PER_HEADER) continue;
    counts.set(h.key, seen + 1);
    headers.push({ name, value: h.value.trim().slice(0, MAX_HEADER_VALUE) });
  }
  return headers;
}

/** Decoded text with one kind of line end: base64 parts keep the sender's CRLF, quoted-printable ones do not. */
function bodyOf(text: string | undefined): string | null {
  return text === undefined ? null : repairWindows1252(text.replace(/\r\n?/g, '\n'));
}

function bufferOf(content: ArrayBuffer | Uint8Array | string): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'base64'); // only with attachmentEncoding 'base64'
  if (content instanceof Uint8Array) return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  return Buffer.from(content);
}

/**
 * An attached message as it was sent. postal-mime hands a 7bit/8bit part back as its lines, each ended by LF,
 * including the line break that belongs to the closing boundary (RFC 2046 5.1.1): end lines with CRLF again
 * (RFC 5322 2.1) and drop that last one.
 */
function canonicalMessage(content: Buffer): Buffer {
  let bare = 0;
  for (let i = content.indexOf(0x0a); i !== -1; i = content.indexOf(0x0a, i + 1)) if (i === 0 || content[i - 1] !== 0x0d) bare++;
  const out = Buffer.allocUnsafe(content.length + bare);
  let o = 0;
  let from = 0;
  for (let i = content.indexOf(0x0a); i !== -1; i = content.indexOf(0x0a, i + 1)) {
    if (i > 0 && content[i - 1] === 0x0d) continue;
    o += content.copy(out, o, from, i);
    out[o++] = 0x0d;
    out[o++] = 0x0a;
    from = i + 1;
  }
  o += content.copy(out, o, from);
  const end = o >= 2 && out[o - 2] === 0x0d && out[o - 1] === 0x0a ? o - 2 : o;
  return out.subarray(0, end);
}

function addressesOf(list: readonly PostalAddress[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  for (const entry of list ?? []) {
    // RFC 5322 3.4: a group ("Team: a@x, b@y;") stands for its members; "undisclosed-recipients:;" for none.
    for (const mailbox of entry.group ?? [entry]) {
      const address = mailbox.address?.trim();
      if (address) out.push({ address, name: repairWindows1252(mailbox.name?.trim()) || null });
    }
  }
  return out;
}

type PostalAddress = { readonly name: string; readonly address?: string; readonly group?: readonly { name: string; address: string }[] };

function bareId(raw: string): string {
  const trimmed = raw.trim();
  return trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1).trim() : trimmed;
}

function messageIdOf(raw: string | undefined): string | null {
  const id = messageIdList(raw)[0];
  return id && id.length <= 998 ? id : null;
}

/** The ids in a Message-ID, In-Reply-To or References header, bare; tolerant of missing brackets and comments. */
function messageIdList(raw: string | undefined): string[] {
  if (!raw) return [];
  const bracketed = raw.match(/<[^<>\s]+>/g);
  const ids = bracketed ?? raw.replace(/\([^)]*\)/g, ' ').split(/[\s,]+/);
  return ids.map(bareId).filter((id) => id.length > 0);
}

const MAX_REFERENCES = 100;

// RFC 5322 3.6.4 lets a long References header drop ids from the middle: the first (the thread's root) and
// the most recent matter for correlation.
function boundedReferences(ids: string[]): string[] {
  return ids.length <= MAX_REFERENCES ? ids : [ids[0], ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}

/** POP3 has no INTERNALDATE: the topmost Received header's date is when the mailbox's server took it (RFC 5322 3.6.7). */
function receivedAtOf(email: Email): string | null {
  const received = email.headers.find((h) => h.key === 'received')?.value;
  const stamp = received?.slice(received.lastIndexOf(';') + 1).trim();
  if (!received || !received.includes(';') || !stamp) return null;
  const date = new Date(stamp.replace(/\s*\([^)]*\)\s*$/, ''));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'application/ics': '.ics',
};

/** The name to show: the part's own (without any directory a sender's client put in it), or one made up. */
function fileNameOf(name: string | null, contentType: string, message: Buffer | null): string {
  const own = repairWindows1252(name)
    ?.replace(/[\u0000-\u001f\u007f]/g, '')
    .split(/[\\/]/)
    .pop()
    ?.trim();
  if (own) return own;
  if (message) return `${(subjectOf(message) ?? 'forwarded message').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim().slice(0, 200) || 'forwarded message'}.eml`;
  return `attachment${EXTENSIONS[contentType] ?? ''}`;
}

/** An attached message's Subject, decoded, read from its header block without parsing the whole message. */
function subjectOf(message: Buffer): string | null {
  const end = message.indexOf('\r\n\r\n');
  const head = message.subarray(0, end === -1 ? Math.min(message.length, 65536) : end).toString('utf8');
  const value = head.replace(/\r?\n[ \t]+/g, ' ').match(/^subject:[ \t]*(.*)$/im)?.[1];
  return value ? repairWindows1252(decodeWords(value)).trim() || null : null;
}
