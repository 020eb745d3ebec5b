import { graphql } from '../graphql/graphql-tag';
import type { ComposeOriginalQuery, EmailStatus } from '../graphql/operations.generated';
import { ACTIVITY_FRAGMENT } from '../timeline/activity';

// What composing an email reads and writes (schema.graphql: sendEmail, retrySend, cancelEmail, outgoingEmailChanged),
// and the pure rules of a reply or forward: recipients, subject, quoted original.

export const SEND_EMAIL = graphql('SendEmail')`mutation SendEmail($input: SendEmailInput!) { sendEmail(input: $input) { id status } }`;
export const RETRY_SEND = graphql('RetrySend')`mutation RetrySend($emailId: ID!) { retrySend(emailId: $emailId) { id status failureReason } }`;
export const CANCEL_EMAIL = graphql('CancelEmail')`mutation CancelEmail($emailId: ID!) { cancelEmail(emailId: $emailId) { id status } }`;

export const OUTGOING_EMAIL_CHANGED = graphql('OutgoingEmailChanged')`
  subscription OutgoingEmailChanged($after: String) {
    outgoingEmailChanged(after: $after) { cursor change activityId kind at activity { ...ActivityFields } }
  }
  ${ACTIVITY_FRAGMENT}
`;

/** The email replied to or forwarded: its parties, body and files. */
export const COMPOSE_ORIGINAL = graphql('ComposeOriginal')`
  query ComposeOriginal($id: ID!) {
    node(id: $id) {
      __typename
      ... on Email {
        id subject direction occurredAt textBody htmlBody
        parties { role address displayName record { __typename ... on User { id } } }
        attachments { fileName contentType size sha256 stored }
      }
    }
  }
`;

/** People and companies with an email address, for the recipient fields' suggestions. */
export const RECIPIENT_SUGGESTIONS = graphql('RecipientSuggestions')`
  query RecipientSuggestions($search: String!) {
    contacts(first: 6, filter: { search: $search }) { edges { node { id fullName primaryEmail } } }
    leads(first: 4, filter: { search: $search }) { edges { node { id fullName primaryEmail } } }
    accounts(first: 4, filter: { search: $search }) { edges { node { id name primaryEmail } } }
  }
`;

export type { EmailStatus };
export type OriginalEmail = Extract<NonNullable<ComposeOriginalQuery['node']>, { __typename: 'Email' }>;
export type ComposeMode = 'new' | 'reply' | 'replyAll' | 'forward';

/** An address in a recipient field, with the name to show beside it when it came from a record. */
export interface Recipient {
  readonly address: string;
  readonly name: string | null;
}

/** A file already stored on the hub that the email will carry (an upload's answer, or a forwarded email's file). */
export interface StoredFile {
  readonly sha256: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

/** What the dialog opens with. */
export interface ComposeDraft {
  readonly mode: ComposeMode;
  readonly to: readonly Recipient[];
  readonly cc: readonly Recipient[];
  readonly subject: string;
  readonly body: string;
  readonly files: readonly StoredFile[];
  readonly regardingId: string | null;
  readonly inReplyToId: string | null;
  readonly forwardOfId: string | null;
}

// As the API's records/email-addresses.ts, in short: one @, no spaces or brackets, a dot in the domain.
const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\.][^\s@<>(),;:"[\]\\]*$/;

/** Whether `text` reads as one email address (the API checks it again). */
export const isEmailAddress = (text: string): boolean => ADDRESS.test(text.trim()) && text.trim().length <= 254;

/** "RE: " + the subject, without piling up prefixes (as the API's replySubject). */
export function replySubject(subject: string): string {
  return /^\s*re\s*:/i.test(subject) ? subject.trim() : `RE: ${subject.trim()}`;
}

/** "FW: " + the subject, unless it is a forward already. */
export function forwardSubject(subject: string): string {
  return /^\s*(fw|fwd)\s*:/i.test(subject) ? subject.trim() : `FW: ${subject.trim()}`;
}

/** The text of an HTML body, as a reader sees it; parsed inertly (DOMParser runs no script and loads nothing). */
export function textOfHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll('script, style, head').forEach((node) => node.remove());
  doc.querySelectorAll('br').forEach((node) => node.replaceWith('\n'));
  doc.querySelectorAll('p, div, li, tr, h1, h2, h3, h4, h5, h6').forEach((node) => node.append('\n'));
  return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}

const named = (r: { address: string | null; displayName: string | null }): Recipient[] => (r.address ? [{ address: r.address.toLowerCase(), name: r.displayName }] : []);

/** Each address once, in order, without the viewer's own. */
function distinct(list: readonly Recipient[], own: ReadonlySet<string>): Recipient[] {
  const seen = new Set(own);
  return list.filter((r) => !seen.has(r.address) && !!seen.add(r.address));
}

/** Headers of the quoted original, in the reader's words. */
export interface QuoteWords {
  readonly from: string;
  readonly sent: string;
  readonly to: string;
  readonly subject: string;
  readonly forwarded: string;
  readonly wrote: (who: string, when: string) => string;
}

/**
 * The draft of a reply, reply to all or forward of `original`. A reply goes to its sender (to the recipients
 * when the viewer sent it); reply to all adds everyone else on To and Cc except the viewer. A forward has no
 * recipients, carries the original's stored files and quotes its headers.
 */
export function draftFrom(mode: Exclude<ComposeMode, 'new'>, original: OriginalEmail, viewerId: string, words: QuoteWords, when: string): ComposeDraft {
  const parties = original.parties;
  const own = new Set(parties.filter((p) => p.record?.__typename === 'User' && p.record.id === viewerId && p.address).map((p) => p.address!.toLowerCase()));
  const from = parties.filter((p) => p.role === 'FROM').flatMap(named);
  const to = parties.filter((p) => p.role === 'TO').flatMap(named);
  const cc = parties.filter((p) => p.role === 'CC').flatMap(named);
  const body = original.textBody ?? (original.htmlBody ? textOfHtml(original.htmlBody) : '');
  const subject = original.subject ?? '';
  const sender = from.map((r) => (r.name ? `${r.name} <${r.address}>` : r.address)).join(', ');
  if (mode === 'forward') {
    const header = [
      words.forwarded,
      `${words.from}: ${sender}`,
      `${words.sent}: ${when}`,
      `${words.to}: ${to.map((r) => r.address).join(', ')}`,
      `${words.subject}: ${subject}`,
    ].join('\n');
    return {
      mode,
      to: [],
      cc: [],
      subject: forwardSubject(subject),
      body: `\n\n${header}\n\n${body}`,
      files: original.attachments.flatMap((a) => (a.stored && a.sha256 ? [{ sha256: a.sha256, fileName: a.fileName, contentType: a.contentType, size: a.size }] : [])),
      regardingId: null,
      inReplyToId: null,
      forwardOfId: original.id,
    };
  }
  const mine = from.some((r) => own.has(r.address));
  const primary = distinct(mine ? to : from, own);
  const others = mode === 'replyAll' ? distinct([...from, ...to, ...cc], new Set([...own, ...primary.map((r) => r.address)])) : [];
  const quoted = body
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return {
    mode,
    to: primary,
    cc: others,
    subject: replySubject(subject),
    body: `\n\n${words.wrote(sender, when)}\n${quoted}`,
    files: [],
    regardingId: null,
    inReplyToId: original.id,
    forwardOfId: null,
  };
}

/** Statuses of an email sent from the hub that someone may still act on, and what they may do. */
export function sendActions(status: EmailStatus | null | undefined): { retry: boolean; cancel: boolean } {
  switch (status) {
    case 'FAILED':
      return { retry: true, cancel: false };
    case 'UNCERTAIN':
      return { retry: true, cancel: true };
    case 'PENDING_SEND':
      return { retry: false, cancel: true };
    default:
      return { retry: false, cancel: false };
  }
}
