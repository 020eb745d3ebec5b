import { Transform, type TransformCallback } from 'node:stream';
// Pure helpers for POP3 multi-line responses (RFC 1939 3), on bytes: mail in 8-bit charsets must arrive unchanged.

const CRLF_DOT_CRLF = Buffer.from('\r\n.\r\n');

/**
 * Finds the end of a multi-line response across chunks. Feed it every chunk after the "+OK" line; it returns the
 * body bytes that are complete so far, holding back the last few bytes in case they start the terminator.
 */
export class MultilineReader {
  private pending = Buffer.alloc(0);
  private started = false;
  private finished = false;

  get done(): boolean {
    return this.finished;
  }

  /** Returns the body bytes safe to pass on, and whether the terminating "CRLF.CRLF" was seen. */
  push(chunk: Buffer): { readonly data: Buffer; readonly done: boolean } {
    if (this.finished) return { data: Buffer.alloc(0), done: true };
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    // An empty body is just ".\r\n": look for the terminator as if a CRLF preceded the body.
    const probe = this.started ? data : Buffer.concat([Buffer.from('\r\n'), data]);
    const offset = this.started ? 0 : 2;
    const end = probe.indexOf(CRLF_DOT_CRLF);
    if (end >= 0) {
      this.finished = true;
      this.pending = Buffer.alloc(0);
      // Keep the CRLF that ends the last line: it belongs to the message.
      return { data: data.subarray(0, Math.max(0, end + 2 - offset)), done: true };
    }
    // The terminator is 5 bytes: 4 held back are enough to find it once the next chunk arrives.
    const keep = Math.min(4, data.length);
    const ready = data.subarray(0, data.length - keep);
    this.pending = Buffer.from(data.subarray(data.length - keep));
    if (ready.length > 0) this.started = true;
    return { data: ready, done: false };
  }
}

/** RFC 1939 3: a line that starts with "." was sent with one more "."; take it off again. */
export function unstuffDots(body: Buffer): Buffer {
  const DOT = 0x2e;
  if (body.indexOf('\n.') < 0 && body[0] !== DOT) return body;
  const out = Buffer.allocUnsafe(body.length);
  let written = 0;
  let lineStart = true;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (lineStart && byte === DOT) {
      lineStart = false;
      continue;
    }
    out[written++] = byte;
    lineStart = byte === 0x0a;
  }
  return out.subarray(0, written);
}

/** unstuffDots for a body that arrives in chunks: a line's first dot may sit at the start of the next chunk. */
export class DotUnstuffer extends Transform {
  private lineStart = true;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const DOT = 0x2e;
    const out = Buffer.allocUnsafe(chunk.length);
    let written = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.lineStart && byte === DOT) {
        this.lineStart = false;
        continue;
      }
      out[written++] = byte;
      this.lineStart = byte === 0x0a;
    }
    done(null, out.subarray(0, written));
  }
}

/** The header block of a message (up to the first empty line), unfolded, as name/value pairs in order. */
export function parseHeaders(raw: Buffer): { name: string; value: string }[] {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = end >= 0 ? text.slice(0, end) : text;
  const headers: { name: string; value: string }[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1].value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() });
  }
  return headers;
}

/**
 * When the server received the message: the date of the topmost Received header (RFC 5321 4.4: each hop prepends
 * one, so the first is the last hop), else the Date header. Null when neither parses.
 */
export function receivedDate(headers: readonly { name: string; value: string }[]): Date | null {
  const received = headers.find((header) => header.name === 'received');
  if (received) {
    const semicolon = received.value.lastIndexOf(';');
    const date = semicolon >= 0 ? parseDate(received.value.slice(semicolon + 1)) : null;
    if (date) return date;
  }
  const dateHeader = headers.find((header) => header.name === 'date');
  return dateHeader ? parseDate(dateHeader.value) : null;
}

function parseDate(text: string): Date | null {
  // RFC 5322 3.6.1 dates may carry a "(CET)" comment that Date.parse rejects.
  const cleaned = text.replace(/\([^)]*\)/g, '').trim();
  const time = Date.parse(cleaned);
  return Number.isNaN(time) ? null : new Date(time);
}

/** The Message-ID header's value without angle brackets; null when absent. */
export function messageIdOf(headers: readonly { name: string; value: string }[]): string | null {
  const header = headers.find((entry) => entry.name === 'message-id');
  if (!header) return null;
  const match = /<([^>]+)>/.exec(header.value);
  const id = (match ? match[1] : header.value).trim();
  return id === '' ? null : id;
}
