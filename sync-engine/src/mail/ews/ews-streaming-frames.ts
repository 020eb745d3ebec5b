import { DOMParser } from '@xmldom/xmldom';

/** What one SOAP document on a GetStreamingEvents response says (Messages.xsd GetStreamingEventsResponseMessageType). */
export type StreamingFrame =
  /** Notifications: how many item events they carry (a StatusEvent alone counts none). */
  | { readonly kind: 'events'; readonly count: number }
  /** ConnectionStatus OK: the heartbeat. */
  | { readonly kind: 'alive' }
  /** ConnectionStatus Closed: the connection's time is up; the subscription lives on. */
  | { readonly kind: 'closed' }
  /** ResponseClass Error, e.g. ErrorSubscriptionNotFound or ErrorMissedNotificationEvents. */
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

const ITEM_EVENTS = new Set(['NewMailEvent', 'CreatedEvent', 'ModifiedEvent', 'DeletedEvent', 'MovedEvent', 'CopiedEvent']);
// The end of one document: Exchange writes <Envelope xmlns="…soap/envelope/"> without a prefix, others with one.
const ENVELOPE_END = /<\/(?:[A-Za-z_][\w.-]*:)?Envelope\s*>/;
/** A document larger than this is not a notification: the stream is not what it claims to be. */
const MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;

/**
 * Splits the body of a GetStreamingEvents response, which arrives in chunks that cut documents anywhere, into its
 * SOAP documents, and reads each. Feed it text as it comes; it returns the frames completed by that text.
 */
export class StreamingFrameReader {
  private buffer = '';

  push(text: string): StreamingFrame[] {
    this.buffer += text;
    const frames: StreamingFrame[] = [];
    for (let end = ENVELOPE_END.exec(this.buffer); end; end = ENVELOPE_END.exec(this.buffer)) {
      const stop = end.index + end[0].length;
      frames.push(readFrame(this.buffer.slice(0, stop)));
      this.buffer = this.buffer.slice(stop);
    }
    if (this.buffer.length > MAX_DOCUMENT_CHARS) throw new Error('the GetStreamingEvents response holds a document too large to be a notification');
    return frames;
  }
}

/** One document's meaning; a document that is no GetStreamingEvents response is an error frame. */
export function readFrame(xml: string): StreamingFrame {
  const start = xml.indexOf('<');
  const errors: string[] = [];
  const doc = new DOMParser({ errorHandler: { warning: () => undefined, error: (message: string) => void errors.push(message), fatalError: (message: string) => void errors.push(message) } }).parseFromString(start > 0 ? xml.slice(start) : xml, 'text/xml');
  const elements = (name: string) => Array.from(doc.getElementsByTagNameNS('*', name) as unknown as ArrayLike<Element>);
  const message = elements('GetStreamingEventsResponseMessage')[0];
  if (errors.length || !message) {
    const fault = elements('faultstring')[0]?.textContent?.trim();
    return { kind: 'error', code: 'ErrorInvalidResponse', message: fault ?? 'the stream carried a document that is not a GetStreamingEvents response' };
  }
  if (message.getAttribute('ResponseClass') === 'Error') {
    const code = elements('ResponseCode')[0]?.textContent?.trim() || 'ErrorInternalServerError';
    return { kind: 'error', code, message: elements('MessageText')[0]?.textContent?.trim() ?? code };
  }
  const notifications = elements('Notification');
  if (notifications.length) {
    const count = notifications.reduce((sum, notification) => sum + Array.from(notification.childNodes as unknown as ArrayLike<Node>).filter((node) => node.nodeType === 1 && ITEM_EVENTS.has((node as Element).localName)).length, 0);
    return { kind: 'events', count };
  }
  const status = elements('ConnectionStatus')[0]?.textContent?.trim();
  return status === 'Closed' ? { kind: 'closed' } : { kind: 'alive' };
}
