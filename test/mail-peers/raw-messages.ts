import { randomBytes } from 'node:crypto';

// RFC 5322 messages as bytes (CRLF line ends, as Dovecot serves them), for the adapter tests.

export interface RawMessageInput {
  readonly subject?: string;
  readonly from?: string;
  readonly to?: string;
  readonly date?: Date;
  /** Without angle brackets; a unique one when absent. */
  readonly messageId?: string;
  /** Body lines, joined with CRLF. */
  readonly body?: readonly string[];
  readonly headers?: readonly string[];
}

export function newMessageId(): string {
  return `${Date.now().toString(36)}.${randomBytes(6).toString('hex')}@sender.example.test`;
}

export function rawMessage(input: RawMessageInput = {}): { raw: Buffer; messageId: string } {
  const messageId = input.messageId ?? newMessageId();
  const lines = [
    `From: ${input.from ?? 'Carol Customer <carol@customer.example.test>'}`,
    `To: ${input.to ?? 'Alice <alice@example.test>'}`,
    `Subject: ${input.subject ?? 'Hello'}`,
    `Date: ${(input.date ?? new Date()).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    ...(input.headers ?? ['Content-Type: text/plain; charset=utf-8']),
    '',
    ...(input.body ?? ['Hi Alice,', '', 'a short note.', '']),
  ];
  // Every line ends with CRLF, the last one too (POP3 cannot carry a message without a final line end).
  const text = lines.join('\r\n');
  return { raw: Buffer.from(text.endsWith('\r\n') ? text : `${text}\r\n`, 'utf8'), messageId };
}

/** ISO-8859-1 bytes (é = 0xE9, ü = 0xFC) sent 8-bit: any re-encoding to UTF-8 would change them. */
export function latin1Message(subject = 'Devis réf. 42'): { raw: Buffer; messageId: string } {
  const messageId = newMessageId();
  const text = [
    'From: =?ISO-8859-1?Q?Ren=E9_M=FCller?= <rene@customer.example.test>',
    'To: alice@example.test',
    `Subject: ${subject}`,
    'Date: Tue, 03 Nov 2026 09:15:00 +0100',
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=ISO-8859-1',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Bonjour, voici le devis demandé. Grüße aus Köln.',
    '',
  ].join('\r\n');
  return { raw: Buffer.from(text, 'latin1'), messageId };
}
