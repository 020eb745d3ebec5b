import { unescapeXml } from './ews-xml.js';

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

/**
 * One document's meaning; a document that is no GetStreamingEvents response is an error frame. Read with patterns
 * rather than a DOM: the engine holds no XML parser of its own (the library's is internal), and these documents are
 * Exchange's own, of one fixed shape, where only a few element names and one attribute matter.
 */
export function readFrame(xml: string): StreamingFrame {
  // Prefixes differ between servers (Exchange writes an unprefixed Envelope, m: and t: inside): compare local names.
  const plain = xml.replace(/<(\/?)[A-Za-z_][\w.-]*:/g, '<$1');
  const message = /<GetStreamingEventsResponseMessage\b([^>]*)>([\s\S]*?)<\/GetStreamingEventsResponseMessage>/.exec(plain);
  if (!message) {
    const fault = /<faultstring\b[^>]*>([^<]*)</.exec(plain)?.[1]?.trim();
    return { kind: 'error', code: 'ErrorInvalidResponse', message: fault ? unescapeXml(fault) : 'the stream carried a document that is not a GetStreamingEvents response' };
  }
  const [, attributes, body] = message;
  const text = (name: string) => {
    const found = new RegExp(`<${name}\\b[^>]*>([^<]*)</${name}>`).exec(body)?.[1];
    return found === undefined ? undefined : unescapeXml(found.trim());
  };
  if (/\bResponseClass\s*=\s*["']Error["']/.test(attributes)) {
    const code = text('ResponseCode') || 'ErrorInternalServerError';
    return { kind: 'error', code, message: text('MessageText') ?? code };
  }
  if (/<Notification\b/.test(body)) {
    const count = (body.match(/<(?:NewMail|Created|Modified|Deleted|Moved|Copied)Event\b/g) ?? []).length;
    return { kind: 'events', count };
  }
  return text('ConnectionStatus') === 'Closed' ? { kind: 'closed' } : { kind: 'alive' };
}
