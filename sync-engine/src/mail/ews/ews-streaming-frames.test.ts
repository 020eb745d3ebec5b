import { describe, expect, it } from 'vitest';
import { readFrame, StreamingFrameReader } from './ews-streaming-frames.js';

const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const T = 'http://schemas.microsoft.com/exchange/services/2006/types';
// As Exchange writes them on a GetStreamingEvents response: an unprefixed Envelope, one document after another.
const doc = (content: string, responseClass = 'Success', code = 'NoError') =>
  `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><soap11:Header xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"><ServerVersionInfo xmlns="${T}" MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" MinorBuildNumber="6"/></soap11:Header>` +
  `<soap11:Body xmlns:soap11="http://schemas.xmlsoap.org/soap/envelope/"><m:GetStreamingEventsResponse xmlns:m="${M}" xmlns:t="${T}"><m:ResponseMessages><m:GetStreamingEventsResponseMessage ResponseClass="${responseClass}">` +
  `${responseClass === 'Error' ? '<m:MessageText>The specified subscription was not found.</m:MessageText>' : ''}<m:ResponseCode>${code}</m:ResponseCode>${content}</m:GetStreamingEventsResponseMessage></m:ResponseMessages></m:GetStreamingEventsResponse></soap11:Body></Envelope>`;
const heartbeat = doc('<m:ConnectionStatus>OK</m:ConnectionStatus>');
const closed = doc('<m:ConnectionStatus>Closed</m:ConnectionStatus>');
const created = doc(
  '<m:Notifications><m:Notification><t:SubscriptionId>sub</t:SubscriptionId><t:CreatedEvent><t:TimeStamp>2026-12-05T10:00:00Z</t:TimeStamp><t:ItemId Id="A" ChangeKey="B"/><t:ParentFolderId Id="F" ChangeKey="G"/></t:CreatedEvent>' +
    '<t:ModifiedEvent><t:TimeStamp>2026-12-05T10:00:00Z</t:TimeStamp><t:ItemId Id="A" ChangeKey="C"/><t:ParentFolderId Id="F" ChangeKey="G"/></t:ModifiedEvent></m:Notification></m:Notifications>',
);

describe('reading a GetStreamingEvents response', () => {
  it('tells heartbeats, notifications, the close and errors apart', () => {
    expect(readFrame(heartbeat)).toEqual({ kind: 'alive' });
    expect(readFrame(closed)).toEqual({ kind: 'closed' });
    expect(readFrame(created)).toEqual({ kind: 'events', count: 2 });
    expect(readFrame(doc('<m:Notifications><m:Notification><t:SubscriptionId>s</t:SubscriptionId><t:StatusEvent><t:Watermark>w</t:Watermark></t:StatusEvent></m:Notification></m:Notifications>'))).toEqual({ kind: 'events', count: 0 });
    expect(readFrame(doc('', 'Error', 'ErrorSubscriptionNotFound'))).toEqual({ kind: 'error', code: 'ErrorSubscriptionNotFound', message: 'The specified subscription was not found.' });
    expect(readFrame('<html><body>Bad gateway</body></html>')).toMatchObject({ kind: 'error', code: 'ErrorInvalidResponse' });
  });

  it('finds documents however the chunks cut them: mid-tag, several in one chunk, with or without prefixes', () => {
    const body = `<?xml version="1.0" encoding="utf-8"?>${heartbeat}${created}${closed.replace(/<Envelope xmlns=/, '<s:Envelope xmlns:s=').replace('</Envelope>', '</s:Envelope>')}`;
    for (const size of [1, 7, 64, 1000, body.length]) {
      const reader = new StreamingFrameReader();
      const frames = [];
      for (let at = 0; at < body.length; at += size) frames.push(...reader.push(body.slice(at, at + size)));
      expect(frames.map((f) => f.kind)).toEqual(['alive', 'events', 'closed']);
    }
  });

  it('refuses a stream that never ends a document instead of holding it all', () => {
    const reader = new StreamingFrameReader();
    expect(() => reader.push(`<Envelope>${'x'.repeat(5 * 1024 * 1024)}`)).toThrow(/too large/);
  });
});
