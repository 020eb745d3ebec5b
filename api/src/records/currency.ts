import { badInput } from '../common/errors';

/** ISO 4217 codes this runtime can format (Intl), e.g. EUR, SEK, USD. */
const KNOWN = new Set(Intl.supportedValuesOf('currency'));

export const isCurrencyCode = (code: string): boolean => KNOWN.has(code);

/** An ISO 4217 code from input, upper-cased; BAD_USER_INPUT naming `field` when it is no currency. */
export function currencyCode(field: string, value: string): string {
  const code = value.trim().toUpperCase();
  if (!isCurrencyCode(code)) throw badInput(field, `"${value}" is not an ISO 4217 currency code (such as EUR, SEK or USD)`, { reason: 'INVALID_CURRENCY', value: String(value).slice(0, 50) });
  return code;
}
