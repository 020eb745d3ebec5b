import { describe, expect, it } from 'vitest';
import PostalMime from 'postal-mime';
import { joinedWithoutBlob, joinPieces, smallQuotedPrintableBuffer } from './postal-decoders.js';

describe('postal-mime decoders joined without a Blob', () => {
  it('are in place for the postal-mime installed', () => {
    expect(joinedWithoutBlob).toBe(true);
    expect(smallQuotedPrintableBuffer).toBe(true);
  });

  it('decode a quoted-printable body longer than the small buffer as before', async () => {
    const line = 'caf=C3=A9 ' + 'x'.repeat(60) + '=\r\n';
    const raw = `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${line.repeat(400)}end\r\n`;
    const email = await PostalMime.parse(Buffer.from(raw, 'utf8'));
    expect(email.text).toBe(`café ${'x'.repeat(60)}`.repeat(400) + 'end\n');
  });

  it('join the same bytes as a Blob does', async () => {
    const pieces = [new Uint8Array([1, 2, 3]).subarray(1), '\n', new Uint8Array([0xe2, 0x82]).buffer, 'Grüße 😀', new Uint8Array(0), Buffer.from('tail')];
    expect(Buffer.from(joinPieces(pieces))).toEqual(Buffer.from(await new Blob(pieces).arrayBuffer()));
    expect(joinPieces([]).byteLength).toBe(0);
  });

  it('decode base64, quoted-printable and raw parts as before (the results of postal-mime 4.0.0 with its Blob)', async () => {
    const raw = [
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Gr=C3=BC=C3=9Fe, a soft=',
      ' break',
      '--b',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>raw é</p>',
      '--b',
      'Content-Type: application/octet-stream; name=a.bin',
      'Content-Transfer-Encoding: base64',
      '',
      'AAEC/w==',
      'AwQ=',
      '--b--',
      '',
    ].join('\r\n');
    const email = await PostalMime.parse(Buffer.from(raw, 'utf8'), { attachmentEncoding: 'arraybuffer' });
    expect(email.text).toBe('Grüße, a soft break\n\n\nraw é\n');
    expect(email.html).toBe('<div>Grüße, a soft break</div>\n<p>raw é</p>\n');
    expect(Buffer.from(email.attachments[0].content as ArrayBuffer)).toEqual(Buffer.from([0, 1, 2, 255, 3, 4]));
  });
});
