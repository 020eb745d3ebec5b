import { describe, expect, it } from 'vitest';
import { composeOutgoing, type OutgoingDraft } from './compose-outgoing.js';
import { parseRawMessage } from './parse-message.js';

const draft: OutgoingDraft = {
  from: { address: 'sam.lopez@contoso.com', name: 'Sam López' },
  to: [{ address: 'pat.kim@northwind.example', name: 'Pat Kim' }],
  cc: [{ address: 'lea@northwind.example', name: null }],
  bcc: [{ address: 'archive@contoso.com', name: 'Archive' }],
  subject: 'Re: Renewal – Größe & price 💶',
  messageId: 'crm.7f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b@contoso.com',
  inReplyTo: 'renewal-followup@northwind.example',
  references: ['renewal-20260611@northwind.example', 'renewal-followup@northwind.example'],
  textBody: 'Hi Pat,\n\nthe signed copy is attached.\n\nSam',
  htmlBody: '<p>Hi Pat,</p><p>the signed copy is <b>attached</b>.</p><p>Sam</p>',
  attachments: [{ fileName: 'Vertrag – unterschrieben.pdf', contentType: 'application/pdf', content: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256)) }],
};
const date = new Date('2026-06-12T08:30:00Z');

const headerBlock = (raw: Buffer): string => raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');
const header = (raw: Buffer, name: string): string | undefined =>
  headerBlock(raw)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')
    .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    ?.slice(name.length + 1)
    .trim();

const reparse = (raw: Buffer) => parseRawMessage({ source: raw, folder: 'Sent', role: 'SENT', receivedAt: null, sourceRef: 'imap:Sent:1:1' }, { maxAttachmentBytes: 1024 * 1024 });

describe('composeOutgoing', () => {
  it('writes the ids replies correlate on, the date and MIME-Version', async () => {
    const { raw } = await composeOutgoing(draft, date);
    expect(header(raw, 'Message-ID')).toBe('<crm.7f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b@contoso.com>');
    expect(header(raw, 'In-Reply-To')).toBe('<renewal-followup@northwind.example>');
    expect(header(raw, 'References')).toBe('<renewal-20260611@northwind.example> <renewal-followup@northwind.example>');
    expect(header(raw, 'Date')).toBe('Fri, 12 Jun 2026 08:30:00 +0000');
    expect(header(raw, 'MIME-Version')).toBe('1.0');
  });

  it('puts Bcc in the envelope and nowhere in the message', async () => {
    const { raw, envelope } = await composeOutgoing(draft, date);
    expect(envelope).toEqual({ from: 'sam.lopez@contoso.com', to: ['pat.kim@northwind.example', 'lea@northwind.example', 'archive@contoso.com'] });
    expect(header(raw, 'Bcc')).toBeUndefined();
    expect(raw.toString('latin1')).not.toContain('archive@contoso.com');
  });

  it('lists each recipient once in the envelope', async () => {
    const { envelope } = await composeOutgoing({ ...draft, cc: [{ address: 'pat.kim@northwind.example', name: null }], bcc: [] }, date);
    expect(envelope.to).toEqual(['pat.kim@northwind.example']);
  });

  it('writes 7-bit headers (RFC 2047 encoded words), CRLF line ends and lines within 998 characters', async () => {
    const { raw } = await composeOutgoing({ ...draft, subject: `${draft.subject} ${'lang '.repeat(100)}` }, date);
    const head = headerBlock(raw);
    expect(head).toMatch(/^[\x00-\x7f]*$/);
    expect(header(raw, 'Subject')).toMatch(/=\?UTF-8\?[QB]\?/i);
    expect(raw.toString('latin1').replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(Math.max(...raw.toString('latin1').split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
  });

  it.each([
    ['text and HTML', { textBody: 'plain', htmlBody: '<p>html</p>', attachments: [] }, /^multipart\/alternative/],
    ['text only', { textBody: 'plain', htmlBody: null, attachments: [] }, /^text\/plain/],
    ['HTML only', { textBody: null, htmlBody: '<p>html</p>', attachments: [] }, /^text\/html/],
    ['neither: an empty text part', { textBody: null, htmlBody: null, attachments: [] }, /^text\/plain/],
    ['attachments', {}, /^multipart\/mixed/],
  ])('%s', async (_case, change, contentType) => {
    const { raw } = await composeOutgoing({ ...draft, ...change }, date);
    expect(header(raw, 'Content-Type')).toMatch(contentType);
  });

  it('leaves In-Reply-To and References out of a new thread', async () => {
    const { raw } = await composeOutgoing({ ...draft, inReplyTo: null, references: [] }, date);
    expect([header(raw, 'In-Reply-To'), header(raw, 'References')]).toEqual([undefined, undefined]);
  });

  it('round-trips through parseRawMessage: ids, non-ASCII subject and names, recipients, bodies, attachment bytes', async () => {
    const { raw } = await composeOutgoing(draft, date);
    const { item, attachments } = await reparse(raw);
    expect(item).toMatchObject({
      messageId: draft.messageId,
      inReplyTo: draft.inReplyTo,
      references: draft.references,
      subject: draft.subject,
      direction: 'OUTGOING',
      from: { address: 'sam.lopez@contoso.com', name: 'Sam López' },
      to: [{ address: 'pat.kim@northwind.example', name: 'Pat Kim' }],
      cc: [{ address: 'lea@northwind.example', name: null }],
      bcc: [],
      date: 'Fri, 12 Jun 2026 08:30:00 +0000',
    });
    expect(item.textBody?.trim()).toBe(draft.textBody);
    expect(item.htmlBody?.trim()).toBe(draft.htmlBody);
    expect(attachments).toHaveLength(1);
    expect(attachments[0]).toMatchObject({ fileName: 'Vertrag – unterschrieben.pdf', contentType: 'application/pdf', size: 3000 });
    expect(attachments[0].content?.equals(draft.attachments[0].content)).toBe(true);
  });

  it('accepts ids the caller already bracketed', async () => {
    const { raw } = await composeOutgoing({ ...draft, messageId: '<x@contoso.com>', inReplyTo: '<y@example.com>', references: ['<y@example.com>'] }, date);
    expect([header(raw, 'Message-ID'), header(raw, 'In-Reply-To'), header(raw, 'References')]).toEqual(['<x@contoso.com>', '<y@example.com>', '<y@example.com>']);
  });
});
