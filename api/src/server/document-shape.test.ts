import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { countTokens, documentShape, shapeRefusal } from './document-shape';

const LIMITS = { maxTokens: 100, maxFields: 20, maxSameField: 3, maxDepth: 4, maxIntrospectionDepth: 6 };

describe('countTokens', () => {
  it.each([
    ['{ a }', 3],
    ['{ a b c } # a comment is no token', 5],
    ['query Q($v: Int = 1) { a(x: $v) }', 19],
  ])('%s has %i tokens', (source, tokens) => {
    expect(countTokens(source, 1000)).toBe(tokens);
  });

  it('stops counting one past the limit, however long the text', () => {
    expect(countTokens(`{ ${'a '.repeat(1_000_000)}}`, 10)).toBe(11);
  });

  it('leaves text it cannot read to the parser', () => {
    expect(countTokens('{ a " }', 100)).toBe(2);
  });
});

describe('documentShape', () => {
  it('counts fields with fragments expanded, the depth, and the most repeated field', () => {
    const shape = documentShape(parse('{ a { b c } ...F x: a { b } } fragment F on Query { d { e { f } } }'));
    expect(shape).toEqual({ fields: 8, depth: 3, introspectionDepth: 0, mostRepeated: { name: 'a', count: 2 } });
  });

  it('measures introspection roots apart: they count one level of the depth, and their subtree, every field in it, the introspection depth', () => {
    const shape = documentShape(parse('{ a { b } __schema { types { ...T } } } fragment T on __Type { ofType { ofType { name } } }'));
    expect(shape).toMatchObject({ depth: 2, introspectionDepth: 5 });
    // A fragment whose fields are not introspection (validation refuses it) still counts at its full depth.
    const hidden = documentShape(parse('{ __type(name: "X") { ...F } } fragment F on Query { a { b { c { d { e } } } } }'));
    expect(hidden).toMatchObject({ depth: 1, introspectionDepth: 6 });
  });

  it('measures a fragment bomb without expanding it', () => {
    const levels = Array.from({ length: 30 }, (_, i) => `fragment F${i + 1} on Query { ${Array(10).fill(`...F${i}`).join(' ')} }`);
    const shape = documentShape(parse(`{ ...F30 } fragment F0 on Query { a } ${levels.join(' ')}`));
    expect(shape.fields).toBeGreaterThan(1e29);
  });

  it('counts a fragment cycle as empty (validation reports it)', () => {
    expect(documentShape(parse('{ ...A } fragment A on Query { a ...B } fragment B on Query { b ...A }')).fields).toBe(2);
  });
});

describe('shapeRefusal', () => {
  it.each([
    ['{ a b }', undefined],
    ['{ a a a a }', /"a" is selected 4 times/],
    ['{ x: a y: a z: a w: a }', /"a" is selected 4 times/],
    ['{ a { b { c { d { e } } } } }', /depth 5 exceeds the limit of 4/],
    ['{ __schema { types { fields { type { ofType { name } } } } } }', undefined],
    ['{ __schema { types { fields { type { ofType { ofType { name } } } } } } }', /introspection depth 7 exceeds the limit of 6/],
    ['{ __type(name: "A") { a { b { c { d { e { f } } } } } } }', /introspection depth 7 exceeds the limit of 6/],
    ['{ a { b { c { __schema { types { name } } } } } }', undefined],
    ['{ a { b { c { d { __schema { types { name } } } } } } }', /depth 5 exceeds the limit of 4/],
    ['{ s1: __schema { types { name } } s2: __schema { types { name } } s3: __schema { types { name } } s4: __schema { types { name } } }', /"__schema" is selected 4 times/],
    [`{ ${Array.from({ length: 21 }, (_, i) => `f${i}`).join(' ')} }`, /selects 21 fields/],
  ])('%s', (query, message) => {
    const refusal = shapeRefusal(parse(query), LIMITS);
    if (message === undefined) expect(refusal).toBeUndefined();
    else {
      expect(refusal?.message).toMatch(message);
      expect(refusal?.extensions.code).toBe('QUERY_TOO_COMPLEX');
    }
  });
});
