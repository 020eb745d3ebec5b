// The short text lists show for an email: from its text body, or from its HTML when it has none.

/** Characters of an email's start that lists show (email_message.preview is VARCHAR(300)). */
export const PREVIEW_LENGTH = 300;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Readable text of an HTML body, for the preview of an email that has no text body. */
export function textOfHtml(html: string): string {
  return html
    .replace(/<(script|style|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_m, name: string) => ENTITIES[name]);
}

/** The start of the text, white space collapsed, at most PREVIEW_LENGTH characters; null when empty. */
export function previewOf(text: string | null | undefined): string | null {
  const collapsed = (text ?? '').replace(/\s+/g, ' ').trim();
  return collapsed ? [...collapsed].slice(0, PREVIEW_LENGTH).join('') : null;
}
