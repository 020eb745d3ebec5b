/** Where one IMAP message sits: folder, UIDVALIDITY and UID (RFC 3501 2.3.1.1: the pair names it for good). */
export interface ImapRef {
  readonly folder: string;
  readonly uidValidity: number;
  readonly uid: number;
}

/** "imap:<folder>:<uidvalidity>:<uid>"; the folder may itself contain ':'. */
export function formatImapRef(ref: ImapRef): string {
  return `imap:${ref.folder}:${ref.uidValidity}:${ref.uid}`;
}

const REF = /^imap:(.+):([1-9]\d{0,9}):([1-9]\d{0,9})$/;

/** The reference's parts, or null when it is not an IMAP reference (a POP3 one, or garbage). */
export function parseImapRef(text: string): ImapRef | null {
  const match = REF.exec(text);
  if (!match) return null;
  const uidValidity = Number(match[2]);
  const uid = Number(match[3]);
  if (uidValidity > 0xffff_ffff || uid > 0xffff_ffff) return null;
  return { folder: match[1], uidValidity, uid };
}

/** A compact sequence-set (RFC 3501 9: "1:5,7,9:12") for ascending or unordered UIDs. */
export function packUidSet(uids: readonly number[]): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
    parts.push(start === sorted[i] ? `${start}` : `${start}:${sorted[i]}`);
  }
  return parts.join(',');
}

/** Splits a list into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
