import { badInput } from '../common/errors';

const PREFIX = 'live:';

/** An event's cursor: opaque to clients (base64url), the event's id inside. */
export const encodeLiveCursor = (id: number | string): string => Buffer.from(`${PREFIX}${id}`).toString('base64url');

/** The event id inside a cursor; BAD_USER_INPUT naming `field` for anything that is not one of ours. */
export function decodeLiveCursor(field: string, cursor: string): number {
  const text = cursor.length <= 64 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const digits = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : '';
  const id = /^\d{1,15}$/.test(digits) ? Number(digits) : NaN;
  if (!Number.isSafeInteger(id)) throw badInput(field, 'is not a cursor this api gave out; pass the cursor of the last event you received, or leave it out');
  return id;
}
