import { describe, expect, it } from 'vitest';
import { repairStrings, repairText, textFault } from './text';

describe('textFault', () => {
  it.each([
    ['plain text', 'Müller & Søn', undefined],
    ['an emoji (a surrogate pair)', 'Deal 🤝 closed', undefined],
    ['a pair at the very end', 'x😀', undefined],
    ['a NUL in the middle', 'a\u0000b', 'NUL'],
    ['a lone high surrogate', 'a\uD800b', 'UNPAIRED_SURROGATE'],
    ['a lone high surrogate at the end', 'ab\uD83D', 'UNPAIRED_SURROGATE'],
    ['a lone low surrogate at the start', '\uDE00ab', 'UNPAIRED_SURROGATE'],
    ['a low surrogate before a high one (reversed pair)', '\uDE00\uD83D', 'UNPAIRED_SURROGATE'],
    ['two high surrogates in a row', '\uD83D\uD83D\uDE00', 'UNPAIRED_SURROGATE'],
  ])('%s → %s', (_label, text, fault) => {
    expect(textFault(text)).toBe(fault);
  });
});

describe('repairText', () => {
  it('removes NUL and replaces each unpaired surrogate by U+FFFD, keeping real pairs', () => {
    expect(repairText('a\u0000b\uD800c😀\uDC00')).toBe('ab\uFFFDc😀\uFFFD');
    expect(repairText('\uD83D\uD83D\uDE00')).toBe('\uFFFD😀');
    expect(textFault(repairText('x\uDE00\uD83D\u0000'))).toBeUndefined();
  });
});

describe('repairStrings', () => {
  class Item {
    subject = 'ok';
    to: { address: string }[] = [];
  }

  it('returns the very same object when nothing needs repair', () => {
    const item = Object.assign(new Item(), { to: [{ address: 'a@example.com' }] });
    expect(repairStrings(item)).toBe(item);
  });

  it('repairs strings at any depth and keeps the class and the other values', () => {
    const when = new Date('2026-01-01T00:00:00Z');
    const item = Object.assign(new Item(), { subject: 'hi\u0000', to: [{ address: 'a\uD800@example.com' }, { address: 'b@example.com' }], when, size: 3 });
    const repaired = repairStrings(item);
    expect(repaired).not.toBe(item);
    expect(repaired).toBeInstanceOf(Item);
    expect(repaired).toEqual(Object.assign(new Item(), { subject: 'hi', to: [{ address: 'a\uFFFD@example.com' }, { address: 'b@example.com' }], when, size: 3 }));
    expect(repaired.to[1]).toBe(item.to[1]);
  });
});
