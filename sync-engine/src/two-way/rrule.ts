/**
 * The part of RFC 5545 3.3.10 (RECUR) that Exchange can hold, parsed into a value and written back in one
 * canonical form, so two spellings of one rule ("BYDAY=2TU" and "BYDAY=TU;BYSETPOS=2") compare equal.
 * What Exchange's patterns (Types.xsd *RecurrencePatternType) cannot express is refused, not approximated.
 */

export type Weekday = 'SU' | 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA';
/** RFC 5545 order of the week from Sunday, matching Date#getUTCDay. */
export const WEEKDAYS: readonly Weekday[] = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

export interface RecurrenceRule {
  readonly freq: Frequency;
  readonly interval: number;
  /** Sorted Monday first; empty when the rule has no BYDAY. */
  readonly byDay: readonly Weekday[];
  /** 1–4 or -1 (last) of the BYDAY set within the month; null when none. */
  readonly bySetPos: number | null;
  readonly byMonthDay: number | null;
  readonly byMonth: number | null;
  /** RFC 5545 UNTIL: a DATE (YYYYMMDD, for all-day series) or a UTC DATE-TIME (YYYYMMDDTHHMMSSZ). */
  readonly until: string | null;
  readonly count: number | null;
  readonly weekStart: Weekday | null;
}

/** A rule outside what the sync can carry; `code` names it for the error policy. */
export class UnsupportedRecurrenceError extends Error {
  readonly code = 'UNSUPPORTED_RECURRENCE';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedRecurrenceError';
  }
}

const MAX_RULE_LENGTH = 300;
/** EWS NumberedRecurrenceRangeType and Outlook both stop at 999 occurrences. */
export const MAX_COUNT = 999;
export const MAX_INTERVAL = 999;
const FREQUENCIES: readonly Frequency[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const MONDAY_FIRST: readonly Weekday[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

function fail(message: string): never {
  throw new UnsupportedRecurrenceError(message);
}

function integer(name: string, text: string, min: number, max: number): number {
  if (!/^[+-]?\d{1,4}$/.test(text)) fail(`${name} is not a number: ${text}`);
  const value = Number(text);
  if (value < min || value > max || value === 0) fail(`${name} ${value} is outside ${min}–${max}`);
  return value;
}

function weekday(text: string): Weekday {
  if (!(WEEKDAYS as readonly string[]).includes(text)) fail(`not a weekday: ${text}`);
  return text as Weekday;
}

export function parseRrule(text: string): RecurrenceRule {
  const source = text.trim().replace(/^RRULE:/i, '');
  if (source.length === 0 || source.length > MAX_RULE_LENGTH) fail(`a rule must have 1–${MAX_RULE_LENGTH} characters`);
  const parts = new Map<string, string>();
  for (const part of source.toUpperCase().split(';')) {
    const [name, value, extra] = part.split('=');
    if (!name || value === undefined || extra !== undefined || value === '') fail(`malformed rule part: ${part}`);
    if (parts.has(name)) fail(`${name} given twice`); // RFC 5545 3.3.10: each part MUST NOT occur more than once
    parts.set(name, value);
  }
  const known = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYSETPOS', 'BYMONTHDAY', 'BYMONTH', 'UNTIL', 'COUNT', 'WKST']);
  for (const name of parts.keys()) if (!known.has(name)) fail(`${name} cannot be synced to Exchange`);

  const freq = parts.get('FREQ');
  if (!freq) fail('FREQ is required'); // RFC 5545 3.3.10
  if (!(FREQUENCIES as readonly string[]).includes(freq)) fail(`FREQ=${freq} cannot be synced to Exchange`);

  let bySetPos = parts.has('BYSETPOS') ? integer('BYSETPOS', parts.get('BYSETPOS')!, -1, 4) : null;
  const days: Weekday[] = [];
  for (const entry of parts.get('BYDAY')?.split(',') ?? []) {
    const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(entry);
    if (!match) fail(`malformed BYDAY entry: ${entry}`);
    if (match[1] !== undefined) {
      const ordinal = integer('BYDAY ordinal', match[1], -1, 4);
      if (bySetPos !== null && bySetPos !== ordinal) fail('BYDAY ordinals that differ cannot be synced to Exchange');
      bySetPos = ordinal;
    }
    const day = weekday(match[2]);
    if (!days.includes(day)) days.push(day);
  }
  const until = parts.get('UNTIL') ?? null;
  if (until !== null && !/^\d{8}(T\d{6}Z)?$/.test(until)) fail(`UNTIL must be a date or a UTC date-time: ${until}`);
  const count = parts.has('COUNT') ? integer('COUNT', parts.get('COUNT')!, 1, MAX_COUNT) : null;
  if (until !== null && count !== null) fail('UNTIL and COUNT together'); // RFC 5545 3.3.10: MUST NOT occur both

  const rule: RecurrenceRule = {
    freq: freq as Frequency,
    interval: parts.has('INTERVAL') ? integer('INTERVAL', parts.get('INTERVAL')!, 1, MAX_INTERVAL) : 1,
    byDay: MONDAY_FIRST.filter((d) => days.includes(d)),
    bySetPos,
    byMonthDay: parts.has('BYMONTHDAY') ? integer('BYMONTHDAY', parts.get('BYMONTHDAY')!, 1, 31) : null,
    byMonth: parts.has('BYMONTH') ? integer('BYMONTH', parts.get('BYMONTH')!, 1, 12) : null,
    until,
    count,
    weekStart: parts.has('WKST') ? weekday(parts.get('WKST')!) : null,
  };
  if (rule.bySetPos !== null && rule.byDay.length === 0) fail('BYSETPOS without BYDAY');
  return rule;
}

/** The canonical text of a rule: fixed part order, INTERVAL and WKST only when they say something. */
export function formatRrule(rule: RecurrenceRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.until !== null) parts.push(`UNTIL=${rule.until}`);
  if (rule.count !== null) parts.push(`COUNT=${rule.count}`);
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byDay.length > 0) parts.push(`BYDAY=${rule.byDay.join(',')}`);
  if (rule.byMonthDay !== null) parts.push(`BYMONTHDAY=${rule.byMonthDay}`);
  if (rule.byMonth !== null) parts.push(`BYMONTH=${rule.byMonth}`);
  if (rule.bySetPos !== null) parts.push(`BYSETPOS=${rule.bySetPos}`);
  if (rule.weekStart !== null && rule.weekStart !== 'MO') parts.push(`WKST=${rule.weekStart}`);
  return parts.join(';');
}

/** Parses and rewrites a rule in canonical form; throws UnsupportedRecurrenceError like parseRrule. */
export function canonicalRrule(text: string): string {
  return formatRrule(parseRrule(text));
}
