import type { DateTime } from 'ews-javascript-api';

// Reading properties of the items ews-javascript-api parsed: shared by the mail, calendar, task and contact readers.

/** A property the server may not have returned: the library throws (ServiceObjectPropertyException) on reading one it did not load. */
export const optional = <T>(read: () => T): T | null => {
  try {
    return read() ?? null;
  } catch {
    return null;
  }
};

/** An EWS DateTime as a Date; null when absent or not a time. */
export function dateOf(value: DateTime | null): Date | null {
  if (!value) return null;
  const date = new Date(value.valueOf());
  return Number.isNaN(date.getTime()) ? null : date;
}
