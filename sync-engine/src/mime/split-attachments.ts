import { Joiner, Rewriter, Splitter } from '@zone-eu/mailsplit';
import type { SplitterChunk } from '@zone-eu/mailsplit';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Base64Decoder } from './base64-decoder.js';

/**
 * Where one attachment's decoded bytes went. `sha256` is set when they were uploaded as they streamed by (null:
 * too large to keep, by the engine's limit or the hub's); `content` when they were collected instead (null: larger
 * than the limit).
 */
export interface StreamedPart {
  readonly size: number;
  readonly content: Buffer | null;
  readonly sha256?: string | null;
}

/** Uploads one attachment from a stream; its sha256, or null when the hub refuses it as too large. */
export type StreamUpload = (body: Readable) => Promise<string | null>;

export interface SplitOptions {
  /** Attachments larger than this (decoded) keep their size only. */
  readonly maxAttachmentBytes: number;
  /** Without it, attachments are collected into Buffers (tests, the parse baseline). */
  readonly upload?: StreamUpload;
  /**
   * The body the hub keeps (maxBodyKb): text bodies are cut, at a line end, once their encoded bytes reach six
   * times this and 64 KB more (still more than the hub keeps in any transfer encoding and charset), so a huge
   * body is never held whole either. Unset: bodies stay whole.
   */
  readonly maxBodyBytes?: number;
}

export interface SplitMessage {
  /** The message with every attachment's body left out: small, for postal-mime to read as usual. */
  readonly skeleton: Buffer;
  /** By the Content-Description each left-out part carries in the skeleton. */
  readonly parts: ReadonlyMap<string, StreamedPart>;
}

/** The splitter failed on the message's structure: the message is invalid, not the engine broken. */
export class SplitError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SplitError';
  }
}

/**
 * Reads a raw message as a stream and takes out the body of every part postal-mime would hand back as an
 * attachment, uploading (or collecting) it as it streams by, so a message of any size is never held whole.
 * Text bodies, invitations and attached messages (the forward mailbox unwraps them) stay in the skeleton.
 * Each part taken out is marked with a Content-Description token no sender can guess, so its result is found
 * again among postal-mime's attachments whatever the two parsers make of the structure around it.
 */
export async function splitAttachments(raw: Readable, options: SplitOptions): Promise<SplitMessage> {
  const nonce = `crm-part-${randomBytes(12).toString('hex')}`;
  const parts = new Map<string, StreamedPart>();
  const pending: Promise<void>[] = [];
  let taken = 0;
  let sinkFailure: { error: unknown } | null = null;
  // Embedded messages stay whole leaves: the forward mailbox needs their bytes as sent.
  const splitter = new Splitter({ ignoreEmbedded: true, maxHeadSize: MAX_HEAD_BYTES, maxChildNodes: MAX_PARTS });
  const rewriter = new Rewriter((node) => {
    if (!isAttachment(node.contentType || 'text/plain', node.disposition, Boolean(node.multipart))) return false;
    // The rewriter asks the node for its decoder right after this says yes.
    if (node.encoding === 'base64') node.getDecoder = () => new Base64Decoder();
    return true;
  });
  rewriter.on('node', ({ node, decoder, encoder }) => {
    const token = `${nonce}-${taken++}`;
    if (node.headers) {
      node.headers.remove('Content-Description');
      node.headers.add('Content-Description', token);
    }
    const done = drain(decoder, options)
      .then((part) => void parts.set(token, part))
      .catch((error: unknown) => {
        sinkFailure ??= { error };
        decoder.resume(); // keep the splitter going to its end; the failure is reported below
      })
      // Nothing goes into the skeleton for this part; ending only after the decoder lets the rewriter go on.
      .finally(() => encoder.end());
    pending.push(done);
  });
  const chunks: Buffer[] = [];
  const skeleton = new PassThrough();
  skeleton.on('data', (chunk: Buffer) => chunks.push(chunk));
  const cut = new TextCut(options.maxBodyBytes === undefined ? Infinity : options.maxBodyBytes * 6 + 64 * 1024);
  const joiner = new Joiner();
  // The pipeline hands its first failure to every stream: which one failed first says whose fault it is.
  let firstFailed: unknown = null;
  for (const stream of [raw, splitter, cut, rewriter, joiner] as NodeJS.EventEmitter[]) stream.once('error', () => (firstFailed ??= stream));
  try {
    await pipeline(raw, splitter, cut, rewriter, joiner, skeleton);
  } catch (error) {
    await Promise.allSettled(pending);
    if (sinkFailure) throw (sinkFailure as { error: unknown }).error;
    if (firstFailed === raw) throw error; // reading the message failed (its spool file), not its structure
    throw new SplitError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  await Promise.all(pending);
  if (sinkFailure) throw (sinkFailure as { error: unknown }).error;
  return { skeleton: Buffer.concat(chunks), parts };
}

/**
 * The parts postal-mime hands back as attachments (postal-mime.ts collectNode): every leaf that is neither an
 * inline text/plain or text/html body, nor an invitation (read from its content), nor an attached message.
 */
export function isAttachment(contentType: string, disposition: string | false, multipart: boolean): boolean {
  if (multipart) return false;
  const type = contentType.toLowerCase();
  if (type.startsWith('message/') || type === 'text/calendar' || type === 'application/ics') return false;
  return disposition === 'attachment' || (type !== 'text/plain' && type !== 'text/html');
}

/** Drops what a text body has beyond `limit` encoded bytes; every other chunk passes unchanged. */
class TextCut extends Transform {
  private left = Infinity;

  constructor(private readonly limit: number) {
    super({ objectMode: true });
  }

  override _transform(chunk: SplitterChunk, _encoding: BufferEncoding, done: TransformCallback): void {
    if (chunk.type === 'node') {
      const type = (chunk.contentType || 'text/plain').toLowerCase();
      const isBody = !chunk.multipart && chunk.disposition !== 'attachment' && (type === 'text/plain' || type === 'text/html');
      this.left = isBody ? this.limit : Infinity;
    } else if (chunk.type === 'body' && chunk.value.length > this.left) {
      // At the last line end within the budget (base64 then decodes whole groups); without one, at a multiple of 4.
      const lineEnd = chunk.value.lastIndexOf(0x0a, this.left - 1);
      const end = lineEnd >= 0 ? lineEnd + 1 : this.left - (this.left % 4);
      this.left = 0;
      if (end > 0) this.push({ ...chunk, value: chunk.value.subarray(0, end) });
      return done();
    } else if (chunk.type === 'body') {
      this.left -= chunk.value.length;
    }
    done(null, chunk);
  }
}

const MAX_HEAD_BYTES = 1024 * 1024;
const MAX_PARTS = 5_000;

/** Reads one part's decoded bytes to the end, uploading or collecting them up to the limit, always counting them. */
async function drain(decoder: Readable, options: SplitOptions): Promise<StreamedPart> {
  return options.upload ? drainIntoUpload(decoder, options.upload, options.maxAttachmentBytes) : collect(decoder, options.maxAttachmentBytes);
}

async function collect(decoder: Readable, limit: number): Promise<StreamedPart> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of decoder as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return { size, content: size <= limit ? Buffer.concat(chunks) : null };
}

/**
 * Feeds the part into an upload as it decodes, with the upload's backpressure. Past the engine's limit, or once
 * the hub answered early (413), the rest is only counted: the message goes on, the attachment is recorded as
 * skipped. Any other upload failure fails the message (the batch is tried again).
 */
async function drainIntoUpload(decoder: Readable, upload: StreamUpload, limit: number): Promise<StreamedPart> {
  const body = new PassThrough({ highWaterMark: UPLOAD_BUFFER_BYTES });
  let settled = false;
  const result = upload(body).finally(() => (settled = true));
  result.catch(() => undefined); // awaited below
  const answered = result.then(
    () => undefined,
    () => undefined,
  );
  let size = 0;
  let feeding = true;
  for await (const chunk of decoder as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (!feeding) continue;
    if (size > limit || settled) {
      feeding = false;
      body.destroy(); // the hub keeps nothing of an upload cut short
      continue;
    }
    if (!body.write(chunk)) await Promise.race([once(body, 'drain'), answered]);
  }
  if (!feeding) {
    // Cut short by the engine: skipped. Answered early by the hub: its answer says (413: skipped).
    if (size > limit) {
      await answered;
      return { size, content: null, sha256: null };
    }
    return { size, content: null, sha256: await result };
  }
  body.end();
  return { size, content: null, sha256: await result };
}

// What the upload may buffer ahead of the socket per attachment.
const UPLOAD_BUFFER_BYTES = 256 * 1024;
