import { GraphQLDateTimeISO } from 'graphql-scalars';
import { describe, expect, it } from 'vitest';
import { DateTimeISO } from './date-time-scalar';

describe('DateTimeISO', () => {
  it('is graphql-scalars’ DateTimeISO to a client: name, description, output and parsing', () => {
    expect(DateTimeISO.name).toBe(GraphQLDateTimeISO.name);
    expect(DateTimeISO.description).toBe(GraphQLDateTimeISO.description);
    for (const value of [new Date('2026-12-06T23:59:59.999Z'), new Date('0042-01-01T00:00:00.000Z'), '2026-12-06T10:00:00+02:00', 1_765_000_000_000]) {
      expect(DateTimeISO.serialize(value)).toBe(GraphQLDateTimeISO.serialize(value));
    }
    expect(DateTimeISO.parseValue('2026-12-06T10:00:00Z')).toEqual(GraphQLDateTimeISO.parseValue('2026-12-06T10:00:00Z'));
  });

  it('refuses what graphql-scalars refuses, with its message', () => {
    for (const value of [new Date(Number.NaN), 'not a date', { at: 1 }, true]) {
      expect(() => DateTimeISO.serialize(value)).toThrow();
      expect(() => DateTimeISO.serialize(value)).toThrow(captureMessage(() => GraphQLDateTimeISO.serialize(value)));
    }
  });
});

function captureMessage(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}
