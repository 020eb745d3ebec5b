import { domainToASCII } from 'node:url';
import { badInput } from '../common/errors';
import { validEmail } from '../records/email-addresses';
import { PartyRole } from './activity-enums';

// Pure rules for composing an outgoing email: recipients, subject, Message-ID, preview.

/** Most recipients one email may have (To, Cc and Bcc together). */
export const MAX_RECIPIENTS = 500;
/** The activity subject column holds 400 characters (code points). */
export const MAX_SUBJECT_LENGTH = 400;
export { PREVIEW_LENGTH } from './email-preview';
/** Most files one email may carry; their total size is held to the organization's attachment limit. */
export const MAX_ATTACHMENTS = 20;
/** The attachment's fileName column holds 255 characters (code points). */
export const MAX_FILE_NAME_LENGTH = 255;

/**
 * What a file name may not contain: path separators, control characters, and the bidirectional
 * controls that make "invoice\u202Efdp.exe" show as "invoiceexe.pdf" (Unicode TR 9, 2.2/2.4).
 */
const FILE_NAME_FAULT = /[\/\\\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Why `name` is no file name to send (undefined when it is fine); names in any script are. */
export function fileNameFault(name: string): string | undefined {
  if (!name.trim()) return 'must not be empty';
  if ([...name].length > MAX_FILE_NAME_LENGTH) return `must be at most ${MAX_FILE_NAME_LENGTH} characters`;
  if (FILE_NAME_FAULT.test(name)) return 'must not contain "/", "\\", control or text-direction characters';
  if (/^\.+$/.test(name.trim())) return 'must not be only dots';
  return undefined;
}

/** RFC 6838 4.2 restricted-name, for type and subtype. */
export const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** The attachment's contentType column holds 127 characters. */
export const MAX_CONTENT_TYPE_LENGTH = 127;

/** The content type as stored: lower-case `type/subtype` (RFC 6838 4.2) that fits its column, or undefined when it is not one. */
export function mediaTypeOf(contentType: string): string | undefined {
  const essence = contentType.trim().toLowerCase();
  return essence.length <= MAX_CONTENT_TYPE_LENGTH && MEDIA_TYPE.test(essence) ? essence : undefined;
}

export type RecipientRole = PartyRole.TO | PartyRole.CC | PartyRole.BCC;

export interface RecipientLists<T> {
  readonly to?: readonly T[] | null;
  readonly cc?: readonly T[] | null;
  readonly bcc?: readonly T[] | null;
}

export const RECIPIENT_LISTS = [
  { role: PartyRole.TO, list: 'to' },
  { role: PartyRole.CC, list: 'cc' },
  { role: PartyRole.BCC, list: 'bcc' },
] as const;

/**
 * Validated, normalized addresses with their role, each address once (its first list wins: To
 * before Cc before Bcc). Errors name the item, e.g. `input.cc[2]`.
 */
export function typedRecipients(lists: RecipientLists<string>): { role: RecipientRole; address: string }[] {
  const seen = new Set<string>();
  const result: { role: RecipientRole; address: string }[] = [];
  for (const { role, list } of RECIPIENT_LISTS) {
    (lists[list] ?? []).forEach((raw, index) => {
      const address = validEmail(`input.${list}[${index}]`, raw);
      if (seen.has(address)) return;
      seen.add(address);
      result.push({ role, address });
    });
  }
  return result;
}

/** At least one recipient, at most MAX_RECIPIENTS. */
export function checkRecipientCount(count: number): void {
  if (count === 0) throw badInput('input.to', 'an email needs at least one recipient (input.to, input.cc, input.bcc or their record ids)');
  if (count > MAX_RECIPIENTS) throw badInput('input.to', `at most ${MAX_RECIPIENTS} recipients in all, got ${count}`);
}

/** "RE: " + the subject, unless it already starts with a reply prefix (no "RE: RE: RE:"). */
export function replySubject(original: string): string {
  return /^\s*re\s*:/i.test(original) ? original.trim() : `RE: ${original.trim()}`;
}

const codePoints = (text: string) => [...text];

/**
 * The subject as sent: without tokens of the configured format already in it (each email carries
 * its own token only; a reply would otherwise pile them up), then `token` appended, cut so the
 * whole fits MAX_SUBJECT_LENGTH with the token intact.
 */
export function subjectWithToken(subject: string, token: string | null, formatPattern: RegExp | null): string {
  let base = subject;
  if (token && formatPattern) base = base.replace(new RegExp(formatPattern.source, `${formatPattern.flags.replace('g', '')}g`), ' ');
  base = base.replace(/\s+/g, ' ').trim();
  if (!token) return codePoints(base).slice(0, MAX_SUBJECT_LENGTH).join('');
  const room = MAX_SUBJECT_LENGTH - codePoints(token).length - 1;
  const kept = codePoints(base).slice(0, Math.max(0, room)).join('').trimEnd();
  return kept ? `${kept} ${token}` : token;
}

/**
 * A new Message-ID (bare, without angle brackets; RFC 5322 3.6.4): a unique left part and the
 * sender's domain, in ASCII (an IDN domain in its xn-- form), so replies can find the email.
 */
export function newMessageId(unique: string, senderAddress: string): string {
  const domain = senderAddress.slice(senderAddress.lastIndexOf('@') + 1);
  const ascii = domainToASCII(domain);
  return `${unique}@${ascii || 'crm-hub.invalid'}`;
}

export { previewOf, textOfHtml } from './email-preview';

/**
 * The HTML to send, from the HTML stored for display: the display sanitizer parks remote image
 * URLs in `data-remote-src` until a reader consents; a recipient's mail client decides that for
 * itself, so the sender's images go out as they were written.
 */
export function htmlForSending(displayHtml: string): string {
  // sanitize-html writes every attribute as name="value" with quotes inside values escaped, so
  // this matches only a real attribute of an <img> tag, which has no src of its own by then.
  return displayHtml.replace(/(<img\b[^>]*?\s)data-remote-src="/gi, '$1src="');
}

/** Most ids a References header carries; long threads keep their first and latest ids. */
export const MAX_REFERENCES = 50;

/**
 * References of a reply (RFC 5322 3.6.4): the parent's References followed by the parent's
 * Message-ID. A very long chain keeps its first id (the thread's root) and the latest ones.
 */
export function replyReferences(parentReferences: readonly string[], parentMessageId: string): string[] {
  const chain = [...parentReferences.filter((id) => id !== parentMessageId), parentMessageId];
  return chain.length <= MAX_REFERENCES ? chain : [chain[0], ...chain.slice(chain.length - (MAX_REFERENCES - 1))];
}
