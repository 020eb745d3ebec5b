// Text that cannot be stored as it was sent. U+0000 ends strings in C libraries and mail tools
// downstream; an unpaired UTF-16 surrogate has no UTF-8 form, so MySQL's driver silently turns it
// into U+FFFD and SQLite stores bytes that are not UTF-8 at all.

export type TextFault = 'NUL' | 'UNPAIRED_SURROGATE';

/** What makes `text` unstorable as sent, or undefined when it is well-formed. */
export function textFault(text: string): TextFault | undefined {
  if (text.includes('\u0000')) return 'NUL';
  // Native (ES2024): the regular expression it replaced, run over every body of a batch, cost the api ~1 % of its CPU.
  if (!text.isWellFormed()) return 'UNPAIRED_SURROGATE';
  return undefined;
}

/** The sentence an input error gives for a fault. */
export function textFaultMessage(fault: TextFault): string {
  return fault === 'NUL'
    ? 'must not contain the NUL character (U+0000)'
    : 'contains a broken character (an unpaired UTF-16 surrogate); send well-formed Unicode text';
}

/** `text` without NUL characters, each unpaired surrogate replaced by U+FFFD (as a UTF-8 decoder would). */
export function repairText(text: string): string {
  return text.replaceAll('\u0000', '').toWellFormed();
}

/**
 * Repairs every string in plain data (objects and arrays, as GraphQL hands inputs over); returns
 * the same object when nothing needed repair, so callers can tell by identity.
 */
export function repairStrings<T>(value: T): T {
  if (typeof value === 'string') return (textFault(value) ? repairText(value) : value) as T;
  if (Array.isArray(value)) {
    const items = value.map((item) => repairStrings(item));
    return (items.some((item, i) => item !== value[i]) ? items : value) as T;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const repaired = repairStrings(item);
      if (repaired !== item) changed = true;
      return [key, repaired] as const;
    });
    // Keeps the class (type-graphql hands inputs over as class instances).
    return (changed ? Object.assign(Object.create(Object.getPrototypeOf(value) as object) as object, Object.fromEntries(entries)) : value) as T;
  }
  return value;
}
