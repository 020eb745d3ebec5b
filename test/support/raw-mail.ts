import { randomBytes } from 'node:crypto';
import { rfc5322Date } from './mail-fixtures';

// Raw RFC 5322 messages as mail clients write them, for dropping into a real maildir.

export interface RawAddress {
  readonly address: string;
  readonly name?: string;
}

const header = (a: RawAddress) => (a.name ? `"${a.name}" <${a.address}>` : `<${a.address}>`);
const crlf = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');

export const newMessageId = (domain = 'mail.example.test') => `${randomBytes(8).toString('hex')}@${domain}`;

export interface RawMessageOptions {
  readonly from: RawAddress;
  readonly to: readonly RawAddress[];
  readonly subject: string;
  readonly messageId?: string;
  readonly inReplyTo?: string;
  readonly date?: Date;
  readonly text?: string;
  readonly extraHeaders?: readonly string[];
}

/** A plain text message (Thunderbird-like). */
export function rawMessage(options: RawMessageOptions): Buffer {
  const messageId = options.messageId ?? newMessageId();
  return crlf([
    `From: ${header(options.from)}`,
    `To: ${options.to.map(header).join(', ')}`,
    `Subject: ${options.subject}`,
    `Date: ${rfc5322Date(options.date ?? new Date())}`,
    `Message-ID: <${messageId}>`,
    ...(options.inReplyTo ? [`In-Reply-To: <${options.inReplyTo}>`, `References: <${options.inReplyTo}>`] : []),
    ...(options.extraHeaders ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    options.text ?? 'Hello,\r\n\r\nthis is a test message.\r\n\r\nRegards',
  ]);
}

export interface InviteOptions {
  readonly organizer: RawAddress;
  readonly attendees: readonly RawAddress[];
  readonly uid: string;
  readonly sequence: number;
  readonly method: 'REQUEST' | 'CANCEL';
  readonly summary: string;
  readonly start: Date;
  readonly end: Date;
  readonly location?: string;
}

const icalDate = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** A meeting invitation (or cancellation) as Outlook sends it: multipart/alternative with a text/calendar part. */
export function rawInvite(options: InviteOptions): Buffer {
  const boundary = `b_${randomBytes(6).toString('hex')}`;
  const ics = [
    'BEGIN:VCALENDAR',
    'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN',
    'VERSION:2.0',
    `METHOD:${options.method}`,
    'BEGIN:VEVENT',
    `ORGANIZER;CN="${options.organizer.name ?? ''}":mailto:${options.organizer.address}`,
    ...options.attendees.map((a) => `ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="${a.name ?? ''}":mailto:${a.address}`),
    `UID:${options.uid}`,
    `SEQUENCE:${options.sequence}`,
    `SUMMARY:${options.summary}`,
    `DTSTART:${icalDate(options.start)}`,
    `DTEND:${icalDate(options.end)}`,
    `DTSTAMP:${icalDate(new Date())}`,
    `LOCATION:${options.location ?? 'Teams'}`,
    `STATUS:${options.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');
  return crlf([
    `From: ${header(options.organizer)}`,
    `To: ${options.attendees.map(header).join(', ')}`,
    `Subject: ${options.method === 'CANCEL' ? 'Canceled: ' : ''}${options.summary}`,
    `Date: ${rfc5322Date(new Date())}`,
    `Message-ID: <${newMessageId()}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    `${options.summary} at ${options.location ?? 'Teams'}`,
    `--${boundary}`,
    `Content-Type: text/calendar; charset=UTF-8; method=${options.method}`,
    'Content-Transfer-Encoding: 8bit',
    '',
    ics,
    `--${boundary}--`,
  ]);
}

/** What a server-side "forward as attachment" rule produces: the original as a message/rfc822 part. */
export function rawForward(forwarder: RawAddress, sink: RawAddress, original: Buffer): Buffer {
  const boundary = `f_${randomBytes(6).toString('hex')}`;
  return Buffer.concat([
    crlf([
      `From: ${header(forwarder)}`,
      `To: ${header(sink)}`,
      'Subject: FW: forwarded for tracking',
      `Date: ${rfc5322Date(new Date())}`,
      `Message-ID: <${newMessageId('forward.example.test')}>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=UTF-8',
      '',
      'Forwarded by rule.',
      `--${boundary}`,
      'Content-Type: message/rfc822',
      'Content-Disposition: attachment',
      '',
    ]),
    original,
    crlf([`--${boundary}--`]),
  ]);
}
