import { describe, expect, it } from 'vitest';
import { messageIdHash } from '../activities/message-id';
import { prepareItem, truncateUtf8 } from './prepare-item';
import type { TrackEmailItemInput } from './track-emails.inputs';

const NOW = new Date('2026-11-22T10:00:00Z');
const item = (overrides: Partial<TrackEmailItemInput>): TrackEmailItemInput =>
  ({ to: [], cc: [], bcc: [], references: [], headers: [], attachments: [], messageId: '<a@b>', from: { address: 'x@y.example' }, ...overrides }) as TrackEmailItemInput;
const prepare = (overrides: Partial<TrackEmailItemInput>, maxBodyBytes = 1024) => prepareItem(item(overrides), 0, { mailboxAddress: 'Sam.Sales@demo.crm.test', maxBodyBytes, now: NOW });

describe('prepareItem', () => {
  it.each([
    ['Outlook RFC 5322 date with offset', 'Tue, 03 Nov 2026 09:15:00 +0100', '2026-11-03T08:15:00.000Z'],
    ['Gmail date with zone comment', 'Mon, 2 Nov 2026 10:00:00 -0800 (PST)', '2026-11-02T18:00:00.000Z'],
    ['ISO 8601', '2026-11-02T10:00:00Z', '2026-11-02T10:00:00.000Z'],
  ])('reads the %s', (_name, date, iso) => {
    expect(prepare({ date }).sentAt?.toISOString()).toBe(iso);
  });

  it.each([
    ['an impossible date', 'Thu, 45 Smarch 2026 25:61:00 +9900'],
    ['a year before 1970', '1900-01-01T00:00:00Z'],
    ['words', 'yesterday-ish'],
  ])('records %s as INVALID_DATE and falls back to the received time, then to now', (_name, date) => {
    const prepared = prepare({ date, receivedAt: '2026-11-21T08:00:00Z' });
    expect(prepared.salvage.map((s) => s.code)).toEqual(['INVALID_DATE']);
    expect(prepared.occurredAt.toISOString()).toBe('2026-11-21T08:00:00.000Z');
    expect(prepare({ date }).occurredAt).toEqual(NOW);
  });

  it('keys a message without a Message-ID by its content, the same way every time', () => {
    const a = prepare({ messageId: null, subject: 'Hello', date: 'Tue, 03 Nov 2026 09:15:00 +0100', textBody: 'Hi' });
    const b = prepare({ messageId: '   ', subject: 'Hello', date: 'Tue, 03 Nov 2026 09:15:00 +0100', textBody: 'Hi' });
    const c = prepare({ messageId: null, subject: 'Hello', date: 'Tue, 03 Nov 2026 09:15:00 +0100', textBody: 'Different' });
    expect(a.salvage[0].code).toBe('MISSING_MESSAGE_ID');
    expect(a.messageIdHash).toBe(b.messageIdHash);
    expect(a.messageIdHash).not.toBe(c.messageIdHash);
  });

  it('strips the angle brackets of Message-ID, In-Reply-To and References', () => {
    const p = prepare({ messageId: ' <id@host> ', inReplyTo: '<parent@host> (comment)', references: ['<r1@host> <r2@host>', 'r3@host'] });
    expect([p.messageId, p.messageIdHash, p.inReplyTo, p.references]).toEqual(['id@host', messageIdHash('id@host'), 'parent@host', ['r1@host', 'r2@host', 'r3@host']]);
  });

  it('drops unusable addresses, keeps the rest normalized, and says which it dropped', () => {
    const p = prepare({ from: { address: ' Kund@Example.COM ', name: '=?ISO-8859-1?Q?=C5sa_=D6berg?=' }, to: [{ address: 'not an address' }, { address: 'sam@x.example' }], cc: [{ address: '' }] });
    expect(p.from).toEqual({ role: 'FROM', address: 'kund@example.com', name: 'Åsa Öberg' });
    expect(p.recipients.map((r) => r.address)).toEqual(['sam@x.example']);
    expect(p.salvage).toEqual([{ code: 'INVALID_ADDRESS', detail: 'dropped: "not an address", ""' }]);
  });

  it.each([
    ['from the mailbox itself', { from: { address: 'sam.sales@demo.crm.test' } }, 'OUTGOING'],
    ['from someone else', { from: { address: 'kund@example.com' } }, 'INCOMING'],
    ['told explicitly', { from: { address: 'kund@example.com' }, direction: 'OUTGOING' }, 'OUTGOING'],
    ['with no sender', { from: null }, 'INCOMING'],
  ])('decides direction %s', (_name, overrides, direction) => {
    expect(prepare(overrides as Partial<TrackEmailItemInput>).direction).toBe(direction);
  });

  it('decodes encoded-word subjects (UTF-8 and ISO-8859-1) and unfolds them', () => {
    expect(prepare({ subject: '=?UTF-8?B?U1Y6IE9mZmVydCBww6UgdGrDpG5zdGVy?=' }).subject).toBe('SV: Offert på tjänster');
    expect(prepare({ subject: '=?iso-8859-1?q?VB:_M=F6te_i_G=F6teborg?=\r\n continued' }).subject).toBe('VB: Möte i Göteborg continued');
  });

  it('cuts an oversized body on a character boundary and marks it', () => {
    const p = prepare({ textBody: 'å'.repeat(1000), htmlBody: '<p>ok</p>' }, 1001);
    expect(Buffer.byteLength(p.textBody!)).toBe(1000);
    expect(p.bodyTruncated).toBe(true);
    expect(p.htmlBody).toBe('<p>ok</p>');
    expect(p.salvage.map((s) => s.code)).toEqual(['BODY_TRUNCATED']);
  });

  it('keeps the Thread-Index conversation root and ignores a broken one', () => {
    const header = Buffer.alloc(22, 7);
    const reply = Buffer.concat([header, Buffer.alloc(5, 1)]).toString('base64');
    expect(prepare({ threadIndex: reply }).conversationRoot).toBe(header.toString('base64'));
    expect(prepare({ threadIndex: 'not base64!' }).conversationRoot).toBeNull();
  });
});

describe('truncateUtf8', () => {
  it.each([
    ['fits', 'abc', 3, 'abc', false],
    ['ascii cut', 'abcdef', 4, 'abcd', true],
    ['never splits a two-byte character', 'ååå', 5, 'åå', true],
    ['never splits an emoji', '😀😀', 6, '😀', true],
  ])('%s', (_name, text, max, expected, truncated) => {
    expect(truncateUtf8(text, max)).toEqual({ text: expected, truncated });
  });
});
