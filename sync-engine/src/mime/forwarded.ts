import type { ParsedMessage } from './parse-message.js';

/** What a forward (sink) mailbox received: the copies inside, and who forwarded them. */
export interface Unwrapped {
  /** The outer From address: the user whose forwarding rule sent the copy; null when the message has none. */
  readonly forwarder: string | null;
  /** Each forwarded message's raw bytes, in the order attached; empty when this is not a forward. */
  readonly inner: readonly Buffer[];
  /** Why this is not a forward (quarantine it as FORWARD_WITHOUT_ATTACHMENT); null when `inner` has copies. */
  readonly notForwardReason: string | null;
}

/**
 * Unwraps copies forwarded "as attachment" (RFC 2046 5.2.1 message/rfc822): what an Exchange or Outlook
 * forwarding rule, Gmail and Thunderbird send. A message without one is not a forward; nor is a delivery or
 * feedback report (RFC 6522 multipart/report), whose attached message is the one that bounced.
 */
export function unwrapForwarded(outer: Pick<ParsedMessage, 'item' | 'attachments' | 'forwarded'>): Unwrapped {
  const forwarder = outer.item.from?.address ?? null;
  const contentType = outer.item.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  if (/^\s*multipart\/report\b/i.test(contentType)) {
    return { forwarder, inner: [], notForwardReason: 'a delivery status or feedback report (multipart/report), not a forwarded copy' };
  }
  if (outer.forwarded.length > 0) return { forwarder, inner: outer.forwarded, notForwardReason: null };
  // Outlook forwarding one Outlook item to another attaches it in its own format (TNEF/.msg), which is not mail.
  const outlookItem = outer.attachments.some((a) => a.contentType === 'application/vnd.ms-outlook' || /\.msg$/i.test(a.fileName));
  return {
    forwarder,
    inner: [],
    notForwardReason: outlookItem
      ? 'the copy is attached as an Outlook item (.msg), not as a message/rfc822 (.eml) attachment'
      : 'no message/rfc822 attachment: the forwarding rule must forward as attachment',
  };
}
