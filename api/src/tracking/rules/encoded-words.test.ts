import { describe, expect, it } from 'vitest';
import { decodeEncodedWords } from './encoded-words';

describe('decodeEncodedWords', () => {
  it.each([
    ['plain ASCII is untouched', 'Quarterly review', 'Quarterly review'],
    ['Gmail, UTF-8 base64', '=?UTF-8?B?U23DtnJnw6VzYm9yZA==?=', 'Smörgåsbord'],
    ['Outlook, ISO-8859-1 Q with Swedish SV:', '=?iso-8859-1?Q?SV:_Offert_f=F6r_m=F6tet?=', 'SV: Offert för mötet'],
    ['Outlook, windows-1252 curly quote', '=?Windows-1252?Q?Re:_=93Budget=94?=', 'Re: “Budget”'],
    ['Thunderbird, lower-case hex escapes', '=?UTF-8?Q?Re=3a_Pr=c3=a4sentation?=', 'Re: Präsentation'],
    ['Apple Mail, encoded word after plain text', 'Re: =?utf-8?Q?Caf=C3=A9_meny?=', 'Re: Café meny'],
    ['text on both sides keeps its spaces', 'VB: =?utf-8?Q?m=C3=B6te?= imorgon', 'VB: möte imorgon'],
    ['lower-case b and q encodings', '=?utf-8?b?U23DtnJnw6VzYm9yZA==?= =?utf-8?q?!?=', 'Smörgåsbord!'],
    ['ISO-2022-JP', '=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=', '日本語'],
    ['KOI8-R', '=?koi8-r?B?8NLJ18XULCDNydI=?=', 'Привет, мир'],
    ['ISO-8859-7 Greek', '=?iso-8859-7?Q?=c5=eb=eb=e7=ed=e9=ea=dc?=', 'Ελληνικά'],
    ['RFC 2231 language suffix', '=?utf-8*sv?Q?Hej_d=C3=A5?=', 'Hej då'],
    ['empty encoded text', '=?utf-8?Q??=', ''],
  ])('%s', (_name, input, expected) => {
    expect(decodeEncodedWords(input)).toBe(expected);
  });

  describe('adjacent encoded words (RFC 2047 6.2)', () => {
    it.each([
      ['space between words is dropped', '=?utf-8?Q?Offert?= =?utf-8?Q?_2024?=', 'Offert 2024'],
      ['folded header (CRLF + space) between words is dropped', '=?utf-8?B?U23DtnJn?=\r\n =?utf-8?B?w6VzYm9yZA==?=', 'Smörgåsbord'],
      ['tab between words is dropped', '=?utf-8?Q?a?=\t=?utf-8?Q?b?=', 'ab'],
      ['no space at all', '=?utf-8?Q?a?==?utf-8?Q?b?=', 'ab'],
      ['a UTF-8 character split across two words', '=?UTF-8?B?5pel5pys6Ko=?= =?UTF-8?B?nuOBruS7tuWQjQ==?=', '日本語の件名'],
      ['different charsets still join', '=?iso-8859-1?Q?K=F6p?= =?utf-8?Q?_f=C3=B6r?=', 'Köp för'],
    ])('%s', (_name, input, expected) => {
      expect(decodeEncodedWords(input)).toBe(expected);
    });
  });

  describe('words it cannot decode stay as written', () => {
    it.each([
      ['unknown charset', 'Re: =?x-unknown?Q?abc?=', 'Re: =?x-unknown?Q?abc?='],
      ['base64 with illegal characters', '=?utf-8?B?###?=', '=?utf-8?B?###?='],
      ['base64 of impossible length', '=?utf-8?B?QUJDR?=', '=?utf-8?B?QUJDR?='],
      ['Q with a broken escape', '=?utf-8?Q?caf=C?=', '=?utf-8?Q?caf=C?='],
      ['Q with raw 8-bit text', '=?utf-8?Q?café?=', '=?utf-8?Q?café?='],
      ['unknown encoding letter', '=?utf-8?X?abc?=', '=?utf-8?X?abc?='],
      ['unterminated word', '=?utf-8?Q?abc', '=?utf-8?Q?abc'],
    ])('%s', (_name, input, expected) => {
      expect(decodeEncodedWords(input)).toBe(expected);
    });

    it('keeps the space around a broken word between two good ones', () => {
      expect(decodeEncodedWords('=?utf-8?Q?a?= =?x-bogus?Q?b?= =?utf-8?Q?c?=')).toBe('a =?x-bogus?Q?b?= c');
    });
  });
});
