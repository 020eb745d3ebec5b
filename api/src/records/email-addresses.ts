import { isEmail } from 'class-validator';
import { badInput } from '../common/errors';

/** Trimmed and lower-cased: RFC 5321 allows case-sensitive local parts, but every mail system in practice ignores case. */
export const normalizeEmail = (raw: string): string => raw.trim().toLowerCase();

export const MAX_EMAILS_PER_RECORD = 10;

/** Normalizes, validates and de-duplicates a record's addresses; the error names the offending list item. */
export function normalizeEmailList(field: string, raw: readonly string[]): string[] {
  if (raw.length > MAX_EMAILS_PER_RECORD) throw badInput(field, `at most ${MAX_EMAILS_PER_RECORD} addresses`);
  const result: string[] = [];
  raw.forEach((value, index) => {
    const address = validEmail(`${field}[${index}]`, value);
    if (!result.includes(address)) result.push(address);
  });
  return result;
}

/** One address, normalized; the error names the field. */
export function validEmail(field: string, value: string): string {
  const address = normalizeEmail(value);
  if (address.length > 320 || !isEmail(address, { allow_utf8_local_part: true, require_tld: false, allow_ip_domain: true })) {
    throw badInput(field, `"${value}" is not a valid email address`, { reason: 'INVALID_EMAIL', value: value.slice(0, 320) });
  }
  return address;
}
