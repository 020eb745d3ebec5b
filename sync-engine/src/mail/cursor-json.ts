import type { MailError } from './mail-error.js';

/**
 * The envelope every adapter cursor shares: a JSON object `{ v: 1, …fields }` with exactly the named fields.
 * Returns those fields; throws `invalid(why)` (a CURSOR_INVALID MailError) for anything else.
 */
export function readCursorJson(text: string, fields: readonly string[], invalid: (why: string) => MailError): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('not an object');
  const { v, ...rest } = data as Record<string, unknown>;
  if (v !== 1) throw invalid(`unknown version ${JSON.stringify(v)}`);
  const unexpected = Object.keys(rest).find((key) => !fields.includes(key));
  if (unexpected !== undefined) throw invalid(`unexpected field ${unexpected}`);
  return rest;
}
