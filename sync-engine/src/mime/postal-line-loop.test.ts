import fs from 'node:fs';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { linesFedInTurn, postalMimeParse } from './postal-line-loop.js';

const OPTIONS = { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' } as const;
const FIXTURES = path.join(__dirname, 'fixtures');

/** postal-mime's own parse, as installed, on a parser of its own. */
const parsedByPostalMime = (raw: Buffer) => (postalMimeParse as (this: PostalMime, buf: Buffer) => Promise<PostalMime.Email>).call(new PostalMime(OPTIONS), raw);

const boundaryCases: Record<string, string> = {
  'a line of dashes that is no boundary, a boundary with trailing space, nested parts':
    'Content-Type: multipart/mixed; boundary="outer"\r\n\r\npreamble\r\n--outer  \r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\n-- \r\nsignature\r\n--not-the-boundary\r\n--inner\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--inner--\r\n--outer\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=a.pdf\r\n\r\nJVBERi0xLjQK\r\n--outer--\r\nepilogue',
  'the last line without a line end, inside a part': 'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nlast line',
  'the last line is a boundary': 'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n--b--',
  'no multipart, LF line ends': 'Subject: plain\nContent-Type: text/plain; charset=utf-8\n\n--\nnot a boundary\n',
  'a single line': 'Subject: only a header',
};

describe('postal-mime lines fed without a turn each', () => {
  it('is in place for the postal-mime installed', () => {
    expect(linesFedInTurn).toBe(true);
    expect(PostalMime.prototype.parse).not.toBe(postalMimeParse);
  });

  it('parses every fixture message as postal-mime’s own loop does', async () => {
    const files = fs.readdirSync(FIXTURES).filter((file) => file.endsWith('.eml'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const raw = fs.readFileSync(path.join(FIXTURES, file));
      expect(await PostalMime.parse(raw, OPTIONS), file).toEqual(await parsedByPostalMime(raw));
    }
  });

  it.each(Object.entries(boundaryCases))('parses %s as postal-mime’s own loop does', async (_name, text) => {
    const raw = Buffer.from(text, 'utf8');
    const ours = await PostalMime.parse(raw, OPTIONS);
    expect(ours).toEqual(await parsedByPostalMime(raw));
    expect(ours.headers.length + ours.attachments.length).toBeGreaterThan(0);
  });
});
