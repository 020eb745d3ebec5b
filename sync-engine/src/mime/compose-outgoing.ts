import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingEmail, WireAddress } from '../hub-types.js';

export interface OutgoingAttachmentContent {
  readonly fileName: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** An email the hub queued (its OutgoingEmail), with the attachments' bytes fetched from the blob store. Ids without angle brackets. */
export type OutgoingDraft = Pick<OutgoingEmail, 'from' | 'to' | 'cc' | 'bcc' | 'subject' | 'messageId' | 'inReplyTo' | 'references' | 'textBody' | 'htmlBody'> & {
  readonly attachments: readonly OutgoingAttachmentContent[];
};

export interface ComposedMessage {
  /** The RFC 5322 message, CRLF line ends, ready for SMTP DATA and the IMAP Sent folder. */
  readonly raw: Buffer;
  /** SMTP MAIL FROM and RCPT TO: To, Cc and Bcc, each address once. */
  readonly envelope: { readonly from: string; readonly to: string[] };
}

/**
 * Builds the message to send. Message-ID, In-Reply-To and References carry the hub's ids so replies
 * correlate (RFC 5322 3.6.4); Bcc goes to the envelope only (RFC 5322 3.6.3 allows leaving the header out);
 * non-ASCII names and subjects become encoded words (RFC 2047); text and HTML make a multipart/alternative.
 */
export async function composeOutgoing(email: OutgoingDraft, date: Date): Promise<ComposedMessage> {
  const node = new MailComposer({
    from: address(email.from),
    to: email.to.map(address),
    cc: email.cc.map(address),
    bcc: email.bcc.map(address),
    subject: email.subject,
    messageId: `<${bare(email.messageId)}>`,
    inReplyTo: email.inReplyTo ? `<${bare(email.inReplyTo)}>` : undefined,
    references: email.references.length ? email.references.map((id) => `<${bare(id)}>`) : undefined,
    date,
    // A message needs a body; an email with neither is sent as an empty text part.
    text: email.textBody ?? (email.htmlBody === null ? '' : undefined),
    html: email.htmlBody ?? undefined,
    attachments: email.attachments.map((a) => ({ filename: a.fileName, contentType: a.contentType || 'application/octet-stream', content: a.content })),
    // Never read a file or URL an attachment or body might name: the content is all given.
    disableFileAccess: true,
    disableUrlAccess: true,
    newline: 'win',
  }).compile();
  const raw = await node.build();
  const envelope = node.getEnvelope();
  return { raw, envelope: { from: envelope.from || email.from.address, to: [...envelope.to] } };
}

function address(a: WireAddress): { address: string; name: string } {
  return { address: a.address, name: a.name ?? '' };
}

function bare(id: string): string {
  return id.trim().replace(/^<|>$/g, '');
}
