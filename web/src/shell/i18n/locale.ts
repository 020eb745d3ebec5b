import type { Locale } from './plural';

export type { Locale } from './plural';

/** The choices of the language switch, each named in its own language. */
export const LOCALES: readonly { readonly id: Locale; readonly name: string }[] = [
  { id: 'en', name: 'English' },
  { id: 'sv', name: 'Svenska' },
];

/** Where the reader's choice is kept; localStorage, so it outlives the tab and the session. */
export const LOCALE_STORAGE_KEY = 'crm-hub.locale';

const isLocale = (value: string | null | undefined): value is Locale => value === 'en' || value === 'sv';

/** The primary language subtag of a BCP 47 tag: "sv" of "sv-FI". */
const languageOf = (tag: string): string => tag.split('-')[0].toLowerCase();

/**
 * The language to show: the saved choice, else the first of the browser's languages the UI is written in
 * (`navigator.languages` is in the reader's order of preference), else English.
 */
export function pickLocale(saved: string | null, languages: readonly string[]): Locale {
  if (isLocale(saved)) return saved;
  for (const tag of languages) {
    const language = languageOf(tag);
    if (isLocale(language)) return language;
  }
  return 'en';
}

/**
 * The Intl locale for dates and numbers: the reader's own regional variant of the chosen language when the
 * browser lists one ("en-GB" writes 4 December, "sv-FI" its own way), else the language's usual one.
 */
export function intlLocaleFor(locale: Locale, languages: readonly string[]): string {
  const own = languages.find((tag) => languageOf(tag) === locale && Intl.DateTimeFormat.supportedLocalesOf(tag).length > 0);
  return own ?? (locale === 'sv' ? 'sv-SE' : 'en-US');
}
