import { describe, expect, it } from 'vitest';
import { addressesIn, withBccHeader } from './ews-mime.js';
import { xmlEscape } from './ews-xml.js';

const raw = Buffer.from('From: Sam <sam@example.com>\r\nTo: "Doe, Ann" <ann@example.com>,\r\n bob@example.com\r\nCc: Carol <CAROL@example.com>\r\nMessage-ID: <m1@example.com>\r\n\r\nHello\r\n');

describe('withBccHeader', () => {
  it('writes the envelope recipients the header does not show into a Bcc header, and leaves the rest alone', () => {
    const out = withBccHeader(raw, ['ann@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com', 'eve@example.com']);
    expect(out.toString('latin1')).toBe(`Bcc: dave@example.com,\r\n eve@example.com\r\n${raw.toString('latin1')}`);
  });

  it('returns the message unchanged when every recipient is visible', () => {
    expect(withBccHeader(raw, ['ann@example.com', 'carol@example.com'])).toBe(raw);
  });
});

describe('addressesIn', () => {
  it('finds addr-specs in angle brackets and bare, not inside quoted display names', () => {
    expect(addressesIn('"x@evil.test" <ann@example.com>, bob@example.com')).toEqual(['ann@example.com', 'bob@example.com']);
  });
});

describe('xmlEscape', () => {
  it('escapes what the library would write verbatim into the SOAP request', () => {
    expect(xmlEscape(`<a&b@example.com> "q" 'r'`)).toBe('&lt;a&amp;b@example.com&gt; &quot;q&quot; &apos;r&apos;');
  });
});
