import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unwrapForwarded } from './forwarded.js';
import { parseRawMessage } from './parse-message.js';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, 'fixtures', name));

const parse = (source: Buffer | string) =>
  parseRawMessage(
    { source: Buffer.isBuffer(source) ? source : Buffer.from(source.replace(/\r?\n/g, '\r\n')), folder: 'INBOX', role: 'INBOX', receivedAt: null, sourceRef: 'imap:INBOX:7:42' },
    { maxAttachmentBytes: 1024 * 1024 },
  );

describe('unwrapForwarded', () => {
  it.each([
    // fixture, how many copies
    ['exchange-forward.eml', 1], // an Exchange/Outlook inbox rule "forward as attachment"
    ['gmail-forward.eml', 2], // Gmail "Forward as attachment" with two messages selected
    ['thunderbird-forward.eml', 1], // Thunderbird "Forward As > Attachment", RFC 2231 file name
  ])('unwraps %s, attributing it to the outer sender', async (name, copies) => {
    const unwrapped = unwrapForwarded(await parse(fixture(name)));
    expect(unwrapped.forwarder).toBe('sam.lopez@contoso.com');
    expect(unwrapped.notForwardReason).toBeNull();
    expect(unwrapped.inner).toHaveLength(copies);
    // byte for byte what the user received, so the copy parses as the original message
    expect(unwrapped.inner[0].equals(fixture('forwarded-inner.eml'))).toBe(true);
  });

  it('hands over copies that parse as the original messages, in order', async () => {
    const { inner } = unwrapForwarded(await parse(fixture('gmail-forward.eml')));
    const items = await Promise.all(inner.map(async (copy) => (await parse(copy)).item));
    expect(items.map((i) => [i.messageId, i.subject, i.from?.address])).toEqual([
      ['renewal-20260611@northwind.example', 'Renewal – signed contract', 'pat.kim@northwind.example'],
      ['renewal-followup@northwind.example', 'Re: Renewal – signed contract', 'pat.kim@northwind.example'],
    ]);
  });

  it('keeps an attached message that ends without a line break as it was', async () => {
    const inner = 'From: x@example.com\r\nSubject: no final newline\r\n\r\nlast line';
    const outer = `From: sam.lopez@contoso.com\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n${inner}\r\n--b--\r\n`;
    expect(unwrapForwarded(await parse(Buffer.from(outer))).inner[0].toString()).toBe(inner);
  });

  it.each([
    ['a message forwarded inline (no attachment)', 'From: Sam Lopez <sam.lopez@contoso.com>\nSubject: FW: Renewal\n\n-----Original Message-----\nFrom: Pat Kim\n', 'no message/rfc822 attachment'],
    [
      'an Outlook item (.msg) attached instead of a message',
      'From: sam.lopez@contoso.com\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: application/vnd.ms-outlook; name="Renewal.msg"\nContent-Disposition: attachment; filename="Renewal.msg"\nContent-Transfer-Encoding: base64\n\n0M8R4KGxGuEAAAAAAAAAAAAAAAAAAAAAPgADAP7/CQAGAAAA\n--b--\n',
      'Outlook item (.msg)',
    ],
  ])('reports %s as not a forward', async (_case, source, reason) => {
    const unwrapped = unwrapForwarded(await parse(source));
    expect(unwrapped.inner).toEqual([]);
    expect(unwrapped.notForwardReason).toContain(reason);
    expect(unwrapped.forwarder).toBe('sam.lopez@contoso.com');
  });

  it('reports a bounce that reached the sink as not a forward, though it carries the bounced message', async () => {
    const unwrapped = unwrapForwarded(await parse(fixture('bounce-in-sink.eml')));
    expect(unwrapped).toEqual({ forwarder: 'MAILER-DAEMON@mx.contoso.com', inner: [], notForwardReason: expect.stringContaining('multipart/report') });
  });

  it('has no forwarder when the outer message has no From', async () => {
    const unwrapped = unwrapForwarded(await parse(`Subject: copy\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: message/rfc822\n\nSubject: inner\n\nx\n--b--\n`));
    expect(unwrapped.forwarder).toBeNull();
    expect(unwrapped.inner).toHaveLength(1);
  });
});
