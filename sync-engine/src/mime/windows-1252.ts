// Node 20.18.3+ and 22.13+ decode windows-1252 as ISO-8859-1 (nodejs/node#56542, #60888), and postal-mime
// decodes with TextDecoder: Outlook's curly quotes, dashes and euro sign (0x80–0x9F) come out as C1 controls.
// Those controls never occur in written text, so mapping them back after the fact is exact; the HTML standard
// reads character references in that range the same way (HTML 13.2.5.80).

/** Whether this runtime's TextDecoder has the bug; when it does not, text is left alone. */
export const WINDOWS_1252_DECODES_AS_LATIN1 = new TextDecoder('windows-1252').decode(Uint8Array.of(0x93)) !== '\u201c';

// WHATWG index-windows-1252 for 0x80–0x9F; the five unassigned bytes stay as they are.
const C1_AS_WINDOWS_1252 = [
  '\u20ac', '\u0081', '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021',
  '\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008d', '\u017d', '\u008f',
  '\u0090', '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014',
  '\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', '\u009d', '\u017e', '\u0178',
];

const C1 = /[\u0080-\u009f]/g;

/** Text as a correct windows-1252 decoder would have produced it. */
export function repairWindows1252<T extends string | null | undefined>(text: T, buggy = WINDOWS_1252_DECODES_AS_LATIN1): T {
  if (!buggy || !text) return text;
  C1.lastIndex = 0;
  if (!C1.test(text)) return text;
  return text.replace(C1, (c) => C1_AS_WINDOWS_1252[c.charCodeAt(0) - 0x80]) as T;
}
