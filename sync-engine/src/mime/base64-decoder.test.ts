import { createRequire } from 'node:module';
import { Readable, type Transform } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Base64Decoder } from './base64-decoder.js';

// The decoder mailsplit would use for these parts: the one this replaces must decode the same bytes.
const fromMailsplit = createRequire(createRequire(__filename).resolve('@zone-eu/mailsplit'));
const { Decoder: Libbase64Decoder } = fromMailsplit('libbase64') as { Decoder: new () => Transform };

async function decode(decoder: Transform, chunks: readonly Buffer[]): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const piece of Readable.from(chunks, { objectMode: false }).pipe(decoder)) out.push(piece as Buffer);
  return Buffer.concat(out);
}

/** A seeded generator, so a failure repeats. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Cuts `text` into pieces of 1 to `max` bytes. */
function piecesOf(text: Buffer, next: () => number, max: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < text.length; ) {
    const size = 1 + Math.floor(next() * max);
    pieces.push(text.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** Base64 as mail clients write it: lines of `width`, CRLF or LF, sometimes several encoded pieces back to back. */
function mailBase64(next: () => number): Buffer {
  const segments: string[] = [];
  const count = 1 + Math.floor(next() * 3);
  for (let s = 0; s < count; s++) {
    const bytes = Buffer.alloc(Math.floor(next() * 3000));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
    segments.push(bytes.toString('base64'));
  }
  const width = [76, 72, 64, 57, 1000][Math.floor(next() * 5)]!;
  const lineEnd = next() < 0.5 ? '\r\n' : '\n';
  const text = segments.join('');
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += width) lines.push(text.slice(at, at + width));
  return Buffer.from(lines.join(lineEnd) + lineEnd, 'latin1');
}

describe('Base64Decoder', () => {
  it('decodes what mailsplit’s decoder decodes, however the body is wrapped and cut into pieces', async () => {
    const next = random(20261206);
    for (let round = 0; round < 300; round++) {
      const text = mailBase64(next);
      const pieces = piecesOf(text, next, [1, 7, 100, 70_000][round % 4]!);
      const ours = await decode(new Base64Decoder(), pieces);
      expect(ours.equals(await decode(new Libbase64Decoder(), pieces)), `round ${round}`).toBe(true);
    }
  });

  it('decodes random bodies the same as well: stray bytes, padding inside, groups left short', async () => {
    const next = random(7);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/====\r\n \t!-.';
    for (let round = 0; round < 500; round++) {
      const text = Buffer.alloc(Math.floor(next() * 200));
      for (let i = 0; i < text.length; i++) text[i] = next() < 0.01 ? Math.floor(next() * 128) : alphabet.charCodeAt(Math.floor(next() * alphabet.length));
      const pieces = piecesOf(text, next, 1 + (round % 30));
      const ours = await decode(new Base64Decoder(), pieces);
      expect(ours.toString('hex'), `${JSON.stringify(text.toString('latin1'))} in ${pieces.length} pieces`).toBe((await decode(new Libbase64Decoder(), pieces)).toString('hex'));
    }
  });

  it('skips bytes past ASCII, as RFC 2045 says of everything outside the alphabet (libbase64 read them as their low 7 bits)', async () => {
    const text = Buffer.concat([Buffer.from('QU'), Buffer.from([0xc6, 0xff, 0x80]), Buffer.from('JD')]);
    expect((await decode(new Base64Decoder(), [text])).toString()).toBe('ABC');
  });

  it('gives the bytes a short last group holds, and none for a lone character', async () => {
    expect((await decode(new Base64Decoder(), [Buffer.from('QUJDR')])).toString()).toBe('ABC');
    expect((await decode(new Base64Decoder(), [Buffer.from('QUJDRA')])).toString()).toBe('ABCD');
    expect((await decode(new Base64Decoder(), [Buffer.from('QUI=QUJD=')])).toString()).toBe('ABABC');
    expect((await decode(new Base64Decoder(), [])).length).toBe(0);
  });
});
