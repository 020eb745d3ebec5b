import { createHash } from 'node:crypto';
import PostalMime from 'postal-mime';

// postal-mime 4.0 reads a message line by line and awaits its async processLine for every line, although that only
// ever waits at a boundary line ("--…") or the last line; for every other line it hands the bytes to the current
// part (MimeNode.feed, synchronous). A 50 KB message is about 800 lines: 800 promises and turns of the microtask
// queue, a large share of the engine's parse time and garbage. Here parse is replaced, once, by the same loop that
// feeds such lines to the part directly and awaits processLine only where it could wait. The replacement is made only
// when postal-mime's parse is the one this was written against (the fingerprint of its source).

interface Line {
  readonly bytes: Uint8Array;
  readonly done: boolean;
}

interface Parser {
  started: boolean;
  buf: ArrayBuffer;
  av: Uint8Array;
  readPos: number;
  boundaries: readonly unknown[];
  currentNode: { feed(line: Uint8Array): void };
  options: { forceRfc822Attachments?: boolean };
  forceRfc822Attachments: boolean;
  root: unknown;
  resolveInput(buf: unknown): Promise<ArrayBuffer>;
  readLine(): Line;
  processLine(line: Uint8Array, isFinal: boolean): Promise<unknown>;
  hasReportParts(): boolean;
  collectNode(node: unknown, a: boolean, b: boolean): Promise<void>;
  renderTextContent(): void;
  buildMessage(): unknown;
  encodeAttachments(): void;
}

/** sha256 of postal-mime 4.0.0's PostalMime.prototype.parse as String() prints it, spacing removed (the one awaiting every line). */
const EXPECTED_SHA256 = '4454cdbd1156115e8fca241b9abf118bf4016b2aa442be69135946a7879666ff';

const fingerprint = (source: string) => createHash('sha256').update(source.replace(/\s+/g, '')).digest('hex');

/** The parse of postal-mime as installed, before this module replaced it (for the test that compares the two). */
export const postalMimeParse = PostalMime.prototype.parse;

/** Whether lines are fed without a turn each (false: a postal-mime of another shape, left as it is). */
export const linesFedInTurn: boolean = ((prototype: { parse: unknown }) => {
  if (typeof prototype.parse !== 'function') return false;
  if (prototype.parse.name === 'parseFeedingLines') return true;
  if (fingerprint(String(prototype.parse)) !== EXPECTED_SHA256) return false;
  prototype.parse = async function parseFeedingLines(this: Parser, buf: unknown) {
    if (this.started) throw new Error('Can not reuse parser, create a new PostalMime object');
    this.started = true;
    this.buf = await this.resolveInput(buf);
    this.av = new Uint8Array(this.buf);
    this.readPos = 0;
    while (this.readPos < this.av.length) {
      const line = this.readLine();
      const bytes = line.bytes;
      // What processLine itself tests before it treats a line as a possible boundary.
      const mayBeBoundary = this.boundaries.length > 0 && bytes.length > 2 && bytes[0] === 0x2d && bytes[1] === 0x2d;
      if (mayBeBoundary || line.done) await this.processLine(bytes, line.done);
      else this.currentNode.feed(bytes);
    }
    this.forceRfc822Attachments = Boolean(this.options.forceRfc822Attachments) || this.hasReportParts();
    await this.collectNode(this.root, false, false);
    this.renderTextContent();
    const message = this.buildMessage();
    this.encodeAttachments();
    return message;
  };
  return true;
})(PostalMime.prototype as unknown as { parse: unknown });
