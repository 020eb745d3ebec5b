import { Transform, type TransformCallback } from 'node:stream';
// Pure helpers for POP3 multi-line responses (RFC 1939 3), on bytes: mail in 8-bit charsets must arrive unchanged.

const CRLF_DOT_CRLF = Buffer.from('\r\n.\r\n');
const CRLF = Buffer.from('\r\n');
const EMPTY = Buffer.alloc(0);

/**
 * Finds the end of a multi-line response across chunks. Feed it every chunk after the "+OK" line; it returns the
 * body bytes that are complete so far, holding back only a last few bytes that could start the terminator, so a
 * chunk is passed on as it is (no copy) unless the one before it ended in such bytes.
 */
export class MultilineReader {
  /** Bytes not passed on yet: a tail of what came that is a proper prefix of CRLF.CRLF. */
  private held = EMPTY;
  /** Nothing was passed on yet: an empty body is just ".\r\n", so the body counts as if a CRLF came before it. */
  private atStart = true;
  private finished = false;

  get done(): boolean {
    return this.finished;
  }

  /**
   * Returns the body bytes safe to pass on, whether the terminating "CRLF.CRLF" was seen, and how many bytes of
   * `chunk` the response took (less than all once done: the rest belongs to the next response of a pipeline).
   */
  push(chunk: Buffer): { readonly data: Buffer; readonly done: boolean; readonly consumed: number } {
    if (this.finished) return { data: EMPTY, done: true, consumed: 0 };
    // A terminator that starts in the held bytes (or in the CRLF the start stands for) ends within 5 bytes of them.
    const lead = this.atStart ? CRLF.length : 0;
    const probe = Buffer.concat([this.atStart ? CRLF : EMPTY, this.held, chunk.subarray(0, CRLF_DOT_CRLF.length)]);
    const early = probe.indexOf(CRLF_DOT_CRLF);
    if (early >= 0) {
      const consumed = early + CRLF_DOT_CRLF.length - lead - this.held.length;
      return this.finish(Buffer.concat([this.held, chunk.subarray(0, CRLF_DOT_CRLF.length)]), early + 2 - lead, consumed);
    }
    const end = chunk.indexOf(CRLF_DOT_CRLF);
    // Keep the CRLF that ends the last line: it belongs to the message.
    if (end >= 0) return this.finish(this.held.length ? Buffer.concat([this.held, chunk.subarray(0, end + 2)]) : chunk, this.held.length + end + 2, end + CRLF_DOT_CRLF.length);
    const whole = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    const keep = terminatorPrefixAtEnd(Buffer.concat([this.atStart ? CRLF : EMPTY, whole.subarray(Math.max(0, whole.length - 4))]));
    const kept = Math.min(keep, whole.length); // the CRLF the start stands for is never passed on, so never held
    const data = kept ? whole.subarray(0, whole.length - kept) : whole;
    this.held = kept ? Buffer.from(whole.subarray(whole.length - kept)) : EMPTY;
    if (data.length > 0) this.atStart = false;
    return { data, done: false, consumed: chunk.length };
  }

  private finish(bytes: Buffer, end: number, consumed: number): { readonly data: Buffer; readonly done: boolean; readonly consumed: number } {
    this.finished = true;
    this.held = EMPTY;
    return { data: bytes.subarray(0, Math.max(0, end)), done: true, consumed };
  }
}

/** One response of a pipeline: its status line (without "+OK"/"-ERR") and, for a multi-line "+OK", the body unstuffed. */
export interface Pop3Response {
  readonly ok: boolean;
  readonly text: string;
  readonly body: Buffer | null;
}

/** A status line longer than this is no POP3 server's (RFC 2449 4: at most 512 octets). */
const MAX_STATUS_LINE = 8192;

/**
 * Reads the responses to commands sent at once (RFC 2449 6.6 PIPELINING) from the bytes as they arrive, in order:
 * each a status line, and after "+OK" to a multi-line command (RETR, CAPA, …) a body up to CRLF.CRLF. "-ERR" never
 * has a body (RFC 1939 3). Bytes that fit no expected response are a protocol error (thrown).
 */
export class PipelinedResponses {
  private readonly expected: boolean[];
  private line: Buffer = EMPTY;
  private status: { ok: boolean; text: string } | null = null;
  private body: MultilineReader | null = null;
  private chunks: Buffer[] = [];

  /** `multiline[i]`: whether the i-th command's "+OK" has a body. */
  constructor(multiline: readonly boolean[]) {
    this.expected = [...multiline];
  }

  /** Every expected response has arrived. */
  get done(): boolean {
    return this.expected.length === 0;
  }

  /** Feeds the next bytes; returns the responses they complete, in order. */
  push(chunk: Buffer): Pop3Response[] {
    const responses: Pop3Response[] = [];
    let rest = chunk;
    while (rest.length > 0) {
      if (this.body && this.status) {
        const { data, done, consumed } = this.body.push(rest);
        if (data.length > 0) this.chunks.push(data);
        if (!done) break;
        responses.push({ ...this.status, body: joinUnstuffed(this.chunks) });
        this.next();
        rest = rest.subarray(consumed);
        continue;
      }
      if (this.expected.length === 0) throw new Error('the server sent more than the responses to the commands sent');
      const bytes = this.line.length ? Buffer.concat([this.line, rest]) : rest;
      const eol = bytes.indexOf(CRLF);
      if (eol < 0) {
        if (bytes.length > MAX_STATUS_LINE) throw new Error('a status line without end');
        this.line = Buffer.from(bytes);
        break;
      }
      this.line = EMPTY;
      const line = bytes.subarray(0, eol).toString('latin1');
      rest = bytes.subarray(eol + CRLF.length);
      const ok = line.startsWith('+OK');
      if (!ok && !line.startsWith('-ERR')) throw new Error(`a response that is neither +OK nor -ERR: ${line.slice(0, 80)}`);
      const status = { ok, text: line.slice(ok ? 3 : 4).trim() };
      if (ok && this.expected[0]) {
        this.status = status;
        this.body = new MultilineReader();
        continue;
      }
      responses.push({ ...status, body: null });
      this.next();
    }
    return responses;
  }

  private next(): void {
    this.expected.shift();
    this.status = null;
    this.body = null;
    this.chunks = [];
  }
}

/** How many bytes at the end of `tail` (at most 4) are a proper prefix of CRLF.CRLF. */
function terminatorPrefixAtEnd(tail: Buffer): number {
  for (let length = Math.min(CRLF_DOT_CRLF.length - 1, tail.length); length > 0; length--) {
    if (tail.subarray(tail.length - length).equals(CRLF_DOT_CRLF.subarray(0, length))) return length;
  }
  return 0;
}

const DOT = 0x2e;
const LF = 0x0a;
const LF_DOT = Buffer.from('\n.');

/** The next dot that starts a line at or after `from` (after an LF), or -1. */
function stuffedDotFrom(bytes: Buffer, from: number): number {
  const at = bytes.indexOf(LF_DOT, from);
  return at < 0 ? -1 : at + 1;
}

/** Whether `chunk` holds a dot RFC 1939 3 added, given whether it starts a line. */
function hasStuffing(chunk: Buffer, lineStart: boolean): boolean {
  return (lineStart && chunk[0] === DOT) || chunk.indexOf(LF_DOT) >= 0;
}

/**
 * Copies `chunk` into `out` at `at` without the dots RFC 1939 3 added at the start of lines, in runs between them
 * rather than byte by byte; `lineStart`: the chunk starts a line. Returns the bytes written.
 */
function copyUnstuffed(chunk: Buffer, out: Buffer, at: number, lineStart: boolean): number {
  let written = at;
  let from = 0;
  for (let dot = lineStart && chunk[0] === DOT ? 0 : stuffedDotFrom(chunk, 0); dot >= 0; dot = stuffedDotFrom(chunk, from)) {
    written += chunk.copy(out, written, from, dot);
    from = dot + 1;
  }
  written += chunk.copy(out, written, from);
  return written - at;
}

/** Whether the next chunk after `chunk` starts a line (a dropped dot is never a line end). */
function endsLine(chunk: Buffer, lineStart: boolean): boolean {
  return chunk.length === 0 ? lineStart : chunk[chunk.length - 1] === LF;
}

/** RFC 1939 3: a line that starts with "." was sent with one more "."; take it off again. */
export function unstuffDots(body: Buffer): Buffer {
  if (!hasStuffing(body, true)) return body;
  const out = Buffer.allocUnsafe(body.length);
  return out.subarray(0, copyUnstuffed(body, out, 0, true));
}

/** A body that arrived in chunks, joined into one Buffer and unstuffed in the same single copy. */
export function joinUnstuffed(chunks: readonly Buffer[]): Buffer {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = Buffer.allocUnsafe(length);
  let written = 0;
  let lineStart = true;
  for (const chunk of chunks) {
    written += copyUnstuffed(chunk, out, written, lineStart);
    lineStart = endsLine(chunk, lineStart);
  }
  return out.subarray(0, written);
}

/** unstuffDots for a body that arrives in chunks: a line's first dot may sit at the start of the next chunk. */
export class DotUnstuffer extends Transform {
  private lineStart = true;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const lineStart = this.lineStart;
    this.lineStart = endsLine(chunk, lineStart);
    if (!hasStuffing(chunk, lineStart)) return done(null, chunk); // the usual case: passed on as it is
    const out = Buffer.allocUnsafe(chunk.length);
    done(null, out.subarray(0, copyUnstuffed(chunk, out, 0, lineStart)));
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
