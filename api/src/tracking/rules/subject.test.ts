import { describe, expect, it } from 'vitest';
import { normalizeSubject, REPLY_FORWARD_PREFIXES, stripReplyPrefixes, subjectHash } from './subject';
import { DEFAULT_TOKEN_FORMAT, tokenPattern } from './tracking-token';

describe('stripReplyPrefixes', () => {
  it.each([
    ['Outlook reply', 'RE: Offert 2024', 'Offert 2024'],
    ['Outlook forward', 'FW: Offert 2024', 'Offert 2024'],
    ['Gmail and Apple Mail forward', 'Fwd: Offert 2024', 'Offert 2024'],
    ['Thunderbird reply', 'Re: Offert 2024', 'Offert 2024'],
    ['Swedish Outlook reply', 'SV: Offert 2024', 'Offert 2024'],
    ['Swedish Outlook forward', 'VB: Offert 2024', 'Offert 2024'],
    ['a long mixed chain', 'SV: VB: RE: Fwd: AW: WG: Offert', 'Offert'],
    ['German', 'AW: WG: Angebot', 'Angebot'],
    ['Dutch', 'Antw: Doorst: Offerte', 'Offerte'],
    ['French Outlook, space before the colon', 'RE : TR : Devis', 'Devis'],
    ['Spanish', 'RE: RV: Presupuesto', 'Presupuesto'],
    ['Portuguese (Brazil)', 'RES: ENC: Orçamento', 'Orçamento'],
    ['Italian', 'R: I: RIF: Preventivo', 'Preventivo'],
    ['Polish', 'ODP: PD: Oferta', 'Oferta'],
    ['Finnish', 'VS: VL: Tarjous', 'Tarjous'],
    ['Turkish', 'YNT: İLT: Teklif', 'Teklif'],
    ['Hungarian', 'VÁ: TOV: Ajánlat', 'Ajánlat'],
    ['Greek, any case', 'Απ: ΣΧΕΤ: ΠΡΘ: Προσφορά', 'Προσφορά'],
    ['Russian', 'Отв: Пересл: Предложение', 'Предложение'],
    ['Chinese with a full-width colon', '回复：转发：报价', '报价'],
    ['Chinese Outlook', '答复: 報價', '報價'],
    ['Japanese', '返信: 転送: 見積もり', '見積もり'],
    ['Korean', '회신: 전달: 견적', '견적'],
    ['lower case', 're: fw: offer', 'offer'],
    ['no space after the colon', 'Re:Re:Offer', 'Offer'],
    ['leading whitespace', '   Re: Offer', 'Offer'],
    ['bracketed counter', 'Re[2]: Offer', 'Offer'],
    ['parenthesized counter', 'RE(3): Offer', 'Offer'],
    ['caret counter', 'Re^2: Offer', 'Offer'],
    ['only prefixes', 'Re: Fwd: ', ''],
  ])('%s: %j → %j', (_name, input, expected) => {
    expect(stripReplyPrefixes(input)).toBe(expected);
  });

  it.each([
    ['a word before a colon (Dynamics default pattern would strip it)', 'Invoice: 42'],
    ['a word that starts like a keyword', 'Rent: due Friday'],
    ['a keyword inside a word', 'Review: Q3 numbers'],
    ['a keyword not followed by a colon', 'Re-order stock'],
    ['a keyword later in the subject', 'Budget RE: Q3'],
    ['FYI is a request, not a reply marker', 'FYI: new office'],
    ['Latin HA is not the Cyrillic keyword', 'HA: failover test'],
    ['no subject at all', ''],
  ])('keeps %s: %j', (_name, input) => {
    expect(stripReplyPrefixes(input)).toBe(input);
  });

  it('keeps a leading [EXTERNAL] tag and everything after it', () => {
    expect(stripReplyPrefixes('[EXTERNAL] RE: Offer')).toBe('[EXTERNAL] RE: Offer');
    expect(stripReplyPrefixes('RE: [EXTERNAL] RE: Offer')).toBe('[EXTERNAL] RE: Offer');
  });

  it('lists every keyword in upper case or a caseless script, without duplicates', () => {
    expect(new Set(REPLY_FORWARD_PREFIXES).size).toBe(REPLY_FORWARD_PREFIXES.length);
    for (const prefix of REPLY_FORWARD_PREFIXES) expect(prefix).toBe(prefix.toUpperCase());
  });
});

describe('normalizeSubject', () => {
  const token = tokenPattern(DEFAULT_TOKEN_FORMAT);
  it.each([
    ['Outlook reply with tracking token', 'RE: Quote for Q3 CRM:0001234', token, 'quote for q3'],
    ['token in the middle', 'RE: Quote CRM:0001234 for Q3', token, 'quote for q3'],
    ['token kept when no pattern is given', 'Quote CRM:0001234', undefined, 'quote crm:0001234'],
    ['Gmail UTF-8 encoded word', 'Re: =?UTF-8?B?U23DtnJnw6VzYm9yZA==?=', undefined, 'smörgåsbord'],
    ['Outlook ISO-8859-1 with Swedish SV inside the encoded word', '=?iso-8859-1?Q?SV:_Offert_f=F6r_m=F6tet?=', undefined, 'offert för mötet'],
    ['Apple Mail Q encoding', '=?utf-8?Q?Re=3A_M=C3=B6te_i_morgon?=', undefined, 'möte i morgon'],
    ['full-width letters and colon', 'ＲＥ：Ｏｆｆｅｒ', undefined, 'offer'],
    ['runs of whitespace and folding', 'Re:  Quote\r\n\tfor   Q3 ', undefined, 'quote for q3'],
    ['non-breaking spaces', 'Re:\u00a0Quote\u00a0Q3', undefined, 'quote q3'],
    ['decomposed accents compose', 'Mo\u0308te', undefined, 'möte'],
    ['German sharp s is kept', 'AW: Straße', undefined, 'straße'],
    ['an empty reply', 'Re: ', undefined, ''],
    ['only a token', 'RE: CRM:0001234', token, ''],
  ])('%s', (_name, input, pattern, expected) => {
    expect(normalizeSubject(input, pattern)).toBe(expected);
  });

  it('makes a reply chain and the original equal', () => {
    const original = normalizeSubject('Quote for Q3 CRM:0001234', token);
    for (const reply of ['RE: Quote for Q3 CRM:0001234', 'SV: VB: quote for  Q3', 'Fwd: =?utf-8?Q?Quote_for_Q3?=']) {
      expect(normalizeSubject(reply, token)).toBe(original);
    }
  });

  it('accepts a global token pattern and leaves it reusable', () => {
    const global = new RegExp(token.source, `${token.flags}g`);
    expect(normalizeSubject('Quote CRM:0001234', global)).toBe('quote');
    expect(normalizeSubject('Quote CRM:0001234', global)).toBe('quote');
    expect(global.lastIndex).toBe(0);
  });
});

describe('subjectHash', () => {
  it('is the SHA-256 hex of the normalized subject', () => {
    expect(subjectHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each([[''], [' '], ['\t']])('is null for an empty subject %j, which must never smart-match', (input) => {
    expect(subjectHash(input)).toBeNull();
  });

  it('differs between subjects that differ in a word', () => {
    expect(subjectHash('invoice 42')).not.toBe(subjectHash('order 42'));
  });
});
