// Dynamics-style tracking tokens ("CRM:0001234") that outgoing CRM mail carries in its
// subject. Users can edit subjects, so a token is a correlation hint, never proof.

/** How tokens are written: prefix, deployment base number, and digit counts for the user number and message counter. */
export interface TokenFormat {
  prefix: string;
  baseNumber: number;
  userDigits: number;
  counterDigits: number;
}

/** Dynamics' defaults: `CRM:` + base 0 + 3 user digits + 3 counter digits. */
export const DEFAULT_TOKEN_FORMAT: TokenFormat = Object.freeze({ prefix: 'CRM', baseNumber: 0, userDigits: 3, counterDigits: 3 });

// Dynamics system settings, Email tab, "Configure email tracking token": prefix up to 20
// characters, base number 0-2,147,483,647, user digits 1-10, counter digits 1-9.
const MAX_PREFIX_LENGTH = 20;
const MAX_BASE_NUMBER = 2_147_483_647;

/** Every way `f` breaks Dynamics' limits, one entry per field problem; empty when valid. */
export function tokenFormatProblems(f: TokenFormat): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (f.prefix.length < 1 || f.prefix.length > MAX_PREFIX_LENGTH) {
    problems.push({ field: 'prefix', message: `must be 1 to ${MAX_PREFIX_LENGTH} characters, got ${f.prefix.length}` });
  }
  // Letters and digits only: ':' separates prefix from number, whitespace would split the
  // token, and punctuation would defeat the word boundaries tokenPattern relies on.
  if (/[:\s]/u.test(f.prefix)) {
    problems.push({ field: 'prefix', message: `must not contain ':' or whitespace, got "${f.prefix}"` });
  } else if (!/^[\p{L}\p{N}]*$/u.test(f.prefix)) {
    problems.push({ field: 'prefix', message: `must contain only letters and digits, got "${f.prefix}"` });
  }
  if (!isIntegerIn(f.baseNumber, 0, MAX_BASE_NUMBER)) {
    problems.push({ field: 'baseNumber', message: `must be an integer from 0 to ${MAX_BASE_NUMBER}, got ${f.baseNumber}` });
  }
  if (!isIntegerIn(f.userDigits, 1, 10)) {
    problems.push({ field: 'userDigits', message: `must be an integer from 1 to 10, got ${f.userDigits}` });
  }
  if (!isIntegerIn(f.counterDigits, 1, 9)) {
    problems.push({ field: 'counterDigits', message: `must be an integer from 1 to 9, got ${f.counterDigits}` });
  }
  return problems;
}

/** The token for one user and counter value, e.g. `CRM:0001234`; throws RangeError when a number does not fit its digits. */
export function formatToken(f: TokenFormat, userNumber: number, counter: number): string {
  const problems = tokenFormatProblems(f);
  if (problems.length > 0) {
    throw new RangeError(`invalid token format: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
  }
  return `${f.prefix}:${f.baseNumber}${padded('userNumber', userNumber, f.userDigits)}${padded('counter', counter, f.counterDigits)}`;
}

/** The counter after `counter`, wrapping to 0 after the largest value that fits (999 → 0 for 3 digits). */
export function nextCounter(counter: number, counterDigits: number): number {
  return (counter + 1) % 10 ** counterDigits;
}

/**
 * Matches one token of exactly format `f` anywhere in a subject; group 1 is the whole token.
 * The prefix matches in any case (users retype subjects). Not global, so `test` has no state.
 */
export function tokenPattern(f: TokenFormat): RegExp {
  const digits = `${f.baseNumber}\\d{${f.userDigits}}\\d{${f.counterDigits}}`;
  // Lookarounds instead of \b: \b is ASCII-only and a prefix may be any letter.
  return new RegExp(`(?<![\\p{L}\\p{N}_])(${escapeRegExp(f.prefix)}:${digits})(?![\\p{L}\\p{N}_])`, 'iu');
}

/**
 * The last token of format `f` in `subject`, spelled with the configured prefix, or null.
 * The last one, because each tracked send appends its own token after any quoted ones.
 */
export function findToken(f: TokenFormat, subject: string): string | null {
  const matches = [...subject.matchAll(new RegExp(tokenPattern(f).source, 'giu'))];
  const last = matches.at(-1);
  if (!last) return null;
  return `${f.prefix}${last[1].slice(last[1].indexOf(':'))}`;
}

/** `subject` with ` token` appended, unless that token is already in it (in any case). */
export function withToken(subject: string, token: string): string {
  const present = new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(token)}(?![\\p{L}\\p{N}_])`, 'iu');
  if (present.test(subject)) return subject;
  const base = subject.trimEnd();
  return base === '' ? token : `${base} ${token}`;
}

function padded(field: string, value: number, digits: number): string {
  if (!isIntegerIn(value, 0, 10 ** digits - 1)) {
    throw new RangeError(`${field} must be an integer from 0 to ${10 ** digits - 1} (${digits} digits), got ${value}`);
  }
  return String(value).padStart(digits, '0');
}

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function escapeRegExp(text: string): string {
  // Only syntax characters: the 'u' flag rejects needless escapes such as \-.
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
