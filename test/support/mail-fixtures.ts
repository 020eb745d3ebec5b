import { randomBytes, randomUUID } from 'node:crypto';

// Messages as the sync engine hands them to trackEmails, in the header shapes real clients write.

export interface Address {
  address: string;
  name?: string | null;
}

export interface TrackItem {
  messageId?: string | null;
  folder?: string | null;
  direction?: string | null;
  subject?: string | null;
  from?: Address | null;
  to?: Address[];
  cc?: Address[];
  bcc?: Address[];
  date?: string | null;
  receivedAt?: string | null;
  inReplyTo?: string | null;
  references?: string[];
  threadIndex?: string | null;
  headers?: { name: string; value: string }[];
  textBody?: string | null;
  htmlBody?: string | null;
  attachments?: { fileName: string; contentType?: string; size: number; sha256?: string | null; content?: string; contentId?: string | null; inline?: boolean }[];
}

/** RFC 5322 date as clients write it: "Tue, 03 Nov 2026 09:15:00 +0100". */
export function rfc5322Date(date: Date, offsetMinutes = 60): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${days[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** Outlook's Thread-Index: 22-byte header (reserved byte, FILETIME, GUID) plus 5 bytes per reply ([MS-OXOMSG] 2.2.1.3). */
export function outlookThreadIndex(root?: Buffer, replies = 0): string {
  const header = root ?? Buffer.concat([Buffer.from([0x01]), randomBytes(5), randomBytes(16)]);
  return Buffer.concat([header, ...Array.from({ length: replies }, () => randomBytes(5))]).toString('base64');
}

export const threadRoot = (threadIndex: string) => Buffer.from(threadIndex, 'base64').subarray(0, 22);

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(3).toString('hex')}`;

/** Outlook (Exchange): angle-bracketed id with the sender's host, Thread-Index, CRLF bodies, an HTML part with Word markup. */
export function outlookMessage(options: { from: Address; to: Address[]; cc?: Address[]; subject: string; date?: Date; threadIndex?: string; inReplyTo?: string; references?: string[]; text?: string }): TrackItem {
  const date = options.date ?? new Date();
  return {
    messageId: `<DB9PR07MB${unique().toUpperCase()}@DB9PR07MB1234.eurprd07.prod.outlook.com>`,
    folder: 'INBOX',
    subject: options.subject,
    from: options.from,
    to: options.to,
    cc: options.cc ?? [],
    date: rfc5322Date(date),
    receivedAt: date.toISOString(),
    threadIndex: options.threadIndex ?? outlookThreadIndex(),
    inReplyTo: options.inReplyTo ?? null,
    references: options.references ?? [],
    headers: [
      { name: 'Thread-Topic', value: options.subject },
      { name: 'X-MS-Has-Attach', value: '' },
      { name: 'Content-Type', value: 'multipart/alternative; boundary="_000_DB9PR07MB_"' },
    ],
    textBody: options.text ?? 'Hi,\r\n\r\nplease find our offer below.\r\n\r\nBest regards\r\n',
    htmlBody: `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head><body><!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]--><p class="MsoNormal">${(options.text ?? 'Hi, please find our offer below.').replace(/\r?\n/g, '<br>')}</p><img src="https://tracker.example/pixel.gif" width="1" height="1"></body></html>`,
  };
}

/** Gmail: CAxxx@mail.gmail.com ids, References chain on replies, no Thread-Index. */
export function gmailMessage(options: { from: Address; to: Address[]; cc?: Address[]; subject: string; date?: Date; inReplyTo?: string; references?: string[]; text?: string }): TrackItem {
  const date = options.date ?? new Date();
  return {
    messageId: `<CA+${randomBytes(18).toString('base64url')}${unique()}@mail.gmail.com>`,
    folder: 'INBOX',
    subject: options.subject,
    from: options.from,
    to: options.to,
    cc: options.cc ?? [],
    date: rfc5322Date(date, 0),
    receivedAt: date.toISOString(),
    inReplyTo: options.inReplyTo ?? null,
    references: options.references ?? [],
    headers: [{ name: 'Content-Type', value: 'multipart/alternative; boundary="000000000000a1b2c3"' }],
    textBody: options.text ?? 'Thanks, that works for us.\n\nOn Mon, 2 Nov 2026 at 10:00, Sam wrote:\n> Hi\n',
    htmlBody: `<div dir="ltr">${options.text ?? 'Thanks, that works for us.'}</div><div class="gmail_quote">…</div>`,
  };
}

/** Apple Mail: UUID@domain ids, encoded-word subject from non-ASCII names. */
export function appleMailMessage(options: { from: Address; to: Address[]; subject: string; date?: Date; inReplyTo?: string; references?: string[] }): TrackItem {
  const date = options.date ?? new Date();
  return {
    messageId: `<${randomUUID().toUpperCase()}@${options.from.address.split('@')[1]}>`,
    folder: 'INBOX',
    subject: options.subject,
    from: options.from,
    to: options.to,
    date: rfc5322Date(date, 120),
    receivedAt: date.toISOString(),
    inReplyTo: options.inReplyTo ?? null,
    references: options.references ?? [],
    headers: [{ name: 'X-Mailer', value: 'Apple Mail (2.3774.600.62)' }, { name: 'Mime-Version', value: '1.0 (Mac OS X Mail 16.0)' }],
    textBody: 'Hej!\n\nSkickat från min iPhone',
    htmlBody: null,
  };
}

/** Thunderbird: id with the sender's domain, User-Agent, format=flowed text only. */
export function thunderbirdMessage(options: { from: Address; to: Address[]; subject: string; date?: Date; inReplyTo?: string; references?: string[] }): TrackItem {
  const date = options.date ?? new Date();
  return {
    messageId: `<${randomUUID()}@${options.from.address.split('@')[1]}>`,
    folder: 'INBOX',
    subject: options.subject,
    from: options.from,
    to: options.to,
    date: rfc5322Date(date, 60),
    receivedAt: date.toISOString(),
    inReplyTo: options.inReplyTo ?? null,
    references: options.references ?? [],
    headers: [
      { name: 'User-Agent', value: 'Mozilla Thunderbird' },
      { name: 'Content-Type', value: 'text/plain; charset=UTF-8; format=flowed' },
    ],
    textBody: 'Hello,\n\nsee you on Thursday.\n\n-- \nKind regards\n',
    htmlBody: null,
  };
}

/** An Exchange out-of-office reply (RFC 3834 Auto-Submitted). */
export function outOfOffice(options: { from: Address; to: Address[]; inReplyTo?: string }): TrackItem {
  return {
    ...outlookMessage({ from: options.from, to: options.to, subject: 'Automatic reply: Offer', inReplyTo: options.inReplyTo }),
    headers: [
      { name: 'Auto-Submitted', value: 'auto-replied' },
      { name: 'X-Auto-Response-Suppress', value: 'All' },
    ],
  };
}

/** A newsletter (RFC 2369/2919 list headers). */
export function newsletter(options: { from: Address; to: Address[] }): TrackItem {
  return {
    ...gmailMessage({ from: options.from, to: options.to, subject: 'Our November newsletter' }),
    headers: [
      { name: 'List-Id', value: '<news.vendor.example>' },
      { name: 'List-Unsubscribe', value: '<https://vendor.example/unsub>' },
      { name: 'Precedence', value: 'bulk' },
    ],
  };
}

export const TRACK_EMAILS = `mutation($mailboxId: ID!, $input: TrackEmailsInput!) {
  trackEmails(mailboxId: $mailboxId, input: $input) {
    cursor
    items {
      index messageId outcome activityId errorCode errorMessage salvaged
      decision { outcome filterReason correlationMethod correlationEvidence parties { role address resolution kind recordId candidates } steps { step outcome detail } }
    }
  }
}`;
