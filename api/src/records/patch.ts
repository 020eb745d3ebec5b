import { badInput } from '../common/errors';

/** Drops keys whose value is undefined: in an update, absent means "leave as is" and null means "clear". */
export function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Required fields may be left out of an update but not cleared. */
export function nonNull(input: object, fields: readonly string[]): void {
  for (const field of fields) {
    if ((input as Record<string, unknown>)[field] === null) throw badInput(`input.${field}`, 'cannot be cleared');
  }
}
