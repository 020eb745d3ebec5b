import { TextDecoder } from 'node:util';

// RFC 2047 encoded-words in unstructured headers (Subject), decoded without throwing: a
// header we cannot decode is still worth keeping as the sender wrote it.

// RFC 2047 2: =?charset?encoding?encoded-text?= with no spaces or '?' inside; RFC 2231 5
// lets the charset carry a language suffix (=?utf-8*sv?Q?...?=), which we ignore.
const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g;

// RFC 2047 6.2: linear whitespace (folding included) between two adjacent encoded-words is
// not displayed.
const BETWEEN_WORDS = /^[ \t\r\n]*$/;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const Q_ESCAPE = /=(?![0-9A-Fa-f]{2})/;

type Decode = (bytes: Uint8Array) => string;
type DecodedWord = { charset: string; decoder: Decode; bytes: Buffer };

/** Decodes every RFC 2047 encoded-word in `text`; words with an unknown charset or broken encoding stay as written. */
export function decodeEncodedWords(text: string): string {
  let out = '';
  let cursor = 0;
  // Adjacent words of one charset are decoded as one byte run: some mailers split a
  // multi-byte character across two words, which RFC 2047 5 forbids.
  let run: DecodedWord | null = null;
  const flush = () => {
    if (run) out += run.decoder(run.bytes);
    run = null;
  };

  for (const m of text.matchAll(ENCODED_WORD)) {
    const gap = text.slice(cursor, m.index);
    cursor = m.index + m[0].length;
    const word = wordBytes(m[1], m[2], m[3]);
    if (!word) {
      flush();
      out += gap + m[0];
      continue;
    }
    if (run && BETWEEN_WORDS.test(gap) && run.charset === word.charset) {
      run.bytes = Buffer.concat([run.bytes, word.bytes]);
      continue;
    }
    const joinsPrevious = run !== null && BETWEEN_WORDS.test(gap);
    flush();
    if (!joinsPrevious) out += gap;
    run = word;
  }
  flush();
  return out + text.slice(cursor);
}

/** The raw bytes of one encoded-word, or null when its charset is unknown or its text is not valid B/Q. */
function wordBytes(charsetLabel: string, encoding: string, encoded: string): DecodedWord | null {
  const charset = charsetLabel.toLowerCase();
  const decoder = decoderFor(charset);
  if (!decoder) return null;
  if (encoding === 'B' || encoding === 'b') {
    if (!BASE64.test(encoded) || encoded.replace(/=+$/, '').length % 4 === 1) return null;
    return { charset, decoder, bytes: Buffer.from(encoded, 'base64') };
  }
  if (Q_ESCAPE.test(encoded)) return null;
  // RFC 2047 4.2: '_' always stands for 0x20, whatever the charset.
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded[i];
    if (c === '_') bytes.push(0x20);
    else if (c === '=') {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c.charCodeAt(0) < 0x80) bytes.push(c.charCodeAt(0));
    else return null; // RFC 2047 4.2: Q text is 7-bit; raw 8-bit means a mangled word
  }
  return { charset, decoder, bytes: Buffer.from(bytes) };
}

function decoderFor(charset: string): Decode | null {
  let decoder: TextDecoder;
  try {
    // WHATWG Encoding labels: iso-8859-1 and us-ascii decode as windows-1252, a superset
    // that also covers the curly quotes Outlook puts in "Latin-1" subjects.
    decoder = new TextDecoder(charset);
  } catch {
    return null;
  }
  if (decoder.encoding === 'windows-1252' && WINDOWS_1252_DECODES_AS_LATIN1) {
    return (bytes) => decoder.decode(bytes).replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]);
  }
  return (bytes) => decoder.decode(bytes);
}

// Node 20.18.3+ and 22.13+ decode windows-1252 as ISO-8859-1 (nodejs/node#56542, #60888),
// turning Outlook's 0x93/0x94 quotes into C1 controls; patch 0x80-0x9F from the WHATWG index.
const WINDOWS_1252_DECODES_AS_LATIN1 = new TextDecoder('windows-1252').decode(Uint8Array.of(0x93)) !== '\u201c';
const WINDOWS_1252_C1 = [
  '\u20ac', '\u0081', '\u201a', '\u0192', '\u201e', '\u2026', '\u2020', '\u2021',
  '\u02c6', '\u2030', '\u0160', '\u2039', '\u0152', '\u008d', '\u017d', '\u008f',
  '\u0090', '\u2018', '\u2019', '\u201c', '\u201d', '\u2022', '\u2013', '\u2014',
  '\u02dc', '\u2122', '\u0161', '\u203a', '\u0153', '\u009d', '\u017e', '\u0178',
];
