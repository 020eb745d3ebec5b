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

/** UTF-16 units read at first: a preview almost always comes from the first few hundred characters. */
const FIRST_LOOK = 2048;

/** The start of the text, white space collapsed, at most PREVIEW_LENGTH characters; null when empty. */
export function previewOf(text: string | null | undefined): string | null {
  const whole = text ?? '';
  // Collapsing a prefix gives a prefix of the whole text collapsed; once it holds more than PREVIEW_LENGTH
  // characters after its leading space, the cut never reaches its end, so the rest of a long body is not read.
  for (let look = FIRST_LOOK; ; look *= 4) {
    const end = look >= whole.length;
    const collapsed = (end ? whole : whole.slice(0, look)).replace(/\s+/g, ' ').trimStart();
    const chars = [...collapsed.slice(0, 2 * PREVIEW_LENGTH + 2)];
    if (chars.length > PREVIEW_LENGTH) return chars.slice(0, PREVIEW_LENGTH).join('');
    if (end) {
      const trimmed = collapsed.trimEnd();
      return trimmed ? trimmed : null;
    }
  }
}
