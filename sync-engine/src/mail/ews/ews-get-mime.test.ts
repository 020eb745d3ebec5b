import { describe, expect, it } from 'vitest';
import { MailError } from '../mail-error.js';
import { readGetItemAnswer } from './ews-get-mime.js';

const MIME = 'From: a@example.test\r\nSubject: Hej & välkommen\r\n\r\nBody\r\n';
const base64 = Buffer.from(MIME, 'utf8').toString('base64');

// As Exchange 2016 writes a GetItem answer: s:/m:/t: prefixes, one response message per id, in order.
const answer = (messages: string) =>
  '<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6" xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types"/></s:Header>' +
  '<s:Body><m:GetItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:ResponseMessages>' +
  messages +
  '</m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>';
const message = (id: string, extra = '') =>
  `<m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items><t:Message><t:MimeContent CharacterSet="UTF-8">${base64}</t:MimeContent>` +
  `<t:ItemId Id="${id}" ChangeKey="CQAAABYAAA=="/><t:ParentFolderId Id="AAMkFolder=" ChangeKey="AQAAAA=="/><t:DateTimeReceived>2026-12-01T09:30:00Z</t:DateTimeReceived><t:Size>2048</t:Size>${extra}</t:Message></m:Items></m:GetItemResponseMessage>`;

describe('reading a GetItem answer with MimeContent', () => {
  it('decodes each message with its id, folder, received time and size, in order, and keeps per-item errors in place', () => {
    const read = readGetItemAnswer(
      answer(
        message('AAMk+a/1&amp;2=') +
          '<m:GetItemResponseMessage ResponseClass="Error"><m:MessageText>The specified object was not found in the store.</m:MessageText><m:ResponseCode>ErrorItemNotFound</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:Items/></m:GetItemResponseMessage>' +
          '<m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items><t:Contact><t:ItemId Id="AAMkContact=" ChangeKey="x"/></t:Contact></m:Items></m:GetItemResponseMessage>' +
          message('AAMkSecond='),
      ),
    );
    expect(read).toHaveLength(4);
    const first = read[0] as { item: { itemId: string; mime: Buffer; parentFolderId: string; receivedAt: Date; size: number } };
    expect(first.item.itemId).toBe('AAMk+a/1&2=');
    expect(first.item.mime.toString('utf8')).toBe(MIME);
    expect(first.item).toMatchObject({ parentFolderId: 'AAMkFolder=', size: 2048 });
    expect(first.item.receivedAt.toISOString()).toBe('2026-12-01T09:30:00.000Z');
    expect(read[1]).toEqual({ code: 'ErrorItemNotFound', text: 'The specified object was not found in the store.' });
    expect(read[2]).toEqual({ item: null }); // a contact filed among mail: nothing to track
    expect((read[3] as { item: { itemId: string } }).item.itemId).toBe('AAMkSecond=');
  });

  it('reads a server that uses other prefixes or a default namespace, and base64 broken into lines', () => {
    const lines = base64.replace(/(.{16})/g, '$1\r\n');
    const unprefixed = answer(message('AAMkPlain=')).replace(/<(\/?)[mt]:/g, '<$1').replace(base64, lines);
    const [only] = readGetItemAnswer(unprefixed) as { item: { itemId: string; mime: Buffer } }[];
    expect(only.item.itemId).toBe('AAMkPlain=');
    expect(only.item.mime.toString('utf8')).toBe(MIME);
  });

  it('a document with no response message is a protocol error, not an empty batch', () => {
    expect(() => readGetItemAnswer('<html><body>Service Unavailable</body></html>')).toThrow(MailError);
  });
});
