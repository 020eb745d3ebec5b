import path from 'node:path';

// postal-mime 4.0 ends each body part by joining its decoded pieces through a Blob (`new Blob(chunks)` then
// `blob.arrayBuffer()`): a copy into the Blob, a copy out of it and several promise turns for every text and
// attachment part, about a fifth of the engine's parse time. In Node one copy into one ArrayBuffer gives the same
// bytes, so each content decoder's finalize is replaced by that join, once, when this module loads.
// postal-mime's package exports only its entry, so the decoders are loaded by their path beside it.

/** Pieces a decoder holds: ArrayBuffers (base64), byte views (quoted-printable, raw lines) and "\n" (raw lines). */
type Piece = ArrayBuffer | Uint8Array | string;

interface Decoder {
  chunks: Piece[];
  finalize(): Promise<ArrayBuffer>;
}

/** The pieces' bytes in one ArrayBuffer, as `new Blob(pieces).arrayBuffer()` gives them (strings as UTF-8). */
export function joinPieces(pieces: readonly Piece[]): ArrayBuffer {
  const views = pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece instanceof ArrayBuffer ? new Uint8Array(piece) : piece));
  let length = 0;
  for (const view of views) length += view.byteLength;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const view of views) {
    joined.set(view, at);
    at += view.byteLength;
  }
  return joined.buffer;
}

const entry = require.resolve('postal-mime');
const decoder = (file: string) => (require(path.join(path.dirname(entry), file)) as { prototype: Decoder & Record<string, unknown> }).prototype;

// What each decoder does before joining: write out what it still buffers (postal-mime's own finalize, minus the Blob).
const DECODERS: readonly { readonly file: string; readonly flush: string | null }[] = [
  { file: 'base64-decoder.js', flush: 'flushRemainder' },
  { file: 'qp-decoder.js', flush: 'flushBuffer' },
  { file: 'pass-through-decoder.js', flush: null },
];

// The quoted-printable decoder also starts every part with a 100 KB buffer (zeroed, then copied out when flushed):
// 200 KB per message of text and HTML, ten times a typical message, all of it garbage outside V8's heap. Its size
// is read from `maxChunkSize`, which the constructor assigns: answered from the prototype, a part starts with 8 KB.
const QP_BUFFER_BYTES = 8 * 1024;

/** Whether the decoders finalize without a Blob (false: a postal-mime of another shape, left as it is). */
export const joinedWithoutBlob: boolean = DECODERS.every(({ file, flush }) => {
  const prototype = decoder(file);
  if (typeof prototype.finalize !== 'function' || (flush !== null && typeof prototype[flush] !== 'function')) return false;
  if (!String(prototype.finalize).includes('new Blob(this.chunks')) return prototype.finalize.name === 'finalizeJoined';
  prototype.finalize = function finalizeJoined(this: Decoder & Record<string, unknown>) {
    if (flush !== null) (this[flush] as () => void)();
    return Promise.resolve(joinPieces(this.chunks));
  };
  return true;
});

/** Whether quoted-printable parts start with a small buffer (false: a postal-mime of another shape, left as it is). */
export const smallQuotedPrintableBuffer: boolean = ((prototype) => {
  const own = Object.getOwnPropertyDescriptor(prototype, 'maxChunkSize');
  if (own) return own.get?.() === QP_BUFFER_BYTES;
  if (typeof prototype.flushBuffer !== 'function' || !String(prototype.constructor).includes('this.buffer = new Uint8Array(this.maxChunkSize)')) return false;
  Object.defineProperty(prototype, 'maxChunkSize', { get: () => QP_BUFFER_BYTES, set: () => {}, configurable: true });
  return true;
})(decoder('qp-decoder.js'));
