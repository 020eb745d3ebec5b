import { convert, type HtmlToTextOptions } from 'html-to-text';
import type { ActivityLoaders } from './activity-loaders';
import type { EmailMessage } from './email-message.entity';

// Mail clients' HTML: layout tables, lists, links. Images are left out (their address is a tracker or a
// cid: part, not text), and a link shows its address only when it differs from its text.
const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
  ],
  // Bodies are already cut to the organization's maxBodyKb; this bounds the work on deeply nested markup.
  limits: { maxDepth: 200, maxChildNodes: 10_000, ellipsis: '…' },
};

/** The readable text of an HTML body, for an email that came without a text part. */
export function textOfHtmlBody(html: string): string {
  // Blank lines around it go; the indent of a first list item stays.
  return convert(html, OPTIONS).replace(/^(\s*\n)+/, '').trimEnd();
}

/** Texts recently derived, by HTML body blob: converting costs about as much as sanitizing. */
const MAX_CACHED = 500;
const cache = new Map<string, string>();

/**
 * The email's text body: the text part as received, or, for an HTML-only email, text derived from its
 * HTML. Derived when read rather than stored at ingest, like the sanitized HTML (email-display.ts): mail
 * tracked before this existed gets a text body too, without a migration rewriting every stored email,
 * and a better converter applies to all of it. The caller decides whether the reader may see it.
 */
export async function displayText(loaders: ActivityLoaders, message: EmailMessage): Promise<string | null> {
  if (message.textBodyBlob) return (await loaders.bodies.load(message.textBodyBlob)) ?? null;
  if (!message.htmlBodyBlob) return null;
  const cached = cache.get(message.htmlBodyBlob);
  if (cached !== undefined) return cached || null;
  const html = await loaders.bodies.load(message.htmlBodyBlob);
  if (html === undefined) return null;
  const text = textOfHtmlBody(html);
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(message.htmlBodyBlob, text);
  return text || null;
}
