import { GraphQLScalarType } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { isoDateTime } from '../common/iso-date';

const original = GraphQLDateTimeISO.toConfig();

/**
 * graphql-scalars' DateTimeISO (type-graphql's scalar for Date), the same in name, description, parsing and output,
 * but a valid Date is written by isoDateTime instead of toISOString: every date of every row of a page goes through it.
 */
export const DateTimeISO = new GraphQLScalarType({
  ...original,
  serialize(value: unknown): string {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return isoDateTime(value);
    // Strings, numbers and invalid dates: graphql-scalars' checks and errors, as before.
    return original.serialize!(value) as string;
  },
});
