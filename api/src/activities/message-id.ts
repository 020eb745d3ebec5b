import { createHash } from 'node:crypto';

/** A Message-ID as stored: trimmed, without one pair of angle brackets (RFC 5322 3.6.4 msg-id). */
export function bareMessageId(raw: string): string {
  const trimmed = raw.trim();
  return trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1).trim() : trimmed;
}

/** The key one email is stored under however many mailboxes carry it: sha256 hex of the bare Message-ID. */
export function messageIdHash(raw: string): string {
  return createHash('sha256').update(bareMessageId(raw), 'utf8').digest('hex');
}

/** The ids in a References or In-Reply-To header ("<a@x> <b@y>"), bare, in order; tolerant of missing brackets. */
export function parseMessageIdList(header: string | null | undefined): string[] {
  if (!header) return [];
  const bracketed = header.match(/<[^<>\s]+>/g);
  const ids = bracketed ?? header.split(/[\s,]+/);
  return ids.map(bareMessageId).filter((id) => id.length > 0);
}
