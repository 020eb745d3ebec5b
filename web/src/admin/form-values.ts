// What the console's forms share: numbers typed as text, and lists written one item a line.

/** A whole number as typed ("1 024" and "1,024" too), or null when it is none. */
export function wholeNumber(text: string): number | null {
  const compact = text.replace(/[\s,.\u00a0\u202f](?=\d{3}\b)/g, '').trim();
  return /^-?\d+$/.test(compact) ? Number(compact) : null;
}

/** One item a line, trimmed, blank lines dropped. */
export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
