import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TOKEN_FORMAT,
  findToken,
  formatToken,
  nextCounter,
  tokenFormatProblems,
  tokenPattern,
  withToken,
  type TokenFormat,
} from './tracking-token';

const format = (overrides: Partial<TokenFormat>): TokenFormat => ({ ...DEFAULT_TOKEN_FORMAT, ...overrides });

describe('tokenFormatProblems', () => {
  it('accepts the Dynamics defaults and the limits', () => {
    expect(tokenFormatProblems(DEFAULT_TOKEN_FORMAT)).toEqual([]);
    expect(tokenFormatProblems({ prefix: 'A'.repeat(20), baseNumber: 2_147_483_647, userDigits: 10, counterDigits: 9 })).toEqual([]);
    expect(tokenFormatProblems({ prefix: 'Ärende2', baseNumber: 0, userDigits: 1, counterDigits: 1 })).toEqual([]);
  });

  it.each([
    ['empty prefix', { prefix: '' }, 'prefix'],
    ['21-character prefix', { prefix: 'A'.repeat(21) }, 'prefix'],
    ['prefix with a colon', { prefix: 'CR:M' }, 'prefix'],
    ['prefix with a space', { prefix: 'CR M' }, 'prefix'],
    ['prefix with punctuation', { prefix: 'CRM#' }, 'prefix'],
    ['negative base number', { baseNumber: -1 }, 'baseNumber'],
    ['base number above 2,147,483,647', { baseNumber: 2_147_483_648 }, 'baseNumber'],
    ['fractional base number', { baseNumber: 1.5 }, 'baseNumber'],
    ['zero user digits', { userDigits: 0 }, 'userDigits'],
    ['11 user digits', { userDigits: 11 }, 'userDigits'],
    ['zero counter digits', { counterDigits: 0 }, 'counterDigits'],
    ['10 counter digits', { counterDigits: 10 }, 'counterDigits'],
  ])('rejects %s', (_name, overrides, field) => {
    expect(tokenFormatProblems(format(overrides)).map((p) => p.field)).toEqual([field]);
  });

  it('reports every problem at once', () => {
    const problems = tokenFormatProblems({ prefix: '', baseNumber: -1, userDigits: 0, counterDigits: 0 });
    expect(problems.map((p) => p.field)).toEqual(['prefix', 'baseNumber', 'userDigits', 'counterDigits']);
  });
});

describe('formatToken', () => {
  it.each([
    ['the documented example', DEFAULT_TOKEN_FORMAT, 1, 234, 'CRM:0001234'],
    ['zero padding', DEFAULT_TOKEN_FORMAT, 0, 0, 'CRM:0000000'],
    ['largest values that fit', DEFAULT_TOKEN_FORMAT, 999, 999, 'CRM:0999999'],
    ['a deployment base number', format({ baseNumber: 42 }), 7, 5, 'CRM:42007005'],
    ['a custom prefix and digit counts', format({ prefix: 'ACME', userDigits: 2, counterDigits: 4 }), 12, 34, 'ACME:0120034'],
  ])('%s', (_name, f, user, counter, expected) => {
    expect(formatToken(f, user, counter)).toBe(expected);
  });

  it.each([
    ['a user number beyond the digits', 1000, 0],
    ['a negative user number', -1, 0],
    ['a fractional user number', 1.5, 0],
    ['a counter beyond the digits', 1, 1000],
  ])('throws RangeError for %s', (_name, user, counter) => {
    expect(() => formatToken(DEFAULT_TOKEN_FORMAT, user, counter)).toThrow(RangeError);
  });

  it('throws RangeError for an invalid format', () => {
    expect(() => formatToken(format({ prefix: 'C:M' }), 1, 1)).toThrow(/prefix/);
  });
});

describe('nextCounter', () => {
  it.each([
    [0, 3, 1],
    [998, 3, 999],
    [999, 3, 0],
    [9, 1, 0],
    [999_999_999, 9, 0],
  ])('after %i with %i digits comes %i', (counter, digits, expected) => {
    expect(nextCounter(counter, digits)).toBe(expected);
  });
});

describe('tokenPattern', () => {
  const pattern = tokenPattern(DEFAULT_TOKEN_FORMAT);
  it.each([
    ['at the end, as CRM mail sends it', 'Quote for Q3 CRM:0001234', 'CRM:0001234'],
    ['after Outlook reply prefixes', 'RE: SV: Quote CRM:0001234', 'CRM:0001234'],
    ['retyped in lower case', 'Quote crm:0001234', 'crm:0001234'],
    ['in brackets', 'Quote [CRM:0001234]', 'CRM:0001234'],
    ['at the start', 'CRM:0001234 Quote', 'CRM:0001234'],
  ])('finds a token %s', (_name, subject, token) => {
    expect(pattern.exec(subject)?.[1]).toBe(token);
  });

  it.each([
    ['too few digits', 'Quote CRM:000123'],
    ['too many digits', 'Quote CRM:00012345'],
    ['a letter glued before', 'Quote XCRM:0001234'],
    ['a letter glued after', 'Quote CRM:0001234a'],
    ['another prefix', 'Quote ABC:0001234'],
    ['a space after the colon', 'Quote CRM: 0001234'],
  ])('ignores %s', (_name, subject) => {
    expect(pattern.test(subject)).toBe(false);
  });

  it('requires the configured base number', () => {
    const based = tokenPattern(format({ baseNumber: 42 }));
    expect(based.test('Quote CRM:42001234')).toBe(true);
    expect(based.test('Quote CRM:00001234')).toBe(false);
  });

  it('matches a non-ASCII prefix in any case', () => {
    expect(tokenPattern(format({ prefix: 'Ärende' })).exec('SV: Offert ärende:0001234')?.[1]).toBe('ärende:0001234');
  });

  it('is not global, so test() has no state', () => {
    expect(pattern.global).toBe(false);
    expect(pattern.test('CRM:0001234')).toBe(true);
    expect(pattern.test('CRM:0001234')).toBe(true);
  });
});

describe('findToken', () => {
  it.each([
    ['one token', 'RE: Quote CRM:0001234', 'CRM:0001234'],
    ['the last of several', 'FW: RE: Quote CRM:0001234 CRM:0002001', 'CRM:0002001'],
    ['none', 'RE: Quote', null],
    ['a lower-cased token, spelled with the configured prefix', 're: quote crm:0001234', 'CRM:0001234'],
  ])('%s', (_name, subject, expected) => {
    expect(findToken(DEFAULT_TOKEN_FORMAT, subject)).toBe(expected);
  });
});

describe('withToken', () => {
  it.each([
    ['appends with one space', 'Quote for Q3', 'Quote for Q3 CRM:0001234'],
    ['trims trailing space first', 'Quote for Q3  ', 'Quote for Q3 CRM:0001234'],
    ['an empty subject becomes the token', '', 'CRM:0001234'],
    ['already present', 'RE: Quote CRM:0001234', 'RE: Quote CRM:0001234'],
    ['already present in lower case', 'RE: Quote crm:0001234', 'RE: Quote crm:0001234'],
    ['a different token is kept and the new one appended', 'RE: Quote CRM:0001111', 'RE: Quote CRM:0001111 CRM:0001234'],
    ['a longer token that contains it is not the same', 'Quote CRM:00012345', 'Quote CRM:00012345 CRM:0001234'],
  ])('%s', (_name, subject, expected) => {
    expect(withToken(subject, 'CRM:0001234')).toBe(expected);
  });

  it('is idempotent', () => {
    const once = withToken('Quote', 'CRM:0001234');
    expect(withToken(once, 'CRM:0001234')).toBe(once);
  });
});
