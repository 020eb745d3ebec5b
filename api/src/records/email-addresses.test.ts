import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizeEmailList } from './email-addresses';

describe('normalizeEmail', () => {
  it.each([
    ['  Asa.Oberg@Example.SE ', 'asa.oberg@example.se'],
    ['JOHN@EXAMPLE.COM', 'john@example.com'],
  ])('%s → %s', (raw, expected) => expect(normalizeEmail(raw)).toBe(expected));
});

describe('normalizeEmailList', () => {
  it('normalizes and removes duplicates, keeping order', () => {
    expect(normalizeEmailList('emails', ['B@x.com', 'a@x.com', ' b@X.com '])).toEqual(['b@x.com', 'a@x.com']);
  });
  it('accepts internationalized local parts', () => {
    expect(normalizeEmailList('emails', ['åsa@exempel.se'])).toEqual(['åsa@exempel.se']);
  });
  it.each(['not-an-email', 'a@', '@b.com', 'a b@c.com', ''])('rejects %j naming the list item', (bad) => {
    expect(() => normalizeEmailList('input.emails', ['ok@x.com', bad])).toThrowError(/input\.emails\[1\]/);
  });
  it('limits the number of addresses', () => {
    expect(() => normalizeEmailList('emails', Array.from({ length: 11 }, (_, i) => `a${i}@x.com`))).toThrowError(/at most 10/);
  });
});
