import { describe, expect, it } from 'vitest';
import { BODY_CUT_SLACK_BYTES, cutBody } from './body-cut.js';

const bytes = (text: string | null) => Buffer.byteLength(text ?? '', 'utf8');

describe('cutBody', () => {
  const limit = 1024;
  const keep = limit + BODY_CUT_SLACK_BYTES;
  it.each([
    ['null', null, 0],
    ['a short body', 'hello', 5],
    ['ASCII exactly at the cut', 'a'.repeat(keep), keep],
    ['ASCII far over', 'a'.repeat(keep * 5), keep],
    ['two-byte characters over', 'ä'.repeat(keep), keep],
    ['three-byte characters over', '€'.repeat(keep), keep - (keep % 3)],
    ['emoji (surrogate pairs) over', '😀'.repeat(keep), keep - (keep % 4)],
  ])('%s keeps %# whole characters within the limit plus slack', (_name, body, expected) => {
    const cut = cutBody(body, limit);
    expect(bytes(cut)).toBe(expected);
    if (body !== null) expect(body.startsWith(cut!)).toBe(true);
    expect(cut ?? '').not.toMatch(/\uFFFD|[\uD800-\uDBFF]$/);
  });

  it('leaves more than the limit whenever it cuts, so the hub records BODY_TRUNCATED itself', () => {
    for (const body of ['x'.repeat(keep + 1), '€'.repeat(keep), '😀'.repeat(keep)]) expect(bytes(cutBody(body, limit))).toBeGreaterThan(limit);
  });
});
