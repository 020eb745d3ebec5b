import { describe, expect, it } from 'vitest';
import { itemJson, jsonArrayOf, jsonObjectWith } from './item-json.js';

const text = (pieces: readonly Buffer[]) => Buffer.concat(pieces).toString('utf8');

describe('item JSON', () => {
  const items = [
    { subject: 'Grüße – 日本語 😀', textBody: 'line\nnext "quoted" \\ \u2028', cc: [], calendar: null },
    { subject: null, skipped: undefined, to: [{ address: 'a@b.example', name: null }] },
  ];

  it('writes what JSON.stringify writes, nested and with non-ASCII text', () => {
    const rest = { cursor: 'c"1', leaseId: null, quarantine: [{ code: 'X' }] };
    const built = jsonObjectWith({ query: 'mutation { x }' }, 'variables', jsonObjectWith({ mailboxId: 'm1' }, 'input', jsonObjectWith(rest, 'items', jsonArrayOf(items))));
    expect(JSON.parse(text(built))).toEqual({ query: 'mutation { x }', variables: { mailboxId: 'm1', input: { ...rest, items: JSON.parse(JSON.stringify(items)) } } });
    expect(text(jsonArrayOf(items))).toBe(JSON.stringify(items));
    expect(text(jsonArrayOf([]))).toBe('[]');
    expect(text(jsonObjectWith({}, 'items', jsonArrayOf(items)))).toBe(JSON.stringify({ items }));
  });

  it('serializes an item once', () => {
    expect(itemJson(items[0])).toBe(itemJson(items[0]));
    expect(itemJson(items[0]).length).toBe(Buffer.byteLength(JSON.stringify(items[0]), 'utf8'));
  });
});
