import { GraphQLRequestError, type FieldWhy } from '../../graphql/graphql-client';
import { en, type Messages } from './en';
import type { Locale } from './locale';
import { sv } from './sv';

export const CATALOGS: Readonly<Record<Locale, Messages>> = { en, sv };

/** A failure as the API (or the client, for NETWORK) reported it: its code and its own words. */
export interface Problem {
  readonly code: string;
  readonly message: string;
  /** Why an input was refused, when the API says (then the sentence is the catalog's, not the API's English). */
  readonly why?: FieldWhy | null;
}

/** How a date or time is written: see FORMATS. */
export type DateStyle = keyof typeof DATE_STYLES;

const DATE_STYLES = {
  /** 14:05, 2:05 PM */
  time: { hour: 'numeric', minute: '2-digit' },
  /** 4 Dec, 14:05 */
  dayAndTime: { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' },
  /** For tooltips: Dec 4, 2026, 2:05 PM */
  exact: { dateStyle: 'medium', timeStyle: 'short' },
  /** Friday, December 4, 2026 at 2:05 PM */
  full: { dateStyle: 'full', timeStyle: 'short' },
  /** Friday, December 4 */
  weekday: { weekday: 'long', day: 'numeric', month: 'long' },
  /** Friday, December 4, 2026 */
  weekdayAndYear: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  /** 12/4/2026, 2026-12-04 */
  date: { dateStyle: 'short' },
  /** 31 March 2027 */
  longDate: { day: 'numeric', month: 'long', year: 'numeric' },
  /** 1 June */
  dayAndMonth: { day: 'numeric', month: 'long' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/** What components and the sentences state classes keep (Text) read: the catalog of the reader's language and its formats. */
export interface Translator {
  readonly locale: Locale;
  /** The Intl locale dates and numbers are written in (the reader's regional variant of `locale`). */
  readonly intlLocale: string;
  readonly t: Messages;
  formatDate(value: Date | string | number, style?: DateStyle): string;
  formatNumber(value: number, options?: Intl.NumberFormatOptions): string;
  /**
   * "just now", "5 minutes ago", "in 2 hours"; `iso` null gives `never` (else the catalog's "Never"). `past`: the
   * time is known to have happened (an alert, a sync), so a server clock a little ahead still reads "just now".
   */
  formatRelative(iso: string | null, now: number, options?: { never?: string; past?: boolean }): string;
  /** "Today", "Yesterday", "Tomorrow", or the date (with the year when it is not this year's). */
  formatDay(date: Date, now: Date): string;
  /** Bytes as people read them: "820 bytes", "48 KB", "2.3 MB" (2,3 MB in Swedish). */
  formatFileSize(bytes: number): string;
  /** "15 min", "1 h 5 min". */
  formatDuration(minutes: number): string;
  /** The sentence for a failure: the catalog's for a known code, else the API's own words. */
  problem(problem: Problem): string;
}

/**
 * A sentence a state class keeps for a component to show, written when it is shown: it follows the reader's language
 * even when they switch after it was set.
 */
export type Text = (i18n: Translator) => string;

/** The code and words of anything thrown: a GraphQLRequestError's, or CLIENT and the message for a failure in the page. */
export function problemOf(error: unknown): Problem {
  if (error instanceof GraphQLRequestError) return { code: error.code, message: error.message, why: error.why };
  return { code: 'CLIENT', message: error instanceof Error ? error.message : String(error) };
}

/** A thrown error as a Text. */
export const problemText =
  (problem: Problem): Text =>
  (i18n) =>
    i18n.problem(problem);

/** The codes whose sentence the UI writes itself; for the others (BAD_USER_INPUT, CONFLICT…) the API's words say more. */
const TRANSLATED = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'NETWORK',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'PASSWORD_CHANGE_REQUIRED',
  'INTERNAL_SERVER_ERROR',
  'SERVICE_UNAVAILABLE',
] satisfies (keyof Messages['errors'])[]);

export function describeProblem(t: Messages, problem: Problem): string {
  if (TRANSLATED.has(problem.code)) return t.errors[problem.code as Exclude<keyof Messages['errors'], 'unexpected'>];
  const why = problem.why;
  if (why && Object.hasOwn(t.fieldErrors, why.reason)) return t.fieldErrors[why.reason as keyof Messages['fieldErrors']](why);
  if (problem.code === 'CLIENT') return t.errors.unexpected(problem.message);
  return problem.message;
}

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

const FILE_UNITS = ['KB', 'MB', 'GB'];

const startOfDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate());
const capitalize = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

/** Whether the locale's clock runs 0–23 (Swedish, British) rather than 1–12 with AM/PM. */
function usesTwentyFourHours(intlLocale: string): boolean {
  const cycle = new Intl.DateTimeFormat(intlLocale, { hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h23' || cycle === 'h24';
}

/** The translator for one language, its dates and numbers written for `intlLocale`; formats are made once. */
export function translator(locale: Locale, intlLocale: string): Translator {
  const t = CATALOGS[locale];
  const dates = new Map<DateStyle, Intl.DateTimeFormat>();
  const twentyFourHour = usesTwentyFourHours(intlLocale);
  const dateFormat = (style: DateStyle) => {
    let format = dates.get(style);
    if (!format) {
      const options: Intl.DateTimeFormatOptions = DATE_STYLES[style];
      // ICU writes a numeric 24-hour clock as "0:05"; Swedish and British readers expect "00:05", as timeStyle writes it.
      const clock = twentyFourHour && options.hour === 'numeric' ? { ...options, hour: '2-digit' as const } : options;
      dates.set(style, (format = new Intl.DateTimeFormat(intlLocale, clock)));
    }
    return format;
  };
  const numbers = new Intl.NumberFormat(intlLocale);
  const relative = new Intl.RelativeTimeFormat(intlLocale, { numeric: 'auto' });
  const formatNumber = (value: number, options?: Intl.NumberFormatOptions) =>
    options ? new Intl.NumberFormat(intlLocale, options).format(value) : numbers.format(value);

  return {
    locale,
    intlLocale,
    t,
    formatDate: (value, style = 'exact') => dateFormat(style).format(value instanceof Date ? value : new Date(value)),
    formatNumber,
    formatRelative(iso, now, options = {}) {
      if (!iso) return options.never ?? t.app.never;
      let value = (new Date(iso).getTime() - now) / 1000;
      if (options.past && value > 0) value = 0;
      if (Math.abs(value) < 45) return value <= 0 ? t.format.justNow : t.format.inAMoment;
      for (const [unit, size] of RELATIVE_STEPS) {
        if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
        value /= size;
      }
      return relative.format(Math.round(value), 'year');
    },
    formatDay(date, now) {
      const offset = Math.round((startOfDay(date).getTime() - startOfDay(now).getTime()) / 86_400_000);
      // Intl writes "today", "i går": a heading starts with a capital.
      if (Math.abs(offset) <= 1) return capitalize(relative.format(offset, 'day'));
      return dateFormat(date.getFullYear() === now.getFullYear() ? 'weekday' : 'weekdayAndYear').format(date);
    },
    formatFileSize(bytes) {
      if (bytes < 1024) return t.format.bytes(bytes);
      let value = bytes / 1024;
      let unit = 0;
      while (value >= 1024 && unit < FILE_UNITS.length - 1) {
        value /= 1024;
        unit++;
      }
      return `${formatNumber(value, { maximumFractionDigits: value >= 10 ? 0 : 1, minimumFractionDigits: value >= 10 ? 0 : 1 })} ${FILE_UNITS[unit]}`;
    },
    formatDuration: (minutes) => t.activity.duration(Math.floor(minutes / 60), minutes % 60),
    problem: (problem) => describeProblem(t, problem),
  };
}
